//! 地域要件 (regional requirements for JVs and 事業協同組合) — 群マネの手引き Q4-3, Q4-4.
//!
//! The guide's examples (Q4-3) include 「JVのすべての構成員が市内企業」,
//! 「ＪＶの構成員のうち、市内企業を1社以上を含む」, 「ただし、コンサルは県内企業で可」,
//! 「事業費の50％以上を市内企業が履行すること」 and 「市内企業の合計出資比率は25％以上」;
//! for several municipalities (Q4-4) 「域内全てで指名業者登録を行っていること」 and
//! 「域内いずれかの受注実績を有すること」. Each is a [`Rule`] here, with its
//! thresholds as data; [`presets`] builds the guide's municipal examples.
//!
//! [`evaluate`] returns one [`Check`] per rule. A failed check says which rule
//! failed and by how much, because an applicant (or the 発注者 drafting the
//! 公告) needs to know what to change, not just that something is wrong.

use serde::{Deserialize, Serialize};

mod eval;
pub mod presets;

use eval::evaluate_rule;

/// 事業所の種別 (kind of office).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum OfficeKind {
    /// 本店・本社 (head office).
    HeadOffice,
    /// 支店 (branch).
    Branch,
    /// 営業所 (sales office).
    SalesOffice,
}

impl OfficeKind {
    fn label(self) -> &'static str {
        match self {
            Self::HeadOffice => "本店",
            Self::Branch => "支店",
            Self::SalesOffice => "営業所",
        }
    }
}

/// 事業所 (an office of a firm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Office {
    /// 種別.
    pub kind: OfficeKind,
    /// 所在市区町村 (name or code; must match the names used in the rules).
    pub municipality: String,
    /// 所在都道府県.
    pub prefecture: String,
}

/// 立場 (position in the bid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Position {
    /// JV・事業協同組合の構成員 (member; subject to location, investment and registration rules).
    Member,
    /// 再委託先 (subcontractor; counts only toward the performance share, 「再委託含む」).
    Subcontractor,
}

/// 業務区分 (task category) used for the performance share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Task {
    /// 共通業務 (common tasks: management, 窓口 etc.).
    Common,
    /// 巡回業務 (patrol).
    Patrol,
    /// 維持作業 (routine maintenance).
    Maintenance,
    /// 補修・修繕 (repair).
    Repair,
    /// 点検 (inspection).
    Inspection,
    /// その他.
    Other(String),
}

/// 受注実績 (a past contract won).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrackRecord {
    /// 発注団体の市区町村.
    pub municipality: String,
    /// 発注団体の都道府県.
    pub prefecture: String,
    /// 業務分野 (e.g. "橋梁点検").
    pub field: String,
    /// 受注年度.
    pub year: i32,
}

/// 企業 (a firm in the JV / cooperative, or a subcontractor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Firm {
    /// 商号.
    pub name: String,
    /// 構成員か再委託先か.
    pub position: Position,
    /// コンサルタントか (some rules accept consultants from a wider area).
    pub is_consultant: bool,
    /// 事業所.
    pub offices: Vec<Office>,
    /// 出資比率 (% of the JV / cooperative; 0 for subcontractors).
    pub investment_pct: f64,
    /// 履行金額 (yen actually performed by this firm, by task).
    pub performed: Vec<(Task, u64)>,
    /// 入札参加資格（指名業者登録）を有する市区町村.
    pub registered_in: Vec<String>,
    /// 受注実績.
    pub track_records: Vec<TrackRecord>,
}

/// 地域 (area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Area {
    /// 市内 / 町内 / 域内: any of these municipalities.
    Municipalities(Vec<String>),
    /// 県内 / 都内.
    Prefecture(String),
}

impl Area {
    fn contains(&self, municipality: &str, prefecture: &str) -> bool {
        match self {
            Self::Municipalities(ms) => ms.iter().any(|m| m == municipality),
            Self::Prefecture(p) => p == prefecture,
        }
    }
    fn label(&self) -> String {
        match self {
            Self::Municipalities(ms) if ms.len() == 1 => format!("{}内", ms[0]),
            Self::Municipalities(ms) => format!("域内（{}）", ms.join("・")),
            Self::Prefecture(p) => format!("{p}内"),
        }
    }
}

