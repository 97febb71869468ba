//! 入居者移転支援実費 (actual costs, §8(11)): the ledger of items (項目・金額・支払った相手方・支払日・
//! 証拠書類, with the financing interest the contractor may claim), the 収支報告, and the claims:
//! 「令和8年度以降の各年度1回、並びに本移転終了時」; the prefecture fixes the amount (about two
//! months after the report) and pays 「請求書の提出を受けてから、40日以内に」.

use super::access::{self, EstateAccess};
use crate::entities::{cost_claim, cost_item};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

/// The first fiscal year with a claim: 令和8年度.
pub const FIRST_CLAIM_YEAR: i32 = 2026;
/// Days from the invoice to the payment.
pub const PAY_WITHIN_DAYS: u64 = 40;

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct NewItem {
    pub item: String,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub amount: Option<i64>,
    pub payee: String,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub paid_on: Option<NaiveDate>,
    #[serde(default)]
    pub evidence_note: Option<String>,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub evidence_file_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub interest: Option<i64>,
}

async fn audit_cost<C: ConnectionTrait>(
    tx: &C,
    ctx: &Ctx,
    acc: &EstateAccess,
    action: &str,
    entity: &str,
    id: i64,
    after: serde_json::Value,
) -> Result<()> {
    audit::record(tx, ctx, acc.change(action, entity, id, None, Some(after))).await
}

