//! 協議会・研究部会の用語と計算 (vocabulary and pure rules of the council module, seed 000):
//! hearing progress against the ~10 target (R3), weekly liaison coverage (R9), the warning for a
//! due date after the contract's end (R2), the order of an 担当者打合せ and its 研究部会 (R5).
//! No I/O here; the worked examples of the spec are the unit tests below.

use chrono::{Datelike, Duration, NaiveDate};
use tabane_core::vocabulary;

vocabulary! {
    /// 会議の種別 (kind of meeting): 研究部会 and the 担当者打合せ that prepares it.
    MeetingKind {
        Plenary = ("bukai", "研究部会", "Committee meeting"),
        Working = ("tantou", "担当者打合せ", "Working meeting"),
    }
}

vocabulary! {
    /// 会議の状況 (state of a council meeting): 日程未定 until the client fixes the date.
    MeetingStatus {
        Undecided = ("undecided", "日程未定", "Date not set"),
        Scheduled = ("scheduled", "日程確定", "Scheduled"),
        Held = ("held", "開催済", "Held"),
        Cancelled = ("cancelled", "中止", "Cancelled"),
    }
}

vocabulary! {
    /// 提言先 (to whom the committee proposes, spec §2.8).
    #[schemars(rename = "CouncilAddressee")]
    Addressee {
        Governors = ("governors", "関東地方知事会", "Kanto governors' association"),
        State = ("state", "国", "The national government"),
    }
}

vocabulary! {
    /// 提言の段階 (案作成中 → 研究部会で協議 → 知事会へ提出 → 採択（提言）, spec §2.8).
    #[schemars(rename = "CouncilProposalStage")]
    ProposalStage {
        Drafting = ("drafting", "案作成中", "Drafting"),
        Discussed = ("discussed", "研究部会で協議", "Discussed by the committee"),
        Submitted = ("submitted", "知事会へ提出", "Submitted"),
        Adopted = ("adopted", "採択（提言）", "Adopted"),
    }
}

impl ProposalStage {
    /// The one stage that may follow (none after 採択).
    pub fn next(self) -> Option<ProposalStage> {
        match self {
            ProposalStage::Drafting => Some(ProposalStage::Discussed),
            ProposalStage::Discussed => Some(ProposalStage::Submitted),
            ProposalStage::Submitted => Some(ProposalStage::Adopted),
            ProposalStage::Adopted => None,
        }
    }
}

vocabulary! {
    /// ヒアリングの種別 (kind of hearing, seed 4(2)).
    HearingKind {
        Practitioner = ("practitioner", "実践者", "Practitioner"),
        Company = ("company", "企業", "Company"),
        Municipality = ("municipality", "自治体追加調査", "Additional local-government survey"),
    }
}

vocabulary! {
    /// 実施方法 (how a hearing is held; 実地 is recommended, online allowed).
    HearingMode {
        Onsite = ("onsite", "実地", "On site"),
        Online = ("online", "オンライン", "Online"),
    }
}

vocabulary! {
    /// ヒアリングの状況 (予定 → 実施済 → 記録済 → 確認済, or 中止).
    HearingStatus {
        Planned = ("planned", "予定", "Planned"),
        Held = ("held", "実施済", "Held"),
        Recorded = ("recorded", "記録済", "Recorded"),
        Checked = ("checked", "確認済", "Checked"),
        Cancelled = ("cancelled", "中止", "Cancelled"),
    }
}

impl HearingStatus {
    /// Whether the hearing took place (counted in the progress).
    pub fn took_place(self) -> bool {
        matches!(self, HearingStatus::Held | HearingStatus::Recorded | HearingStatus::Checked)
    }
}

vocabulary! {
    /// 掲載同意 (the hearing subject's consent to publication).
    Consent {
        Yes = ("yes", "掲載可", "May be published"),
        Anonymous = ("anonymous", "匿名で掲載可", "Anonymously"),
        No = ("no", "掲載不可", "Not to be published"),
        Unknown = ("unknown", "未確認", "Not confirmed"),
    }
}

impl Consent {
    /// A case drawn from the hearing may be shown beyond the client.
    pub fn allows_sharing(self) -> bool {
        matches!(self, Consent::Yes | Consent::Anonymous)
    }
}

vocabulary! {
    /// 事例の分類 (category of a case, seed line 27–29).
    CaseCategory {
        Practice = ("practice", "実践者の好事例", "Good practice"),
        Company = ("company", "企業の先進的な取組", "Company initiative"),
        Policy = ("policy", "行政の支援施策", "Government support"),
    }
}

