//! 協定のガバナンス (agreement rules): the KPI gate (R6), the リスク分担表 (R7), change control and
//! the change-request lifecycle (R7, §2.8), early termination (R12). Seed lines 156–160, 224–229,
//! 425–428, 434.

use crate::error::{Field, PartnershipRuleError, required};
use crate::quantity::Decimal;
use chrono::NaiveDate;
use serde::Serialize;

/// 連携事業の段階 (spec §2.5 lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProjectStage {
    /// 構想
    Idea,
    /// 計画（KPI・リスク分担表）
    Planning,
    /// 締結
    Signed,
    /// 実施中
    Running,
    /// 評価
    Evaluation,
    /// 終了
    Closed,
    /// 中途終了
    Terminated,
}

impl ProjectStage {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Idea => "構想",
            Self::Planning => "計画",
            Self::Signed => "締結",
            Self::Running => "実施中",
            Self::Evaluation => "評価",
            Self::Closed => "終了",
            Self::Terminated => "中途終了",
        }
    }

    /// 締結済み: from 締結 on, the agreement binds both sides.
    pub fn is_signed(self) -> bool {
        !matches!(self, Self::Idea | Self::Planning)
    }
}

/// 締結の可否 (R6, line 434 「計画段階から明確なKPI設定を義務付け」): 計画 → 締結 needs at least one
/// KPI with a numeric target. `kpi_targets` holds each KPI's target (`None`: not yet set).
pub fn ensure_can_sign(stage: ProjectStage, kpi_targets: &[Option<Decimal>]) -> Result<(), PartnershipRuleError> {
    if stage != ProjectStage::Planning {
        return Err(PartnershipRuleError::InvalidTransition { from: stage.label_ja(), action: "締結" });
    }
    if kpi_targets.iter().any(Option::is_some) { Ok(()) } else { Err(PartnershipRuleError::KpiRequired) }
}

/// 変更管理の対象 (R7: what changes after 締結 only through an approved change request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ControlledField {
    /// KPIの目標値
    KpiTarget,
    /// 事業期間
    Period,
    /// リスクの負担者
    RiskBearer,
    /// 事業の範囲
    Scope,
}

impl ControlledField {
    pub fn field(self) -> Field {
        match self {
            Self::KpiTarget => Field::new("KPIの目標値", "KPI target"),
            Self::Period => Field::new("事業期間", "project period"),
            Self::RiskBearer => Field::new("リスクの負担者", "risk bearer"),
            Self::Scope => Field::new("事業の範囲", "scope"),
        }
    }
}

/// 直接編集の可否 (R7, acceptance check 4): before 締結 anything may be edited; after, a direct edit
/// is refused (409) and must go through [`ChangeRequest`].
pub fn ensure_direct_edit(stage: ProjectStage, field: ControlledField) -> Result<(), PartnershipRuleError> {
    if stage.is_signed() { Err(PartnershipRuleError::ChangeControlRequired { field: field.field() }) } else { Ok(()) }
}

/// 変更申請の状態 (spec §2.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChangeStatus {
    /// 申請
    Requested,
    /// 協議中
    Negotiating,
    /// 承認 → 反映 happen in one transaction, so 承認 is never seen alone; this is 反映.
    Applied,
    /// 却下
    Rejected,
}

impl ChangeStatus {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Requested => "申請",
            Self::Negotiating => "協議中",
            Self::Applied => "反映",
            Self::Rejected => "却下",
        }
    }
}

/// 変更申請の操作.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeAction {
    /// 協議開始
    StartNegotiation,
    /// 承認（同時に反映）: who approved and when.
    Approve { decided_by: String, decided_on: NaiveDate },
    /// 却下: a reason is required.
    Reject { reason: String, decided_on: NaiveDate },
}

/// 変更管理台帳の1項目 (one field change: before / after, acceptance check 4: before 100 / after 80).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: ControlledField,
    pub before: String,
    pub after: String,
}

/// 変更申請 (a change request of a 締結済 project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRequest {
    pub requested_on: NaiveDate,
    pub reason: String,
    pub changes: Vec<FieldChange>,
    pub status: ChangeStatus,
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<String>,
    pub rejection_reason: Option<String>,
}

const REASON: Field = Field::new("変更理由", "reason for the change");
const REJECTION: Field = Field::new("却下理由", "reason for rejection");
const APPROVER: Field = Field::new("承認者", "approver");
const DECIDED: Field = Field::new("決定日", "decided on");
const REQUESTED: Field = Field::new("申請日", "requested on");
const CHANGES: Field = Field::new("変更内容", "changes");

impl ChangeRequest {
    /// 変更申請: a reason and at least one change whose value actually differs.
    pub fn new(requested_on: NaiveDate, reason: &str, changes: Vec<FieldChange>) -> Result<Self, PartnershipRuleError> {
        required(REASON, reason)?;
        if changes.is_empty() || changes.iter().all(|c| c.before == c.after) {
            return Err(PartnershipRuleError::Missing { field: CHANGES });
        }
        Ok(Self {
            requested_on,
            reason: reason.trim().to_owned(),
            changes,
            status: ChangeStatus::Requested,
            decided_on: None,
            decided_by: None,
            rejection_reason: None,
        })
    }

