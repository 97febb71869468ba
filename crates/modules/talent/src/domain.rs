//! デジタル人材の用語 (vocabulary of the talent module, seed 001, spec `talent.md` §2). The rules
//! themselves (grant, accelerator, dispatch, advisors, matching) are pure functions in
//! `tabane-talent-rules`; this file maps the stored keys onto them.

use chrono::Weekday;
use tabane_core::vocabulary;
use tabane_talent_rules::matching::{SupportField, TalentStatus, TalentType};

vocabulary! {
    /// 人材の供給源 (line 434–444).
    #[schemars(rename = "TalentSource")]
    Source {
        SoleProprietor = ("sole_proprietor", "個人事業主", "Sole proprietor"),
        Company = ("company", "民間企業", "Private company"),
        Alumni = ("alumni", "自治体OB/OG", "Former local-government staff", "自治体OB", "自治体OG"),
        MunicipalStaff = ("municipal_staff", "市町村職員", "Municipal staff"),
        SideJob = ("side_job", "副業人材", "Side-job talent"),
        Recruit = ("recruit", "新卒・経験者採用", "New graduate / experienced hire"),
    }
}

vocabulary! {
    /// 任用形態 (line 451–459).
    Engagement {
        FullTime = ("full_time", "常勤職員", "Full-time staff", "常勤"),
        FixedTerm = ("fixed_term", "任期付職員", "Fixed-term staff", "任期付"),
        PartTime = ("part_time", "非常勤職員", "Part-time staff", "非常勤"),
        Annual = ("annual", "会計年度任用職員", "Fiscal-year appointee", "会計年度任用"),
        Contracted = ("contracted", "委託事業者", "Contractor's staff", "委託"),
    }
}

impl Engagement {
    /// 常勤 for the grant route (R4): 常勤職員 and 任期付職員 hold full-time posts.
    pub fn full_time(self) -> bool {
        matches!(self, Engagement::FullTime | Engagement::FixedTerm)
    }
}

vocabulary! {
    /// 人材の状態 (spec §2.1): 候補 → 選考中 → 採用決定 → 研修中 → 稼働中 ⇄ 休止; any → 終了.
    PersonStatus {
        Candidate = ("candidate", "候補", "Candidate"),
        Screening = ("screening", "選考中", "Screening"),
        Hired = ("hired", "採用決定", "Hired"),
        Training = ("training", "研修中", "In training"),
        Active = ("active", "稼働中", "Active"),
        Paused = ("paused", "休止", "Paused"),
        Ended = ("ended", "終了", "Ended"),
    }
}

impl PersonStatus {
    pub fn rules(self) -> TalentStatus {
        match self {
            PersonStatus::Candidate => TalentStatus::Candidate,
            PersonStatus::Screening => TalentStatus::Screening,
            PersonStatus::Hired => TalentStatus::Hired,
            PersonStatus::Training => TalentStatus::Training,
            PersonStatus::Active => TalentStatus::Active,
            PersonStatus::Paused => TalentStatus::Paused,
            PersonStatus::Ended => TalentStatus::Ended,
        }
    }

    /// The lifecycle's arrows (spec §2.1): one step forward, 稼働中 ⇄ 休止, and 終了 from anywhere.
    pub fn may_become(self, to: PersonStatus) -> bool {
        use PersonStatus::*;
        matches!(
            (self, to),
            (Candidate, Screening)
                | (Screening, Hired)
                | (Hired, Training)
                | (Training, Active)
                | (Hired, Active)
                | (Active, Paused)
                | (Paused, Active)
        ) || (to == Ended && self != Ended)
    }
}

vocabulary! {
    /// 人材類型 (line 412–430); both spellings of マネージャー are accepted (spec §9.3).
    #[schemars(rename = "TalentTypeKey")]
    Kind {
        Producer = ("producer", "プロデューサー", "Producer"),
        ProjectManager = ("project_manager", "プロジェクトマネージャー", "Project manager", "プロジェクトマネージャ"),
        Engineer = ("engineer", "エンジニア・サービスデザイナー", "Engineer / service designer"),
    }
}

impl Kind {
    pub fn rules(self) -> TalentType {
        match self {
            Kind::Producer => TalentType::Producer,
            Kind::ProjectManager => TalentType::ProjectManager,
            Kind::Engineer => TalentType::EngineerServiceDesigner,
        }
    }
}

