//! デモの進んだ案件 (demo cases further along): a few of the generated cases are taken through
//! the real services — unit assigned, forms issued and received, contract, payments, keys, move,
//! vacating, remainder, close — so that every step of the pipeline shows in the demo and the
//! history, refusals and audit entries are the ones a user would produce. Dates are in 2027:
//! lottery in March, forms in April, contracts in May, keys after the handover (5/31), moves
//! from the 入居開始日 (7/1).

use crate::demo_cases::Loaded;
use crate::domain::{Classification, FormKind};
use crate::entities::{form_item, unit};
use crate::legs::{Action, LegStatus};
use crate::service::cases;
use crate::service::moves::{self, Receipt, StepInput};
use crate::service::personal::{self, PersonalForm};
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use tabane_core::{Ctx, Error, Result};

use LegStatus::*;

/// The 本移転 cases driven forward, one target status each (several for the busy steps).
/// (Kept short: every step is a real service call, and every black-box test loads the demo.)
const MAIN_TARGETS: &[LegStatus] = &[
    FormsIssued,
    FormsIssued,
    FormsComplete,
    Contracted,
    FirstPaid,
    KeysHanded,
    MoveScheduled,
    Moved,
    Vacated,
    RemainderPaid,
    Closed,
    Closed,
];

/// The 退去 cases driven forward.
const LEAVE_TARGETS: &[LegStatus] = &[Closed, FirstPaid];

const BANKS: &[&str] = &[
    "十八親和銀行 諫早支店",
    "十八親和銀行 西諫早支店",
    "長崎銀行 諫早支店",
    "たちばな信用金庫 諫早支店",
    "九州労働金庫 諫早支店",
    "ゆうちょ銀行 七二八支店",
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn plus(base: NaiveDate, days: u64) -> NaiveDate {
    base + Days::new(days)
}

async fn leg_of<C: ConnectionTrait>(db: &C, case_id: i64) -> Result<i64> {
    cases::current_leg(db, case_id)
        .await?
        .map(|l| l.id)
        .ok_or_else(|| Error::conflict("デモの案件に移転がありません", "demo case without a leg"))
}

async fn step<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg: i64,
    action: Action,
    on: NaiveDate,
) -> Result<LegStatus> {
    let input = StepInput { on: Some(on), nothing_left: true, keys_returned: true, ..Default::default() };
    moves::step(db, ctx, leg, action, &input).await
}

/// Receives the leg's forms: in person, or on a visit for households needing care. `skip` forms
/// are left out; `defect` is received with a 不備 noted.
async fn receive<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg: i64,
    care: bool,
    on: NaiveDate,
    skip: &[FormKind],
    defect: Option<FormKind>,
) -> Result<()> {
    let items = form_item::Entity::find()
        .filter(form_item::Column::LegId.eq(leg))
        .order_by_asc(form_item::Column::Id)
        .all(db)
        .await?;
    for (i, f) in items.iter().enumerate() {
        let kind = FormKind::parse(&f.kind);
        if kind.is_some_and(|k| skip.contains(&k)) {
            continue;
        }
        let (method, reason) = if care {
            ("visit", Some("要配慮世帯のため自宅を訪問して受領".to_string()))
        } else {
            ("in_person", None)
        };
        let r = Receipt {
            issue_no: f.issue_no.clone(),
            received_on: Some(plus(on, (i % 3) as u64)),
            method: method.into(),
            method_reason: reason,
            guarantors: (kind == Some(FormKind::GuarantorConsent)).then_some(1),
            defect_note: (kind.is_some() && kind == defect).then(|| "押印漏れ（再提出を依頼済み）".to_string()),
        };
        moves::receive_form(db, ctx, leg, &r).await?;
    }
    Ok(())
}

async fn register_bank<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, case_id: i64, n: usize) -> Result<()> {
    let account = format!("{} 普通 {:07}", BANKS[n % BANKS.len()], (case_id * 7_919 + 1_234_567) % 10_000_000);
    personal::update(db, ctx, case_id, &PersonalForm { bank_account: Some(account), ..Default::default() }).await
}