vocabulary! {
    /// 事例の公開範囲 (who sees a case).
    CaseVisibility {
        Client = ("client", "委託者のみ", "Client only"),
        Members = ("members", "構成員", "Members"),
        Public = ("public", "公開", "Public"),
    }
}

vocabulary! {
    /// 打合せ・協議の種別 (kind of liaison record, seed 4(7) and 7).
    LiaisonKind {
        Regular = ("regular", "定例打合せ", "Regular meeting"),
        Consultation = ("consultation", "協議", "Consultation"),
        ChangeRequest = ("change", "仕様変更承認申請", "Change request"),
        Question = ("question", "疑義照会", "Question"),
        Report = ("report", "報告", "Report"),
    }
}

vocabulary! {
    /// 仕様変更承認申請の状況 (申請 → 承認 | 却下).
    ChangeStatus {
        Applied = ("applied", "申請", "Applied"),
        Approved = ("approved", "承認", "Approved"),
        Rejected = ("rejected", "却下", "Rejected"),
    }
}

/// 和暦の日付 (「令和7年11月4日」) as the messages print it.
pub fn wareki(d: NaiveDate) -> String {
    tabane_calendar::to_wareki(d).map(|w| w.format_ja()).unwrap_or_else(|| d.to_string())
}

/// A share to one decimal (「86.4%」); "—" when there is nothing to divide by.
pub fn percent(n: usize, of: usize) -> String {
    if of == 0 { "—".into() } else { format!("{:.1}%", n as f64 * 100.0 / of as f64) }
}

/// R2: the warning shown beside a deliverable due after the contract's last day.
pub fn due_after_end(due: Option<NaiveDate>, period_end: NaiveDate) -> Option<String> {
    let due = due?;
    (due > period_end)
        .then(|| format!("提出期限 {} が業務実施期間の終了日 {} より後です", wareki(due), wareki(period_end)))
}

/// One hearing as the progress counts it.
#[derive(Clone, Copy, Debug)]
pub struct HearingFact {
    pub kind: HearingKind,
    pub mode: HearingMode,
    pub status: HearingStatus,
}

/// R3: hearings held against the ~10 target. Reading (a), the default: only 実践者 and 企業
/// count (the seed's 10件 lists them); `all` is reading (b).
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct HearingProgress {
    pub counted: usize,
    pub onsite: usize,
    pub online: usize,
    pub all: usize,
    pub target: i32,
    /// 「7件／約10件（実地 5・オンライン 2）」
    pub text: String,
    /// 実地率 「71.4%」
    pub onsite_rate: String,
}

pub fn hearing_progress(facts: &[HearingFact], target: i32) -> HearingProgress {
    let held: Vec<&HearingFact> = facts.iter().filter(|f| f.status.took_place()).collect();
    let counted: Vec<&&HearingFact> = held.iter().filter(|f| f.kind != HearingKind::Municipality).collect();
    let onsite = counted.iter().filter(|f| f.mode == HearingMode::Onsite).count();
    let online = counted.len() - onsite;
    HearingProgress {
        counted: counted.len(),
        onsite,
        online,
        all: held.len(),
        target,
        text: format!("{}件／約{}件（実地 {}・オンライン {}）", counted.len(), target, onsite, online),
        onsite_rate: percent(onsite, counted.len()),
    }
}

/// R9: weeks (Monday to Sunday) of the term with at least one 定例打合せ.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Coverage {
    pub covered: usize,
    pub weeks: usize,
    /// Mondays of the weeks without one.
    pub empty: Vec<NaiveDate>,
    /// 「19／22週（86.4%）」
    pub text: String,
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

pub fn liaison_coverage(start: NaiveDate, end: NaiveDate, meetings: &[NaiveDate]) -> Coverage {
    let mut mondays = Vec::new();
    let mut w = monday_of(start);
    while w <= end {
        mondays.push(w);
        w += Duration::days(7);
    }
    let met: std::collections::BTreeSet<NaiveDate> =
        meetings.iter().filter(|d| **d >= start && **d <= end).map(|d| monday_of(*d)).collect();
    let empty: Vec<NaiveDate> = mondays.iter().filter(|m| !met.contains(m)).copied().collect();
    let covered = mondays.len() - empty.len();
    Coverage {
        covered,
        weeks: mondays.len(),
        text: format!("{}／{}週（{}）", covered, mondays.len(), percent(covered, mondays.len())),
        empty,
    }
}

