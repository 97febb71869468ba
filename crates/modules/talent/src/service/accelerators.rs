//! 自治体DXアクセラレータ (spec §2.3, R3): experience and exams on the person, the 要件確認 run by
//! the pure rule (`tabane_talent_rules::accelerator`, versioned because the seed marks it （予定）),
//! every check kept and audited, ①ウ a recorded judgement, and the recommendation gate (推薦 only
//! on a check of 要件充足 made again as of the day of recommendation).

use super::persons::{self, change};
use crate::entities::{check, experience, person, qualification};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::TalentRuleError;
use tabane_talent_rules::accelerator::{
    self as rule, AcceleratorCheck, AcceleratorInput, AcceleratorRule, Experience, Judgement, MainDuty, Verdict,
    YearMonth,
};
use tabane_talent_rules::lifecycle::{AcceleratorEvent, AcceleratorStatus, next_accelerator_status};

const STATUSES: &[(&str, AcceleratorStatus)] = &[
    ("unchecked", AcceleratorStatus::Unchecked),
    ("met", AcceleratorStatus::Met),
    ("needs_judgement", AcceleratorStatus::NeedsJudgement),
    ("not_met", AcceleratorStatus::NotMet),
    ("recommended", AcceleratorStatus::Recommended),
    ("appointed", AcceleratorStatus::Appointed),
    ("appointment_ended", AcceleratorStatus::AppointmentEnded),
];

pub fn status_of(key: &str) -> AcceleratorStatus {
    STATUSES.iter().find(|(k, _)| *k == key).map(|(_, s)| *s).unwrap_or(AcceleratorStatus::Unchecked)
}

pub fn status_key(s: AcceleratorStatus) -> &'static str {
    STATUSES.iter().find(|(_, x)| *x == s).map(|(k, _)| *k).unwrap_or("unchecked")
}

/// A rule's refusal as the platform's error: a conflict with what is recorded (409) or a bad
/// value (422) naming `label`.
pub fn rule_error(e: TalentRuleError, field: &str, label_ja: &str, label_en: &str) -> Error {
    if e.is_conflict() {
        Error::conflict(e.message_ja(), e.message_en())
    } else {
        Error::invalid(field, label_ja, label_en, e.message_ja(), e.message_en())
    }
}

/// 職歴の追加.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ExperienceForm {
    #[serde(default)]
    pub employer_label: String,
    #[serde(default)]
    pub sector: String,
    /// YYYY-MM
    #[serde(default)]
    pub from_month: String,
    /// YYYY-MM, empty = 現在
    #[serde(default)]
    pub to_month: String,
    #[serde(default)]
    pub digital_field: bool,
    #[serde(default)]
    pub description: String,
}

fn month(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> Option<YearMonth> {
    let t = v.trim().replace(['/', '年', '.'], "-").trim_end_matches('月').to_string();
    let parsed =
        t.split_once('-').and_then(|(y, m)| Some((y.trim().parse::<i32>().ok()?, m.trim().parse::<u32>().ok()?)));
    match parsed.map(|(y, m)| YearMonth::new(y, m)) {
        Some(Ok(ym)) if (1900..=2200).contains(&ym.year) => Some(ym),
        _ => {
            p.push(field, ja, en, "は「2018-04」の形で入力してください", "must look like 2018-04");
            None
        }
    }
}

fn ym_text(ym: YearMonth) -> String {
    format!("{:04}-{:02}", ym.year, ym.month)
}

pub async fn add_experience<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    person_id: i64,
    f: &ExperienceForm,
) -> Result<experience::Model> {
    let (p, a) = persons::find(db, ctx, person_id).await?;
    a.require_prefecture_staff()?;
    let mut pr = Problems::default();
    pr.required("employer_label", "勤務先", "Employer", &f.employer_label);
    let from = month(&mut pr, "from_month", "開始年月", "From", &f.from_month);
    let to =
        if f.to_month.trim().is_empty() { None } else { month(&mut pr, "to_month", "終了年月", "To", &f.to_month) };
    if let (Some(a), Some(b)) = (from, to)
        && b < a
    {
        pr.push("to_month", "終了年月", "To", "は開始年月より後にしてください", "must be after the start");
    }
    pr.into_result()?;
    let txn = db.begin().await?;
    let e = experience::ActiveModel {
        person_id: Set(p.id),
        employer_label: Set(f.employer_label.trim().into()),
        sector: Set(if f.sector.trim().is_empty() { "民間企業".into() } else { f.sector.trim().into() }),
        from_month: Set(from.map(ym_text).unwrap_or_default()),
        to_month: Set(to.map(ym_text)),
        digital_field: Set(f.digital_field),
        description: Set(f.description.trim().into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change(&a, "add_experience", p.id, None, None)).await?;
    txn.commit().await?;
    Ok(e)
}

/// 資格の追加 (an exam passed).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct QualificationForm {
    #[serde(default)]
    pub exam: String,
    #[serde(default)]
    pub passed_on: String,
}

