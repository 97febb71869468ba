//! 募集 (recruitment positions, spec §2.6 and R13): the prefecture's positions with their
//! ジョブディスクリプション, the guidebook's four-step checklist (line 489–492), the pipeline of
//! applications per stage (募集・選考状況) and closing, as 採用 only with a job description.
//! Recruitment is the prefecture's own business: a municipality or a company of the pool gets
//! `NotFound`, as if the positions did not exist. The applications are in `applications`.

use super::accelerators::rule_error;
use super::access::{self, PoolAccess, Side};
use super::applications::{self, ApplicationRow};
use super::persons::list_field;
use crate::domain::{self, Engagement, Kind, PositionStatus, RecruitChannel, Stage};
use crate::entities::{pool, position};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::lifecycle::ensure_position_can_close_as_hired;

/// 募集の登録・変更. Lists are comma-separated (「公募,リスト」); dates accept 和暦.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPositionForm")]
pub struct PositionForm {
    #[serde(default)]
    pub title: String,
    /// ジョブディスクリプション (may be written later; needed to close as 採用).
    #[serde(default)]
    pub job_description: String,
    /// 任用形態 (常勤職員 … 委託事業者), empty when not decided.
    #[serde(default)]
    pub engagement: String,
    /// 人材類型, comma-separated.
    #[serde(default)]
    pub types: String,
    #[serde(default)]
    pub conditions: String,
    /// 募集方法: 公募・リクルータ・ヘッドハンティング・リスト, comma-separated.
    #[serde(default)]
    pub channels: String,
    #[serde(default)]
    pub opens_on: String,
    #[serde(default)]
    pub closes_on: String,
    /// ステップ１ 重点課題の特定 (done).
    #[serde(default)]
    pub step_issues: bool,
    /// ステップ２ 人材要件の定義.
    #[serde(default)]
    pub step_requirements: bool,
    /// ステップ３ 人材の選定.
    #[serde(default)]
    pub step_selection: bool,
    /// ステップ４ 人材の受入れ.
    #[serde(default)]
    pub step_onboarding: bool,
}

/// 募集の終了: `hired` (採用で終了, needs the job description) or `closed` (終了).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentCloseForm")]
pub struct CloseForm {
    #[serde(default)]
    pub outcome: String,
}

/// How many applications stand at one stage (募集・選考状況).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStageCount")]
pub struct StageCount {
    pub stage: Stage,
    pub label: String,
    pub count: usize,
}

/// A position with its vocabulary read and its pipeline counts.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPositionRow")]
pub struct PositionRow {
    pub position: position::Model,
    pub status: PositionStatus,
    pub engagement: Option<Engagement>,
    pub types: Vec<Kind>,
    pub channels: Vec<RecruitChannel>,
    /// The four steps in order, done or not (ステップ１〜４).
    pub steps: Vec<StepRow>,
    pub pipeline: Vec<StageCount>,
}

/// One step of the guidebook's checklist.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPositionStep")]
pub struct StepRow {
    pub name: String,
    pub done: bool,
}

/// A position with every application and its stage history.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPositionView")]
pub struct PositionView {
    #[serde(flatten)]
    pub row: PositionRow,
    pub applications: Vec<ApplicationRow>,
}

/// The guidebook's steps (line 489–492), in order.
pub const STEPS: [&str; 4] = ["重点課題の特定", "人材要件の定義", "人材の選定", "人材の受入れ"];

/// The pool for recruitment: the prefecture's side only (anyone else: `NotFound`).
pub async fn pool_for_recruitment<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<PoolAccess> {
    let a = access::pool(db, ctx, pool_id).await?;
    if a.side != Side::Prefecture {
        return Err(Error::NotFound);
    }
    Ok(a)
}

/// A position and the actor's access to its pool (the prefecture's side only).
pub async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(position::Model, PoolAccess)> {
    let p = position::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = pool_for_recruitment(db, ctx, p.pool_id).await?;
    Ok((p, a))
}

struct Checked {
    engagement: Option<Engagement>,
    types: Vec<Kind>,
    channels: Vec<RecruitChannel>,
    opens_on: Option<NaiveDate>,
    closes_on: Option<NaiveDate>,
}

fn check(f: &PositionForm) -> Result<Checked> {
    let mut p = Problems::default();
    p.required("title", "募集名", "Title", &f.title);
    let engagement = match f.engagement.trim() {
        "" => None,
        e => {
            let v = Engagement::parse(e);
            if v.is_none() {
                p.push(
                    "engagement",
                    "任用形態",
                    "Engagement",
                    format!(": 「{e}」は選択肢にありません（{}）", Engagement::choices_ja()),
                    format!(": \"{e}\" is not one of the choices"),
                );
            }
            v
        }
    };
    let choices = |all: &[&'static str]| all.join("／");
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.label_ja()).collect();
    let types = list_field(&mut p, "types", "人材類型", "Talent types", &f.types, Kind::parse, choices(&kinds));
    let chans: Vec<&str> = RecruitChannel::ALL.iter().map(|k| k.label_ja()).collect();
    let channels =
        list_field(&mut p, "channels", "募集方法", "Channels", &f.channels, RecruitChannel::parse, choices(&chans));
    let opens_on = p.date("opens_on", "募集開始日", "Opens on", &f.opens_on);
    let closes_on = p.date("closes_on", "募集締切日", "Closes on", &f.closes_on);
    if let (Some(o), Some(c)) = (opens_on, closes_on)
        && c < o
    {
        p.push(
            "closes_on",
            "募集締切日",
            "Closes on",
            "は募集開始日より後の日付にしてください",
            "is before the opening day",
        );
    }
    p.into_result()?;
    Ok(Checked { engagement, types, channels, opens_on, closes_on })
}

