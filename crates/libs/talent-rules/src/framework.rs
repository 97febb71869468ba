//! 推進体制 (the prefecture–municipality DX framework): the 「1人情シス」 flags (spec R1) and the
//! checklist of the four functions with its 令和7年度 deadline (spec R2).

use crate::error::{Field, TalentRuleError};
use crate::text::percent_1dp;
use chrono::NaiveDate;
use serde::Serialize;

/// 小規模団体: 「人口５万人以下」 (line 5); 以下 is inclusive.
pub const SMALL_POPULATION: u64 = 50_000;
/// 「DX推進部局の担当者が１人以下」 (line 6), in hundredths of a person for the FTE reading.
pub const ONE_PERSON_HUNDREDTHS: u32 = 100;

/// 市町村の状況 (what the 状況把握 records about one municipality).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalStatus {
    pub municipality: String,
    /// 人口
    pub population: u64,
    /// DX推進部局の担当者数 (heads; a person who also does other work counts 1, line 15).
    pub dx_staff_heads: u32,
    /// The same in FTE, in hundredths (2 persons at 0.5 = 100).
    pub dx_staff_fte_hundredths: u32,
}

/// 「1人情シス」の判定 (spec R1). Heads is the default reading; FTE is shown too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OnePersonIt {
    /// 小規模団体 (人口5万人以下)
    pub small: bool,
    /// 担当者1人以下 counted in heads (default)
    pub by_heads: bool,
    /// 担当者1人以下 counted in FTE
    pub by_fte: bool,
}

impl OnePersonIt {
    /// On the priority list (the seed's 211団体 are small **and** one-person), by heads.
    pub fn listed(self) -> bool {
        self.small && self.by_heads
    }

    /// Listed only under the FTE reading.
    pub fn listed_by_fte_only(self) -> bool {
        self.small && self.by_fte && !self.by_heads
    }
}

/// The flags of one municipality.
pub fn one_person_it(s: &MunicipalStatus) -> OnePersonIt {
    OnePersonIt {
        small: s.population <= SMALL_POPULATION,
        by_heads: s.dx_staff_heads <= 1,
        by_fte: s.dx_staff_fte_hundredths <= ONE_PERSON_HUNDREDTHS,
    }
}

/// 優先支援リスト の行.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriorityEntry {
    pub municipality: String,
    /// Listed under the FTE reading only (shown marked as such).
    pub fte_reading_only: bool,
}

/// 1人情シス 優先支援リスト: small municipalities with one DX person or fewer, in input order.
pub fn priority_list(statuses: &[MunicipalStatus]) -> Vec<PriorityEntry> {
    statuses
        .iter()
        .filter_map(|s| {
            let f = one_person_it(s);
            (f.listed() || f.listed_by_fte_only())
                .then(|| PriorityEntry { municipality: s.municipality.clone(), fte_reading_only: !f.listed() })
        })
        .collect()
}

/// ① 連携の確保の枠組み (「会議体・宣言・協定等」, line 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CooperationKind {
    /// 会議体
    Council,
    /// 宣言
    Declaration,
    /// 協定
    Agreement,
}

/// ① の記録.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cooperation {
    pub kind: CooperationKind,
    pub date: NaiveDate,
    /// 協定書・宣言文等のファイルが添付されている
    pub has_file: bool,
}

/// ④ 連携して推進するべき取組のテーマ (line 112–113).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Theme {
    /// 庁内DX
    InternalDx,
    /// システムの共同調達
    JointProcurement,
    /// 地域社会のDX
    RegionalDx,
    /// デジタルデバイド対策
    DigitalDivide,
    /// その他
    Other,
}

/// 推進体制の記録 (one prefecture, one 年度).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkInput {
    pub cooperation: Option<Cooperation>,
    /// 管内市町村数 (from the organisation directory)
    pub municipalities: u32,
    /// 年度内に状況把握の記録がある市町村数
    pub municipalities_with_status: u32,
    /// 稼働中の人材数
    pub active_talent: u32,
    pub themes: Vec<Theme>,
}

/// チェックリストの項目.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    /// 機能番号 ①–④
    pub number: u8,
    pub complete: bool,
    /// 「② 状況把握 30/35（85.7%）」
    pub text_ja: String,
}

/// 推進体制の構築状況.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkChecklist {
    pub items: Vec<ChecklistItem>,
    pub complete: bool,
    /// Shown in red after the deadline while a function is missing.
    pub overdue_message_ja: Option<String>,
}

