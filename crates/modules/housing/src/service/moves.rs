//! 移転の手続 (the steps of a move): destination, forms issued and received, the contract, the
//! two payments, keys, the move, vacating, closing. Every step is checked by `legs::LegFacts`
//! before anything is written; a refusal names what is missing and writes nothing.

use super::access::EstateAccess;
use super::campaigns;
use super::cases::{self, event};
use crate::domain::{Classification, FormKind, PaymentKind, ReceiptMethod};
use crate::entities::{campaign, case, form_item, household, leg, payment, referral, unit};
use crate::legs::{self, Action, FormFact, LegFacts, LegStatus, Refusal};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::{Ctx, Error, Result};

mod forms;
pub use forms::*;

fn refused(r: Refusal) -> Error {
    Error::conflict(r.ja, r.en)
}

/// A leg with its case, household and the actor's access (NotFound for anyone else).
pub struct LegCtx {
    pub leg: leg::Model,
    pub case: case::Model,
    pub household: household::Model,
    pub acc: EstateAccess,
}

pub async fn load<D: ConnectionTrait>(db: &D, ctx: &Ctx, leg_id: i64) -> Result<LegCtx> {
    let Some(l) = leg::Entity::find_by_id(leg_id).one(db).await? else { return Err(Error::NotFound) };
    let (c, h, acc) = cases::load(db, ctx, l.case_id).await?;
    Ok(LegCtx { leg: l, case: c, household: h, acc })
}

async fn campaign_of<D: ConnectionTrait>(db: &D, c: &case::Model) -> Result<Option<campaign::Model>> {
    Ok(match c.campaign_id {
        Some(id) => campaign::Entity::find_by_id(id).one(db).await?,
        None => None,
    })
}

/// The milestones of a move as the gates see them, without its forms, account or fees.
pub fn milestones(l: &leg::Model) -> LegFacts {
    LegFacts {
        kind: Classification::parse(&l.kind),
        has_destination: l.to_unit_id.is_some() || l.to_address_enc.is_some(),
        forms_issued: l.forms_issued_on.is_some(),
        contracted: l.contract_on.is_some(),
        first_paid: l.first_paid_on.is_some(),
        keys_handed: l.keys_on.is_some(),
        move_scheduled: l.move_planned_on.is_some(),
        moved: l.moved_on.is_some(),
        vacated: l.vacated_on.is_some(),
        remainder_paid: l.remainder_paid_on.is_some(),
        closed: l.closed_on.is_some(),
        cancelled: l.cancelled_on.is_some(),
        ..Default::default()
    }
}

/// What the gates see.
pub async fn facts<D: ConnectionTrait>(db: &D, lc: &LegCtx) -> Result<LegFacts> {
    let l = &lc.leg;
    let base = milestones(l);
    let forms = form_item::Entity::find().filter(form_item::Column::LegId.eq(l.id)).all(db).await?;
    let fees_set = l.moving_fee.is_some()
        || match (campaign_of(db, &lc.case).await?, base.kind) {
            (Some(camp), Some(k)) => campaigns::fees_of(&camp).lookup(k, lc.household.size).is_some(),
            _ => false,
        };
    Ok(LegFacts {
        forms: forms
            .iter()
            .filter_map(|f| {
                Some(FormFact {
                    kind: FormKind::parse(&f.kind)?,
                    received: f.received_on.is_some(),
                    defect_open: f.defect_open,
                })
            })
            .collect(),
        has_bank_account: lc.household.bank_enc.is_some(),
        fees_set,
        ..base
    })
}

/// Input of a step; which fields matter depends on the step.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct StepInput {
    /// The date of the event (default today).
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub on: Option<NaiveDate>,
    /// 提出〆切 for issued forms (default issue + 14 days).
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
    /// 残置物なし (confirm_vacated).
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub nothing_left: bool,
    /// 鍵の返還 (confirm_vacated).
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub keys_returned: bool,
}

async fn set_status<C: ConnectionTrait>(tx: &C, lc: &LegCtx, l: &leg::Model) -> Result<LegStatus> {
    let fresh = LegCtx { leg: l.clone(), case: lc.case.clone(), household: lc.household.clone(), acc: lc.acc.clone() };
    let status = facts(tx, &fresh).await?.status();
    let mut am: case::ActiveModel = lc.case.clone().into();
    am.status = Set(status.key().into());
    am.updated_at = Set(Utc::now());
    am.update(tx).await?;
    Ok(status)
}

/// One step on a leg. Returns the new status.
pub async fn step<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    action: Action,
    input: &StepInput,
) -> Result<LegStatus> {
    step_on(db, ctx, load(db, ctx, leg_id).await?, action, input).await
}

