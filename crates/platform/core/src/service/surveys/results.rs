//! 集計と書出し (aggregation and export of a survey's answers).

use super::{Channel, EntrySource, Question, QuestionKind, RecipientStatus, load, questions_of, recipients_of};
use crate::context::Ctx;
use crate::entities::{survey_answer, survey_recipient};
use crate::error::{Error, FieldProblem, Result};
use crate::service::audit;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use tabane_tabular::Cell;

/// Respondents per option.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct OptionCount {
    pub key: String,
    pub label: String,
    pub count: usize,
}

/// For a ranked question: how many put the option at each rank (`counts[0]` = 第1希望).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RankRow {
    pub key: String,
    pub label: String,
    pub counts: Vec<usize>,
}

/// 第1希望の重複 (an option chosen first by more than one respondent): the lottery plan
/// (抽選会の計画) starts from these.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Clash {
    pub key: String,
    pub label: String,
    /// (recipient id, display label) of everyone who chose it first.
    pub recipients: Vec<(i64, String)>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NumberStats {
    pub count: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

/// 集計 (summary of one question).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct QuestionSummary {
    pub question: Question,
    /// Recipients who answered this question.
    pub answered: usize,
    /// single / multiple / yes_no (keys `yes`, `no`); for ranked: chosen at any rank.
    pub options: Vec<OptionCount>,
    pub ranks: Vec<RankRow>,
    pub clashes: Vec<Clash>,
    pub number: Option<NumberStats>,
}

