//! 応募 (applications to a position, spec §2.6 and R13): a person of the pool applies, then is
//! moved stage by stage with `advance_application` (応募 → 書類選考 → 面接 → 内定 → 採用 → 行政研修
//! → 配置; any → 不採用 | 辞退). A move past 内定 without 面接 is accepted with a warning returned
//! to the caller and kept in the history (the seed's 「面接等による選考」, line 385–387). 採用,
//! 行政研修 and 配置 move the person along its own lifecycle (採用決定, 研修中, 稼働中), one allowed
//! step at a time, never backwards.

use super::accelerators::rule_error;
use super::persons;
use super::recruitment::{self, json};
use crate::domain::{PersonStatus, Stage};
use crate::entities::{application, application_stage, person, position};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::lifecycle::{InterviewPolicy, advance_application};

/// 応募の登録: a person of the pool, and the day of the application (default today).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentApplicationForm")]
pub struct ApplicationForm {
    #[serde(default)]
    pub person_id: Option<i64>,
    #[serde(default)]
    pub applied_on: String,
    #[serde(default)]
    pub note: String,
}

/// 選考段階の変更: the stage reached (key or 「面接」), its day (default today) and a note.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStageForm")]
pub struct StageForm {
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub moved_on: String,
    #[serde(default)]
    pub note: String,
}

/// An application with its person's display name and its history (oldest first).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentApplicationRow")]
pub struct ApplicationRow {
    pub application: application::Model,
    pub stage: Stage,
    pub stage_label: String,
    pub person_label: String,
    pub person_status: PersonStatus,
    pub history: Vec<application_stage::Model>,
}

/// What a move did: the application, the warnings to show, the person's status if it changed.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentStageMoved")]
pub struct Moved {
    pub application: ApplicationRow,
    /// e.g. 「面接等による選考が記録されていません」 (accepted; kept in the history).
    pub warnings: Vec<String>,
    /// The person's new status (採用決定 …) when the stage moved it.
    pub person_status: Option<PersonStatus>,
}

async fn row<C: ConnectionTrait>(db: &C, a: application::Model) -> Result<ApplicationRow> {
    let history = application_stage::Entity::find()
        .filter(application_stage::Column::ApplicationId.eq(a.id))
        .order_by_asc(application_stage::Column::Id)
        .all(db)
        .await?;
    let p = person::Entity::find_by_id(a.person_id).one(db).await?.ok_or(Error::NotFound)?;
    let stage = Stage::parse(&a.stage).unwrap_or(Stage::Applied);
    Ok(ApplicationRow {
        stage,
        stage_label: stage.label_ja().into(),
        person_label: p.label,
        person_status: PersonStatus::parse(&p.status).unwrap_or(PersonStatus::Candidate),
        application: a,
        history,
    })
}

/// Every application of a position (the caller has checked access), in the order they came.
pub async fn of_position<C: ConnectionTrait>(db: &C, position_id: i64) -> Result<Vec<ApplicationRow>> {
    let mut out = Vec::new();
    for a in application::Entity::find()
        .filter(application::Column::PositionId.eq(position_id))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?
    {
        out.push(row(db, a).await?);
    }
    Ok(out)
}

