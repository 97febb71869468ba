//! 定期点検 (periodic inspections): results per asset and per member, the grade decided by the
//! owner (a contractor or consultant may only propose it), repair status per finding, next due
//! date and the overdue list. The guide is explicit that judgement stays with the owner.

use super::{access, assets};
use crate::domain::{AssetKind, Measure, parse_grade, proposed_grade, round_of};
use crate::entities::{asset, inspection as insp, inspection_member as mem};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::domain::Role;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

pub const INTERVAL_YEARS: i32 = 5;

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct MemberForm {
    pub member: String,
    #[serde(default)]
    pub judgement: String,
    #[serde(default)]
    pub defect: String,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub photo_file_id: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct InspectionForm {
    pub asset_id: String,
    pub inspected_on: String,
    /// Optional; computed from the date when empty.
    #[serde(default)]
    pub round: String,
    #[serde(default)]
    pub inspector: String,
    #[serde(default)]
    pub firm: String,
    pub grade: String,
    #[serde(default)]
    pub remarks: String,
    #[serde(default)]
    pub members: Vec<MemberForm>,
}

pub(crate) fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn check_member(p: &mut Problems, i: usize, m: &MemberForm) -> (Option<i32>, Option<Measure>) {
    let label = format!("部材{}", i + 1);
    if m.member.trim().is_empty() {
        p.push(
            "members",
            &label,
            "Member",
            "の部材名を入力してください（主桁・横桁・床版・下部構造・支承部・その他）",
            "needs a member name",
        );
    }
    let judgement = if m.judgement.trim().is_empty() { None } else { parse_grade(&m.judgement).map(i32::from) };
    if !m.judgement.trim().is_empty() && judgement.is_none() {
        p.push(
            "members",
            &label,
            "Member",
            format!("の判定区分「{}」は I〜IV です", m.judgement.trim()),
            "judgement must be I-IV",
        );
    }
    let measure = if m.measure.trim().is_empty() { None } else { Measure::parse(&m.measure.to_uppercase()) };
    if !m.measure.trim().is_empty() && measure.is_none() {
        p.push(
            "members",
            &label,
            "Member",
            format!("の対策区分「{}」は A・B・C1・C2・E1・E2・M・S1・S2 のいずれかです", m.measure.trim()),
            "unknown measure code",
        );
    }
    (judgement, measure)
}

/// Records an inspection. The owner's staff record a confirmed result; staff of an
/// organisation sharing a bundle with the owner (the consultant, the JV) record a proposal.
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &InspectionForm,
) -> Result<insp::Model> {
    let mut p = Problems::default();
    let a = match f.asset_id.trim().parse::<i64>() {
        Ok(id) => assets::get(db, ctx, id).await.ok(),
        Err(_) => None,
    };
    let Some(a) = a else {
        return Err(Error::invalid("asset_id", "施設", "Asset", "が見つかりません", "was not found"));
    };
    let org = ctx.org_id.ok_or(Error::NotFound)?;
    let owner_side = ctx.has_role_in(a.owner_org_id, Role::Staff);
    if !owner_side && !ctx.has_role_in(org, Role::Staff) {
        return Err(Error::forbidden("点検結果を入力できるのは担当者以上です", "Staff role needed"));
    }
    let (date, round, grade) = check_basics(&mut p, f);
    let checked: Vec<(Option<i32>, Option<Measure>)> =
        f.members.iter().enumerate().map(|(i, m)| check_member(&mut p, i, m)).collect();
    p.into_result()?;
    let date = date.expect("checked");
    let now = Utc::now();
    let txn = db.begin().await?;
    let i = insp::ActiveModel {
        asset_id: Set(a.id),
        owner_org_id: Set(a.owner_org_id),
        inspected_on: Set(date),
        fiscal_year: Set(FiscalYear::of(date).0),
        round: Set(round.expect("checked")),
        inspector: Set(opt(&f.inspector)),
        firm: Set(opt(&f.firm)),
        grade: Set(grade.map(i32::from)),
        status: Set(if owner_side { "confirmed" } else { "proposed" }.into()),
        entered_by_org: Set(Some(org)),
        confirmed_by: Set(owner_side.then_some(ctx.user_id).flatten()),
        confirmed_at: Set(owner_side.then_some(now)),
        next_due: Set(
            NaiveDate::from_ymd_opt(date.year() + INTERVAL_YEARS, date.month(), date.day().min(28)).unwrap_or(date)
        ),
        remarks: Set(opt(&f.remarks)),
        created_at: Set(now),
        asset_kind: Set(a.kind.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (m, (judgement, measure)) in f.members.iter().zip(checked) {
        mem::ActiveModel {
            inspection_id: Set(i.id),
            member: Set(m.member.trim().into()),
            judgement: Set(judgement),
            defect: Set(opt(&m.defect)),
            measure: Set(measure.map(|x| x.key().to_string())),
            photo_file_id: Set(m.photo_file_id.trim().parse().ok()),
            repair_status: Set("not_started".into()),
            work_order_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.owner_org_id),
            bundle_id: None,
            action: "create",
            entity: "infra_inspection",
            entity_id: i.id.to_string(),
            before: None,
            after: serde_json::to_value(&i).ok(),
        },
    )
    .await?;
    if i.status == "confirmed" {
        super::inspection_import::refresh_lineage(&txn, &[a.id]).await?;
    }
    txn.commit().await?;
    Ok(i)
}

/// An inspection of an asset the actor can see.
pub async fn find<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<insp::Model> {
    let i = insp::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    assets::get(db, ctx, i.asset_id).await?;
    Ok(i)
}

/// The owner confirms (and may change) a proposed grade.
pub async fn confirm<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    grade: &str,
) -> Result<insp::Model> {
    let txn = db.begin().await?;
    let i = find(&txn, ctx, id).await?;
    if !ctx.has_role_in(i.owner_org_id, Role::Staff) {
        return Err(Error::forbidden(
            "健全性を確定できるのは施設の管理者（本来管理者）の担当者です",
            "Only the owner's staff decide the grade",
        ));
    }
    let g = if grade.trim().is_empty() { i.grade } else { parse_grade(grade).map(i32::from) };
    let Some(g) = g else {
        return Err(Error::invalid("grade", "健全性", "Grade", "は I〜IV のいずれかです", "must be I-IV"));
    };
    let before = i.clone();
    let mut am: insp::ActiveModel = i.into();
    am.grade = Set(Some(g));
    am.status = Set("confirmed".into());
    am.confirmed_by = Set(ctx.user_id);
    am.confirmed_at = Set(Some(Utc::now()));
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(after.owner_org_id),
            bundle_id: None,
            action: "confirm",
            entity: "infra_inspection",
            entity_id: id.to_string(),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
    )
    .await?;
    super::inspection_import::refresh_lineage(&txn, &[after.asset_id]).await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "InspectionMemberView")]
