//! 点検結果の組 (pairs of consecutive inspections) read from CSV/xlsx for the hazard model.
//! Columns: 前回健全性, 今回健全性, and either 間隔（年） or 前回点検日 + 今回点検日, optional
//! 補修 (repaired in between), plus one column per covariate named on the command line.

use tabane_hazard::Pair;
use tabane_tabular::{Column, FieldError, ImportReport, RowError, Schema, Table};

pub static SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "from",
            header_ja: "前回健全性",
            header_en: "From grade",
            aliases: &["from", "前回判定"],
            required: true,
        },
        Column {
            key: "to",
            header_ja: "今回健全性",
            header_en: "To grade",
            aliases: &["to", "今回判定"],
            required: true,
        },
        Column {
            key: "years",
            header_ja: "間隔（年）",
            header_en: "Years",
            aliases: &["years", "間隔", "経過年数"],
            required: false,
        },
        Column {
            key: "from_date",
            header_ja: "前回点検日",
            header_en: "Earlier inspection",
            aliases: &["from_date"],
            required: false,
        },
        Column {
            key: "to_date",
            header_ja: "今回点検日",
            header_en: "Later inspection",
            aliases: &["to_date"],
            required: false,
        },
        Column {
            key: "repaired",
            header_ja: "補修",
            header_en: "Repaired",
            aliases: &["repaired", "補修の有無"],
            required: false,
        },
    ],
};

/// 健全性 as written (I–IV or 1–4), with the message an import row needs.
pub fn parse_grade(s: &str) -> Result<usize, FieldError> {
    crate::domain::parse_grade(s).map(usize::from).ok_or_else(|| {
        FieldError::new(
            format!("健全性「{s}」は I〜IV（または 1〜4）で入力してください"),
            format!("grade \"{s}\" must be I-IV or 1-4"),
        )
    })
}

pub fn read_pairs(table: &Table, covariates: &[String]) -> Result<Vec<Pair>, ImportReport> {
    let bound = SCHEMA.bind(table)?;
    let mut report = ImportReport::new(bound.len());
    let cov_index: Vec<Option<usize>> =
        covariates.iter().map(|c| table.headers.iter().position(|h| h.trim() == c)).collect();
    for (name, idx) in covariates.iter().zip(&cov_index) {
        if idx.is_none() {
            report.add(RowError::custom(
                1,
                name.clone(),
                format!("共変量の列「{name}」がありません"),
                format!("covariate column \"{name}\" is missing"),
            ));
        }
    }
    if !report.is_ok() {
        return Err(report);
    }
    let mut out = Vec::with_capacity(bound.len());
    for row in bound.rows() {
        let from = report.field(&row, "from", parse_grade(row.get("from")));
        let to = report.field(&row, "to", parse_grade(row.get("to")));
        let years = if !row.get("years").is_empty() {
            report.field(&row, "years", tabane_tabular::parse_decimal(row.get("years")))
        } else {
            let a = report.field(&row, "from_date", tabane_tabular::parse_required_date(row.get("from_date")));
            let b = report.field(&row, "to_date", tabane_tabular::parse_required_date(row.get("to_date")));
            match (a, b) {
                (Some(a), Some(b)) => Some((b - a).num_days() as f64 / 365.25),
                _ => None,
            }
        };
        if years.is_some_and(|y| y <= 0.0) {
            report.add(row.error(
                "years",
                FieldError::new(
                    "点検間隔が0以下です（今回点検日が前回より後になるようにしてください）",
                    "the interval must be positive",
                ),
            ));
            continue;
        }
        let repaired = if row.get("repaired").is_empty() {
            Some(false)
        } else {
            report.field(&row, "repaired", tabane_tabular::parse_bool(row.get("repaired")))
        };
        let mut cov = Vec::new();
        for (name, idx) in covariates.iter().zip(&cov_index) {
            let raw = idx.and_then(|i| row.raw().cells.get(i)).map(String::as_str).unwrap_or("");
            match tabane_tabular::parse_decimal(raw) {
                Ok(v) => cov.push(v),
                Err(e) => {
                    let mut err = RowError::custom(row.number(), name.clone(), e.message_ja, e.message_en);
                    err.value = raw.to_string();
                    report.add(err);
                }
            }
        }
        if let (Some(from), Some(to), Some(years), Some(repaired)) = (from, to, years, repaired)
            && cov.len() == covariates.len()
        {
            out.push(Pair { from, to, years, covariates: cov, repaired_between: repaired });
        }
    }
    if report.is_ok() { Ok(out) } else { Err(report) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_grades_dates_and_covariates() {
        let csv = "前回健全性,今回健全性,前回点検日,今回点検日,補修,塩害\nI,II,2016-06-01,2021-06-01,,1\nⅡ,Ⅲ,H28.6.1,R3.6.1,いいえ,0.5\n";
        let t = tabane_tabular::read_csv(csv.as_bytes(), tabane_tabular::InputEncoding::Auto).unwrap();
        let p = read_pairs(&t, &["塩害".to_string()]).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[1].from, p[1].to), (2, 3));
        assert!((p[0].years - 5.0).abs() < 0.01);
        assert_eq!(p[1].covariates, vec![0.5]);
        let bad = "前回健全性,今回健全性,間隔（年）\nV,II,5\nI,II,-1\n";
        let t = tabane_tabular::read_csv(bad.as_bytes(), tabane_tabular::InputEncoding::Auto).unwrap();
        let r = read_pairs(&t, &[]).unwrap_err();
        assert_eq!(r.errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![2, 3]);
    }
}
