//! Binding headers to a schema and collecting per-row errors.

use chrono::NaiveDate;
use tabane_tabular::*;

static SCHEMA: Schema = Schema {
    columns: &[
        Column {
            key: "code",
            header_ja: "団体コード",
            header_en: "Organization code",
            aliases: &["コード", "団体ｺｰﾄﾞ"],
            required: true,
        },
        Column { key: "name", header_ja: "団体名", header_en: "Name", aliases: &["名称"], required: true },
        Column { key: "population", header_ja: "人口", header_en: "Population", aliases: &[], required: false },
        Column { key: "since", header_ja: "設置日", header_en: "Established", aliases: &[], required: false },
        Column { key: "kind", header_ja: "区分", header_en: "Kind", aliases: &[], required: false },
        Column { key: "active", header_ja: "有効", header_en: "Active", aliases: &[], required: false },
    ],
};

const KINDS: &[(&str, &[&str])] =
    &[("都道府県", &["県", "prefecture"]), ("市町村", &["市", "町", "村", "municipality"])];

fn table(csv: &str) -> Table {
    read_csv(csv.as_bytes(), InputEncoding::Auto).unwrap()
}

/// The check digit of a 地方公共団体コード (JIS X 0402): weights 6,5,4,3,2,
/// 11 minus the remainder mod 11, last digit of that.
fn check_digit(code: &str) -> Option<u32> {
    let digits: Vec<u32> = code.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != 6 {
        return None;
    }
    let sum: u32 = digits[..5].iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    Some((11 - sum % 11) % 10)
}

#[derive(Debug)]
struct Org {
    code: String,
    name: String,
    population: Option<i64>,
    since: Option<NaiveDate>,
    kind: Option<&'static str>,
    active: Option<bool>,
}

fn import(t: &Table) -> Result<Vec<Org>, ImportReport> {
    let bound = SCHEMA.bind(t)?;
    let mut report = ImportReport::new(bound.len());
    let mut out = Vec::new();
    for row in bound.rows() {
        let code = report.field(&row, "code", parse_required_text(row.get("code")));
        let name = report.field(&row, "name", parse_required_text(row.get("name")));
        let population = report.field(&row, "population", parse_optional_int(row.get("population")));
        let since = report.field(&row, "since", parse_optional_date(row.get("since")));
        let kind = report.field(&row, "kind", parse_optional_choice(row.get("kind"), KINDS));
        let active = report.field(&row, "active", parse_optional_bool(row.get("active")));
        if let Some(code) = &code {
            let (ja, en) = match check_digit(code) {
                Some(d) if code.ends_with(char::from_digit(d, 10).unwrap()) => (String::new(), String::new()),
                Some(d) => {
                    (format!("検査数字が違います（正しくは {d}）"), format!("wrong check digit (should be {d})"))
                }
                None => ("6桁の数字で入力してください".to_string(), "must be 6 digits".to_string()),
            };
            if !ja.is_empty() {
                report.add(row.error("code", FieldError::new(ja, en)));
            }
        }
        if let (Some(code), Some(name), Some(population), Some(since), Some(kind), Some(active)) =
            (code, name, population, since, kind, active)
        {
            out.push(Org { code, name, population, since, kind, active });
        }
    }
    if report.is_ok() { Ok(out) } else { Err(report) }
}

#[test]
fn clean_file_imports() {
    let t = table(
        "団体コード,団体名,人口,設置日,区分,有効\r\n\
         011002,札幌市,\"1,973,395\",1922/8/1,市,○\r\n\
         012025,函館市,２４０，０００,令和7年4月1日,町,はい\r\n\
         013030,\u{3000}当別町\u{3000},,R7.4.1,,\r\n",
    );
    let orgs = import(&t).unwrap();
    assert_eq!(orgs.len(), 3);
    assert_eq!(orgs[0].population, Some(1_973_395));
    assert_eq!(orgs[0].since, NaiveDate::from_ymd_opt(1922, 8, 1));
    assert_eq!(orgs[1].population, Some(240_000));
    assert_eq!(orgs[1].since, NaiveDate::from_ymd_opt(2025, 4, 1));
    assert_eq!(orgs[1].kind, Some("市町村"));
    assert_eq!(orgs[1].active, Some(true));
    assert_eq!(orgs[2].name, "当別町");
    assert_eq!(orgs[2].since, NaiveDate::from_ymd_opt(2025, 4, 1));
    assert_eq!((orgs[2].population, orgs[2].kind, orgs[2].active), (None, None, None));
    assert_eq!(orgs[0].code, "011002");
}

