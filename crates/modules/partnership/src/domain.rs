//! 官民連携の用語 (vocabulary of the partnership module, seed 003, spec `partnership.md` §2). The
//! rules (turnaround, KPIs, similarity, visibility, the 締結 gate, change control, SROI) are pure
//! functions in `tabane-partnership-rules`; this file maps the stored keys onto them.

use tabane_core::vocabulary;
use tabane_partnership_rules::contact::{Answer, ContactStatus};
use tabane_partnership_rules::governance::ProjectStage;
use tabane_partnership_rules::kpi_counts::{ContactStage, ProjectKind, ProjectOrigin};

vocabulary! {
    /// 受付経路 (line 284).
    Channel {
        InPerson = ("in_person", "対面", "In person"),
        Online = ("online", "オンライン", "Online"),
        Phone = ("phone", "電話", "Phone"),
        Mail = ("mail", "メール", "E-mail"),
        Portal = ("portal", "ポータル", "Portal"),
    }
}

vocabulary! {
    /// 相談 or 提案.
    ContactKind {
        Consultation = ("consultation", "相談", "Consultation"),
        Proposal = ("proposal", "提案", "Proposal"),
    }
}

vocabulary! {
    /// 受付の状態 (spec §2.1).
    #[schemars(rename = "PpContactStatus")]
    Status {
        Received = ("received", "受付", "Received"),
        Routed = ("routed", "回付済", "Routed"),
        UnderReview = ("under_review", "検討中", "Under review"),
        Answered = ("answered", "回答済", "Answered"),
        Agreed = ("agreed", "成約", "Agreed"),
        Launched = ("launched", "事業化", "Launched"),
        Withdrawn = ("withdrawn", "取下げ", "Withdrawn"),
    }
}

vocabulary! {
    /// 回答区分.
    #[schemars(rename = "PpAnswer")]
    AnswerKind {
        Adopted = ("adopted", "採択", "Adopted"),
        Rejected = ("rejected", "不採択", "Rejected"),
        ContinuedTalks = ("continued", "継続協議", "Talks continue"),
        InformationOnly = ("information", "情報提供のみ", "Information only"),
    }
}

impl AnswerKind {
    pub fn rules(self) -> Answer {
        match self {
            AnswerKind::Adopted => Answer::Adopted,
            AnswerKind::Rejected => Answer::Rejected,
            AnswerKind::ContinuedTalks => Answer::ContinuedTalks,
            AnswerKind::InformationOnly => Answer::InformationOnly,
        }
    }
}

/// The rules' status of a stored reception.
pub fn contact_status(status: &str, answer: Option<&str>) -> ContactStatus {
    match Status::parse(status).unwrap_or(Status::Received) {
        Status::Received => ContactStatus::Received,
        Status::Routed => ContactStatus::Routed,
        Status::UnderReview => ContactStatus::UnderReview,
        Status::Answered => {
            ContactStatus::Answered(answer.and_then(AnswerKind::parse).unwrap_or(AnswerKind::InformationOnly).rules())
        }
        Status::Agreed => ContactStatus::Agreed,
        Status::Launched => ContactStatus::Launched,
        Status::Withdrawn => ContactStatus::Withdrawn,
    }
}

pub fn status_key(s: ContactStatus) -> Status {
    match s {
        ContactStatus::Received => Status::Received,
        ContactStatus::Routed => Status::Routed,
        ContactStatus::UnderReview => Status::UnderReview,
        ContactStatus::Answered(_) => Status::Answered,
        ContactStatus::Agreed => Status::Agreed,
        ContactStatus::Launched => Status::Launched,
        ContactStatus::Withdrawn => Status::Withdrawn,
    }
}

pub fn contact_stage(status: &str) -> ContactStage {
    match Status::parse(status).unwrap_or(Status::Received) {
        Status::Received | Status::Routed | Status::UnderReview => ContactStage::Open,
        Status::Answered => ContactStage::Answered,
        Status::Agreed => ContactStage::Agreed,
        Status::Launched => ContactStage::Launched,
        Status::Withdrawn => ContactStage::Withdrawn,
    }
}

vocabulary! {
    /// 地域資源の種類 (line 347).
    Category {
        People = ("people", "人材", "People"),
        Technology = ("technology", "技術", "Technology"),
        Facility = ("facility", "施設", "Facility"),
        Space = ("space", "空間", "Space"),
        Funds = ("funds", "資金", "Funds"),
        Other = ("other", "その他", "Other"),
    }
}

vocabulary! {
    /// 公開区分 (line 348).
    #[schemars(rename = "PpVisibility")]
    Visibility {
        Public = ("public", "公開", "Public", "公開（オープンデータ）"),
        Members = ("members", "登録団体限定", "Registered organisations only"),
        Private = ("private", "非公開", "Secretariat only", "非公開（事務局のみ）"),
    }
}