/// [`step`] on a move already found for the actor (`load`: the access proof), so a handler
/// that needed the move first checks access once.
pub async fn step_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: LegCtx,
    action: Action,
    input: &StepInput,
) -> Result<LegStatus> {
    let leg_id = lc.leg.id;
    lc.acc.require_staff()?;
    let f = facts(db, &lc).await?;
    f.check(action).map_err(refused)?;
    let on = input.on.unwrap_or_else(super::deadlines::today);
    let kind = f.kind.unwrap_or(Classification::Main);
    // A step cannot be dated before the steps it depends on (a planned moving date is a plan).
    if action != Action::ScheduleMove && action != Action::Cancel {
        let l = &lc.leg;
        let latest = [
            l.forms_issued_on,
            l.contract_on,
            l.first_paid_on,
            l.keys_on,
            l.moved_on,
            l.vacated_on,
            l.remainder_paid_on,
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(latest) = latest.filter(|d| on < *d) {
            return Err(Error::invalid(
                "on",
                "日付",
                "Date",
                format!("は前の手続の日（{latest}）より前にできません"),
                "cannot be before the previous step",
            ));
        }
    }
    let tx = db.begin().await?;
    let mut am: leg::ActiveModel = lc.leg.clone().into();
    let mut detail = None;
    match action {
        Action::IssueForms => {
            let due = input.due_on.unwrap_or(on + chrono::Days::new(14));
            if due < on {
                return Err(Error::invalid(
                    "due_on",
                    "提出〆切",
                    "Due date",
                    "は配布日以降の日付にしてください",
                    "must be on or after the issue date",
                ));
            }
            for (i, k) in FormKind::required_for(kind).iter().enumerate() {
                form_item::ActiveModel {
                    leg_id: Set(leg_id),
                    kind: Set(k.key().into()),
                    issue_no: Set(format!("{}-{}-{:02}", lc.case.estate_id, leg_id, i + 1)),
                    issued_on: Set(on),
                    due_on: Set(Some(due)),
                    defect_open: Set(false),
                    ..Default::default()
                }
                .insert(&tx)
                .await?;
            }
            am.forms_issued_on = Set(Some(on));
            am.forms_due_on = Set(Some(due));
            detail = Some(format!("{}種類、提出〆切 {due}", FormKind::required_for(kind).len()));
        }
        Action::SignContract => {
            let camp = campaign_of(&tx, &lc.case).await?;
            let fee = camp.as_ref().and_then(|c| campaigns::fees_of(c).lookup(kind, lc.household.size).cloned());
            let Some(fee) = fee else {
                return Err(Error::conflict(
                    "移転料（県が定める金額）が未設定です",
                    "The moving fee is not configured",
                ));
            };
            am.moving_fee = Set(Some(fee.moving_fee));
            am.movables = Set(Some(fee.movables));
            am.contract_on = Set(Some(on));
            detail = Some(format!(
                "移転料 {}、動産移転相当額 {}",
                crate::domain::format_yen(fee.moving_fee),
                crate::domain::format_yen(fee.movables)
            ));
        }
        Action::PayFirst => {
            if lc.leg.contract_on.is_some_and(|c| on < c) {
                return Err(Error::invalid(
                    "on",
                    "支払日",
                    "Payment date",
                    "は契約日以降の日付にしてください",
                    "must be on or after the contract date",
                ));
            }
            let amount = legs::first_payment(lc.leg.movables.unwrap_or(0));
            pay(&tx, ctx, leg_id, PaymentKind::First, amount, on).await?;
            am.first_paid_on = Set(Some(on));
            detail = Some(crate::domain::format_yen(amount));
        }
        Action::HandKeys => am.keys_on = Set(Some(on)),
        Action::ScheduleMove => {
            let Some(d) = input.on else {
                return Err(Error::invalid("on", "移転日", "Moving date", "を入力してください", "is required"));
            };
            check_move_date(&lc, d)?;
            am.move_planned_on = Set(Some(d));
        }
        Action::RecordMove => {
            check_move_date(&lc, on)?;
            am.moved_on = Set(Some(on));
        }
        Action::ConfirmVacated => {
            if !(input.nothing_left && input.keys_returned) {
                return Err(Error::conflict(
                    "適正な退去の確認には、残置物がないことの確認と鍵の返還の両方が必要です",
                    "Vacating needs both: nothing left behind and keys returned",
                ));
            }
            am.vacated_on = Set(Some(on));
            am.nothing_left = Set(Some(true));
            am.keys_returned = Set(Some(true));
        }
        Action::PayRemainder => {
            let first = payment::Entity::find()
                .filter(payment::Column::LegId.eq(leg_id))
                .filter(payment::Column::Kind.eq(PaymentKind::First.key()))
                .one(&tx)
                .await?
                .map(|p| p.amount)
                .unwrap_or(0);
            let amount = legs::remainder(lc.leg.moving_fee.unwrap_or(0), first);
            pay(&tx, ctx, leg_id, PaymentKind::Remainder, amount, on).await?;
            am.remainder_paid_on = Set(Some(on));
            detail = Some(crate::domain::format_yen(amount));
        }
        Action::Close => am.closed_on = Set(Some(on)),
        Action::Cancel => {
            let reason = input.note.clone().unwrap_or_default();
            if reason.trim().is_empty() {
                return Err(Error::invalid("note", "取消の理由", "Reason", "を入力してください", "is required"));
            }
            am.cancelled_on = Set(Some(on));
            am.cancel_reason = Set(Some(reason));
        }
    }
    let l = am.update(&tx).await?;
    let status = set_status(&tx, &lc, &l).await?;
    if action == Action::Close {
        close_or_continue(&tx, ctx, &lc, kind).await?;
    }
    let note = [detail, input.note.clone().filter(|n| !n.trim().is_empty())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" / ");
    event(
        &tx,
        ctx,
        &lc.acc,
        lc.case.id,
        Some(leg_id),
        action.key(),
        Some(f.status().label_ja().to_string()),
        Some(status.label_ja().into()),
        Some(note).filter(|n| !n.is_empty()),
    )
    .await?;
    tx.commit().await?;
    Ok(status)
}

/// 仮移転 is followed by a 本移転 from the temporary unit; any other closed leg closes the case.
async fn close_or_continue<C: ConnectionTrait>(tx: &C, ctx: &Ctx, lc: &LegCtx, kind: Classification) -> Result<()> {
    let mut am: case::ActiveModel = lc.case.clone().into();
    if kind == Classification::Temporary {
        leg::ActiveModel {
            case_id: Set(lc.case.id),
            kind: Set(Classification::Main.key().into()),
            seq: Set(lc.leg.seq + 1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        am.status = Set(LegStatus::Planned.key().into());
        event(tx, ctx, &lc.acc, lc.case.id, None, "open_leg", None, Some("本移転（仮住居から）".into()), None).await?;
    } else {
        am.closed_at = Set(Some(Utc::now()));
    }
    am.update(tx).await?;
    Ok(())
}

/// Moving dates: by 令和14年3月末 for every move; a 仮移転 within its window (extended or not).
fn check_move_date(lc: &LegCtx, d: NaiveDate) -> Result<()> {
    if d > legs::final_move_deadline() {
        return Err(Error::invalid(
            "on",
            "移転日",
            "Moving date",
            "が移転期限（令和14年3月31日）を過ぎています",
            "is after the moving deadline 2032-03-31",
        ));
    }
    if let (Some(from), Some(until)) = (lc.leg.temp_from, lc.leg.extension_until.or(lc.leg.temp_until))
        && (d < from || d > until)
    {
        return Err(Error::invalid(
            "on",
            "移転日",
            "Moving date",
            format!("が仮移転の期間（{from}～{until}）の外です"),
            format!("is outside the temporary-move window {from}–{until}"),
        ));
    }
    Ok(())
}

async fn pay<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    leg_id: i64,
    kind: PaymentKind,
    amount: i64,
    on: NaiveDate,
) -> Result<()> {
    payment::ActiveModel {
        leg_id: Set(leg_id),
        kind: Set(kind.key().into()),
        amount: Set(amount),
        paid_on: Set(on),
        recorded_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// 移転先 (a unit of the estate for 本移転 and 仮移転).
pub async fn assign_unit<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    unit_id: i64,
) -> Result<()> {
    assign_unit_on(db, ctx, load(db, ctx, leg_id).await?, unit_id).await
}

/// [`assign_unit`] on a move already found for the actor (`load`: the access proof), so a handler
/// that needed the move first checks access once.
pub async fn assign_unit_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: LegCtx,
    unit_id: i64,
) -> Result<()> {
    let leg_id = lc.leg.id;
    lc.acc.require_staff()?;
    if lc.leg.forms_issued_on.is_some() || lc.leg.cancelled_on.is_some() {
        return Err(Error::conflict(
            "書類の配布後は移転先を変えられません（分類の変更で新しい移転を開いてください）",
            "The destination cannot change after the forms were issued",
        ));
    }
    let Some(u) = unit::Entity::find_by_id(unit_id).one(db).await?.filter(|u| u.estate_id == lc.case.estate_id) else {
        return Err(Error::invalid(
            "unit_id",
            "移転先の住戸",
            "Unit",
            "はこの団地の住戸ではありません",
            "is not a unit of this estate",
        ));
    };
    let taken = leg::Entity::find()
        .filter(leg::Column::ToUnitId.eq(unit_id))
        .filter(leg::Column::CancelledOn.is_null())
        .filter(leg::Column::Id.ne(leg_id))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(Error::conflict(
            format!("住戸 {} はすでに別の世帯の移転先です", u.number),
            "The unit is already another household's destination",
        ));
    }
    let tx = db.begin().await?;
    let mut am: leg::ActiveModel = lc.leg.clone().into();
    am.to_unit_id = Set(Some(unit_id));
    am.update(&tx).await?;
    event(&tx, ctx, &lc.acc, lc.case.id, Some(leg_id), "assign_unit", None, Some(u.number.clone()), None).await?;
    tx.commit().await?;
    Ok(())
}

/// 引越業者の斡旋: the quote may not exceed the prefecture's moving fee.
pub async fn refer_mover<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    company: &str,
    quote: i64,
    move_on: Option<NaiveDate>,
) -> Result<referral::Model> {
    refer_mover_on(db, ctx, load(db, ctx, leg_id).await?, company, quote, move_on).await
}

