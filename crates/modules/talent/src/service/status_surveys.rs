//! 状況把握 through the platform survey (spec §2.7, §7): the prefecture asks every municipality of
//! the pool's bundle for one 年度 (人口, DX推進部局の担当者数, FTE, 兼務, 標準化の進捗) with a survey
//! it owns and shares with the bundle, one `org:<id>` recipient per municipality, so each answers
//! for itself on the platform's survey pages. Copying then writes each answered municipality's
//! status record for that 年度 through `framework::record` (upsert, audited), all or nothing, and
//! names those who have not answered.

use super::access;
use super::framework::{self, StatusForm};
use super::needs::org_name;
use crate::entities::status_survey;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tabane_calendar::FiscalYear;
use tabane_core::domain::{BundleRole, OrgKind};
use tabane_core::entities::organisation;
use tabane_core::error::FieldProblem;
use tabane_core::service::surveys::{self, Choice, NewQuestion, NewRecipient, RecipientStatus, SurveyForm};
use tabane_core::service::{audit, bundle_access};
use tabane_core::{Ctx, Error, Result};

/// 状況把握アンケートの作成: the 年度 asked about and an optional due date.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStatusSurveyForm")]
pub struct StatusSurveyForm {
    /// 年度 (western year of April: 2026 = 令和8年度).
    #[serde(default)]
    pub fiscal_year: Option<i32>,
    #[serde(default)]
    pub due_on: String,
}

/// A pool's status survey with its answer counts.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStatusSurveyRow")]
pub struct StatusSurveyRow {
    pub survey_id: i64,
    pub fiscal_year: i32,
    pub title: String,
    pub recipients: usize,
    pub answered: usize,
}

/// A municipality whose answers were copied.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStatusCopied")]
pub struct Copied {
    pub org_id: i64,
    pub municipality: String,
    pub status_id: i64,
}

/// What copying did.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStatusCopyResult")]
pub struct CopyResult {
    pub fiscal_year: i32,
    pub copied: Vec<Copied>,
    /// Municipalities that have not answered (yet), by name.
    pub not_answered: Vec<String>,
}

/// The question codes, which `copy` reads back.
const POPULATION: &str = "population";
const HEADS: &str = "dx_heads";
const FTE: &str = "dx_fte";
const CONCURRENT: &str = "concurrent";
const PROGRESS: &str = "progress";

fn questions() -> Vec<NewQuestion> {
    let q = |code: &str, kind: &str, label: &str, required: bool| NewQuestion {
        code: code.into(),
        kind: kind.into(),
        label: label.into(),
        required,
        min: (kind == "number").then_some(0.0),
        ..Default::default()
    };
    let choice = |k: &str, l: &str| Choice { key: k.into(), label: l.into() };
    vec![
        q(POPULATION, "number", "人口", true),
        q(HEADS, "number", "DX推進部局の担当者数（人）", true),
        q(FTE, "number", "担当者（FTE換算）", false),
        NewQuestion {
            options: vec![choice("yes", "はい"), choice("no", "いいえ")],
            ..q(CONCURRENT, "single", "兼務", false)
        },
        q(PROGRESS, "text", "標準化の進捗", false),
    ]
}

/// The municipalities of the pool's bundle (構成団体 of kind 市区町村), by id.
async fn municipalities<C: ConnectionTrait>(db: &C, bundle_id: i64) -> Result<Vec<organisation::Model>> {
    let ids: Vec<i64> = bundle_access::members(db, bundle_id)
        .await?
        .into_iter()
        .filter(|(_, r)| matches!(r, BundleRole::Member | BundleRole::Observer))
        .map(|(o, _)| o)
        .collect();
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .filter(organisation::Column::Kind.eq(OrgKind::Municipality.key()))
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?)
}

/// 状況把握アンケートを作成して公開する (the prefecture's staff, acting for the prefecture), in one
/// transaction: a half-made survey would reach nobody or lack questions.
pub async fn start<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &StatusSurveyForm,
) -> Result<StatusSurveyRow> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    // The survey belongs to its acting organisation: it must be the pool's prefecture.
    if ctx.org_id != Some(a.pool.prefecture_org_id) {
        return Err(Error::forbidden(
            "状況把握の調査は事務局の県として行ってください",
            "Act for the pool's prefecture to run the survey",
        ));
    }
    let fy = match f.fiscal_year {
        Some(y) if (2000..=2100).contains(&y) => y,
        _ => {
            return Err(Error::invalid(
                "fiscal_year",
                "年度",
                "Fiscal year",
                "を西暦で入力してください（例: 2026 = 令和8年度）",
                "is required (e.g. 2026)",
            ));
        }
    };
    if let Some(s) = of_year(db, pool_id, fy).await? {
        return Err(Error::conflict(
            format!("{}の状況把握アンケートは作成済みです（アンケート {}）", FiscalYear(fy).label_ja(), s.survey_id),
            format!("The status survey of FY{fy} exists (survey {})", s.survey_id),
        ));
    }
    let towns = municipalities(db, a.pool.bundle_id).await?;
    if towns.is_empty() {
        return Err(Error::conflict("推進体制に市町村がありません", "The framework has no municipalities"));
    }
    let txn = db.begin().await?;
    let title = format!("市町村の状況把握（{}）", FiscalYear(fy).label_ja());
    let s = surveys::create(
        &txn,
        ctx,
        &SurveyForm {
            title: title.clone(),
            description: format!("{}: 人口・DX推進部局の担当者・標準化の進捗をお答えください。", a.pool.name),
            module: "talent".into(),
            bundle_id: a.pool.bundle_id.to_string(),
            due_on: f.due_on.clone(),
        },
    )
    .await?;
    for q in questions() {
        surveys::add_question(&txn, ctx, s.id, &q).await?;
    }
    let today = tabane_calendar::jst::today().to_string();
    let recipients = towns
        .iter()
        .map(|o| NewRecipient {
            subject_ref: format!("org:{}", o.id),
            label: o.name.clone(),
            channel: "screen".into(),
            sent_on: today.clone(),
        })
        .collect();
    surveys::add_recipients(&txn, ctx, s.id, recipients).await?;
    surveys::publish(&txn, ctx, s.id).await?;
    let m = status_survey::ActiveModel {
        pool_id: Set(pool_id),
        fiscal_year: Set(fy),
        survey_id: Set(s.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.pool.prefecture_org_id),
            bundle_id: Some(a.pool.bundle_id),
            action: "status_survey",
            entity: "talent_pool",
            entity_id: pool_id.to_string(),
            before: None,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(StatusSurveyRow { survey_id: s.id, fiscal_year: fy, title, recipients: towns.len(), answered: 0 })
}