fn day(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> Option<NaiveDate> {
    if v.trim().is_empty() { Some(tabane_calendar::jst::today()) } else { p.date(field, ja, en, v) }
}

async fn push_stage(
    txn: &DatabaseTransaction,
    app: i64,
    stage: Stage,
    on: NaiveDate,
    note: &str,
    warnings: &[String],
) -> Result<()> {
    application_stage::ActiveModel {
        application_id: Set(app),
        stage: Set(stage.key().into()),
        moved_on: Set(on),
        note: Set(note.trim().into()),
        warnings: Set(warnings.join("\n")),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// 応募の登録 (the prefecture's staff, on an open position, for a person of the same pool).
pub async fn apply<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    position_id: i64,
    f: &ApplicationForm,
) -> Result<ApplicationRow> {
    let (pos, a) = recruitment::find(db, ctx, position_id).await?;
    a.require_prefecture_staff()?;
    let mut p = Problems::default();
    let person = match f.person_id {
        Some(id) => person::Entity::find_by_id(id).one(db).await?.filter(|x| x.pool_id == pos.pool_id),
        None => None,
    };
    if person.is_none() {
        p.push(
            "person_id",
            "応募者",
            "Applicant",
            "はこの人材プールの人材から選んでください",
            "must be a person of this pool",
        );
    }
    let on = day(&mut p, "applied_on", "応募日", "Applied on", &f.applied_on);
    p.into_result()?;
    let (person, on) = (person.ok_or(Error::NotFound)?, on.ok_or(Error::NotFound)?);
    if pos.status != crate::domain::PositionStatus::Open.key() {
        return Err(Error::conflict("終了した募集には応募を登録できません", "The position is closed"));
    }
    let taken = application::Entity::find()
        .filter(application::Column::PositionId.eq(position_id))
        .filter(application::Column::PersonId.eq(person.id))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(Error::conflict(
            format!("{}はこの募集に応募済みです", person.label),
            format!("{} has already applied to this position", person.label),
        ));
    }
    let first = advance_application(&[], Stage::Applied.rules(), InterviewPolicy::default())
        .map_err(|e| rule_error(e, "stage", "選考段階", "Stage"))?;
    let txn = db.begin().await?;
    let now = Utc::now();
    let m = application::ActiveModel {
        position_id: Set(position_id),
        person_id: Set(person.id),
        stage: Set(Stage::Applied.key().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    push_stage(&txn, m.id, Stage::Applied, on, &f.note, &first.warnings).await?;
    audit::record(&txn, ctx, audit_change(&pos, &a.pool, "apply", m.id, None, json(&m))).await?;
    txn.commit().await?;
    row(db, m).await
}

fn audit_change<'a>(
    pos: &position::Model,
    pool: &crate::entities::pool::Model,
    action: &'a str,
    id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> audit::Change<'a> {
    let after = after.map(|mut v| {
        v["position_id"] = pos.id.into();
        v
    });
    audit::Change {
        org_id: Some(pool.prefecture_org_id),
        bundle_id: Some(pool.bundle_id),
        action,
        entity: "talent_application",
        entity_id: id.to_string(),
        before,
        after,
    }
}

/// Moves an application one stage (R13: skipping 面接 warns, the move is kept).
pub async fn move_stage<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &StageForm,
) -> Result<Moved> {
    let app = application::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let (pos, a) = recruitment::find(db, ctx, app.position_id).await?;
    a.require_prefecture_staff()?;
    let mut p = Problems::default();
    let to = Stage::parse(&f.stage);
    if to.is_none() {
        p.push(
            "stage",
            "選考段階",
            "Stage",
            format!("は次のいずれかです: {}", Stage::choices_ja()),
            "is not one of the stages",
        );
    }
    let on = day(&mut p, "moved_on", "日付", "Date", &f.moved_on);
    p.into_result()?;
    let (to, on) = (to.ok_or(Error::NotFound)?, on.ok_or(Error::NotFound)?);
    let current = row(db, app.clone()).await?;
    let history: Vec<_> = current.history.iter().filter_map(|h| Stage::parse(&h.stage)).map(Stage::rules).collect();
    let moved = advance_application(&history, to.rules(), InterviewPolicy::default())
        .map_err(|e| rule_error(e, "stage", "選考段階", "Stage"))?;
    if let Some(last) = current.history.last()
        && on < last.moved_on
    {
        return Err(Error::invalid(
            "moved_on",
            "日付",
            "Date",
            format!("は前の段階（{}）より後の日付にしてください", crate::domain::wareki(last.moved_on)),
            "is before the previous stage",
        ));
    }
    let txn = db.begin().await?;
    let before = app.clone();
    let mut am = app.into_active_model();
    am.stage = Set(to.key().into());
    am.updated_at = Set(Utc::now());
    let m = am.update(&txn).await?;
    push_stage(&txn, m.id, to, on, &f.note, &moved.warnings).await?;
    let mut after = json(&m);
    if let Some(v) = after.as_mut()
        && !moved.warnings.is_empty()
    {
        v["warnings"] = json(&moved.warnings).unwrap_or_default();
    }
    audit::record(&txn, ctx, audit_change(&pos, &a.pool, "stage", m.id, json(&before), after)).await?;
    let person_status = match to.person_status() {
        Some(target) => move_person(&txn, ctx, &a, m.person_id, target).await?,
        None => None,
    };
    txn.commit().await?;
    Ok(Moved { application: row(db, m).await?, warnings: moved.warnings, person_status })
}

/// Moves the person towards `target` along the lifecycle's own arrows (候補 → 選考中 → 採用決定),
/// each step audited as `persons::set_status` would; a person already past it (or 休止・終了) is
/// left alone.
async fn move_person(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    a: &super::access::PoolAccess,
    person_id: i64,
    target: PersonStatus,
) -> Result<Option<PersonStatus>> {
    let mut p = person::Entity::find_by_id(person_id).one(txn).await?.ok_or(Error::NotFound)?;
    let from = PersonStatus::parse(&p.status).unwrap_or(PersonStatus::Candidate);
    let Some(path) = from.path_to(target) else { return Ok(None) };
    for step in path {
        let before = p.clone();
        let mut am = p.into_active_model();
        am.status = Set(step.key().into());
        am.updated_at = Set(Utc::now());
        p = am.update(txn).await?;
        audit::record(txn, ctx, persons::change(a, "status", p.id, Some(&before), Some(&p))).await?;
    }
    Ok(Some(target))
}
