//! 設問と回答の検査 (validation of questions and answers). Pure: no database, so the rules are
//! unit-tested here and the service only loads rows and writes the result.

use super::kinds::QuestionKind;
use crate::entities::survey_question;
use crate::error::{Error, FieldProblem, Problems, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// 回答 (answers of one recipient): question code → JSON value.
pub type Answers = BTreeMap<String, Value>;

/// 選択肢 (one option of a choice question).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

/// 設問 (a question as services and modules see it: options parsed, kind typed).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Question {
    pub id: i64,
    pub survey_id: i64,
    pub position: i32,
    pub code: String,
    pub kind: QuestionKind,
    pub label: String,
    pub required: bool,
    pub options: Vec<Choice>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub rank_depth: Option<u32>,
    pub personal: bool,
}

impl Question {
    pub fn from_model(m: survey_question::Model) -> Question {
        Question {
            id: m.id,
            survey_id: m.survey_id,
            position: m.position,
            kind: QuestionKind::parse(&m.kind).unwrap_or(QuestionKind::Text),
            options: serde_json::from_str(&m.options_json).unwrap_or_default(),
            code: m.code,
            label: m.label,
            required: m.required,
            min: m.min_value,
            max: m.max_value,
            rank_depth: m.rank_depth.and_then(|d| u32::try_from(d).ok()),
            personal: m.personal,
        }
    }

    pub fn option_label(&self, key: &str) -> Option<&str> {
        self.options.iter().find(|c| c.key == key).map(|c| c.label.as_str())
    }
}

/// 設問の追加 (a new question). `options` for single/multiple/ranked; `min`/`max` for numbers;
/// `rank_depth` (第N希望まで) for ranked.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct NewQuestion {
    pub code: String,
    pub kind: String,
    pub label: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub rank_depth: Option<u32>,
    #[serde(default)]
    pub personal: bool,
}

/// Most questions a ranked choice may ask for; beyond this a form stops being usable on paper.
pub const MAX_RANK_DEPTH: u32 = 20;

/// Checks a new question; `existing_codes` are the survey's codes (a code is unique within it).
pub fn check_question(q: &NewQuestion, existing_codes: &[String]) -> Result<(QuestionKind, NewQuestion)> {
    let mut p = Problems::default();
    let code = q.code.trim().to_string();
    if code.is_empty() {
        p.push("code", "設問コード", "Code", "を入力してください", "is required");
    } else if code.len() > 40 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        p.push(
            "code",
            "設問コード",
            "Code",
            "は半角英数字・_・- の40文字以内です",
            "must be at most 40 ASCII letters, digits, _ or -",
        );
    } else if existing_codes.contains(&code) {
        p.push(
            "code",
            "設問コード",
            "Code",
            format!("「{code}」は既にこのアンケートにあります"),
            format!("\"{code}\" is already used in this survey"),
        );
    }
    p.required("label", "設問文", "Label", &q.label);
    let kind = QuestionKind::parse(&q.kind);
    if kind.is_none() {
        p.push(
            "kind",
            "設問の種類",
            "Kind",
            format!("は次のいずれかです: {}", QuestionKind::choices_ja()),
            "is not a known kind",
        );
    }
    let mut options = Vec::new();
    if let Some(k) = kind {
        if k.has_options() {
            if q.options.is_empty() {
                p.push("options", "選択肢", "Options", "を1つ以上入力してください", "need at least one entry");
            }
            let mut seen = HashSet::new();
            for (i, c) in q.options.iter().enumerate() {
                let (key, label) = (c.key.trim(), c.label.trim());
                if key.is_empty() || label.is_empty() {
                    p.push(
                        "options",
                        "選択肢",
                        "Options",
                        format!("の{}番目にキーまたは表示名がありません", i + 1),
                        format!("entry {} lacks a key or label", i + 1),
                    );
                } else if !seen.insert(key.to_string()) {
                    p.push(
                        "options",
                        "選択肢",
                        "Options",
                        format!("のキー「{key}」が重複しています"),
                        format!("key \"{key}\" appears twice"),
                    );
                }
                options.push(Choice { key: key.into(), label: label.into() });
            }
        } else if !q.options.is_empty() {
            p.push(
                "options",
                "選択肢",
                "Options",
                format!("は{}の設問には指定できません", k.label_ja()),
                "are only for choice questions",
            );
        }
        if k != QuestionKind::Number && (q.min.is_some() || q.max.is_some()) {
            p.push(
                "min",
                "最小値・最大値",
                "Min / max",
                "は数値の設問にだけ指定できます",
                "are only for number questions",
            );
        }
        if let (Some(a), Some(b)) = (q.min, q.max)
            && (!a.is_finite() || !b.is_finite() || b < a)
        {
            p.push(
                "max",
                "最大値",
                "Max",
                "が最小値より小さいか、数値ではありません",
                "is below the minimum or not a number",
            );
        }
        match (k, q.rank_depth) {
            (QuestionKind::Ranked, None) => p.push(
                "rank_depth",
                "希望順位の数",
                "Rank depth",
                "を入力してください（第何希望まで）",
                "is required for a ranked question",
            ),
            (QuestionKind::Ranked, Some(d)) if d == 0 || d > MAX_RANK_DEPTH || d as usize > q.options.len().max(1) => p
                .push(
                    "rank_depth",
                    "希望順位の数",
                    "Rank depth",
                    format!("は1以上、選択肢の数（{}）以下、{MAX_RANK_DEPTH}以下です", q.options.len()),
                    format!(
                        "must be between 1 and the number of options ({}), at most {MAX_RANK_DEPTH}",
                        q.options.len()
                    ),
                ),
            (k, Some(_)) if k != QuestionKind::Ranked => p.push(
                "rank_depth",
                "希望順位の数",
                "Rank depth",
                "は順位付き選択の設問にだけ指定できます",
                "is only for ranked questions",
            ),
            _ => {}
        }
    }
    p.into_result()?;
    let kind = kind.expect("checked");
    Ok((kind, NewQuestion { code, label: q.label.trim().into(), kind: kind.key().into(), options, ..q.clone() }))
}

