use super::*;
use proptest::prelude::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// R6 and acceptance check 3.
#[test]
fn kpi_gate() {
    let e = ensure_can_sign(ProjectStage::Planning, &[]).unwrap_err();
    assert_eq!(e.to_string(), "KPIが設定されていないため締結できません（KPIの設定は計画段階で必須です）");
    assert!(e.is_conflict());
    assert!(ensure_can_sign(ProjectStage::Planning, &[None]).is_err());
    assert!(ensure_can_sign(ProjectStage::Planning, &[None, Some(Decimal::integer(80))]).is_ok());
    assert_eq!(
        ensure_can_sign(ProjectStage::Idea, &[Some(Decimal::integer(1))]).unwrap_err().to_string(),
        "「構想」の状態では「締結」はできません"
    );
}

/// R7 and acceptance check 4.
#[test]
fn change_control() {
    assert!(ensure_direct_edit(ProjectStage::Planning, ControlledField::KpiTarget).is_ok());
    let e = ensure_direct_edit(ProjectStage::Running, ControlledField::KpiTarget).unwrap_err();
    assert_eq!(e.to_string(), "締結後の変更は変更管理（変更申請・承認）を通してください");
    assert!(e.is_conflict());
    assert!(e.message_en().contains("KPI target"));

    let change = FieldChange { field: ControlledField::KpiTarget, before: "100".into(), after: "80".into() };
    let mut cr = ChangeRequest::new(ymd(2025, 9, 1), "利用者数の見込みを修正", vec![change.clone()]).unwrap();
    cr.apply(ChangeAction::StartNegotiation).unwrap();
    cr.apply(ChangeAction::Approve { decided_by: "企画課長".into(), decided_on: ymd(2025, 9, 10) }).unwrap();
    assert_eq!(cr.status, ChangeStatus::Applied);
    assert_eq!((cr.changes[0].before.as_str(), cr.changes[0].after.as_str()), ("100", "80"));
    assert_eq!(cr.decided_by.as_deref(), Some("企画課長"));
    let e = cr.apply(ChangeAction::Reject { reason: "x".into(), decided_on: ymd(2025, 9, 11) }).unwrap_err();
    assert_eq!(e.to_string(), "「反映」の状態では「却下」はできません");

    let mut cr = ChangeRequest::new(ymd(2025, 9, 1), "期間延長", vec![change.clone()]).unwrap();
    let e = cr.apply(ChangeAction::Reject { reason: " ".into(), decided_on: ymd(2025, 9, 2) }).unwrap_err();
    assert_eq!(e.to_string(), "「却下理由」が入力されていません");
    let e = cr.apply(ChangeAction::Approve { decided_by: "課長".into(), decided_on: ymd(2025, 8, 31) }).unwrap_err();
    assert_eq!(e.to_string(), "「決定日」が「申請日」より前の日付です");
    assert_eq!(cr.status, ChangeStatus::Requested);

    assert!(ChangeRequest::new(ymd(2025, 9, 1), "", vec![change.clone()]).is_err());
    let same = FieldChange { after: "100".into(), ..change };
    assert_eq!(
        ChangeRequest::new(ymd(2025, 9, 1), "理由", vec![same]).unwrap_err().to_string(),
        "「変更内容」が入力されていません"
    );
}

/// R7: 60/30 → 422 with the total; 60/40 accepted.
#[test]
fn risk_shares() {
    let e = Bearer::Shared { municipality_pct: 60, operator_pct: 30 }.validate().unwrap_err();
    assert_eq!(e.to_string(), "負担割合の合計が100%になりません（現在90%）");
    let ok = Bearer::Shared { municipality_pct: 60, operator_pct: 40 }.validate().unwrap();
    assert_eq!(ok.label_ja(), "分担（行政60%／事業者40%）");
    let rows = [
        RiskRow { item: "需要変動".into(), bearer: Some(Bearer::Operator) },
        RiskRow { item: "法令変更".into(), bearer: None },
    ];
    let errors = validate_risk_table(&rows);
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].0, errors[0].1.to_string()), (2, "「負担者」が入力されていません".to_owned()));
    assert!(validate_risk_table(&rows[..1]).is_empty());
}

/// R12.
#[test]
fn termination() {
    assert_eq!(termination_gap_days(ymd(2025, 4, 1), "事業者の撤退", true, Some(ymd(2025, 7, 7))).unwrap(), Some(97));
    assert_eq!(
        termination_gap_days(ymd(2025, 4, 1), "事業者の撤退", true, None).unwrap_err().to_string(),
        "「代替サービス確保日」が入力されていません"
    );
    assert_eq!(termination_gap_days(ymd(2025, 4, 1), "協定満了前の合意解約", false, None).unwrap(), None);
    assert!(termination_gap_days(ymd(2025, 4, 1), "", false, None).is_err());
    assert!(termination_gap_days(ymd(2025, 4, 1), "撤退", true, Some(ymd(2025, 3, 1))).is_err());
}

proptest! {
    #[test]
    fn shares_accepted_iff_100(a in 0u32..=u32::MAX, b in 0u32..=u32::MAX) {
        let r = Bearer::Shared { municipality_pct: a, operator_pct: b }.validate();
        prop_assert_eq!(r.is_ok(), a.checked_add(b) == Some(100));
    }
}
