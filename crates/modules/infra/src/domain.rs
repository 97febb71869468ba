//! 群マネの用語 (the vocabulary of bundled maintenance) and the work-order state machine.
//!
//! 受付 → 指示 → 施工 → 報告 → 履行確認, with 差戻し (報告 → 施工), 取消 and 回送. Who may take
//! each step is decided here, from the actor's role in the work order (the owner 本来管理者, or
//! the contractor), so that liability and judgement stay with the true owner.

tabane_core::vocabulary! {
    /// 施設の種類 (asset kind).
    AssetKind {
        Road = ("road", "道路", "Road"),
        Bridge = ("bridge", "橋梁", "Bridge"),
        Tunnel = ("tunnel", "トンネル", "Tunnel"),
        Pavement = ("pavement", "舗装", "Pavement"),
        Appendage = ("appendage", "道路附属物", "Road appendage"),
        River = ("river", "河川施設", "River facility"),
        Sabo = ("sabo", "砂防施設", "Erosion control"),
        Park = ("park", "公園・遊具", "Park / playground"),
        Sewer = ("sewer", "下水道", "Sewer"),
        Other = ("other", "その他", "Other"),
    }
}

impl AssetKind {
    /// 分野 (sector) the kind belongs to.
    pub fn sector_ja(self) -> &'static str {
        match self {
            AssetKind::Road | AssetKind::Bridge | AssetKind::Tunnel | AssetKind::Pavement | AssetKind::Appendage => {
                "道路"
            }
            AssetKind::River => "河川",
            AssetKind::Sabo => "砂防",
            AssetKind::Park => "公園",
            AssetKind::Sewer => "下水道",
            AssetKind::Other => "その他",
        }
    }
}

tabane_core::vocabulary! {
    /// 緊急度 (urgency).
    Urgency {
        Emergency = ("emergency", "緊急", "Emergency"),
        Early = ("early", "早期", "Early"),
        Normal = ("normal", "通常", "Normal"),
    }
}

impl Urgency {
    /// Business days allowed from 指示 to completion, until contracts set their own.
    pub fn default_business_days(self) -> i32 {
        match self {
            Urgency::Emergency => 0,
            Urgency::Early => 3,
            Urgency::Normal => 10,
        }
    }
}

tabane_core::vocabulary! {
    /// 作業の状態 (work-order status).
    #[schemars(rename = "WorkOrderStatus")]
    Status {
        Received = ("received", "受付", "Received"),
        Instructed = ("instructed", "指示", "Instructed"),
        InProgress = ("in_progress", "施工", "In progress"),
        Reported = ("reported", "報告", "Reported"),
        Confirmed = ("confirmed", "履行確認", "Confirmed"),
        Cancelled = ("cancelled", "取消", "Cancelled"),
        Forwarded = ("forwarded", "他管理者へ回送", "Forwarded"),
    }
}

impl Status {
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Confirmed | Status::Cancelled | Status::Forwarded)
    }
}

tabane_core::vocabulary! {
    /// 作業の操作 (a step taken on a work order).
    #[schemars(rename = "WorkOrderAction")]
    Action {
        Instruct = ("instruct", "指示する", "Instruct"),
        Start = ("start", "着手する", "Start"),
        Report = ("report", "完了を報告する", "Report completion"),
        SendBack = ("send_back", "差し戻す", "Send back"),
        Confirm = ("confirm", "履行確認する", "Confirm"),
        Cancel = ("cancel", "取り消す", "Cancel"),
        Forward = ("forward", "他の管理者へ回送する", "Forward"),
    }
}

tabane_core::vocabulary! {
    /// 写真の区分 (photo phase).
    Phase {
        Before = ("before", "着手前", "Before"),
        During = ("during", "施工中", "During"),
        After = ("after", "完了", "After"),
        Document = ("document", "関係資料", "Document"),
    }
}

tabane_core::vocabulary! {
    /// 発生源 (where the job came from).
    Source {
        Owner = ("owner", "管理者職員", "Owner staff"),
        Patrol = ("patrol", "パトロール", "Patrol"),
        Resident = ("resident", "住民通報", "Resident report"),
        Contractor = ("contractor", "受注者", "Contractor"),
    }
}

/// The actor's side in a work order: staff of the owner organisation (本来管理者), staff of the
/// bundle's contractor, or anyone else who can see it (another owner in the bundle, viewers).
pub use tabane_core::service::bundle_access::Side;

/// 分割 (splitting a job between two owners): only the owner's staff, and only before the
/// contractor has started (受付・指示). The order page offers it and `work_orders::split`
/// enforces it by this one rule.
pub fn can_split(status: Status, side: Side) -> bool {
    side == Side::Owner && matches!(status, Status::Received | Status::Instructed)
}

/// Where an action leads from a status, if anywhere.
pub fn next_status(from: Status, action: Action) -> Option<Status> {
    use Action::*;
    use Status::*;
    match (from, action) {
        (Received, Instruct) => Some(Instructed),
        (Instructed, Start) => Some(InProgress),
        (InProgress, Report) => Some(Reported),
        (Reported, SendBack) => Some(InProgress),
        (Reported, Confirm) => Some(Confirmed),
        (Received | Instructed | InProgress | Reported, Cancel) => Some(Cancelled),
        (Received, Forward) => Some(Forwarded),
        _ => None,
    }
}

/// Which side may take an action: judgement (instruct, send back, confirm, cancel, forward)
/// stays with the owner; the work (start, report) is the contractor's.
pub fn side_for(action: Action) -> Side {
    match action {
        Action::Start | Action::Report => Side::Contractor,
        _ => Side::Owner,
    }
}