#[test]
fn headers_match_by_alias_english_and_fullwidth_text() {
    let t = table("ＣＯＤＥ,ｎａｍｅ,　Population　,Organization Code2\n011002,札幌市,5,x\n");
    // "ＣＯＤＥ" is the key in full-width capitals.
    let bound = SCHEMA.bind(&t).unwrap();
    let row = bound.rows().next().unwrap();
    assert_eq!((row.get("code"), row.get("name"), row.get("population")), ("011002", "札幌市", "5"));
    assert_eq!(row.get("since"), "", "absent column reads as empty");
    assert!(bound.has("population") && !bound.has("since"));
    assert_eq!(bound.header("code"), "ＣＯＤＥ");
    assert_eq!(bound.header("since"), "設置日");
    assert_eq!(bound.unknown_headers(), ["Organization Code2"]);

    let t = table("団体ｺｰﾄﾞ,名称\n011002,札幌市\n");
    assert!(SCHEMA.bind(&t).is_ok());
    let t = table("団体 コード,団体名\n011002,札幌市\n");
    assert!(SCHEMA.bind(&t).is_ok());
}

#[test]
fn missing_and_duplicated_columns_are_reported_on_row_1() {
    let t = table("コード,備考,団体コード\n011002,x,011002\n");
    let report = SCHEMA.bind(&t).unwrap_err();
    assert_eq!(
        report.render_ja(),
        "1行目「団体コード」: 列「団体コード」が重複しています（A列とC列）\n\
         1行目「団体名」: 必須の列「団体名」が見出し行にありません"
    );
    assert!(report.errors.iter().all(|e| e.row == 1));
    assert!(report.render_en().contains("The required column \"Name\" (団体名) is missing"));
}

#[test]
fn every_error_is_collected_with_row_and_header_as_in_the_file() {
    let t = table(
        "コード,名称,人口,設置日,区分,有効\r\n\
         011002,札幌市,1.5,2025-02-30,区,たぶん\r\n\
         \r\n\
         012039,,\"12,34\",平成32年1月1日,県,1\r\n\
         01,函館市,,,,\r\n",
    );
    let report = import(&t).unwrap_err();
    assert_eq!(report.rows_checked, 3);
    let rendered = report.render_ja();
    let lines: Vec<&str> = rendered.lines().collect();
    // Date messages come from tabane_calendar; only their shape is checked here.
    assert!(lines[1].starts_with("2行目「設置日」: ") && lines[1].contains("2025-02-30"), "{}", lines[1]);
    assert!(lines[7].starts_with("4行目「設置日」: ") && lines[7].contains("平成32年1月1日"), "{}", lines[7]);
    let others: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| ![1, 7].contains(i)).map(|(_, l)| *l).collect();
    assert_eq!(
        others,
        [
            "2行目「人口」: 整数で入力してください",
            "2行目「区分」: 「都道府県」「市町村」のいずれかを入力してください",
            "2行目「有効」: 「はい」か「いいえ」で入力してください（○/×、有/無、1/0 も使えます）",
            "4行目「コード」: 検査数字が違います（正しくは 3）",
            "4行目「名称」: 入力してください",
            "4行目「人口」: 桁区切りのカンマの位置が正しくありません",
            "5行目「コード」: 6桁の数字で入力してください",
        ]
    );
    let e = &report.errors[4];
    assert_eq!((e.row, e.column.as_str(), e.value.as_str()), (4, "コード", "012039"));
    assert!(report.render_en().starts_with("Row 2, \"人口\": Enter a whole number\n"));
}

#[test]
fn report_serializes_for_the_web_layer() {
    let mut report = ImportReport::new(10);
    report.add(RowError::custom(
        3,
        "団体コード",
        "検査数字が違います（正しくは 4）",
        "wrong check digit (should be 4)",
    ));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "errors": [{
                "row": 3,
                "column": "団体コード",
                "value": "",
                "message_ja": "検査数字が違います（正しくは 4）",
                "message_en": "wrong check digit (should be 4)"
            }],
            "rows_checked": 10
        })
    );
    assert_eq!(report.to_string(), "3行目「団体コード」: 検査数字が違います（正しくは 4）");
}

#[test]
fn normalisers_are_public() {
    assert_eq!(to_halfwidth_ascii("Ｒ７．４．１"), "R7.4.1");
    assert_eq!(clean_cell("\u{3000}x\u{3000}"), "x");
}