pub async fn add_qualification<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    person_id: i64,
    f: &QualificationForm,
) -> Result<qualification::Model> {
    let (p, a) = persons::find(db, ctx, person_id).await?;
    a.require_prefecture_staff()?;
    let mut pr = Problems::default();
    pr.required("exam", "試験", "Exam", &f.exam);
    let on = pr.date("passed_on", "合格日", "Passed on", &f.passed_on);
    pr.into_result()?;
    let txn = db.begin().await?;
    let q = qualification::ActiveModel {
        person_id: Set(p.id),
        exam: Set(f.exam.trim().into()),
        passed_on: Set(on),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, change(&a, "add_qualification", p.id, None, None)).await?;
    txn.commit().await?;
    Ok(q)
}

/// What the rule reads about a person, as of a day.
async fn input_of<C: ConnectionTrait>(db: &C, p: &person::Model, as_of: NaiveDate) -> Result<AcceleratorInput> {
    let parse = |s: &str| {
        s.split_once('-')
            .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
            .and_then(|(y, m)| YearMonth::new(y, m).ok())
    };
    let experience = experience::Entity::find()
        .filter(experience::Column::PersonId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(Experience {
                from: parse(&e.from_month)?,
                to: e.to_month.as_deref().and_then(parse),
                digital_field: e.digital_field,
            })
        })
        .collect();
    let exams_passed = qualification::Entity::find()
        .filter(qualification::Column::PersonId.eq(p.id))
        .all(db)
        .await?
        .into_iter()
        .map(|q| q.exam)
        .collect();
    let judgement_c = match (p.judgement_holds, p.judged_on) {
        (Some(holds), Some(on)) => {
            Some(Judgement { holds, judged_by: p.judged_by.clone(), judged_on: on, reason: p.judgement_reason.clone() })
        }
        _ => None,
    };
    Ok(AcceleratorInput {
        as_of,
        experience,
        exams_passed,
        judgement_c,
        main_duty: MainDuty { municipal_support: p.main_duty, basis: p.main_duty_basis.clone(), scheduled_days: None },
    })
}

/// 要件確認の結果 as the API answers it: 「充足」「要判断」「不充足」, the conditions that hold, what is
/// missing, and each condition with its reason.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentCheckOutcome")]
pub struct CheckOutcome {
    pub result: String,
    pub basis: Vec<String>,
    pub message: Option<String>,
    pub experience_months: u32,
    pub rule_version: String,
    pub as_of: NaiveDate,
    pub conditions: Vec<(String, Option<bool>, String)>,
    pub status: String,
    pub check_id: i64,
}

fn outcome(c: &AcceleratorCheck, status: AcceleratorStatus, check_id: i64) -> CheckOutcome {
    CheckOutcome {
        result: c.verdict.label_ja().into(),
        basis: c.basis.clone(),
        message: c.message_ja.clone(),
        experience_months: c.experience_months,
        rule_version: c.rule_version.into(),
        as_of: c.as_of,
        conditions: [("①ア", &c.cond_1a), ("①イ", &c.cond_1b), ("①ウ", &c.cond_1c), ("②", &c.cond_2)]
            .into_iter()
            .map(|(n, x)| (n.to_string(), x.holds, x.reason_ja.clone()))
            .collect(),
        status: status.name_ja().into(),
        check_id,
    }
}

/// 要件確認の指示: `as_of` defaults to today (spec R3, default reading).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentCheckForm")]
pub struct CheckForm {
    #[serde(default)]
    pub as_of: String,
}