/// Actions the given side may take now (used to show only the buttons that work).
pub fn allowed(from: Status, side: Side) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|a| side_for(*a) == side && next_status(from, *a).is_some()).collect()
}

/// Actions that need a written reason.
pub fn needs_reason(action: Action) -> bool {
    matches!(action, Action::SendBack | Action::Cancel | Action::Forward)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_runs_in_order() {
        let mut s = Status::Received;
        for (a, side) in [
            (Action::Instruct, Side::Owner),
            (Action::Start, Side::Contractor),
            (Action::Report, Side::Contractor),
            (Action::Confirm, Side::Owner),
        ] {
            assert_eq!(side_for(a), side);
            s = next_status(s, a).unwrap();
        }
        assert_eq!(s, Status::Confirmed);
    }

    #[test]
    fn only_the_owner_splits_and_only_before_work_starts() {
        assert!(can_split(Status::Received, Side::Owner) && can_split(Status::Instructed, Side::Owner));
        assert!(!can_split(Status::InProgress, Side::Owner) && !can_split(Status::Reported, Side::Owner));
        assert!(!can_split(Status::Received, Side::Contractor) && !can_split(Status::Received, Side::Other));
    }

    #[test]
    fn contractor_cannot_judge_and_owner_cannot_report() {
        assert!(allowed(Status::Reported, Side::Contractor).is_empty());
        assert_eq!(allowed(Status::Reported, Side::Owner), vec![Action::SendBack, Action::Confirm, Action::Cancel]);
        assert!(!allowed(Status::InProgress, Side::Owner).contains(&Action::Report));
        assert!(allowed(Status::Confirmed, Side::Owner).is_empty());
        assert!(allowed(Status::Received, Side::Other).is_empty());
    }

    #[test]
    fn final_states_accept_nothing() {
        for s in [Status::Confirmed, Status::Cancelled, Status::Forwarded] {
            for a in Action::ALL {
                assert_eq!(next_status(s, *a), None);
            }
        }
    }
}

tabane_core::vocabulary! {
    /// 対策区分 (measure category), judged independently of 健全性.
    Measure {
        A = ("A", "A 補修不要", "A: no repair needed"),
        B = ("B", "B 状況に応じて補修", "B: repair as needed"),
        C1 = ("C1", "C1 予防保全の観点から速やかに補修", "C1: prompt repair (preventive)"),
        C2 = ("C2", "C2 構造安全性の観点から速やかに補修", "C2: prompt repair (structural safety)"),
        E1 = ("E1", "E1 構造安全性の観点から緊急対応", "E1: emergency (structural safety)"),
        E2 = ("E2", "E2 その他緊急対応", "E2: emergency (other)"),
        M = ("M", "M 維持工事で対応", "M: by routine maintenance"),
        S1 = ("S1", "S1 詳細調査", "S1: detailed survey"),
        S2 = ("S2", "S2 追跡調査", "S2: follow-up survey"),
    }
}

/// The usual 健全性 for a 対策区分 (A,B→I; C1,M→II; C2→III; E1,E2→IV); `None` for S1/S2, whose
/// diagnosis is pending. Only a proposal: a grade a person entered is never overwritten.
pub fn proposed_grade(m: Measure) -> Option<u8> {
    match m {
        Measure::A | Measure::B => Some(1),
        Measure::C1 | Measure::M => Some(2),
        Measure::C2 => Some(3),
        Measure::E1 | Measure::E2 => Some(4),
        Measure::S1 | Measure::S2 => None,
    }
}

/// 点検の巡目 (inspection rounds) by fiscal year: 1巡目 FY2014–2018, 2巡目 FY2019–2023, 3巡目 FY2024–2028.
pub const ROUNDS: &[(i32, i32, i32)] = &[(1, 2014, 2018), (2, 2019, 2023), (3, 2024, 2028), (4, 2029, 2033)];

pub fn round_of(fiscal_year: i32) -> Option<i32> {
    ROUNDS.iter().find(|(_, a, b)| (*a..=*b).contains(&fiscal_year)).map(|r| r.0)
}

/// 健全性 written as I–IV (Ⅰ–Ⅳ, full-width) or 1–4.
pub fn parse_grade(s: &str) -> Option<u8> {
    match tabane_tabular::to_halfwidth_ascii(s.trim()).as_ref() {
        "1" | "I" | "Ⅰ" => Some(1),
        "2" | "II" | "Ⅱ" => Some(2),
        "3" | "III" | "Ⅲ" => Some(3),
        "4" | "IV" | "Ⅳ" => Some(4),
        _ => None,
    }
}

pub fn grade_label(g: u8) -> &'static str {
    ["", "I", "II", "III", "IV"].get(g as usize).copied().unwrap_or("")
}

#[cfg(test)]
mod inspection_tests {
    use super::*;

    #[test]
    fn usual_correspondence_and_rounds() {
        assert_eq!(proposed_grade(Measure::C1), Some(2));
        assert_eq!(proposed_grade(Measure::E2), Some(4));
        assert_eq!(proposed_grade(Measure::S1), None);
        assert_eq!(round_of(2018), Some(1));
        assert_eq!(round_of(2019), Some(2));
        assert_eq!(round_of(2013), None);
        assert_eq!(parse_grade("Ⅲ"), Some(3));
        assert_eq!(parse_grade("V"), None);
    }
}
