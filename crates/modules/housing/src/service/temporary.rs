//! 仮移転の期間と延長 (§8(6)ア(ア), §8(6)エ(イ)).
//!
//! - 入居可能日 = the first day of the month after the 仮移転説明会; the period is 6 months from
//!   it (`legs::temporary_window`: 2027-05-20 → 2027-06-01 … 2027-11-30).
//! - 延長: 6 more months (`legs::extended_until`), once, and only for the seed's three reasons on
//!   the resident's side (`ExtensionReason`); anything else is refused with the list.
//! - 遅延の原因 (`DelayCause`): who bears a delay, recorded on an overdue 仮移転.
//!
//! Each refusal says why and what is needed, and writes nothing.

use super::cases::event;
use super::moves::{self, LegCtx};
use crate::domain::{Classification, DelayCause, ExtensionReason};
use crate::entities::leg;
use crate::legs;
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, TransactionTrait};
use serde::Deserialize;
use tabane_core::{Ctx, Error, Result};

fn open_temporary(lc: &LegCtx) -> Result<()> {
    lc.acc.require_staff()?;
    if Classification::parse(&lc.leg.kind) != Some(Classification::Temporary) {
        return Err(Error::conflict(
            "仮移転の移転ではありません（仮移転説明会・延長は仮移転だけに記録します）",
            "This is not a temporary move",
        ));
    }
    if lc.leg.cancelled_on.is_some() || lc.leg.closed_on.is_some() {
        return Err(Error::conflict("この移転は取消または完了しています", "This move is cancelled or closed"));
    }
    Ok(())
}

/// 仮移転説明会の開催日を記録し、入居可能日と期間を決める.
pub async fn set_briefing<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    briefing: NaiveDate,
) -> Result<leg::Model> {
    set_briefing_on(db, ctx, moves::load(db, ctx, leg_id).await?, briefing).await
}

/// [`set_briefing`] on a move already found for the actor (`load`: the access proof), so a handler
/// that needed the move first checks access once.
pub async fn set_briefing_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: moves::LegCtx,
    briefing: NaiveDate,
) -> Result<leg::Model> {
    let leg_id = lc.leg.id;
    open_temporary(&lc)?;
    if lc.leg.extension_reason.is_some() {
        return Err(Error::conflict(
            "延長の後は仮移転説明会の日を変えられません",
            "The briefing date cannot change after an extension",
        ));
    }
    if lc.leg.moved_on.is_some() {
        return Err(Error::conflict(
            "仮移転はすでに済んでいます（説明会の日は変えられません）",
            "The temporary move is already done",
        ));
    }
    let (from, until) = legs::temporary_window(briefing);
    if until > legs::final_move_deadline() {
        return Err(Error::invalid(
            "briefing_on",
            "仮移転説明会の日",
            "Briefing date",
            format!("からの仮移転期間（{from}～{until}）が移転期限の令和14年3月31日を過ぎます"),
            "the window would end after 2032-03-31",
        ));
    }
    let tx = db.begin().await?;
    let mut am: leg::ActiveModel = lc.leg.clone().into();
    am.temp_briefing_on = Set(Some(briefing));
    am.temp_from = Set(Some(from));
    am.temp_until = Set(Some(until));
    let l = am.update(&tx).await?;
    let before = lc.leg.temp_from.zip(lc.leg.temp_until).map(|(f, u)| format!("{f}～{u}"));
    event(
        &tx,
        ctx,
        &lc.acc,
        lc.case.id,
        Some(leg_id),
        "temp_briefing",
        before,
        Some(format!("{from}～{until}")),
        Some(format!("仮移転説明会 {briefing}")),
    )
    .await?;
    tx.commit().await?;
    Ok(l)
}

/// 延長の入力. `reason` is parsed against the three reasons only.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct ExtendForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: Option<String>,
}

fn allowed_reasons() -> String {
    ExtensionReason::ALL.iter().map(|r| format!("「{}」", r.label_ja())).collect::<Vec<_>>().join("、")
}

/// 延長 (once, 6 months, for one of the three reasons). The cause of the delay is the resident's.
pub async fn extend<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    f: &ExtendForm,
) -> Result<leg::Model> {
    extend_on(db, ctx, moves::load(db, ctx, leg_id).await?, f).await
}