pub struct MemberView {
    pub row: mem::Model,
    /// The usual 健全性 for its 対策区分 (a suggestion; never applied automatically).
    pub suggested_judgement: Option<u8>,
    pub diagnosis_pending: bool,
    /// II–IV without a photo: photos are required for those members.
    pub photo_missing: bool,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct InspectionView {
    pub inspection: insp::Model,
    pub asset_name: String,
    pub members: Vec<MemberView>,
    pub warnings: Vec<String>,
    pub can_confirm: bool,
}

pub async fn view<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<InspectionView> {
    let i = find(db, ctx, id).await?;
    let a = asset::Entity::find_by_id(i.asset_id).one(db).await?.ok_or(Error::NotFound)?;
    let rows =
        mem::Entity::find().filter(mem::Column::InspectionId.eq(id)).order_by_asc(mem::Column::Id).all(db).await?;
    let mut warnings = Vec::new();
    let members: Vec<MemberView> = rows
        .into_iter()
        .map(|r| {
            let measure = r.measure.as_deref().and_then(Measure::parse);
            let photo_missing = r.judgement.is_some_and(|j| j >= 2) && r.photo_file_id.is_none();
            if photo_missing {
                warnings.push(format!(
                    "{}（判定{}）に写真がありません。II〜IVの部材には写真が必要です",
                    r.member,
                    crate::domain::grade_label(r.judgement.unwrap_or(0) as u8)
                ));
            }
            MemberView {
                suggested_judgement: measure.and_then(proposed_grade),
                diagnosis_pending: matches!(measure, Some(Measure::S1 | Measure::S2)),
                photo_missing,
                row: r,
            }
        })
        .collect();
    if i.status == "proposed" {
        warnings.push("この健全性は提案です。施設の管理者が確定するまで正式な判定ではありません".into());
    }
    Ok(InspectionView {
        can_confirm: i.status == "proposed" && ctx.has_role_in(i.owner_org_id, Role::Staff),
        asset_name: a.name,
        members,
        warnings,
        inspection: i,
    })
}

/// Inspections of the assets the actor can see, newest first.
pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx, limit: u64) -> Result<Vec<(insp::Model, String)>> {
    use sea_orm::QuerySelect;
    let mut q = insp::Entity::find();
    if let Some(ids) = access::visible_owner_ids(db, ctx).await? {
        q = q.filter(insp::Column::OwnerOrgId.is_in(ids));
    }
    let rows = q.order_by_desc(insp::Column::InspectedOn).order_by_desc(insp::Column::Id).limit(limit).all(db).await?;
    let names = asset::Entity::find().filter(asset::Column::Id.is_in(rows.iter().map(|r| r.asset_id))).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = names.iter().find(|a| a.id == r.asset_id).map(|a| a.name.clone()).unwrap_or_default();
            (r, n)
        })
        .collect())
}