    /// 申請 → 協議中 → 承認（反映）; 申請/協議中 → 却下. A decided request is final.
    pub fn apply(&mut self, action: ChangeAction) -> Result<(), PartnershipRuleError> {
        let open = matches!(self.status, ChangeStatus::Requested | ChangeStatus::Negotiating);
        let refuse =
            |action: &'static str| PartnershipRuleError::InvalidTransition { from: self.status.label_ja(), action };
        match action {
            ChangeAction::StartNegotiation if self.status == ChangeStatus::Requested => {
                self.status = ChangeStatus::Negotiating;
            }
            ChangeAction::StartNegotiation => return Err(refuse("協議開始")),
            ChangeAction::Approve { .. } if !open => return Err(refuse("承認")),
            ChangeAction::Reject { .. } if !open => return Err(refuse("却下")),
            ChangeAction::Approve { decided_by, decided_on } => {
                required(APPROVER, &decided_by)?;
                self.ensure_not_before_request(decided_on)?;
                self.status = ChangeStatus::Applied;
                self.decided_by = Some(decided_by.trim().to_owned());
                self.decided_on = Some(decided_on);
            }
            ChangeAction::Reject { reason, decided_on } => {
                required(REJECTION, &reason)?;
                self.ensure_not_before_request(decided_on)?;
                self.status = ChangeStatus::Rejected;
                self.rejection_reason = Some(reason.trim().to_owned());
                self.decided_on = Some(decided_on);
            }
        }
        Ok(())
    }

    fn ensure_not_before_request(&self, d: NaiveDate) -> Result<(), PartnershipRuleError> {
        if d < self.requested_on {
            Err(PartnershipRuleError::DateBefore { field: DECIDED, earlier: REQUESTED })
        } else {
            Ok(())
        }
    }
}

/// リスクの負担者 (spec §2.7: 行政 | 事業者 | 分担（行政 x% / 事業者 y%）| 協議).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Bearer {
    /// 行政
    Municipality,
    /// 事業者
    Operator,
    /// 分担 (percent for 行政 and for 事業者)
    Shared { municipality_pct: u32, operator_pct: u32 },
    /// 協議
    Negotiation,
}

impl Bearer {
    /// Checks a 分担 row: the shares must sum to 100 (R7: 60/30 → 「…（現在90%）」, 60/40 accepted).
    pub fn validate(self) -> Result<Self, PartnershipRuleError> {
        if let Self::Shared { municipality_pct, operator_pct } = self {
            let total = municipality_pct.saturating_add(operator_pct);
            if total != 100 {
                return Err(PartnershipRuleError::SharesNot100 { total });
            }
        }
        Ok(self)
    }

    /// 「行政」「分担（行政60%／事業者40%）」.
    pub fn label_ja(self) -> String {
        match self {
            Self::Municipality => "行政".to_owned(),
            Self::Operator => "事業者".to_owned(),
            Self::Shared { municipality_pct, operator_pct } => {
                format!("分担（行政{municipality_pct}%／事業者{operator_pct}%）")
            }
            Self::Negotiation => "協議".to_owned(),
        }
    }
}

/// リスク分担表の行 (line 426): each row needs an item and a bearer (R7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskRow {
    pub item: String,
    pub bearer: Option<Bearer>,
}

/// リスク分担表の確認: every row has an item and a valid bearer. Each bad row comes back with its
/// 1-based number, as the printed table numbers them, so the form can mark every row at once.
pub fn validate_risk_table(rows: &[RiskRow]) -> Vec<(usize, PartnershipRuleError)> {
    let check = |row: &RiskRow| -> Result<(), PartnershipRuleError> {
        required(Field::new("リスク項目", "risk item"), &row.item)?;
        row.bearer.ok_or(PartnershipRuleError::Missing { field: Field::new("負担者", "bearer") })?.validate()?;
        Ok(())
    };
    rows.iter().enumerate().filter_map(|(i, r)| check(r).err().map(|e| (i + 1, e))).collect()
}

/// 中途終了 (R12, line 156–160): a reason is required; for a resident service, the date a
/// substitute service was secured, and the days between are shown (seed reference: 平均3.2カ月).
pub fn termination_gap_days(
    terminated_on: NaiveDate,
    reason: &str,
    resident_service: bool,
    substitute_on: Option<NaiveDate>,
) -> Result<Option<i64>, PartnershipRuleError> {
    required(Field::new("中途終了の理由", "reason for termination"), reason)?;
    match (resident_service, substitute_on) {
        (true, None) => Err(PartnershipRuleError::Missing {
            field: Field::new("代替サービス確保日", "substitute service secured on"),
        }),
        (_, Some(s)) if s < terminated_on => Err(PartnershipRuleError::DateBefore {
            field: Field::new("代替サービス確保日", "substitute service secured on"),
            earlier: Field::new("中途終了日", "terminated on"),
        }),
        (_, Some(s)) => Ok(Some((s - terminated_on).num_days())),
        (false, None) => Ok(None),
    }
}

#[cfg(test)]
#[path = "governance_tests.rs"]
mod tests;
