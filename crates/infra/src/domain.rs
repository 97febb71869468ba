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
            AssetKind::Road | AssetKind::Bridge | AssetKind::Tunnel | AssetKind::Pavement | AssetKind::Appendage => "道路",
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

/// The actor's side in a work order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Staff (or admin) of the owner organisation (本来管理者).
    Owner,
    /// Staff of the bundle's contractor.
    Contractor,
    /// Anyone else who can see it (another owner in the bundle, viewers).
    Other,
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
        for (a, side) in [(Action::Instruct, Side::Owner), (Action::Start, Side::Contractor), (Action::Report, Side::Contractor), (Action::Confirm, Side::Owner)] {
            assert_eq!(side_for(a), side);
            s = next_status(s, a).unwrap();
        }
        assert_eq!(s, Status::Confirmed);
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