async fn of_year<C: ConnectionTrait>(db: &C, pool_id: i64, fy: i32) -> Result<Option<status_survey::Model>> {
    Ok(status_survey::Entity::find()
        .filter(status_survey::Column::PoolId.eq(pool_id))
        .filter(status_survey::Column::FiscalYear.eq(fy))
        .one(db)
        .await?)
}

/// The pool's status surveys, newest 年度 first (the prefecture's side).
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<Vec<StatusSurveyRow>> {
    super::recruitment::pool_for_recruitment(db, ctx, pool_id).await?;
    let mut out = Vec::new();
    for r in status_survey::Entity::find()
        .filter(status_survey::Column::PoolId.eq(pool_id))
        .order_by_desc(status_survey::Column::FiscalYear)
        .all(db)
        .await?
    {
        let v = surveys::get(db, ctx, r.survey_id).await?;
        out.push(StatusSurveyRow {
            survey_id: r.survey_id,
            fiscal_year: r.fiscal_year,
            title: v.survey.title,
            recipients: v.counts.total,
            answered: v.counts.answered,
        });
    }
    Ok(out)
}

fn number(a: &surveys::Answers, code: &str) -> Option<f64> {
    a.get(code).and_then(Value::as_f64)
}

/// A whole number answer, or the problem naming the municipality and the question.
fn whole(a: &surveys::Answers, code: &str, label: &str, town: &str) -> std::result::Result<Option<i64>, FieldProblem> {
    match number(a, code) {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && n >= 0.0 => Ok(Some(n as i64)),
        Some(n) => Err(FieldProblem::new(
            code,
            label,
            label,
            format!("：{town}の回答「{n}」は0以上の整数ではありません"),
            format!(": {town}'s answer {n} is not a whole number"),
        )),
    }
}

/// 回答を状況把握に転記: every answered municipality's record for the survey's 年度 (the
/// prefecture's staff). An answer that cannot be a record is refused for all, naming it.
pub async fn copy<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    survey_id: i64,
) -> Result<CopyResult> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    let rec = status_survey::Entity::find()
        .filter(status_survey::Column::PoolId.eq(pool_id))
        .filter(status_survey::Column::SurveyId.eq(survey_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let fy = FiscalYear(rec.fiscal_year);
    let mut forms = Vec::new();
    let mut problems = Vec::new();
    let mut not_answered = Vec::new();
    for r in surveys::answers(db, ctx, survey_id).await? {
        let org = r.recipient.subject_ref.strip_prefix("org:").and_then(|s| s.parse::<i64>().ok());
        let (Some(org), true) = (org, r.recipient.status == RecipientStatus::Answered.key()) else {
            not_answered.push(r.recipient.label.clone());
            continue;
        };
        let town = r.recipient.label.as_str();
        let heads = whole(&r.answers, HEADS, "DX推進部局の担当者数（人）", town);
        let population = whole(&r.answers, POPULATION, "人口", town);
        let (population, heads) = match (population, heads) {
            (Ok(p), Ok(h)) => (p, h.and_then(|h| i32::try_from(h).ok())),
            (p, h) => {
                problems.extend(p.err());
                problems.extend(h.err());
                continue;
            }
        };
        // 把握日: the day it was answered, kept inside the survey's 年度 (the record's 年度 is
        // read from it).
        let answered = r.recipient.answered_at.map(tabane_calendar::jst::date_of).unwrap_or(fy.end());
        let as_of = answered.clamp(fy.start(), fy.end());
        forms.push(StatusForm {
            org_id: Some(org),
            as_of: as_of.to_string(),
            population,
            dx_heads: heads,
            dx_fte: number(&r.answers, FTE),
            concurrent: r.answers.get(CONCURRENT).and_then(Value::as_str) == Some("yes"),
            progress: r.answers.get(PROGRESS).and_then(Value::as_str).unwrap_or_default().to_string(),
            notes: format!("状況把握アンケート（{survey_id}）の回答から転記"),
        });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let txn = db.begin().await?;
    let mut copied = Vec::new();
    for f in &forms {
        let row = framework::record(&txn, ctx, pool_id, f).await?;
        copied.push(Copied {
            org_id: row.record.org_id,
            municipality: org_name(&txn, row.record.org_id).await?,
            status_id: row.record.id,
        });
    }
    txn.commit().await?;
    Ok(CopyResult { fiscal_year: fy.0, copied, not_answered })
}