/// Why one answer is refused (Japanese, English).
type Why = (String, String);

fn why(ja: impl Into<String>, en: impl Into<String>) -> Why {
    (ja.into(), en.into())
}

/// Checks every answer of one recipient (`who` is the recipient's display label, named in each
/// message) and returns the normalised values to store by question id. Every problem is reported
/// at once; an unknown question code is a problem too, so a typo is not silently dropped.
pub fn check_answers(questions: &[Question], answers: &Answers, who: &str) -> Result<Vec<(i64, Value)>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let problem = |code: &str, label: &str, (ja, en): Why| {
        FieldProblem::new(code, label, label, format!("：{ja}（回答者: {who}）"), format!(": {en} (respondent: {who})"))
    };
    for code in answers.keys() {
        if !questions.iter().any(|q| q.code == *code) {
            problems.push(problem(
                code,
                code,
                why("この設問はアンケートにありません", "is not a question of this survey"),
            ));
        }
    }
    for q in questions {
        match check_value(q, answers.get(&q.code).unwrap_or(&Value::Null)) {
            Ok(Some(v)) => out.push((q.id, v)),
            Ok(None) if q.required => {
                problems.push(problem(&q.code, &q.label, why("回答が必要です", "an answer is required")))
            }
            Ok(None) => {}
            Err(w) => problems.push(problem(&q.code, &q.label, w)),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(Error::Invalid(problems)) }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One answer: `Ok(None)` = not answered (null, empty text, empty list).
pub fn check_value(q: &Question, v: &Value) -> Result<Option<Value>, Why> {
    if v.is_null() {
        return Ok(None);
    }
    match q.kind {
        QuestionKind::Text | QuestionKind::LongText => {
            let s = as_text(v).ok_or_else(|| why("文字で回答してください", "must be text"))?;
            let limit = if q.kind == QuestionKind::Text { 500 } else { 10_000 };
            if s.chars().count() > limit {
                return Err(why(
                    format!("{limit}文字以内で回答してください"),
                    format!("must be at most {limit} characters"),
                ));
            }
            Ok((!s.is_empty()).then_some(Value::String(s)))
        }
        QuestionKind::Number => {
            let n = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) if s.trim().is_empty() => return Ok(None),
                Value::String(s) => tabane_tabular::to_halfwidth_ascii(s.trim()).replace(',', "").parse::<f64>().ok(),
                _ => None,
            }
            .filter(|n| n.is_finite())
            .ok_or_else(|| why("数値で回答してください", "must be a number"))?;
            if let Some(min) = q.min.filter(|m| n < *m) {
                return Err(why(
                    format!("{min}以上で回答してください（{n}）"),
                    format!("must be at least {min} ({n})"),
                ));
            }
            if let Some(max) = q.max.filter(|m| n > *m) {
                return Err(why(format!("{max}以下で回答してください（{n}）"), format!("must be at most {max} ({n})")));
            }
            // Whole numbers are stored as integers so exports show "3", not "3.0".
            let stored = if n.fract() == 0.0 && n.abs() < 9.0e15 { Value::from(n as i64) } else { Value::from(n) };
            Ok(Some(stored))
        }
        QuestionKind::Date => {
            let s = as_text(v).ok_or_else(|| why("日付で回答してください", "must be a date"))?;
            if s.is_empty() {
                return Ok(None);
            }
            let d = tabane_calendar::parse_date(&s).map_err(|e| why(e.message_ja(), e.message_en()))?;
            Ok(Some(Value::String(d.format("%Y-%m-%d").to_string())))
        }
        QuestionKind::YesNo => match v {
            Value::Bool(b) => Ok(Some(Value::Bool(*b))),
            Value::String(s) => match s.trim() {
                "" => Ok(None),
                "yes" | "true" | "はい" | "有" | "1" => Ok(Some(Value::Bool(true))),
                "no" | "false" | "いいえ" | "無" | "0" => Ok(Some(Value::Bool(false))),
                _ => Err(why("「はい」か「いいえ」で回答してください", "must be yes or no")),
            },
            _ => Err(why("「はい」か「いいえ」で回答してください", "must be yes or no")),
        },
        QuestionKind::Single => {
            let key = as_text(v).ok_or_else(|| why("選択肢を1つ選んでください", "must be one option key"))?;
            if key.is_empty() {
                return Ok(None);
            }
            known(q, &key)?;
            Ok(Some(Value::String(key)))
        }
        QuestionKind::Multiple => {
            let keys = keys_of(v)?;
            let mut seen = HashSet::new();
            for k in &keys {
                if k.is_empty() {
                    return Err(why("空の選択があります", "contains an empty choice"));
                }
                known(q, k)?;
                if !seen.insert(k.as_str()) {
                    return Err(why(
                        format!("同じ選択肢（{}）が2回選ばれています", label(q, k)),
                        format!("option \"{k}\" is chosen twice"),
                    ));
                }
            }
            Ok((!keys.is_empty()).then(|| Value::from(keys)))
        }
        QuestionKind::Ranked => {
            let mut keys = keys_of(v)?;
            // Trailing blanks are the unused select boxes of the form (第3希望 left empty).
            while keys.last().is_some_and(|k| k.is_empty()) {
                keys.pop();
            }
            let depth = q.rank_depth.unwrap_or(1) as usize;
            if keys.len() > depth {
                return Err(why(
                    format!("第{depth}希望までです（{}件選ばれています）", keys.len()),
                    format!("at most {depth} ranks ({} given)", keys.len()),
                ));
            }
            let mut seen = HashSet::new();
            for (i, k) in keys.iter().enumerate() {
                if k.is_empty() {
                    return Err(why(
                        format!("第{}希望が空欄のまま、それより後の希望が選ばれています", i + 1),
                        format!("rank {} is blank but a later rank is filled", i + 1),
                    ));
                }
                known(q, k)?;
                if !seen.insert(k.as_str()) {
                    let first = keys.iter().position(|x| x == k).unwrap_or(0) + 1;
                    return Err(why(
                        format!("第{}希望と第{first}希望が同じ（{}）です", i + 1, label(q, k)),
                        format!("ranks {first} and {} are the same option \"{k}\"", i + 1),
                    ));
                }
            }
            Ok((!keys.is_empty()).then(|| Value::from(keys)))
        }
    }
}

fn label<'a>(q: &'a Question, key: &'a str) -> &'a str {
    q.option_label(key).unwrap_or(key)
}

fn known(q: &Question, key: &str) -> Result<(), Why> {
    if q.options.iter().any(|c| c.key == key) {
        Ok(())
    } else {
        Err(why(format!("選択肢にない値です（{key}）"), format!("\"{key}\" is not one of the options")))
    }
}

/// A list of keys: a JSON array of strings (null = blank), or one string for a single pick.
fn keys_of(v: &Value) -> Result<Vec<String>, Why> {
    match v {
        Value::String(s) if s.trim().is_empty() => Ok(vec![]),
        Value::String(s) => Ok(vec![s.trim().to_string()]),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Null => Ok(String::new()),
                other => as_text(other)
                    .ok_or_else(|| why("選択肢のキーの一覧で回答してください", "must be a list of option keys")),
            })
            .collect(),
        _ => Err(why("選択肢のキーの一覧で回答してください", "must be a list of option keys")),
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
