//! ニーズと人材のマッチング (matching a municipality's need to pooled talent; spec §2.1, §2.4,
//! §10 — users of volunteer-matching systems expect each suggestion to come with its reason).
//!
//! A talent is **excluded** (with the reason) when they cannot be sent at all: not in a state to
//! work, not covering the municipality's area, or without enough free weekdays. Among the others,
//! a score out of 100 orders the suggestions: 人材類型 40, 支援分野 30, 対応可能地域 20 (closer
//! scope scores higher), 空き曜日 10. The weights are a starting point, not from the seed; every
//! point comes with a reason line, so a user can see why one person is above another.

use crate::dispatch::WeeklyAssignment;
use crate::error::{Field, TalentRuleError};
use crate::text::weekday_ja;
use chrono::{NaiveDate, Weekday};
use serde::Serialize;

/// 人材類型 (line 412–430).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TalentType {
    /// プロデューサー
    Producer,
    /// プロジェクトマネージャー (also written プロジェクトマネージャ, spec §9.3)
    ProjectManager,
    /// エンジニア・サービスデザイナー
    EngineerServiceDesigner,
}

impl TalentType {
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Producer => "プロデューサー",
            Self::ProjectManager => "プロジェクトマネージャー",
            Self::EngineerServiceDesigner => "エンジニア・サービスデザイナー",
        }
    }

    /// Reads a 人材類型 as the national lists write it, accepting both spellings of マネージャー.
    pub fn parse(text: &str) -> Result<Self, TalentRuleError> {
        match text.trim() {
            "プロデューサー" => Ok(Self::Producer),
            "プロジェクトマネージャー" | "プロジェクトマネージャ" => Ok(Self::ProjectManager),
            "エンジニア・サービスデザイナー" => Ok(Self::EngineerServiceDesigner),
            "" => Err(TalentRuleError::Missing { field: Field::new("人材類型", "talent type") }),
            other => Err(TalentRuleError::NotAChoice {
                field: Field::new("人材類型", "talent type"),
                value: other.to_owned(),
                choices: vec![
                    Self::Producer.name_ja(),
                    Self::ProjectManager.name_ja(),
                    Self::EngineerServiceDesigner.name_ja(),
                ],
            }),
        }
    }
}

/// 市町村支援業務の分野 (line 211–217).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SupportField {
    /// DX・情報化計画等の策定・見直し
    Planning,
    /// 標準化・クラウド化
    Standardisation,
    /// BPR・システム発注支援
    BprProcurement,
    /// データ利活用
    DataUse,
    /// 人材育成
    StaffDevelopment,
    /// セキュリティ研修・監査
    Security,
}

impl SupportField {
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Planning => "DX・情報化計画",
            Self::Standardisation => "標準化・クラウド化",
            Self::BprProcurement => "BPR・システム発注支援",
            Self::DataUse => "データ利活用",
            Self::StaffDevelopment => "人材育成",
            Self::Security => "セキュリティ研修・監査",
        }
    }
}

/// 対応可能地域 (「●●地方」「●●県」, line 413–430, or a single municipality).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RegionScope {
    /// ●●地方
    Region(String),
    /// ●●県
    Prefecture(String),
    /// 市町村
    Municipality(String),
}

/// 派遣先の所在 (where the need is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub municipality: String,
    pub prefecture: String,
    /// 地方 (e.g. 中部地方)
    pub region: String,
}

/// 人材の状態 (spec §2.1 lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TalentStatus {
    Candidate,
    Screening,
    Hired,
    Training,
    Active,
    Paused,
    Ended,
}

impl TalentStatus {
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Candidate => "候補",
            Self::Screening => "選考中",
            Self::Hired => "採用決定",
            Self::Training => "研修中",
            Self::Active => "稼働中",
            Self::Paused => "休止",
            Self::Ended => "終了",
        }
    }

    /// Whether the person can be proposed: working now, or hired and soon placed.
    fn proposable(self) -> bool {
        matches!(self, Self::Hired | Self::Training | Self::Active)
    }
}

/// 人材 as matching sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TalentProfile {
    pub label: String,
    pub status: TalentStatus,
    pub types: Vec<TalentType>,
    pub fields: Vec<SupportField>,
    pub regions: Vec<RegionScope>,
    /// 既存の派遣 (to find the free weekdays).
    pub assignments: Vec<WeeklyAssignment>,
}

/// 市町村のニーズ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Need {
    pub location: Location,
    pub field: SupportField,
    /// 希望する人材類型 (empty = any)
    pub wanted_types: Vec<TalentType>,
    /// 週n日 (0 for スポット)
    pub days_per_week: u32,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
}