fn fill(am: &mut position::ActiveModel, f: &PositionForm, c: Checked) {
    am.title = Set(f.title.trim().into());
    am.job_description = Set(f.job_description.trim().into());
    am.engagement = Set(c.engagement.map(|e| e.key().to_string()).unwrap_or_default());
    am.types = Set(domain::join_keys(&c.types, Kind::key));
    am.conditions = Set(f.conditions.trim().into());
    am.channels = Set(domain::join_keys(&c.channels, RecruitChannel::key));
    am.opens_on = Set(c.opens_on);
    am.closes_on = Set(c.closes_on);
    am.step_issues = Set(f.step_issues);
    am.step_requirements = Set(f.step_requirements);
    am.step_selection = Set(f.step_selection);
    am.step_onboarding = Set(f.step_onboarding);
    am.updated_at = Set(Utc::now());
}

fn change<'a>(
    pool: &pool::Model,
    action: &'a str,
    entity: &'a str,
    id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(pool.prefecture_org_id),
        bundle_id: Some(pool.bundle_id),
        action,
        entity,
        entity_id: id.to_string(),
        before,
        after,
    }
}

pub(super) fn json<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// 募集の登録 (the prefecture's staff).
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &PositionForm,
) -> Result<PositionView> {
    let a = pool_for_recruitment(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    let c = check(f)?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let mut am = position::ActiveModel {
        pool_id: Set(pool_id),
        owner_org_id: Set(a.pool.prefecture_org_id),
        status: Set(PositionStatus::Open.key().into()),
        created_at: Set(now),
        ..Default::default()
    };
    fill(&mut am, f, c);
    let m = am.insert(&txn).await?;
    audit::record(&txn, ctx, change(&a.pool, "create", "talent_position", m.id, None, json(&m))).await?;
    txn.commit().await?;
    view(db, ctx, m.id).await
}

/// 募集の変更 (job description, conditions, the four steps …); the status is changed by `close`.
pub async fn update<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &PositionForm,
) -> Result<PositionView> {
    let (p, a) = find(db, ctx, id).await?;
    a.require_prefecture_staff()?;
    let c = check(f)?;
    let txn = db.begin().await?;
    let before = p.clone();
    let mut am = p.into_active_model();
    fill(&mut am, f, c);
    let m = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a.pool, "update", "talent_position", id, json(&before), json(&m))).await?;
    txn.commit().await?;
    view(db, ctx, id).await
}

/// 募集の終了. 採用で終了 needs the ジョブディスクリプション (R13, line 348): 409 otherwise.
pub async fn close<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &CloseForm,
) -> Result<PositionView> {
    let (p, a) = find(db, ctx, id).await?;
    a.require_prefecture_staff()?;
    let to = match PositionStatus::parse(&f.outcome) {
        Some(s @ (PositionStatus::ClosedHired | PositionStatus::Closed)) => s,
        _ => {
            return Err(Error::invalid(
                "outcome",
                "終了の区分",
                "Outcome",
                "は「採用で終了」か「終了」です",
                "is hired or closed",
            ));
        }
    };
    if p.status != PositionStatus::Open.key() {
        return Err(Error::conflict("この募集は既に終了しています", "This position is already closed"));
    }
    if to == PositionStatus::ClosedHired {
        ensure_position_can_close_as_hired(&p.job_description)
            .map_err(|e| rule_error(e, "job_description", "ジョブディスクリプション", "Job description"))?;
    }
    let txn = db.begin().await?;
    let before = p.clone();
    let mut am = p.into_active_model();
    am.status = Set(to.key().into());
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a.pool, "close", "talent_position", id, json(&before), json(&m))).await?;
    txn.commit().await?;
    view(db, ctx, id).await
}

fn pipeline(apps: &[ApplicationRow]) -> Vec<StageCount> {
    Stage::ALL
        .iter()
        .map(|s| StageCount {
            stage: *s,
            label: s.label_ja().into(),
            count: apps.iter().filter(|a| a.stage == *s).count(),
        })
        .collect()
}

fn row(p: position::Model, apps: &[ApplicationRow]) -> PositionRow {
    let steps = [p.step_issues, p.step_requirements, p.step_selection, p.step_onboarding];
    PositionRow {
        status: PositionStatus::parse(&p.status).unwrap_or(PositionStatus::Open),
        engagement: Engagement::parse(&p.engagement),
        types: domain::split_keys(&p.types, Kind::parse),
        channels: domain::split_keys(&p.channels, RecruitChannel::parse),
        steps: STEPS.iter().zip(steps).map(|(s, d)| StepRow { name: (*s).to_string(), done: d }).collect(),
        pipeline: pipeline(apps),
        position: p,
    }
}

/// The pool's positions, newest first, each with its pipeline counts.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<(Vec<PositionRow>, PoolAccess)> {
    let a = pool_for_recruitment(db, ctx, pool_id).await?;
    let mut out = Vec::new();
    for p in position::Entity::find()
        .filter(position::Column::PoolId.eq(pool_id))
        .order_by_desc(position::Column::Id)
        .all(db)
        .await?
    {
        let apps = applications::of_position(db, p.id).await?;
        out.push(row(p, &apps));
    }
    Ok((out, a))
}

/// One position: its pipeline board (every application with its history).
pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<PositionView> {
    let (p, _) = find(db, ctx, id).await?;
    let apps = applications::of_position(db, id).await?;
    Ok(PositionView { row: row(p, &apps), applications: apps })
}