vocabulary! {
    /// 市町村支援業務の分野 (line 211–217).
    #[schemars(rename = "TalentField")]
    Field {
        Planning = ("planning", "DX・情報化計画", "DX / IT planning", "DX・情報化計画等の策定・見直し"),
        Standardisation = ("standardisation", "標準化・クラウド化", "Standardisation / cloud"),
        Bpr = ("bpr", "BPR・システム発注支援", "BPR / procurement support"),
        Data = ("data", "データ利活用", "Data use"),
        StaffDevelopment = ("staff_development", "人材育成", "Staff development"),
        Security = ("security", "セキュリティ研修・監査", "Security training / audit"),
    }
}

impl Field {
    pub fn rules(self) -> SupportField {
        match self {
            Field::Planning => SupportField::Planning,
            Field::Standardisation => SupportField::Standardisation,
            Field::Bpr => SupportField::BprProcurement,
            Field::Data => SupportField::DataUse,
            Field::StaffDevelopment => SupportField::StaffDevelopment,
            Field::Security => SupportField::Security,
        }
    }
}

vocabulary! {
    /// ④ 連携して推進するべき取組のテーマ (line 112–113), the theme of a need.
    #[schemars(rename = "TalentTheme")]
    Theme {
        InternalDx = ("internal_dx", "庁内DX", "In-house DX"),
        JointProcurement = ("joint_procurement", "システムの共同調達", "Joint procurement of systems"),
        RegionalDx = ("regional_dx", "地域社会のDX", "DX of the community"),
        DigitalDivide = ("digital_divide", "デジタルデバイド対策", "Digital divide"),
        Other = ("other", "その他", "Other"),
    }
}

vocabulary! {
    /// 支援の形 (line 28–29).
    NeedForm {
        Resident = ("resident", "常勤的", "Resident"),
        Weekly = ("weekly", "定期（週n日）", "Regular (n days a week)", "定期"),
        Spot = ("spot", "スポット", "Spot"),
    }
}

vocabulary! {
    /// ニーズの状態: 登録 → 調整中 → 充足 → 終了; 登録・調整中 → 取下げ.
    NeedStatus {
        Registered = ("registered", "登録", "Registered"),
        Coordinating = ("coordinating", "調整中", "Being arranged"),
        Filled = ("filled", "充足", "Filled"),
        Ended = ("ended", "終了", "Ended"),
        Withdrawn = ("withdrawn", "取下げ", "Withdrawn"),
    }
}

vocabulary! {
    /// 派遣の形態 (line 229, 482–485).
    AssignmentMode {
        Prefectural = ("prefectural", "県職員として派遣", "As prefectural staff"),
        Secondment = ("secondment", "自治法派遣（市町村職員として勤務）", "Secondment under the Local Autonomy Act", "自治法派遣"),
        Contracted = ("contracted", "委託事業者による派遣", "By the contracted company"),
    }
}

vocabulary! {
    /// 派遣の状態: 調整中 --(県が確定)--> 確定; 調整中・確定 → 中止. 実施中 and 終了 follow from the dates.
    AssignmentStatus {
        Draft = ("draft", "調整中", "Being arranged"),
        Confirmed = ("confirmed", "確定", "Confirmed"),
        Cancelled = ("cancelled", "中止", "Cancelled"),
    }
}

vocabulary! {
    /// 実施形態 of a visit or an advisor session.
    Place {
        OnSite = ("on_site", "実地", "On site", "現地"),
        Online = ("online", "オンライン", "Online"),
    }
}

vocabulary! {
    /// アドバイザー派遣の制度 (line 551–712).
    AdvisorProgram {
        DxAdvice = ("dx_advice", "DXアドバイザー（課題対応アドバイス）", "DX advisor (advice)"),
        DxPush = ("dx_push", "DXアドバイザー（課題達成支援）", "DX advisor (push-type support)"),
        DxTraining = ("dx_training", "DXアドバイザー（啓発・研修）", "DX advisor (training)"),
        Regional = ("regional", "地域情報化アドバイザー", "Regional informatisation advisor"),
    }
}

impl AdvisorProgram {
    pub fn is_dx(self) -> bool {
        !matches!(self, AdvisorProgram::Regional)
    }
}

