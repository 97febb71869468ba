//! 書類の受領 (receiving the issued forms): each by its issue number, with the method and any defect.

use super::*;

/// 書類の受領.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct Receipt {
    pub issue_no: String,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub received_on: Option<NaiveDate>,
    pub method: String,
    #[serde(default)]
    pub method_reason: Option<String>,
    /// 連帯保証人の人数 (連帯保証人承諾書 only; the seed says exactly one).
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub guarantors: Option<i32>,
    /// 不備 found on the form (received, but needs correcting).
    #[serde(default)]
    pub defect_note: Option<String>,
}

pub async fn receive_form<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    leg_id: i64,
    r: &Receipt,
) -> Result<form_item::Model> {
    receive_form_on(db, ctx, load(db, ctx, leg_id).await?, r).await
}

/// [`receive_form`] on a move already found for the actor (`load`: the access proof), so a handler
/// that needed the move first checks access once.
pub async fn receive_form_on<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    lc: LegCtx,
    r: &Receipt,
) -> Result<form_item::Model> {
    let leg_id = lc.leg.id;
    lc.acc.require_staff()?;
    if lc.leg.cancelled_on.is_some() || lc.leg.closed_on.is_some() {
        return Err(Error::conflict(
            "この移転は取消または完了しているため、書類を受領できません",
            "This move is cancelled or closed",
        ));
    }
    let no = r.issue_no.trim();
    let not_issued = || {
        Error::invalid(
            "issue_no",
            "発行番号",
            "Issue number",
            format!("「{no}」の書類は発行されていません"),
            "no form was issued with this number",
        )
    };
    let Some(item) = form_item::Entity::find().filter(form_item::Column::IssueNo.eq(no)).one(db).await? else {
        return Err(not_issued());
    };
    // A number of another estate is answered as "not issued": nothing is learnt about it.
    if item.leg_id != leg_id {
        let other = leg::Entity::find_by_id(item.leg_id).one(db).await?;
        let other_case = match other {
            Some(l) => case::Entity::find_by_id(l.case_id).one(db).await?,
            None => None,
        };
        if other_case.is_none_or(|c| c.estate_id != lc.case.estate_id) {
            return Err(not_issued());
        }
        return Err(Error::conflict(
            format!("この書類（発行番号 {no}）は別の世帯に発行されたものです。世帯と書類を確かめてください"),
            format!("The form {no} was issued to another household"),
        ));
    }
    let kind = FormKind::parse(&item.kind);
    let Some(method) = ReceiptMethod::parse(&r.method) else {
        return Err(Error::invalid(
            "method",
            "受領方法",
            "Method",
            format!("は{}のいずれかです", ReceiptMethod::choices_ja()),
            "is not a known method",
        ));
    };
    let reason = r.method_reason.clone().unwrap_or_default();
    if method != ReceiptMethod::InPerson && reason.trim().is_empty() {
        return Err(Error::invalid(
            "method_reason",
            "対面以外の理由",
            "Reason",
            "個人情報管理のため受領は原則対面です。対面以外で受け取った理由を入力してください",
            "forms are received in person as a rule; give the reason",
        ));
    }
    if kind == Some(FormKind::GuarantorConsent) && r.guarantors != Some(1) {
        return Err(Error::invalid(
            "guarantors",
            "連帯保証人の人数",
            "Guarantors",
            format!(
                "連帯保証人は1名です（{}名と記録されようとしています）",
                r.guarantors.map(|g| g.to_string()).unwrap_or_else(|| "未入力".into())
            ),
            "exactly one joint guarantor",
        ));
    }
    if item.received_on.is_some() && !item.defect_open {
        return Err(Error::conflict("この書類はすでに受領しています", "This form was already received"));
    }
    let on = r.received_on.unwrap_or_else(super::super::deadlines::today);
    if on < item.issued_on {
        return Err(Error::invalid(
            "received_on",
            "受領日",
            "Received on",
            "は配布日以降の日付にしてください",
            "must not be before the issue date",
        ));
    }
    let defect = r.defect_note.clone().filter(|d| !d.trim().is_empty());
    let tx = db.begin().await?;
    let mut am: form_item::ActiveModel = item.clone().into();
    am.received_on = Set(Some(on));
    am.received_by = Set(Some(ctx.actor.clone()));
    am.method = Set(Some(method.key().into()));
    am.method_reason = Set(Some(reason).filter(|s| !s.trim().is_empty()));
    am.guarantors = Set(r.guarantors);
    am.defect_open = Set(defect.is_some());
    am.defect_note = Set(defect.clone());
    let m = am.update(&tx).await?;
    set_status(&tx, &lc, &lc.leg).await?;
    let label = kind.map(|k| k.label_ja()).unwrap_or("書類");
    event(
        &tx,
        ctx,
        &lc.acc,
        lc.case.id,
        Some(leg_id),
        "receive_form",
        None,
        Some(format!("{label}（{no}）{}", method.label_ja())),
        defect.map(|d| format!("不備：{d}")),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}
