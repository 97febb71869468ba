//! システムの共同調達 (joint procurement of systems by a prefecture and its municipalities;
//! spec R14, line 716–823) — the checklist rules of one member's contract.
//!
//! The seed's points: steps システムの選定 → 仕様書の作成 → 事業者の選定 → 契約 → 構築・導入
//! (line 776–784); a 随意契約 under 地方自治法施行令第167条の２第１項第２号 needs both conditions of
//! line 805–811 explained (「説明責任を十分に果たす必要」, line 813–814); a contract in the name of a
//! council not based on 地方自治法 needs a 規約 stating the split of responsibilities, or per-member
//! contracts (line 820–823).

use crate::error::TalentRuleError;
use serde::Serialize;

/// 共同調達の手順 (line 776–784), in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ProcurementStep {
    /// システムの選定
    SystemSelection,
    /// 仕様書の作成
    Specification,
    /// 事業者の選定
    VendorSelection,
    /// 契約
    Contract,
    /// 構築・導入
    Deployment,
}

impl ProcurementStep {
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::SystemSelection => "システムの選定",
            Self::Specification => "仕様書の作成",
            Self::VendorSelection => "事業者の選定",
            Self::Contract => "契約",
            Self::Deployment => "構築・導入",
        }
    }
}

/// 契約の主体 (line 799–801, 817–823).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ContractParty {
    /// 参加団体ごとの契約
    EachMember,
    /// 都道府県による一括の契約
    Prefecture,
    /// 地方自治法に基づく協議会等による一括の契約
    StatutoryCouncil,
    /// 地方自治法に基づかない（事実上の）協議会の代表者名による契約
    InformalCouncil,
}

/// 随意契約（第2号該当）の理由の記録 (line 805–811): the text written for each condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct NegotiatedContractGrounds {
    /// (1) 広域的に統一して調達することが適当で、複数団体が同一の事業者と契約する必要がある
    pub wide_area_uniform: String,
    /// (2) 事業者の選定が地方自治法令に基づく、又は同等の公正性・機会均等性が確保された方法による
    pub fair_selection: String,
}

/// 参加団体の契約 (one member's contract in a joint procurement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberContract {
    pub party: ContractParty,
    /// 随意契約 under 第2号 (else 競争入札 etc.)
    pub negotiated: bool,
    pub grounds: NegotiatedContractGrounds,
    /// 責任分担を明記した規約 is on file
    pub responsibility_rules_on_file: bool,
}

/// A checklist line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcurementCheck {
    pub complete: bool,
    /// What is missing, one line each.
    pub missing_ja: Vec<String>,
}

/// 「随意契約の理由（第2号該当）」 and the 規約 of an informal council: what is still missing.
pub fn check_member_contract(c: &MemberContract) -> ProcurementCheck {
    let mut missing = Vec::new();
    if c.negotiated {
        if c.grounds.wide_area_uniform.trim().is_empty() {
            missing.push("随意契約の理由（第2号該当）: 広域的に統一して調達することが適当で、複数の団体が同一の事業者と契約する必要があることが記載されていません".to_owned());
        }
        if c.grounds.fair_selection.trim().is_empty() {
            missing.push("随意契約の理由（第2号該当）: 事業者の選定が地方自治法令に基づく、又は同等の公正性・機会均等性が確保された方法によることが記載されていません".to_owned());
        }
    }
    if c.party == ContractParty::InformalCouncil && !c.responsibility_rules_on_file {
        missing.push("地方自治法に基づかない協議会の名による契約には、責任分担を明記した規約が必要です（又は参加団体ごとに契約してください）".to_owned());
    }
    ProcurementCheck { complete: missing.is_empty(), missing_ja: missing }
}

/// Marks 「随意契約の理由（第2号該当）」 complete: refused while a condition is undocumented.
pub fn ensure_negotiated_grounds_complete(c: &MemberContract) -> Result<(), TalentRuleError> {
    let g = &c.grounds;
    if c.negotiated && (g.wide_area_uniform.trim().is_empty() || g.fair_selection.trim().is_empty()) {
        Err(TalentRuleError::NegotiatedGroundsMissing)
    } else {
        Ok(())
    }
}

/// The next step may start only when the previous one is done (line 776–784).
pub fn ensure_step_order(done: &[ProcurementStep], next: ProcurementStep) -> Result<(), TalentRuleError> {
    let all = [
        ProcurementStep::SystemSelection,
        ProcurementStep::Specification,
        ProcurementStep::VendorSelection,
        ProcurementStep::Contract,
        ProcurementStep::Deployment,
    ];
    match all.iter().take_while(|s| **s < next).find(|s| !done.contains(s)) {
        None => Ok(()),
        Some(missing) => Err(TalentRuleError::StepNotDone { missing: missing.name_ja(), next: next.name_ja() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(party: ContractParty, wide: &str, fair: &str, rules: bool) -> MemberContract {
        MemberContract {
            party,
            negotiated: true,
            grounds: NegotiatedContractGrounds { wide_area_uniform: wide.into(), fair_selection: fair.into() },
            responsibility_rules_on_file: rules,
        }
    }

    /// Spec R14: 「随意契約の理由（第2号該当）」 cannot be complete with either condition undocumented.
    #[test]
    fn negotiated_contract_needs_both_grounds() {
        let one = contract(ContractParty::EachMember, "県内統一の電子申請システム", "", false);
        let r = check_member_contract(&one);
        assert!(!r.complete);
        assert_eq!(r.missing_ja.len(), 1);
        assert!(r.missing_ja[0].contains("公正性・機会均等性"));
        assert!(ensure_negotiated_grounds_complete(&one).is_err());
        let both = contract(ContractParty::EachMember, "県内統一の電子申請システム", "県が一般競争入札で選定", false);
        assert!(check_member_contract(&both).complete);
        assert!(ensure_negotiated_grounds_complete(&both).is_ok());
    }

    /// Spec R14 (line 820–823): an informal council's contract needs its 規約.
    #[test]
    fn informal_council_needs_rules() {
        let c = contract(ContractParty::InformalCouncil, "a", "b", false);
        assert!(check_member_contract(&c).missing_ja[0].contains("規約"));
        assert!(check_member_contract(&contract(ContractParty::InformalCouncil, "a", "b", true)).complete);
    }

    #[test]
    fn steps_in_order() {
        use ProcurementStep::*;
        assert!(ensure_step_order(&[], SystemSelection).is_ok());
        assert!(ensure_step_order(&[SystemSelection, Specification], VendorSelection).is_ok());
        let e = ensure_step_order(&[SystemSelection], Contract).unwrap_err();
        assert_eq!(e.to_string(), "「契約」の前に「仕様書の作成」を完了してください");
    }
}