async fn run<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    p: person::Model,
    a: &super::access::PoolAccess,
    as_of: NaiveDate,
    event: fn(Verdict) -> AcceleratorEvent,
) -> Result<CheckOutcome> {
    let input = input_of(db, &p, as_of).await?;
    let c =
        rule::check(&AcceleratorRule::r7_planned(), &input).map_err(|e| rule_error(e, "person", "人材", "Person"))?;
    let from = status_of(&p.accelerator_status);
    // A check after the recommendation is kept but leaves the status as it is.
    let to = next_accelerator_status(from, event(c.verdict)).unwrap_or(from);
    let saved = check::ActiveModel {
        person_id: Set(p.id),
        rule_version: Set(c.rule_version.into()),
        as_of: Set(c.as_of),
        result: Set(c.verdict.label_ja().into()),
        months: Set(i32::try_from(c.experience_months).unwrap_or(i32::MAX)),
        basis: Set(c.basis.join("\n")),
        message: Set(c.message_ja.clone()),
        detail: Set(serde_json::to_string(&c).unwrap_or_default()),
        checked_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let before = p.clone();
    let mut am = p.into_active_model();
    am.accelerator_status = Set(status_key(to).into());
    am.updated_at = Set(Utc::now());
    let p = am.update(db).await?;
    let mut ch = change(a, "accelerator_check", p.id, Some(&before), Some(&p));
    ch.after = serde_json::to_value(&c).ok();
    audit::record(db, ctx, ch).await?;
    Ok(outcome(&c, to, saved.id))
}

fn day_or_today(pr: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> NaiveDate {
    pr.date(field, ja, en, v).unwrap_or_else(tabane_calendar::jst::today)
}

/// 要件確認 (the prefecture's staff): the check is stored and audited.
pub async fn run_check<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    person_id: i64,
    f: &CheckForm,
) -> Result<CheckOutcome> {
    let (p, a) = persons::find(db, ctx, person_id).await?;
    a.require_prefecture_staff()?;
    let mut pr = Problems::default();
    let as_of = day_or_today(&mut pr, "as_of", "判定基準日", "As of", &f.as_of);
    pr.into_result()?;
    let txn = db.begin().await?;
    let out = run(&txn, ctx, p, &a, as_of, AcceleratorEvent::Checked).await?;
    txn.commit().await?;
    Ok(out)
}

/// ①ウの判断 (who judged, when, why), followed by a check.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct JudgementForm {
    #[serde(default)]
    pub holds: bool,
    #[serde(default)]
    pub judged_by: String,
    #[serde(default)]
    pub judged_on: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn record_judgement<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    person_id: i64,
    f: &JudgementForm,
) -> Result<CheckOutcome> {
    let (p, a) = persons::find(db, ctx, person_id).await?;
    a.require_prefecture_staff()?;
    let mut pr = Problems::default();
    pr.required("judged_by", "判断者", "Judged by", &f.judged_by);
    pr.required("reason", "判断理由", "Reason", &f.reason);
    let on = day_or_today(&mut pr, "judged_on", "判断日", "Judged on", &f.judged_on);
    pr.into_result()?;
    let txn = db.begin().await?;
    let mut am = p.into_active_model();
    am.judgement_holds = Set(Some(f.holds));
    am.judged_by = Set(f.judged_by.trim().into());
    am.judged_on = Set(Some(on));
    am.judgement_reason = Set(f.reason.trim().into());
    let p = am.update(&txn).await?;
    let out = run(&txn, ctx, p, &a, tabane_calendar::jst::today(), AcceleratorEvent::JudgementRecorded).await?;
    txn.commit().await?;
    Ok(out)
}

/// 推薦 (line 471): the check is made again as of the day of recommendation and must be 要件充足.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct RecommendForm {
    #[serde(default)]
    pub recommended_on: String,
}

pub async fn recommend<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    person_id: i64,
    f: &RecommendForm,
) -> Result<CheckOutcome> {
    let (p, a) = persons::find(db, ctx, person_id).await?;
    a.require_prefecture_staff()?;
    let mut pr = Problems::default();
    let on = day_or_today(&mut pr, "recommended_on", "推薦日", "Recommended on", &f.recommended_on);
    pr.into_result()?;
    let input = input_of(db, &p, on).await?;
    let c = rule::check_for_recommendation(&AcceleratorRule::r7_planned(), &input, on)
        .map_err(|e| rule_error(e, "person", "人材", "Person"))?;
    let from = status_of(&p.accelerator_status);
    let to = next_accelerator_status(from, AcceleratorEvent::Recommend)
        .map_err(|e| rule_error(e, "person", "人材", "Person"))?;
    let txn = db.begin().await?;
    let before = p.clone();
    let mut am = p.into_active_model();
    am.accelerator_status = Set(status_key(to).into());
    am.updated_at = Set(Utc::now());
    let p = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, "recommend", p.id, Some(&before), Some(&p))).await?;
    txn.commit().await?;
    Ok(outcome(&c, to, 0))
}