vocabulary! {
    /// 特別交付税の措置 of a sheet (spec §2.9; D 普通交付税 is only ever an estimate on the sheet of A).
    GrantMeasure {
        A = ("a", "A 市町村支援のためのデジタル人材確保", "A: talent for municipal support"),
        B = ("b", "B DX推進リーダーの育成", "B: DX leader training"),
        C = ("c", "C CIO補佐官等の任用等", "C: CIO advisers"),
    }
}

impl GrantMeasure {
    pub fn rules(self) -> tabane_talent_rules::grant_rules::Measure {
        use tabane_talent_rules::grant_rules::Measure;
        match self {
            GrantMeasure::A => Measure::TalentForMunicipalities,
            GrantMeasure::B => Measure::DxLeaderTraining,
            GrantMeasure::C => Measure::CioAdviser,
        }
    }
}

vocabulary! {
    /// 試算の状態: 作成中 → 確定 → 報告済.
    SheetStatus {
        Draft = ("draft", "作成中", "Draft"),
        Fixed = ("fixed", "確定", "Fixed"),
        Reported = ("reported", "報告済", "Reported"),
    }
}

vocabulary! {
    /// 募集方法 (line 382–388).
    RecruitChannel {
        Public = ("public", "公募", "Open call"),
        Recruiter = ("recruiter", "リクルータ", "Recruiter", "リクルーター"),
        Headhunting = ("headhunting", "ヘッドハンティング", "Headhunting"),
        List = ("list", "リスト", "National list", "リスト化", "専門人材リスト"),
    }
}

vocabulary! {
    /// 募集の状態: 募集中 → 採用で終了 | 終了.
    PositionStatus {
        Open = ("open", "募集中", "Open"),
        ClosedHired = ("hired", "採用で終了", "Closed with a hire", "採用"),
        Closed = ("closed", "終了", "Closed"),
    }
}

vocabulary! {
    /// 選考段階 (spec §2.6): 応募 → 書類選考 → 面接 → 内定 → 採用 → 行政研修 → 配置; any → 不採用 | 辞退.
    #[schemars(rename = "TalentStage")]
    Stage {
        Applied = ("applied", "応募", "Applied"),
        DocumentScreening = ("document_screening", "書類選考", "Document screening"),
        Interview = ("interview", "面接", "Interview"),
        Offer = ("offer", "内定", "Offer"),
        Hired = ("hired", "採用", "Hired"),
        AdminTraining = ("admin_training", "行政研修", "Administrative training"),
        Placed = ("placed", "配置", "Placed in the pool"),
        Rejected = ("rejected", "不採用", "Rejected"),
        Declined = ("declined", "辞退", "Declined"),
    }
}

impl Stage {
    pub fn rules(self) -> tabane_talent_rules::lifecycle::Stage {
        use tabane_talent_rules::lifecycle::Stage as S;
        match self {
            Stage::Applied => S::Applied,
            Stage::DocumentScreening => S::DocumentScreening,
            Stage::Interview => S::Interview,
            Stage::Offer => S::Offer,
            Stage::Hired => S::Hired,
            Stage::AdminTraining => S::AdminTraining,
            Stage::Placed => S::Placed,
            Stage::Rejected => S::Rejected,
            Stage::Declined => S::Declined,
        }
    }

    /// The person's status a stage brings (採用 → 採用決定, 行政研修 → 研修中, 配置 → 稼働中).
    pub fn person_status(self) -> Option<PersonStatus> {
        match self {
            Stage::Hired => Some(PersonStatus::Hired),
            Stage::AdminTraining => Some(PersonStatus::Training),
            Stage::Placed => Some(PersonStatus::Active),
            _ => None,
        }
    }
}