/// 点検期限超過 (overdue): the acting owner's bridges and tunnels whose last confirmed
/// inspection is more than five years old, or that were never inspected.
pub async fn overdue<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    today: NaiveDate,
) -> Result<Vec<(asset::Model, Option<NaiveDate>)>> {
    let owner = ctx.org_id.ok_or(Error::NotFound)?;
    let assets = asset::Entity::find()
        .filter(asset::Column::OwnerOrgId.eq(owner))
        .filter(asset::Column::Kind.is_in([AssetKind::Bridge.key(), AssetKind::Tunnel.key()]))
        .all(db)
        .await?;
    let done = insp::Entity::find()
        .filter(insp::Column::OwnerOrgId.eq(owner))
        .filter(insp::Column::Status.eq("confirmed"))
        .all(db)
        .await?;
    Ok(assets
        .into_iter()
        .filter_map(|a| {
            let due = done.iter().filter(|i| i.asset_id == a.id).map(|i| i.next_due).max();
            match due {
                Some(d) if d >= today => None,
                _ => Some((a, due)),
            }
        })
        .collect())
}

/// 補修状況 of a member's finding: 未着手 / 着手 / 完了, optionally linked to a work order.
pub async fn set_repair_status<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    member_id: i64,
    status: &str,
    work_order_id: Option<i64>,
) -> Result<mem::Model> {
    let m = mem::Entity::find_by_id(member_id).one(db).await?.ok_or(Error::NotFound)?;
    let i = find(db, ctx, m.inspection_id).await?;
    if !ctx.has_role_in(i.owner_org_id, Role::Staff) {
        return Err(Error::forbidden(
            "補修状況を更新できるのは施設の管理者の担当者です",
            "Only the owner's staff may update repair status",
        ));
    }
    if !matches!(status, "not_started" | "started" | "done") {
        return Err(Error::invalid(
            "repair_status",
            "補修状況",
            "Repair status",
            "は 未着手・着手・完了 のいずれかです",
            "must be not_started, started or done",
        ));
    }
    if let Some(w) = work_order_id {
        super::work_orders::find(db, ctx, w)
            .await
            .map_err(|_| Error::invalid("work_order_id", "作業", "Work order", "が見つかりません", "was not found"))?;
    }
    let txn = db.begin().await?;
    let mut am: mem::ActiveModel = m.into();
    am.repair_status = Set(status.into());
    am.work_order_id = Set(work_order_id);
    let m = am.update(&txn).await?;
    let members = mem::Entity::find().filter(mem::Column::InspectionId.eq(i.id)).all(&txn).await?;
    let state = repair_state(&members.iter().map(|m| (m.judgement, m.repair_status.as_str())).collect::<Vec<_>>());
    if state != i.repair_state {
        insp::Entity::update_many()
            .col_expr(insp::Column::RepairState, sea_orm::sea_query::Expr::value(state))
            .filter(insp::Column::Id.eq(i.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(m)
}

/// 補修状況 of an inspection from its members' (判定区分, 補修状況): the members judged III/IV
/// count (all members when none is); 完了 when every one of them is done, 着手 when any is
/// started or done.
pub fn repair_state(members: &[(Option<i32>, &str)]) -> &'static str {
    let serious: Vec<&str> = members.iter().filter(|m| m.0.is_some_and(|j| j >= 3)).map(|m| m.1).collect();
    let relevant: Vec<&str> = if serious.is_empty() { members.iter().map(|m| m.1).collect() } else { serious };
    if !relevant.is_empty() && relevant.iter().all(|s| *s == "done") {
        "done"
    } else if relevant.iter().any(|s| *s == "started" || *s == "done") {
        "started"
    } else {
        "not_started"
    }
}

/// The date, round and grade of an inspection: the date exists and is not in the future, the
/// round (given or computed) contains it, the grade is I–IV.
pub(crate) fn check_basics(p: &mut Problems, f: &InspectionForm) -> (Option<NaiveDate>, Option<i32>, Option<u8>) {
    let date = match tabane_calendar::parse_date(&f.inspected_on) {
        Ok(d) if d > super::work_orders::today_jst() => {
            p.push(
                "inspected_on",
                "点検日",
                "Inspection date",
                "に未来の日付は入力できません",
                "cannot be in the future",
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            p.push("inspected_on", "点検日", "Inspection date", e.message_ja(), e.message_en());
            None
        }
    };
    let round = date.map(FiscalYear::of).and_then(|fy| match opt(&f.round) {
        None => round_of(fy.0).or_else(|| {
            p.push(
                "inspected_on",
                "点検日",
                "Inspection date",
                "がどの巡目（2014〜2033年度）にも入りません",
                "is in no inspection round",
            );
            None
        }),
        Some(r) => match tabane_tabular::to_halfwidth_ascii(&r).trim_end_matches("巡目").parse::<i32>() {
            Ok(r) if round_of(fy.0) == Some(r) => Some(r),
            _ => {
                p.push(
                    "round",
                    "巡目",
                    "Round",
                    format!("「{r}」は点検日（{}）の巡目と一致しません", fy.label_ja()),
                    "does not contain the inspection date",
                );
                None
            }
        },
    });
    let grade = parse_grade(&f.grade);
    if grade.is_none() {
        p.push(
            "grade",
            "健全性",
            "Grade",
            format!(
                "「{}」は I（健全）・II（予防保全段階）・III（早期措置段階）・IV（緊急措置段階）のいずれかです",
                f.grade.trim()
            ),
            "must be I, II, III or IV",
        );
    }
    (date, round, grade)
}