/// 地元企業の定義 (what counts as a local firm): an office of one of `kinds` in `area`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Locality {
    /// 地域.
    pub area: Area,
    /// 認める事業所の種別 (e.g. 本店のみ, or 本社・本店・営業所).
    pub kinds: Vec<OfficeKind>,
}

impl Locality {
    /// Whether `firm` has a qualifying office.
    pub fn is_local(&self, firm: &Firm) -> bool {
        firm.offices.iter().any(|o| self.kinds.contains(&o.kind) && self.area.contains(&o.municipality, &o.prefecture))
    }
    fn label(&self) -> String {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.label()).collect();
        format!("{}（{}）", self.area.label(), kinds.join("・"))
    }
}

/// 何社が満たす必要があるか (how many members must satisfy a rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Quorum {
    /// すべての構成員.
    All,
    /// n社以上 (「JVの場合は１者以上」).
    AtLeast(usize),
}

/// 地域要件のルール (one rule; thresholds are data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Rule {
    /// 所在地要件: members with a qualifying office; consultants may instead satisfy
    /// `consultant_exception` (「ただし、コンサルは県内業者」).
    Location {
        /// 地元企業の定義.
        local: Locality,
        /// 必要社数.
        quorum: Quorum,
        /// コンサルの特例.
        consultant_exception: Option<Locality>,
    },
    /// 出資比率: local members' total investment ≥ `min_pct` (「市内企業の合計出資比率は25％以上」).
    InvestmentShare {
        /// 地元企業の定義.
        local: Locality,
        /// 下限 (%).
        min_pct: f64,
    },
    /// 履行割合: local firms (members and subcontractors) perform ≥ `min_pct` of the
    /// amount, not counting `excluded` tasks (「対象とする契約金額は、共通業務、巡回業務を除く」).
    PerformanceShare {
        /// 地元企業の定義.
        local: Locality,
        /// 下限 (%).
        min_pct: f64,
        /// 対象から除く業務.
        excluded: Vec<Task>,
    },
    /// 入札参加資格: registered in every listed municipality (「域内全てで指名業者登録」).
    Registration {
        /// 登録が必要な市区町村.
        municipalities: Vec<String>,
        /// 必要社数.
        quorum: Quorum,
    },
    /// 受注実績: a past contract in `area` (optionally of `field`, since `since_year`).
    TrackRecord {
        /// 実績を認める地域.
        area: Area,
        /// 業務分野 (None = any).
        field: Option<String>,
        /// この年度以降 (None = any).
        since_year: Option<i32>,
        /// 必要社数.
        quorum: Quorum,
    },
}

/// どのルールの確認か.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum CheckKind {
    /// 所在地要件.
    Location,
    /// 出資比率.
    InvestmentShare,
    /// 履行割合.
    PerformanceShare,
    /// 入札参加資格.
    Registration,
    /// 受注実績.
    TrackRecord,
}

/// 不足の内容 (what is missing, for a failed check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Shortfall {
    /// A percentage below its threshold.
    Points {
        /// 実績値 (%).
        actual_pct: f64,
        /// 要件 (%).
        required_pct: f64,
        /// 不足ポイント.
        short_by: f64,
    },
    /// Too few members satisfy the rule.
    Count {
        /// 該当社数.
        actual: usize,
        /// 必要社数.
        required: usize,
    },
    /// Named members fail (for [`Quorum::All`]); each with what it lacks.
    Members(Vec<(String, Vec<String>)>),
    /// The members' investment does not add up to 100%.
    InvestmentTotal {
        /// 合計 (%).
        total_pct: f64,
    },
}

/// 確認結果 (result of one rule).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Check {
    /// ルール種別.
    pub kind: CheckKind,
    /// 適合か.
    pub passed: bool,
    /// 説明 (Japanese, states the shortfall on failure).
    pub message: String,
    /// 不足の内容 (None when passed).
    pub shortfall: Option<Shortfall>,
}

/// 地域要件を確認する (evaluate every rule against the bidding firms).
pub fn evaluate(firms: &[Firm], rules: &[Rule]) -> Vec<Check> {
    rules.iter().map(|r| evaluate_rule(firms, r)).collect()
}

/// Whether every check passed.
pub fn all_passed(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.passed)
}

#[cfg(test)]
#[path = "regional_tests.rs"]
mod tests;