/// マッチング結果 (one suggestion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchResult {
    pub label: String,
    /// false = cannot be sent; the reasons say why.
    pub eligible: bool,
    /// 0–100
    pub score: u32,
    pub free_weekdays: Vec<Weekday>,
    /// 理由 shown to the user, one per criterion.
    pub reasons_ja: Vec<String>,
}

const WORKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

/// 空き曜日: Mon–Fri not taken by an assignment overlapping the need's period.
pub fn free_weekdays(assignments: &[WeeklyAssignment], from: NaiveDate, to: NaiveDate) -> Vec<Weekday> {
    WORKDAYS
        .into_iter()
        .filter(|w| !assignments.iter().any(|a| a.from <= to && from <= a.to && a.weekdays.contains(w)))
        .collect()
}

/// Scores one talent for one need.
pub fn score(need: &Need, talent: &TalentProfile) -> Result<MatchResult, TalentRuleError> {
    if need.period_to < need.period_from {
        return Err(TalentRuleError::ReversedPeriod { field: Field::new("ニーズの期間", "period of the need") });
    }
    if need.days_per_week > 5 {
        let field = Field::new("週の日数", "days per week");
        return Err(TalentRuleError::OutOfRange { field, value: need.days_per_week.into(), min: 0, max: 5 });
    }
    let mut eligible = true;
    let mut points = 0;
    let mut reasons = Vec::new();
    if !talent.status.proposable() {
        eligible = false;
        reasons.push(format!("派遣できる状態ではありません（{}）", talent.status.name_ja()));
    }
    let type_match: Vec<&str> =
        talent.types.iter().filter(|t| need.wanted_types.contains(t)).map(|t| t.name_ja()).collect();
    if need.wanted_types.is_empty() {
        points += 40;
        reasons.push("人材類型の指定なし".to_owned());
    } else if type_match.is_empty() {
        let wanted: Vec<&str> = need.wanted_types.iter().map(|t| t.name_ja()).collect();
        reasons.push(format!("人材類型が希望（{}）と一致しません", wanted.join("・")));
    } else {
        points += 40;
        reasons.push(format!("人材類型が一致（{}）", type_match.join("・")));
    }
    if talent.fields.contains(&need.field) {
        points += 30;
        reasons.push(format!("支援分野「{}」に対応", need.field.name_ja()));
    } else {
        reasons.push(format!("支援分野「{}」の経験が登録されていません", need.field.name_ja()));
    }
    let loc = &need.location;
    // The closest scope wins: a person named for the municipality beats one for the whole 地方.
    let region_points = talent
        .regions
        .iter()
        .filter_map(|r| match r {
            RegionScope::Municipality(m) if *m == loc.municipality => Some((20, format!("対応可能地域: {m}"))),
            RegionScope::Prefecture(p) if *p == loc.prefecture => Some((16, format!("対応可能地域: {p}"))),
            RegionScope::Region(g) if *g == loc.region => Some((12, format!("対応可能地域: {g}"))),
            _ => None,
        })
        .max_by_key(|(p, _)| *p);
    match region_points {
        Some((p, text)) => {
            points += p;
            reasons.push(text);
        }
        None => {
            eligible = false;
            reasons.push(format!("{}は対応可能地域外です", loc.municipality));
        }
    }
    let free = free_weekdays(&talent.assignments, need.period_from, need.period_to);
    let free_ja: Vec<&str> = free.iter().map(|w| weekday_ja(*w)).collect();
    if (free.len() as u32) < need.days_per_week {
        eligible = false;
        reasons.push(format!(
            "空き曜日が{}日（{}）で、週{}日の希望に足りません",
            free.len(),
            free_ja.join("・"),
            need.days_per_week
        ));
    } else {
        points += 10;
        reasons.push(format!("空き曜日 {}（週{}日の希望）", free_ja.join("・"), need.days_per_week));
    }
    Ok(MatchResult { label: talent.label.clone(), eligible, score: points, free_weekdays: free, reasons_ja: reasons })
}

/// 候補一覧: eligible first, then by score; ties keep the input order.
pub fn rank(need: &Need, talents: &[TalentProfile]) -> Result<Vec<MatchResult>, TalentRuleError> {
    let mut out = talents.iter().map(|t| score(need, t)).collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| b.eligible.cmp(&a.eligible).then(b.score.cmp(&a.score)));
    Ok(out)
}

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;