/// R5: an 担当者打合せ is held before the 研究部会 it prepares. The refusal names the 研究部会's date.
pub fn working_before_plenary(working: NaiveDate, plenary: NaiveDate) -> Result<(), String> {
    if working < plenary {
        Ok(())
    } else {
        Err(format!("担当者打合せは研究部会（{}）より前の日付にしてください", wareki(plenary)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn h(kind: HearingKind, mode: HearingMode) -> HearingFact {
        HearingFact { kind, mode, status: HearingStatus::Held }
    }

    #[test]
    fn r3_hearing_progress_counts_practitioners_and_companies() {
        use HearingKind::*;
        use HearingMode::*;
        let mut v = vec![
            h(Practitioner, Onsite),
            h(Practitioner, Onsite),
            h(Practitioner, Onsite),
            h(Practitioner, Online),
            h(Company, Onsite),
            h(Company, Onsite),
            h(Company, Online),
            h(Municipality, Online),
            h(Municipality, Online),
        ];
        let p = hearing_progress(&v, 10);
        assert_eq!(p.text, "7件／約10件（実地 5・オンライン 2）");
        assert_eq!(p.onsite_rate, "71.4%");
        assert_eq!(p.all, 9);
        v.push(HearingFact { kind: Company, mode: Onsite, status: HearingStatus::Planned });
        assert_eq!(hearing_progress(&v, 10).counted, 7, "a planned hearing is not counted");
        let twelve: Vec<HearingFact> = (0..12).map(|_| h(Company, Onsite)).collect();
        assert!(hearing_progress(&twelve, 10).text.starts_with("12件／約10件"));
    }

    #[test]
    fn r9_coverage_of_the_demo_term() {
        let (start, end) = (d(2025, 6, 2), d(2025, 10, 31));
        let mut days: Vec<NaiveDate> = (0..22).map(|w| start + Duration::days(7 * w + 2)).collect();
        let dropped: Vec<NaiveDate> = [3, 10, 17].iter().map(|i| days[*i] - Duration::days(2)).collect();
        days = days.into_iter().enumerate().filter(|(i, _)| ![3, 10, 17].contains(i)).map(|(_, d)| d).collect();
        days.push(d(2025, 6, 5)); // two in one week count once
        let c = liaison_coverage(start, end, &days);
        assert_eq!(c.weeks, 22);
        assert_eq!(c.text, "19／22週（86.4%）");
        assert_eq!(c.empty, dropped);
    }

    #[test]
    fn r2_warning_after_the_contract_end() {
        let end = d(2025, 10, 31);
        assert_eq!(
            due_after_end(Some(d(2025, 11, 4)), end).as_deref(),
            Some("提出期限 令和7年11月4日 が業務実施期間の終了日 令和7年10月31日 より後です")
        );
        assert_eq!(due_after_end(Some(d(2025, 10, 7)), end), None);
        assert_eq!(due_after_end(None, end), None, "日程未定 is never late");
    }

    #[test]
    fn r5_working_meeting_before_its_plenary() {
        assert!(working_before_plenary(d(2025, 7, 17), d(2025, 7, 31)).is_ok());
        assert_eq!(
            working_before_plenary(d(2025, 8, 1), d(2025, 7, 31)).unwrap_err(),
            "担当者打合せは研究部会（令和7年7月31日）より前の日付にしてください"
        );
    }

    #[test]
    fn r6_r7_due_dates_through_the_platform_rules() {
        use tabane_core::service::meetings::{DueAdjust, due_on};
        assert_eq!(due_on("-7d", DueAdjust::Prev, d(2025, 7, 31)), Some(d(2025, 7, 24)));
        assert_eq!(due_on("-7d", DueAdjust::Prev, d(2025, 9, 30)), Some(d(2025, 9, 22)));
        assert_eq!(due_on("-7d", DueAdjust::Prev, d(2025, 10, 20)), Some(d(2025, 10, 10)));
        assert_eq!(due_on("+7d", DueAdjust::Prev, d(2025, 7, 31)), Some(d(2025, 8, 7)));
        assert_eq!(due_on("+7d", DueAdjust::Prev, d(2025, 10, 28)), Some(d(2025, 11, 4)));
        assert_eq!(due_on("+7d", DueAdjust::Next, d(2025, 8, 4)), Some(d(2025, 8, 12)));
    }
}