impl PersonStatus {
    /// The steps from `self` to `to` along the lifecycle's arrows (shortest first), for a stage
    /// of recruitment that moves the person several steps at once (候補 → 選考中 → 採用決定).
    /// `None` when `to` is not ahead on the recruitment path (already there, 休止 or 終了): the
    /// person is then left as is rather than moved backwards or revived.
    pub fn path_to(self, to: PersonStatus) -> Option<Vec<PersonStatus>> {
        use PersonStatus::*;
        const ORDER: [PersonStatus; 5] = [Candidate, Screening, Hired, Training, Active];
        let pos = |s: PersonStatus| ORDER.iter().position(|x| *x == s);
        let (from_i, to_i) = (pos(self)?, pos(to)?);
        if from_i >= to_i {
            return None;
        }
        // Breadth-first over the arrows `may_become` allows, within the recruitment path.
        let mut paths: Vec<Vec<PersonStatus>> = vec![vec![self]];
        while !paths.is_empty() {
            let mut next = Vec::new();
            for p in paths {
                let last = *p.last()?;
                for s in ORDER {
                    if last.may_become(s) && !p.contains(&s) && pos(s)? <= to_i {
                        let mut q = p.clone();
                        q.push(s);
                        if s == to {
                            return Some(q[1..].to_vec());
                        }
                        next.push(q);
                    }
                }
            }
            paths = next;
        }
        None
    }
}

/// A set of vocabulary values stored as comma-separated keys.
pub fn join_keys<T: Copy>(v: &[T], key: fn(T) -> &'static str) -> String {
    v.iter().map(|x| key(*x)).collect::<Vec<_>>().join(",")
}

/// The values of a stored key list (unknown keys are skipped: they come from our own writes).
pub fn split_keys<T>(s: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
    s.split([',', '、', '，', '/', '／']).filter(|x| !x.trim().is_empty()).filter_map(|x| parse(x.trim())).collect()
}

/// 曜日 keys as stored (`mon,tue`), parsed from keys, 「月」 or 「月曜日」.
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let t = s.trim().trim_end_matches("曜日").trim_end_matches('曜');
    Some(match t {
        "mon" | "月" | "Mon" => Weekday::Mon,
        "tue" | "火" | "Tue" => Weekday::Tue,
        "wed" | "水" | "Wed" => Weekday::Wed,
        "thu" | "木" | "Thu" => Weekday::Thu,
        "fri" | "金" | "Fri" => Weekday::Fri,
        "sat" | "土" | "Sat" => Weekday::Sat,
        "sun" | "日" | "Sun" => Weekday::Sun,
        _ => return None,
    })
}

pub fn weekday_key(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

pub fn weekday_ja(w: Weekday) -> &'static str {
    ["月", "火", "水", "木", "金", "土", "日"][w.num_days_from_monday() as usize]
}

/// 和暦 of a day (「令和7年9月1日」).
pub fn wareki(d: chrono::NaiveDate) -> String {
    tabane_calendar::to_wareki(d).map(|w| w.format_ja()).unwrap_or_else(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_of_project_manager_are_one_type() {
        assert_eq!(Kind::parse("プロジェクトマネージャ"), Some(Kind::ProjectManager));
        assert_eq!(Kind::parse("プロジェクトマネージャー"), Some(Kind::ProjectManager));
        assert_eq!(Kind::parse("デザイナー"), None);
    }

    #[test]
    fn weekdays_read_as_people_write_them() {
        assert_eq!(split_keys("月,火曜日、木", parse_weekday), vec![Weekday::Mon, Weekday::Tue, Weekday::Thu]);
        assert_eq!(join_keys(&[Weekday::Mon, Weekday::Fri], weekday_key), "mon,fri");
    }

    #[test]
    fn the_lifecycle_moves_one_step_and_ends_from_anywhere() {
        assert!(PersonStatus::Candidate.may_become(PersonStatus::Screening));
        assert!(!PersonStatus::Candidate.may_become(PersonStatus::Active));
        assert!(PersonStatus::Active.may_become(PersonStatus::Paused));
        assert!(PersonStatus::Training.may_become(PersonStatus::Ended));
        assert!(!PersonStatus::Ended.may_become(PersonStatus::Ended));
    }

    #[test]
    fn recruitment_moves_a_person_along_the_lifecycle_only() {
        use PersonStatus::*;
        assert_eq!(Candidate.path_to(Hired), Some(vec![Screening, Hired]));
        assert_eq!(Screening.path_to(Active), Some(vec![Hired, Active]));
        assert_eq!(Hired.path_to(Training), Some(vec![Training]));
        assert_eq!(Active.path_to(Hired), None);
        assert_eq!(Paused.path_to(Active), None);
        assert_eq!(Ended.path_to(Hired), None);
    }
}