/// 「令和７年度中に、全ての都道府県で…推進体制を構築」 (line 35): the last day of 令和7年度.
pub const FRAMEWORK_DEADLINE: (i32, u32, u32) = (2026, 3, 31);

/// The checklist of the four functions (line 100–113) as of `today`.
pub fn framework_checklist(input: &FrameworkInput, today: NaiveDate) -> Result<FrameworkChecklist, TalentRuleError> {
    if input.municipalities_with_status > input.municipalities {
        let field = Field::new("状況把握の記録がある市町村数", "municipalities with a status record");
        return Err(TalentRuleError::OutOfRange {
            field,
            value: input.municipalities_with_status.into(),
            min: 0,
            max: input.municipalities.into(),
        });
    }
    let c1 = input.cooperation.as_ref().is_some_and(|c| c.has_file);
    let (n, total) = (input.municipalities_with_status, input.municipalities);
    // ② asks for 「全市町村の状況を把握」 (line 103): complete only at every municipality.
    let c2 = total > 0 && n == total;
    let rate = percent_1dp(n.into(), total.into()).map(|p| format!("（{p}）")).unwrap_or_default();
    let c3 = input.active_talent >= 1;
    let c4 = !input.themes.is_empty();
    let items = vec![
        ChecklistItem {
            number: 1,
            complete: c1,
            text_ja: if c1 {
                "① 連携の確保 済".into()
            } else {
                "① 連携の確保（会議体・宣言・協定等） 未".into()
            },
        },
        ChecklistItem { number: 2, complete: c2, text_ja: format!("② 状況把握 {n}/{total}{rate}") },
        ChecklistItem {
            number: 3,
            complete: c3,
            text_ja: format!("③ 専門人材を活用した支援 稼働中{}人", input.active_talent),
        },
        ChecklistItem {
            number: 4,
            complete: c4,
            text_ja: format!("④ 連携して推進するべき取組 {}件", input.themes.len()),
        },
    ];
    let complete = items.iter().all(|i| i.complete);
    let (y, m, d) = FRAMEWORK_DEADLINE;
    let deadline = NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MAX);
    let overdue_message_ja =
        (!complete && today > deadline).then(|| "令和7年度中（令和8年3月31日まで）の構築が求められています".to_owned());
    Ok(FrameworkChecklist { items, complete, overdue_message_ja })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(name: &str, population: u64, heads: u32, fte: u32) -> MunicipalStatus {
        MunicipalStatus { municipality: name.into(), population, dx_staff_heads: heads, dx_staff_fte_hundredths: fte }
    }

    /// Acceptance check 8; spec R1 table.
    #[test]
    fn one_person_it_list() {
        let s = [
            status("A町", 48_000, 1, 50),
            status("B町", 50_000, 0, 0),
            status("C市", 50_001, 1, 100),
            status("D村", 12_000, 2, 100),
        ];
        let list = priority_list(&s);
        let names: Vec<(&str, bool)> = list.iter().map(|e| (e.municipality.as_str(), e.fte_reading_only)).collect();
        assert_eq!(names, [("A町", false), ("B町", false), ("D村", true)]);
        let c = one_person_it(&s[2]);
        assert!(c.by_heads && !c.small && !c.listed());
    }

    fn input(with_status: u32, cooperation: bool) -> FrameworkInput {
        FrameworkInput {
            cooperation: cooperation.then(|| Cooperation {
                kind: CooperationKind::Agreement,
                date: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
                has_file: true,
            }),
            municipalities: 35,
            municipalities_with_status: with_status,
            active_talent: 2,
            themes: vec![Theme::JointProcurement],
        }
    }

    /// Acceptance check 9; spec R2: 静岡県 (35 municipalities).
    #[test]
    fn checklist_of_four_functions() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let r = framework_checklist(&input(30, true), today).unwrap();
        assert_eq!(r.items[1].text_ja, "② 状況把握 30/35（85.7%）");
        assert!(!r.items[1].complete && !r.complete);
        assert_eq!(r.overdue_message_ja, None);
        let full = framework_checklist(&input(35, true), today).unwrap();
        assert_eq!(full.items[1].text_ja, "② 状況把握 35/35（100.0%）");
        assert!(full.complete);
        let late = framework_checklist(&input(35, false), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()).unwrap();
        assert_eq!(
            late.overdue_message_ja.as_deref(),
            Some("令和7年度中（令和8年3月31日まで）の構築が求められています")
        );
        let on_deadline =
            framework_checklist(&input(35, false), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).unwrap();
        assert_eq!(on_deadline.overdue_message_ja, None);
        assert!(framework_checklist(&input(36, true), today).is_err());
    }
}