pub async fn add_item<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    n: &NewItem,
) -> Result<cost_item::Model> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_staff()?;
    let mut p = Problems::default();
    p.required("item", "項目", "Item", &n.item);
    p.required("payee", "支払った相手方", "Payee", &n.payee);
    if n.amount.is_none_or(|a| a <= 0) {
        p.push(
            "amount",
            "金額",
            "Amount",
            "を1円以上の整数で入力してください",
            "must be a positive whole number of yen",
        );
    }
    if n.interest.is_some_and(|i| i < 0) {
        p.push("interest", "金利", "Interest", "は0円以上にしてください", "must not be negative");
    }
    if n.paid_on.is_none() {
        p.push("paid_on", "支払日", "Paid on", "を入力してください", "is required");
    }
    if n.evidence_file_id.is_none() && n.evidence_note.as_deref().is_none_or(|s| s.trim().is_empty()) {
        p.push(
            "evidence_note",
            "証拠書類",
            "Evidence",
            "（領収書などの名称・番号、またはファイル）を入力してください",
            "is required",
        );
    }
    p.into_result()?;
    if let Some(f) = n.evidence_file_id {
        tabane_core::service::files::get(db, ctx, f).await.map_err(|_| {
            Error::invalid("evidence_file_id", "証拠書類", "Evidence", "のファイルが見つかりません", "file not found")
        })?;
    }
    let paid_on = n.paid_on.expect("checked");
    let tx = db.begin().await?;
    let m = cost_item::ActiveModel {
        estate_id: Set(estate_id),
        fiscal_year: Set(FiscalYear::of(paid_on).0),
        item: Set(n.item.trim().into()),
        amount: Set(n.amount.expect("checked")),
        payee: Set(n.payee.trim().into()),
        paid_on: Set(paid_on),
        evidence_file_id: Set(n.evidence_file_id),
        evidence_note: Set(n.evidence_note.clone().filter(|s| !s.trim().is_empty())),
        interest: Set(n.interest.unwrap_or(0)),
        claim_id: Set(None),
        recorded_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit_cost(
        &tx,
        ctx,
        &acc,
        "create",
        "housing_cost_item",
        m.id,
        serde_json::json!({"item": m.item, "amount": m.amount, "payee": m.payee, "paid_on": m.paid_on}),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

/// A claim: the fiscal year's unclaimed items (all unclaimed items for the final claim).
pub async fn claim<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    fiscal_year: i32,
    is_final: bool,
) -> Result<cost_claim::Model> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_staff()?;
    if fiscal_year < FIRST_CLAIM_YEAR {
        return Err(Error::invalid(
            "fiscal_year",
            "年度",
            "Fiscal year",
            "実費の請求は令和8年度（2026年度）以降です",
            "claims start in fiscal 2026",
        ));
    }
    let exists = cost_claim::Entity::find()
        .filter(cost_claim::Column::EstateId.eq(estate_id))
        .filter(cost_claim::Column::FiscalYear.eq(fiscal_year))
        .filter(cost_claim::Column::IsFinal.eq(is_final))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(Error::conflict(
            if is_final {
                "本移転終了時の請求はすでにあります".to_string()
            } else {
                format!("{}年度の請求はすでにあります（各年度1回まで）", fiscal_year)
            },
            "A claim for this year already exists",
        ));
    }
    let mut q = cost_item::Entity::find()
        .filter(cost_item::Column::EstateId.eq(estate_id))
        .filter(cost_item::Column::ClaimId.is_null());
    if !is_final {
        q = q.filter(cost_item::Column::FiscalYear.eq(fiscal_year));
    }
    let items = q.all(db).await?;
    if items.is_empty() {
        return Err(Error::conflict("請求に含める実費（未請求のもの）がありません", "No unclaimed costs to claim"));
    }
    let total: i64 = items.iter().map(|i| i.amount + i.interest).sum();
    let tx = db.begin().await?;
    let c = cost_claim::ActiveModel {
        estate_id: Set(estate_id),
        fiscal_year: Set(fiscal_year),
        is_final: Set(is_final),
        total: Set(total),
        created_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for i in items {
        let mut am: cost_item::ActiveModel = i.into();
        am.claim_id = Set(Some(c.id));
        am.update(&tx).await?;
    }
    audit_cost(
        &tx,
        ctx,
        &acc,
        "create",
        "housing_cost_claim",
        c.id,
        serde_json::json!({"fiscal_year": fiscal_year, "final": is_final, "total": total}),
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

tabane_core::vocabulary! {
    /// 請求の手続.
    ClaimStep {
        Report = ("report", "収支報告の提出", "Submit the income and expenditure report"),
        Confirm = ("confirm", "金額の確定（県）", "Fix the amount (prefecture)"),
        Invoice = ("invoice", "請求書の受領", "Invoice received"),
        Pay = ("pay", "支払（県）", "Paid (prefecture)"),
    }
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct ClaimStepInput {
    pub step: String,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub amount: Option<i64>,
}

pub async fn claim_step<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    claim_id: i64,
    input: &ClaimStepInput,
) -> Result<cost_claim::Model> {
    let Some(c) = cost_claim::Entity::find_by_id(claim_id).one(db).await? else { return Err(Error::NotFound) };
    let acc = access::estate_for(db, ctx, c.estate_id).await?;
    let Some(step) = ClaimStep::parse(&input.step) else {
        return Err(Error::invalid(
            "step",
            "手続",
            "Step",
            format!("は{}のいずれかです", ClaimStep::choices_ja()),
            "unknown step",
        ));
    };
    let on = input.on.unwrap_or_else(tabane_core::service::deliverables::today_jst);
    let mut am: cost_claim::ActiveModel = c.clone().into();
    match step {
        ClaimStep::Report => {
            acc.require_staff()?;
            if c.report_on.is_some() {
                return Err(Error::conflict("収支報告はすでに提出しています", "Already reported"));
            }
            am.report_on = Set(Some(on));
        }
        ClaimStep::Confirm => {
            acc.require_owner_staff()?;
            if c.report_on.is_none() {
                return Err(Error::conflict("金額の確定は収支報告の提出後です", "Confirm after the report"));
            }
            if c.confirmed_on.is_some() {
                return Err(Error::conflict("金額はすでに確定しています", "Already confirmed"));
            }
            let amount = input.amount.unwrap_or(c.total);
            if amount < 0 || amount > c.total {
                return Err(Error::invalid(
                    "amount",
                    "確定額",
                    "Confirmed amount",
                    format!("は0円以上、請求額（{}）以下にしてください", crate::domain::format_yen(c.total)),
                    "must be between 0 and the claimed total",
                ));
            }
            am.confirmed_on = Set(Some(on));
            am.confirmed_amount = Set(Some(amount));
        }
        ClaimStep::Invoice => {
            acc.require_staff()?;
            if c.confirmed_on.is_none() {
                return Err(Error::conflict(
                    "請求書は県の金額確定の後に提出します",
                    "Invoice after the amount is fixed",
                ));
            }
            if c.invoice_on.is_some() {
                return Err(Error::conflict("請求書はすでに受領しています", "Invoice already received"));
            }
            am.invoice_on = Set(Some(on));
            am.pay_by = Set(Some(on + chrono::Days::new(PAY_WITHIN_DAYS)));
        }
        ClaimStep::Pay => {
            acc.require_owner_staff()?;
            if c.invoice_on.is_none() {
                return Err(Error::conflict("支払は請求書の受領後です", "Pay after the invoice"));
            }
            if c.paid_on.is_some() {
                return Err(Error::conflict("支払はすでに記録しています", "Already paid"));
            }
            am.paid_on = Set(Some(on));
        }
    }
    let tx = db.begin().await?;
    let m = am.update(&tx).await?;
    audit_cost(
        &tx,
        ctx,
        &acc,
        step.key(),
        "housing_cost_claim",
        m.id,
        serde_json::json!({"on": on, "amount": m.confirmed_amount}),
    )
    .await?;
    tx.commit().await?;
    Ok(m)
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ClaimView {
    pub claim: cost_claim::Model,
    /// 収支報告 + about two months: when the amount is expected to be fixed.
    pub expected_confirmation: Option<NaiveDate>,
    /// Paid after the 40 days (or not paid and the 40 days are over).
    pub late: bool,
    pub next: Option<ClaimStep>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CostLedger")]
pub struct Ledger {
    pub estate_id: i64,
    pub items: Vec<cost_item::Model>,
    pub claims: Vec<ClaimView>,
    /// (fiscal year, Σ amount, Σ interest)
    pub by_year: Vec<(i32, i64, i64)>,
    pub may_write: bool,
    pub is_owner: bool,
}

pub async fn ledger<D: ConnectionTrait>(db: &D, ctx: &Ctx, estate_id: i64, today: NaiveDate) -> Result<Ledger> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    let items = cost_item::Entity::find()
        .filter(cost_item::Column::EstateId.eq(estate_id))
        .order_by_asc(cost_item::Column::PaidOn)
        .order_by_asc(cost_item::Column::Id)
        .all(db)
        .await?;
    let claims = cost_claim::Entity::find()
        .filter(cost_claim::Column::EstateId.eq(estate_id))
        .order_by_asc(cost_claim::Column::FiscalYear)
        .order_by_asc(cost_claim::Column::IsFinal)
        .all(db)
        .await?;
    let mut by_year: Vec<(i32, i64, i64)> = Vec::new();
    for i in &items {
        match by_year.iter_mut().find(|y| y.0 == i.fiscal_year) {
            Some(y) => {
                y.1 += i.amount;
                y.2 += i.interest;
            }
            None => by_year.push((i.fiscal_year, i.amount, i.interest)),
        }
    }
    by_year.sort();
    let claims = claims
        .into_iter()
        .map(|c| {
            let next = if c.report_on.is_none() {
                Some(ClaimStep::Report)
            } else if c.confirmed_on.is_none() {
                Some(ClaimStep::Confirm)
            } else if c.invoice_on.is_none() {
                Some(ClaimStep::Invoice)
            } else if c.paid_on.is_none() {
                Some(ClaimStep::Pay)
            } else {
                None
            };
            ClaimView {
                expected_confirmation: c.report_on.map(|r| tabane_calendar::add_months(r, 2)),
                late: c.pay_by.is_some_and(|by| c.paid_on.map_or(today > by, |p| p > by)),
                next,
                claim: c,
            }
        })
        .collect();
    Ok(Ledger {
        estate_id,
        items,
        claims,
        by_year,
        may_write: acc.require_staff().is_ok(),
        is_owner: acc.require_owner_staff().is_ok(),
    })
}