/// Answers of a survey grouped by question id: (recipient id, value).
async fn by_question<C: ConnectionTrait>(db: &C, survey_id: i64) -> Result<HashMap<i64, Vec<(i64, Value)>>> {
    let mut out: HashMap<i64, Vec<(i64, Value)>> = HashMap::new();
    for a in survey_answer::Entity::find().filter(survey_answer::Column::SurveyId.eq(survey_id)).all(db).await? {
        let v = super::personal::value_of(&a)?;
        out.entry(a.question_id).or_default().push((a.recipient_id, v));
    }
    Ok(out)
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// Summarises every question: counts per option, per rank and first-choice clashes for ranked
/// questions, count/min/max/mean for numbers. Text answers are only counted.
pub async fn aggregate<C: ConnectionTrait>(db: &C, ctx: &Ctx, survey_id: i64) -> Result<Vec<QuestionSummary>> {
    load(db, ctx, survey_id).await?;
    let questions = questions_of(db, survey_id).await?;
    let recipients: HashMap<i64, String> =
        recipients_of(db, survey_id).await?.into_iter().map(|r| (r.id, r.label)).collect();
    let mut answers = by_question(db, survey_id).await?;
    Ok(questions
        .into_iter()
        .map(|q| {
            let given = answers.remove(&q.id).unwrap_or_default();
            summarise(q, &given, &recipients)
        })
        .collect())
}

fn summarise(q: Question, given: &[(i64, Value)], recipients: &HashMap<i64, String>) -> QuestionSummary {
    let count_where = |pred: &dyn Fn(&Value) -> bool| given.iter().filter(|(_, v)| pred(v)).count();
    let mut options = Vec::new();
    let mut ranks = Vec::new();
    let mut clashes = Vec::new();
    let mut number = None;
    match q.kind {
        QuestionKind::Single => {
            options = q
                .options
                .iter()
                .map(|c| OptionCount {
                    key: c.key.clone(),
                    label: c.label.clone(),
                    count: count_where(&|v| v.as_str() == Some(&c.key)),
                })
                .collect();
        }
        QuestionKind::Multiple | QuestionKind::Ranked => {
            options = q
                .options
                .iter()
                .map(|c| OptionCount {
                    key: c.key.clone(),
                    label: c.label.clone(),
                    count: count_where(&|v| keys(v).contains(&c.key.as_str())),
                })
                .collect();
        }
        QuestionKind::YesNo => {
            options = [("yes", "はい", true), ("no", "いいえ", false)]
                .into_iter()
                .map(|(k, l, b)| OptionCount {
                    key: k.into(),
                    label: l.into(),
                    count: count_where(&|v| v.as_bool() == Some(b)),
                })
                .collect();
        }
        QuestionKind::Number => {
            let ns: Vec<f64> = given.iter().filter_map(|(_, v)| v.as_f64()).collect();
            if !ns.is_empty() {
                number = Some(NumberStats {
                    count: ns.len(),
                    min: ns.iter().copied().fold(f64::INFINITY, f64::min),
                    max: ns.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    mean: ns.iter().sum::<f64>() / ns.len() as f64,
                });
            }
        }
        QuestionKind::Text | QuestionKind::LongText | QuestionKind::Date => {}
    }
    if q.kind == QuestionKind::Ranked {
        let depth = q.rank_depth.unwrap_or(1) as usize;
        ranks = q
            .options
            .iter()
            .map(|c| RankRow {
                key: c.key.clone(),
                label: c.label.clone(),
                counts: (0..depth).map(|i| count_where(&|v| keys(v).get(i) == Some(&c.key.as_str()))).collect(),
            })
            .collect();
        let mut first: BTreeMap<&str, Vec<(i64, String)>> = BTreeMap::new();
        for (rid, v) in given {
            if let Some(k) = keys(v).first() {
                first.entry(k).or_default().push((*rid, recipients.get(rid).cloned().unwrap_or_default()));
            }
        }
        // In the order of the options, so the plan reads like the form.
        clashes = q
            .options
            .iter()
            .filter_map(|c| {
                first.get(c.key.as_str()).filter(|rs| rs.len() > 1).map(|rs| Clash {
                    key: c.key.clone(),
                    label: c.label.clone(),
                    recipients: rs.clone(),
                })
            })
            .collect();
    }
    QuestionSummary { answered: given.len(), question: q, options, ranks, clashes, number }
}

pub use tabane_tabular::ExportFormat;

/// An exported file.
#[derive(Clone, Debug)]
pub struct Export {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// Recipient columns every export may carry, before the questions: (key, header).
const RECIPIENT_COLUMNS: &[(&str, &str)] = &[
    ("subject", "対象"),
    ("label", "表示名"),
    ("channel", "配布方法"),
    ("status", "回答状況"),
    ("source", "入力者"),
    ("answered_at", "回答日時"),
];

/// The columns an export may have: (key, header, personal). Question columns are keyed by the
/// question code; a ranked question becomes one column per rank.
pub async fn export_columns<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
) -> Result<Vec<(String, String, bool)>> {
    load(db, ctx, survey_id).await?;
    let mut out: Vec<(String, String, bool)> =
        RECIPIENT_COLUMNS.iter().map(|(k, h)| (k.to_string(), h.to_string(), false)).collect();
    out.extend(questions_of(db, survey_id).await?.into_iter().map(|q| (q.code, q.label, q.personal)));
    Ok(out)
}

enum Col<'a> {
    Recipient(&'static str),
    Answer(&'a Question, Option<usize>),
}

/// Writes the answers as CSV (UTF-8 or CP932) or xlsx through `tabane-tabular`. `columns` are
/// keys from [`export_columns`]; empty = every recipient column and every non-personal question.
/// A personal question is exported only when named, and such an export is audited.
pub async fn export<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
    columns: &[String],
    format: ExportFormat,
) -> Result<Export> {
    let l = load(db, ctx, survey_id).await?;
    let questions = questions_of(db, survey_id).await?;
    let wanted: Vec<String> = if columns.iter().all(|c| c.trim().is_empty()) {
        RECIPIENT_COLUMNS
            .iter()
            .map(|(k, _)| k.to_string())
            .chain(questions.iter().filter(|q| !q.personal).map(|q| q.code.clone()))
            .collect()
    } else {
        columns.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
    };
    let mut cols = Vec::new();
    let mut headers = Vec::new();
    let mut problems = Vec::new();
    for key in &wanted {
        if let Some((k, h)) = RECIPIENT_COLUMNS.iter().find(|(k, _)| k == key) {
            cols.push(Col::Recipient(k));
            headers.push(h.to_string());
        } else if let Some(q) = questions.iter().find(|q| q.code == *key) {
            if q.kind == QuestionKind::Ranked {
                for i in 0..q.rank_depth.unwrap_or(1) as usize {
                    cols.push(Col::Answer(q, Some(i)));
                    headers.push(format!("{}（第{}希望）", q.label, i + 1));
                }
            } else {
                cols.push(Col::Answer(q, None));
                headers.push(q.label.clone());
            }
        } else {
            problems.push(FieldProblem::new(
                "columns",
                "書出し項目",
                "Columns",
                format!("「{key}」はこのアンケートにありません"),
                format!("\"{key}\" is not a column of this survey"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let recipients = recipients_of(db, survey_id).await?;
    let mut answers: HashMap<(i64, i64), Value> = HashMap::new();
    for (qid, given) in by_question(db, survey_id).await? {
        for (rid, v) in given {
            answers.insert((rid, qid), v);
        }
    }
    let rows: Vec<Vec<Cell>> = recipients.iter().map(|r| cols.iter().map(|c| cell(c, r, &answers)).collect()).collect();
    let personal: Vec<&str> =
        wanted.iter().filter(|k| questions.iter().any(|q| q.code == **k && q.personal)).map(String::as_str).collect();
    if !personal.is_empty() {
        audit::record(
            db,
            ctx,
            l.change(
                "export_personal",
                "survey",
                survey_id,
                None,
                Some(serde_json::json!({ "columns": personal, "rows": rows.len() })),
            ),
        )
        .await?;
    }
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let fail = |e: tabane_tabular::ExportError| Error::conflict(e.to_string(), e.message_en());
    let bytes = format.write(&l.survey.title, &header_refs, rows).map_err(fail)?;
    let (content_type, ext) = (format.content_type(), format.extension());
    Ok(Export { bytes, content_type, file_name: format!("survey-{survey_id}.{ext}") })
}

fn cell(c: &Col<'_>, r: &survey_recipient::Model, answers: &HashMap<(i64, i64), Value>) -> Cell {
    match c {
        Col::Recipient(k) => match *k {
            "subject" => Cell::from(r.subject_ref.as_str()),
            "label" => Cell::from(r.label.as_str()),
            "channel" => Cell::from(Channel::parse(&r.channel).map(|c| c.label_ja()).unwrap_or(&r.channel)),
            "status" => Cell::from(RecipientStatus::parse(&r.status).map(|s| s.label_ja()).unwrap_or(&r.status)),
            "source" => Cell::from(r.entry_source.as_deref().and_then(EntrySource::parse).map(|s| s.label_ja())),
            _ => Cell::from(r.answered_at.map(|t| t.with_timezone(&jst()).format("%Y-%m-%d %H:%M").to_string())),
        },
        Col::Answer(q, rank) => {
            let Some(v) = answers.get(&(r.id, q.id)) else { return Cell::Empty };
            let label = |k: &str| q.option_label(k).unwrap_or(k).to_string();
            match (q.kind, rank) {
                (QuestionKind::Ranked, Some(i)) => keys(v).get(*i).map(|k| Cell::Text(label(k))).unwrap_or(Cell::Empty),
                (QuestionKind::Multiple, _) => {
                    Cell::Text(keys(v).into_iter().map(label).collect::<Vec<_>>().join("、"))
                }
                (QuestionKind::Single, _) => v.as_str().map(|k| Cell::Text(label(k))).unwrap_or(Cell::Empty),
                (QuestionKind::YesNo, _) => Cell::from(v.as_bool().map(|b| if b { "はい" } else { "いいえ" })),
                (QuestionKind::Number, _) => {
                    v.as_i64().map(Cell::Int).or_else(|| v.as_f64().map(Cell::Number)).unwrap_or(Cell::Empty)
                }
                (QuestionKind::Date, _) => v
                    .as_str()
                    .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                    .map(Cell::Date)
                    .unwrap_or(Cell::Empty),
                _ => v.as_str().map(Cell::from).unwrap_or(Cell::Empty),
            }
        }
    }
}

fn jst() -> chrono::FixedOffset {
    tabane_calendar::jst::offset()
}