/// [`extend`] on a move already found for the actor (`load`: the access proof), so a handler
/// that needed the move first checks access once.
pub async fn extend_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: moves::LegCtx,
    f: &ExtendForm,
) -> Result<leg::Model> {
    let leg_id = lc.leg.id;
    open_temporary(&lc)?;
    let Some(reason) = ExtensionReason::parse(&f.reason) else {
        let given = f.reason.trim();
        let given = if given.is_empty() { "未入力".to_string() } else { format!("「{given}」") };
        return Err(Error::invalid(
            "reason",
            "延長の事由",
            "Reason",
            format!(
                "{given}では延長できません。仮移転者の責に帰すべき事由のうち、延長できるのは {} のみです",
                allowed_reasons()
            ),
            "only illness or disability preventing the move, missing, or in hospital allow an extension",
        ));
    };
    // Seed line 1703: 「事業者は仮移転支援業務を6ヶ月間は延長して行い」 — at least six months, with
    // no limit on how often: a further extension runs six months from the current end.
    let Some(until) = lc.leg.extension_until.or(lc.leg.temp_until) else {
        return Err(Error::conflict(
            "先に仮移転説明会の日を記録してください（延長は仮移転期間の終わりから6か月です）",
            "Record the briefing date first",
        ));
    };
    if lc.leg.moved_on.is_some() {
        return Err(Error::conflict(
            "仮移転はすでに済んでいます（延長は不要です）",
            "The temporary move is already done",
        ));
    }
    let ext = legs::extended_until(until);
    if ext > legs::final_move_deadline() {
        return Err(Error::conflict(
            format!("延長後の期限（{ext}）が移転期限の令和14年3月31日を過ぎます"),
            "The extension would end after 2032-03-31",
        ));
    }
    let tx = db.begin().await?;
    let mut am: leg::ActiveModel = lc.leg.clone().into();
    am.extension_reason = Set(Some(reason.key().into()));
    am.extension_until = Set(Some(ext));
    am.delay_cause = Set(Some(DelayCause::Resident.key().into()));
    let l = am.update(&tx).await?;
    let note = [Some(format!("事由：{}", reason.label_ja())), f.note.clone().filter(|n| !n.trim().is_empty())]
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
        "extend",
        Some(until.to_string()),
        Some(ext.to_string()),
        Some(note),
    )
    .await?;
    tx.commit().await?;
    Ok(l)
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct CauseForm {
    #[serde(default)]
    pub cause: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// 遅延の原因 (県 / 事業者 / 入居者 / 不可抗力・法令変更 / その他).
pub async fn set_delay_cause<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    f: &CauseForm,
) -> Result<leg::Model> {
    set_delay_cause_on(db, ctx, moves::load(db, ctx, leg_id).await?, f).await
}

/// [`set_delay_cause`] on a move already found for the actor (`load`: the access proof), so a handler
/// that needed the move first checks access once.
pub async fn set_delay_cause_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: moves::LegCtx,
    f: &CauseForm,
) -> Result<leg::Model> {
    let leg_id = lc.leg.id;
    open_temporary(&lc)?;
    let Some(cause) = DelayCause::parse(&f.cause) else {
        return Err(Error::invalid(
            "cause",
            "遅延の原因",
            "Cause",
            format!("は{}のいずれかです", DelayCause::choices_ja()),
            "must be prefecture, contractor, resident, force_majeure or other",
        ));
    };
    if cause == DelayCause::Other && f.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid(
            "note",
            "内容",
            "Note",
            "「その他」の場合は内容を入力してください",
            "is required for other",
        ));
    }
    let tx = db.begin().await?;
    let mut am: leg::ActiveModel = lc.leg.clone().into();
    am.delay_cause = Set(Some(cause.key().into()));
    let l = am.update(&tx).await?;
    let before = lc.leg.delay_cause.as_deref().and_then(DelayCause::parse).map(|c| c.label_ja().to_string());
    event(
        &tx,
        ctx,
        &lc.acc,
        lc.case.id,
        Some(leg_id),
        "delay_cause",
        before,
        Some(cause.label_ja().into()),
        f.note.clone().filter(|n| !n.trim().is_empty()),
    )
    .await?;
    tx.commit().await?;
    Ok(l)
}
