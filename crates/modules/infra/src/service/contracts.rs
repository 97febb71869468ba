//! 維持管理契約 (maintenance contracts of a bundle): who the contractor is, for how long, how
//! it is paid, the per-job cap, response deadlines, and each owner's 指示限度額 per fiscal year
//! with the running totals of instructed and confirmed amounts against it.

use super::access;
use crate::domain::{Status, Urgency};
use crate::entities::{contract, instruction_limit as limit, work_order as wo};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_calendar::FiscalYear;
use tabane_core::domain::{BundleRole, Role};

use tabane_core::error::Problems;
use tabane_core::service::{audit, bundles};
use tabane_core::{Ctx, Error, Result};

pub const PAYMENT_TYPES: &[(&str, &str)] =
    &[("lump_sum", "総価"), ("unit_price", "単価"), ("mixed", "総価・単価の混合")];

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct ContractForm {
    pub bundle_id: String,
    pub name: String,
    pub period_start: String,
    pub period_end: String,
    #[serde(default)]
    pub payment_type: String,
    #[serde(default)]
    pub job_cap: String,
    #[serde(default)]
    pub days_emergency: String,
    #[serde(default)]
    pub days_early: String,
    #[serde(default)]
    pub days_normal: String,
    #[serde(default)]
    pub members_note: String,
}