/// [`refer_mover`] on a move already found for the actor (`load`: the access proof), so a handler
/// that needed the move first checks access once.
pub async fn refer_mover_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: LegCtx,
    company: &str,
    quote: i64,
    move_on: Option<NaiveDate>,
) -> Result<referral::Model> {
    let leg_id = lc.leg.id;
    lc.acc.require_staff()?;
    if company.trim().is_empty() {
        return Err(Error::invalid("company", "引越業者", "Mover", "を入力してください", "is required"));
    }
    let kind = Classification::parse(&lc.leg.kind).unwrap_or(Classification::Main);
    let cap = match lc.leg.moving_fee {
        Some(f) => Some(f),
        None => campaign_of(db, &lc.case)
            .await?
            .and_then(|c| campaigns::fees_of(&c).lookup(kind, lc.household.size).map(|f| f.moving_fee)),
    };
    let Some(cap) = cap else {
        return Err(Error::conflict(
            "移転料（県が定める金額）が未設定のため、斡旋の上限を確かめられません",
            "The moving fee is not configured",
        ));
    };
    legs::check_referral(quote, cap).map_err(refused)?;
    let tx = db.begin().await?;
    let m = referral::ActiveModel {
        leg_id: Set(leg_id),
        company: Set(company.trim().into()),
        quote: Set(quote),
        fee_cap: Set(cap),
        move_on: Set(move_on),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    event(
        &tx,
        ctx,
        &lc.acc,
        lc.case.id,
        Some(leg_id),
        "refer_mover",
        None,
        Some(format!("{} {}", company.trim(), crate::domain::format_yen(quote))),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

/// The forms, payments and referrals of a leg, for the case page.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LegView {
    pub leg: leg::Model,
    pub kind: Option<Classification>,
    pub status: LegStatus,
    pub destination: Option<String>,
    pub forms: Vec<form_item::Model>,
    pub missing_forms: Vec<FormKind>,
    pub payments: Vec<payment::Model>,
    pub referrals: Vec<referral::Model>,
    /// Steps allowed now (the page offers only these).
    pub allowed: Vec<Action>,
}

pub async fn leg_views<D: ConnectionTrait>(db: &D, ctx: &Ctx, case_id: i64) -> Result<Vec<LegView>> {
    let (c, h, acc) = cases::load(db, ctx, case_id).await?;
    let legs =
        leg::Entity::find().filter(leg::Column::CaseId.eq(case_id)).order_by_asc(leg::Column::Seq).all(db).await?;
    let mut out = Vec::new();
    for l in legs {
        let lc = LegCtx { leg: l.clone(), case: c.clone(), household: h.clone(), acc: acc.clone() };
        let f = facts(db, &lc).await?;
        let destination = match l.to_unit_id {
            Some(u) => unit::Entity::find_by_id(u).one(db).await?.map(|u| u.number),
            None => l.to_address_enc.as_ref().map(|_| "（住所登録済み）".to_string()),
        };
        out.push(LegView {
            kind: f.kind,
            status: f.status(),
            destination,
            forms: form_item::Entity::find()
                .filter(form_item::Column::LegId.eq(l.id))
                .order_by_asc(form_item::Column::Id)
                .all(db)
                .await?,
            missing_forms: if f.forms_issued { f.missing_forms() } else { vec![] },
            payments: payment::Entity::find()
                .filter(payment::Column::LegId.eq(l.id))
                .order_by_asc(payment::Column::Id)
                .all(db)
                .await?,
            referrals: referral::Entity::find().filter(referral::Column::LegId.eq(l.id)).all(db).await?,
            allowed: Action::ALL.iter().copied().filter(|a| *a != Action::Cancel && f.check(*a).is_ok()).collect(),
            leg: l,
        });
    }
    Ok(out)
}