/// Takes a 本移転 case from 分類済み to `target` through every step in order.
async fn drive_main<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    l: &Loaded,
    unit_id: i64,
    target: LegStatus,
    n: usize,
) -> Result<()> {
    let leg = leg_of(db, l.case_id).await?;
    let k = (n % 5) as u64;
    moves::assign_unit(db, ctx, leg, unit_id).await?;
    let issued = plus(d(2027, 4, 5), k);
    moves::step(
        db,
        ctx,
        leg,
        Action::IssueForms,
        &StepInput { on: Some(issued), due_on: Some(d(2027, 4, 30)), ..Default::default() },
    )
    .await?;
    if target == FormsIssued {
        // One household is still missing papers; the other handed one in with a defect.
        let (skip, defect): (&[FormKind], _) = if n.is_multiple_of(2) {
            (&[FormKind::GuarantorConsent, FormKind::ParkingApplication, FormKind::KeyReceipt], None)
        } else {
            (&[], Some(FormKind::PledgeParking))
        };
        return receive(db, ctx, leg, l.household.care, plus(issued, 7), skip, defect).await;
    }
    receive(db, ctx, leg, l.household.care, plus(issued, 6), &[], None).await?;
    if target == FormsComplete {
        return Ok(());
    }
    step(db, ctx, leg, Action::SignContract, plus(d(2027, 5, 10), k)).await?;
    if l.household.care {
        moves::refer_mover(db, ctx, leg, "諫早ふれあい引越センター", 148_500, Some(plus(d(2027, 7, 3), k))).await?;
    }
    if target == Contracted {
        return Ok(());
    }
    register_bank(db, ctx, l.case_id, n).await?;
    step(db, ctx, leg, Action::PayFirst, plus(d(2027, 5, 24), k)).await?;
    if target == FirstPaid {
        return Ok(());
    }
    step(db, ctx, leg, Action::HandKeys, plus(d(2027, 6, 21), k)).await?;
    if target == KeysHanded {
        return Ok(());
    }
    let moving = plus(d(2027, 7, 2), n as u64);
    step(db, ctx, leg, Action::ScheduleMove, if target == MoveScheduled { plus(moving, 14) } else { moving }).await?;
    for (action, on, t) in [
        (Action::RecordMove, moving, Moved),
        (Action::ConfirmVacated, plus(moving, 6), Vacated),
        (Action::PayRemainder, plus(moving, 20), RemainderPaid),
        (Action::Close, plus(moving, 22), Closed),
    ] {
        if target < t {
            break;
        }
        step(db, ctx, leg, action, on).await?;
    }
    Ok(())
}

/// Takes a 退去 case to `target`: papers, contract, half, leaving (keys returned), remainder.
async fn drive_leave<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    l: &Loaded,
    target: LegStatus,
    n: usize,
) -> Result<()> {
    let leg = leg_of(db, l.case_id).await?;
    let k = (n * 9) as u64;
    let issued = plus(d(2027, 2, 1), k);
    step(db, ctx, leg, Action::IssueForms, issued).await?;
    receive(db, ctx, leg, l.household.care, plus(issued, 7), &[], None).await?;
    step(db, ctx, leg, Action::SignContract, plus(issued, 14)).await?;
    register_bank(db, ctx, l.case_id, n + 3).await?;
    step(db, ctx, leg, Action::PayFirst, plus(issued, 21)).await?;
    for (action, on, t) in [
        (Action::RecordMove, plus(issued, 45), Moved),
        (Action::ConfirmVacated, plus(issued, 46), Vacated),
        (Action::PayRemainder, plus(issued, 60), RemainderPaid),
        (Action::Close, plus(issued, 61), Closed),
    ] {
        if target < t {
            break;
        }
        step(db, ctx, leg, action, on).await?;
    }
    Ok(())
}

/// Free units of the new building for a household of `size` (2DK・2LDK up to 2 persons, 3DK・3LDK
/// from 3, as §2(2)ア's standard).
fn pick_unit(units: &mut Vec<unit::Model>, size: i32, n: usize) -> Option<i64> {
    let small = size <= 2;
    let fits = |u: &unit::Model| u.std_max.is_some() == small;
    let candidates: Vec<usize> = units.iter().enumerate().filter(|(_, u)| fits(u)).map(|(i, _)| i).collect();
    let i = *candidates.get(n % candidates.len().max(1))?;
    Some(units.remove(i).id)
}

/// Drives the chosen cases. `pfi` acts as the contractor's relocation team.
pub async fn drive<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    pfi: &Ctx,
    new_building_id: i64,
    loaded: &[Loaded],
) -> Result<()> {
    let mut units = unit::Entity::find()
        .filter(unit::Column::BuildingId.eq(new_building_id))
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?;
    let of = |c: Classification| loaded.iter().filter(move |l| l.household.class == Some(c)).collect::<Vec<_>>();
    let mains = of(Classification::Main);
    let stride = (mains.len() / MAIN_TARGETS.len()).max(1);
    for (n, (l, target)) in mains.iter().step_by(stride).zip(MAIN_TARGETS).enumerate() {
        let unit = pick_unit(&mut units, l.household.size, n)
            .ok_or_else(|| Error::conflict("デモの新築棟に空き住戸が足りません", "not enough units"))?;
        drive_main(db, pfi, l, unit, *target, n).await?;
    }
    for (n, (l, target)) in of(Classification::Leave).iter().zip(LEAVE_TARGETS).enumerate() {
        drive_leave(db, pfi, l, *target, n).await?;
    }
    // 仮移転 → 退去: the first move is cancelled with its reason, and the case reclassified.
    if let Some(l) = of(Classification::Temporary).last() {
        let leg = leg_of(db, l.case_id).await?;
        let reason = "入院が長期化し、退院後は長女宅で同居することになったため";
        moves::step(
            db,
            pfi,
            leg,
            Action::Cancel,
            &StepInput { on: Some(d(2027, 2, 18)), note: Some(reason.into()), ..Default::default() },
        )
        .await?;
        cases::classify(db, pfi, l.case_id, Classification::Leave, reason).await?;
    }
    Ok(())
}