/// Creates a contract for a bundle: its lead or secretariat administrators only.
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &ContractForm,
) -> Result<contract::Model> {
    let bundle_id = f
        .bundle_id
        .trim()
        .parse::<i64>()
        .map_err(|_| Error::invalid("bundle_id", "束", "Bundle", "を選んでください", "is required"))?;
    let view = bundles::get(db, ctx, bundle_id).await?;
    if !view.can_manage {
        return Err(Error::forbidden(
            "契約を登録できるのは束の幹事団体・事務局の管理者です",
            "Only the bundle's lead or secretariat administrators may register contracts",
        ));
    }
    let contractor = view.members.iter().find(|m| m.role == BundleRole::Contractor).map(|m| m.org_id);
    let mut p = Problems::default();
    p.required("name", "契約名", "Contract name", &f.name);
    if contractor.is_none() {
        p.push("bundle_id", "束", "Bundle", "に受注者が登録されていません", "has no contractor");
    }
    let mut date = |field: &str, ja: &str, en: &str, v: &str| match tabane_calendar::parse_date(v) {
        Ok(d) => Some(d),
        Err(e) => {
            p.push(field, ja, en, e.message_ja(), e.message_en());
            None
        }
    };
    let start = date("period_start", "契約期間（開始）", "Period start", &f.period_start);
    let end = date("period_end", "契約期間（終了）", "Period end", &f.period_end);
    if let (Some(a), Some(b)) = (start, end)
        && b < a
    {
        p.push("period_end", "契約期間（終了）", "Period end", "が開始より前です", "is before the start");
    }
    let payment = if f.payment_type.trim().is_empty() { "mixed" } else { f.payment_type.trim() };
    if !PAYMENT_TYPES.iter().any(|(k, ja)| *k == payment || *ja == payment) {
        p.push(
            "payment_type",
            "支払方式",
            "Payment type",
            "は 総価・単価・混合 のいずれかです",
            "must be lump_sum, unit_price or mixed",
        );
    }
    let cap = super::parse_yen(&mut p, "job_cap", "1件あたりの上限", "Per-job cap", &f.job_cap).unwrap_or(500_000);
    let days = |p: &mut Problems, field: &str, ja: &str, v: &str, d: i32| -> i32 {
        let t = tabane_tabular::to_halfwidth_ascii(v.trim()).to_string();
        if t.is_empty() {
            return d;
        }
        t.parse::<i32>().ok().filter(|n| (0..=60).contains(n)).unwrap_or_else(|| {
            p.push(field, ja, "Business days", "は0〜60の営業日数で入力してください", "must be 0 to 60 business days");
            d
        })
    };
    let de = days(
        &mut p,
        "days_emergency",
        "対応期限（緊急）",
        &f.days_emergency,
        Urgency::Emergency.default_business_days(),
    );
    let dy = days(&mut p, "days_early", "対応期限（早期）", &f.days_early, Urgency::Early.default_business_days());
    let dn = days(&mut p, "days_normal", "対応期限（通常）", &f.days_normal, Urgency::Normal.default_business_days());
    p.into_result()?;
    let payment = PAYMENT_TYPES.iter().find(|(k, ja)| *k == payment || *ja == payment).map(|x| x.0).unwrap_or("mixed");
    let txn = db.begin().await?;
    let c = contract::ActiveModel {
        bundle_id: Set(bundle_id),
        name: Set(f.name.trim().into()),
        contractor_org_id: Set(contractor.expect("checked")),
        period_start: Set(start.expect("checked")),
        period_end: Set(end.expect("checked")),
        payment_type: Set(payment.into()),
        job_cap: Set(cap),
        days_emergency: Set(de),
        days_early: Set(dy),
        days_normal: Set(dn),
        members_note: Set(Some(f.members_note.trim().to_string()).filter(|s| !s.is_empty())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: ctx.org_id,
            bundle_id: Some(bundle_id),
            action: "create",
            entity: "infra_contract",
            entity_id: c.id.to_string(),
            before: None,
            after: serde_json::to_value(&c).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(c)
}

/// A contract of one of the actor's bundles.
pub async fn find<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<contract::Model> {
    let c = contract::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if ctx.system_admin || access::my_bundles(db, ctx).await?.iter().any(|(b, _)| *b == c.bundle_id) {
        Ok(c)
    } else {
        Err(Error::NotFound)
    }
}

pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<contract::Model>> {
    let bundles: Vec<i64> = access::my_bundles(db, ctx).await?.into_iter().map(|b| b.0).collect();
    Ok(contract::Entity::find()
        .filter(contract::Column::BundleId.is_in(bundles))
        .order_by_desc(contract::Column::PeriodStart)
        .all(db)
        .await?)
}

/// The contract of a bundle in force on a day (the most recent one if several).
pub async fn in_force<D: ConnectionTrait>(db: &D, bundle_id: i64, day: NaiveDate) -> Result<Option<contract::Model>> {
    Ok(contract::Entity::find()
        .filter(contract::Column::BundleId.eq(bundle_id))
        .filter(contract::Column::PeriodStart.lte(day))
        .filter(contract::Column::PeriodEnd.gte(day))
        .order_by_desc(contract::Column::PeriodStart)
        .one(db)
        .await?)
}

pub fn days_for(c: &contract::Model, u: Urgency) -> i32 {
    match u {
        Urgency::Emergency => c.days_emergency,
        Urgency::Early => c.days_early,
        Urgency::Normal => c.days_normal,
    }
}

/// Sets an owner's 指示限度額 for a fiscal year: that owner's administrators or the bundle's managers.
pub async fn set_limit<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    contract_id: i64,
    owner: i64,
    fiscal_year: i32,
    amount: i64,
) -> Result<()> {
    let c = find(db, ctx, contract_id).await?;
    let manages = bundles::get(db, ctx, c.bundle_id).await?.can_manage;
    if !(manages || ctx.has_role_in(owner, Role::Admin)) {
        return Err(Error::forbidden(
            "指示限度額を設定できるのは、その管理者の管理者または束の幹事です",
            "Only the owner's administrators or the bundle's managers may set the limit",
        ));
    }
    if bundles::member_role(db, c.bundle_id, owner).await? != Some(BundleRole::Owner) {
        return Err(Error::invalid(
            "owner_org_id",
            "管理者",
            "Owner",
            "は束の発注者から選んでください",
            "must be an owner in the bundle",
        ));
    }
    if amount < 0 {
        return Err(Error::invalid("limit_amount", "指示限度額", "Limit", "は0以上です", "must be 0 or more"));
    }
    let txn = db.begin().await?;
    let existing = limit::Entity::find()
        .filter(limit::Column::ContractId.eq(contract_id))
        .filter(limit::Column::OwnerOrgId.eq(owner))
        .filter(limit::Column::FiscalYear.eq(fiscal_year))
        .one(&txn)
        .await?;
    let before = existing.as_ref().map(|l| l.limit_amount);
    match existing {
        Some(l) => {
            let mut am: limit::ActiveModel = l.into();
            am.limit_amount = Set(amount);
            am.update(&txn).await?;
        }
        None => {
            limit::ActiveModel {
                contract_id: Set(contract_id),
                owner_org_id: Set(owner),
                fiscal_year: Set(fiscal_year),
                limit_amount: Set(amount),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(owner),
            bundle_id: Some(c.bundle_id),
            action: "set_limit",
            entity: "infra_contract",
            entity_id: contract_id.to_string(),
            before: Some(serde_json::json!({ "fiscal_year": fiscal_year, "limit": before })),
            after: Some(serde_json::json!({ "fiscal_year": fiscal_year, "limit": amount })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One owner's budget line: limit, instructed and confirmed amounts in a fiscal year.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BudgetLine {
    pub owner_org_id: i64,
    pub owner_name: String,
    pub fiscal_year: String,
    pub limit_amount: Option<i64>,
    pub instructed: i64,
    pub confirmed: i64,
    pub remaining: Option<i64>,
    pub over_cap_jobs: Vec<i64>,
}

/// Budget execution of a contract in a fiscal year, for the owners the actor may see costs of:
/// each owner sees its own line; the contractor and the bundle's managers see all.
pub async fn budget<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    contract_id: i64,
    fy: FiscalYear,
) -> Result<Vec<BudgetLine>> {
    let c = find(db, ctx, contract_id).await?;
    let manages = bundles::get(db, ctx, c.bundle_id).await?.can_manage;
    let see_all = manages || ctx.org_id == Some(c.contractor_org_id);
    let limits = limit::Entity::find()
        .filter(limit::Column::ContractId.eq(contract_id))
        .filter(limit::Column::FiscalYear.eq(fy.0))
        .all(db)
        .await?;
    let view = bundles::get(db, ctx, c.bundle_id).await?;
    let jst = tabane_calendar::jst::offset();
    let (start, end) = (fy.start().max(c.period_start), fy.end().min(c.period_end));
    let orders = wo::Entity::find()
        .filter(wo::Column::BundleId.eq(c.bundle_id))
        .filter(wo::Column::Status.ne(Status::Cancelled.key()))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for m in view.members.iter().filter(|m| m.role == BundleRole::Owner) {
        if !(see_all || ctx.org_id == Some(m.org_id)) {
            continue;
        }
        let mine: Vec<&wo::Model> = orders.iter().filter(|o| o.owner_org_id == m.org_id).collect();
        let in_fy = |t: Option<chrono::DateTime<Utc>>| {
            t.map(|t| t.with_timezone(&jst).date_naive()).is_some_and(|d| d >= start && d <= end)
        };
        let instructed: i64 = mine.iter().filter(|o| in_fy(o.instructed_at)).filter_map(|o| o.instructed_amount).sum();
        let confirmed: i64 = mine
            .iter()
            .filter(|o| o.status == Status::Confirmed.key() && in_fy(o.confirmed_at))
            .filter_map(|o| o.cost_total)
            .sum();
        let limit_amount = limits.iter().find(|l| l.owner_org_id == m.org_id).map(|l| l.limit_amount);
        let over_cap_jobs = mine
            .iter()
            .filter(|o| o.instructed_amount.max(o.cost_total).is_some_and(|v| v > c.job_cap))
            .map(|o| o.id)
            .collect();
        out.push(BudgetLine {
            owner_org_id: m.org_id,
            owner_name: m.org_name.clone(),
            fiscal_year: fy.label_ja(),
            limit_amount,
            instructed,
            confirmed,
            remaining: limit_amount.map(|l| l - instructed.max(confirmed)),
            over_cap_jobs,
        });
    }
    Ok(out)
}

/// What a contract is made of.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct PartForm {
    /// "phase", "task" or "member".
    pub part: String,
    #[serde(default)]
    pub name: String,
    /// Task: 総価 / 単価 (lump_sum / unit_price). Member: role, e.g. 代表者.
    #[serde(default)]
    pub detail: String,
    /// Member: the firm's organisation id.
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
}

/// Adds a phase, a task or a member firm: the bundle's managers only. Phases must lie inside
/// the contract period; a member firm must be the contractor itself or one of its members.
pub async fn add_part<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    contract_id: i64,
    f: &PartForm,
) -> Result<crate::entities::contract_part::Model> {
    use crate::entities::contract_part as part;
    let c = find(db, ctx, contract_id).await?;
    if !bundles::get(db, ctx, c.bundle_id).await?.can_manage {
        return Err(Error::forbidden(
            "契約を変更できるのは束の幹事団体・事務局の管理者です",
            "Only the bundle's lead or secretariat administrators may change the contract",
        ));
    }
    let mut p = Problems::default();
    let kind = f.part.trim();
    let mut date = |field: &str, ja: &str, en: &str, v: &str| -> Option<NaiveDate> {
        if v.trim().is_empty() {
            return None;
        }
        tabane_calendar::parse_date(v).map_err(|e| p.push(field, ja, en, e.message_ja(), e.message_en())).ok()
    };
    let (start, end) = (date("start_on", "開始日", "Start", &f.start_on), date("end_on", "終了日", "End", &f.end_on));
    let (mut name, mut detail, mut org) =
        (f.name.trim().to_string(), Some(f.detail.trim().to_string()).filter(|s| !s.is_empty()), None);
    match kind {
        "phase" => {
            p.required("name", "期の名称", "Phase name", &name);
            match (start, end) {
                (Some(a), Some(b)) if a <= b && a >= c.period_start && b <= c.period_end => {}
                (Some(_), Some(_)) => p.push(
                    "end_on",
                    "期間",
                    "Period",
                    "は契約期間の内側で、開始が終了より前になるようにしてください",
                    "must lie inside the contract period, start before end",
                ),
                _ => p.push(
                    "start_on",
                    "期間",
                    "Period",
                    "の開始日と終了日を入力してください",
                    "needs a start and an end",
                ),
            }
        }
        "task" => {
            p.required("name", "業務名", "Task", &name);
            match detail.as_deref().and_then(|d| PAYMENT_TYPES.iter().find(|(k, ja)| *k == d || *ja == d)) {
                Some((k, _)) => detail = Some((*k).to_string()),
                None => p.push(
                    "detail",
                    "支払方式",
                    "Payment type",
                    "は 総価 か 単価 です",
                    "must be lump_sum or unit_price",
                ),
            }
        }
        "member" => {
            let id = f.org_id.trim().parse::<i64>().ok();
            let firm = match id {
                Some(i) => tabane_core::entities::organisation::Entity::find_by_id(i).one(db).await?,
                None => None,
            };
            match firm {
                Some(o) if o.id == c.contractor_org_id || o.parent_id == Some(c.contractor_org_id) => {
                    name = o.name.clone();
                    org = Some(o.id);
                }
                _ => p.push(
                    "org_id",
                    "構成員",
                    "Member firm",
                    "は受注者（JV・組合）の構成員から選んでください",
                    "must be the contractor or one of its member firms",
                ),
            }
            if detail.is_none() {
                p.push("detail", "役割", "Role", "を入力してください（例: 代表者（舗装補修））", "is required");
            }
        }
        _ => p.push("part", "区分", "Part", "は 期・業務・構成員 のいずれかです", "must be phase, task or member"),
    }
    p.into_result()?;
    let txn = db.begin().await?;
    let m = part::ActiveModel {
        contract_id: Set(contract_id),
        part: Set(kind.into()),
        name: Set(name),
        detail: Set(detail),
        org_id: Set(org),
        start_on: Set(start),
        end_on: Set(end),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: ctx.org_id,
            bundle_id: Some(c.bundle_id),
            action: "add_part",
            entity: "infra_contract",
            entity_id: contract_id.to_string(),
            before: None,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(m)
}

pub async fn parts<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    contract_id: i64,
) -> Result<Vec<crate::entities::contract_part::Model>> {
    use crate::entities::contract_part as part;
    find(db, ctx, contract_id).await?;
    Ok(part::Entity::find()
        .filter(part::Column::ContractId.eq(contract_id))
        .order_by_asc(part::Column::Part)
        .order_by_asc(part::Column::StartOn)
        .order_by_asc(part::Column::Id)
        .all(db)
        .await?)
}