impl Visibility {
    pub fn rules(self) -> tabane_partnership_rules::resource::Visibility {
        use tabane_partnership_rules::resource::Visibility as V;
        match self {
            Visibility::Public => V::Public,
            Visibility::Members => V::MembersOnly,
            Visibility::Private => V::Private,
        }
    }
}

vocabulary! {
    /// 地域課題の出どころ.
    IssueSource {
        Municipality = ("municipality", "行政", "Municipality"),
        Workshop = ("workshop", "住民ワークショップ", "Residents' workshop"),
        Community = ("community", "地域団体", "Community group"),
        Company = ("company", "企業", "Company"),
        Resident = ("resident", "住民", "Resident"),
    }
}

vocabulary! {
    /// 地域課題の状態.
    IssueStatus {
        Registered = ("registered", "登録", "Registered"),
        Open = ("open", "公開（提案募集中）", "Open for proposals"),
        Matching = ("matching", "マッチング中", "Matching"),
        Solved = ("solved", "解決", "Solved"),
        Closed = ("closed", "終了（未解決）", "Closed unsolved"),
    }
}

vocabulary! {
    /// 連携形態 (line 17, 104, 112, 419).
    #[schemars(rename = "PpProjectKind")]
    Kind {
        Comprehensive = ("comprehensive", "包括連携協定", "Comprehensive agreement"),
        Individual = ("individual", "個別連携", "Individual partnership"),
        Research = ("research", "共同研究・実証事業", "Joint research / pilot"),
        LivingLab = ("living_lab", "リビングラボ実証", "Living lab pilot"),
        Ppp = ("ppp", "PPP/PFI", "PPP/PFI"),
        Other = ("other", "その他", "Other"),
    }
}

vocabulary! {
    /// 発端.
    Origin {
        Window = ("window", "窓口提案", "Window proposal"),
        Matching = ("matching", "マッチング", "Matching"),
        Municipality = ("municipality", "行政発意", "Municipality's initiative"),
        Portal = ("portal", "ポータル", "Portal"),
        LivingLab = ("living_lab", "リビングラボ", "Living lab"),
    }
}

impl Origin {
    pub fn rules(self) -> ProjectOrigin {
        match self {
            Origin::Window => ProjectOrigin::Window,
            Origin::Matching => ProjectOrigin::Matching,
            Origin::Municipality => ProjectOrigin::Municipality,
            Origin::Portal => ProjectOrigin::Portal,
            Origin::LivingLab => ProjectOrigin::LivingLab,
        }
    }
}

impl Kind {
    pub fn rules(self) -> ProjectKind {
        if self == Kind::LivingLab { ProjectKind::LivingLab } else { ProjectKind::Other }
    }
}

vocabulary! {
    /// 連携事業の段階 (spec §2.5).
    Stage {
        Idea = ("idea", "構想", "Idea"),
        Planning = ("planning", "計画", "Planning"),
        Signed = ("signed", "締結", "Signed"),
        Running = ("running", "実施中", "Running"),
        Evaluation = ("evaluation", "評価", "Evaluation"),
        Closed = ("closed", "終了", "Closed"),
        Terminated = ("terminated", "中途終了", "Terminated early"),
    }
}

impl Stage {
    pub fn rules(self) -> ProjectStage {
        match self {
            Stage::Idea => ProjectStage::Idea,
            Stage::Planning => ProjectStage::Planning,
            Stage::Signed => ProjectStage::Signed,
            Stage::Running => ProjectStage::Running,
            Stage::Evaluation => ProjectStage::Evaluation,
            Stage::Closed => ProjectStage::Closed,
            Stage::Terminated => ProjectStage::Terminated,
        }
    }
}

vocabulary! {
    /// 変更申請の状態.
    ChangeState {
        Requested = ("requested", "申請", "Requested"),
        Approved = ("approved", "承認（反映）", "Approved and applied"),
        Rejected = ("rejected", "却下", "Rejected"),
    }
}

/// 和暦 of a day.
pub fn wareki(d: chrono::NaiveDate) -> String {
    tabane_calendar::to_wareki(d).map(|w| w.format_ja()).unwrap_or_else(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_keys_read_back_as_the_rules_states() {
        assert_eq!(contact_status("answered", Some("adopted")), ContactStatus::Answered(Answer::Adopted));
        assert_eq!(status_key(ContactStatus::Answered(Answer::Rejected)), Status::Answered);
        assert_eq!(Visibility::parse("公開（オープンデータ）"), Some(Visibility::Public));
        assert_eq!(Visibility::parse("社外秘"), None);
    }
}
