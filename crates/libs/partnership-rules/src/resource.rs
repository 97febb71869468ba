//! 地域資源の鮮度と公開区分 (resource freshness and visibility), spec R8, §2.2, §1 (who sees a
//! proposal), acceptance checks 5–8; seed lines 346–349.
//!
//! The seed asks for 「データの鮮度・正確性を維持する…定期的な情報確認プロセス」 (line 349) but gives no
//! period, so the freshness period is a setting — a `tabane-calendar` deadline rule, default
//! `+12m` (spec §7) — and a stale resource becomes 要確認, never deleted (R8).

use crate::error::{Field, PartnershipRuleError};
use chrono::NaiveDate;
use serde::Serialize;
use tabane_calendar::{BusinessCalendar, DeadlineRule, DeadlineStep};

/// 鮮度の設定 (how long a confirmation stays fresh).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FreshnessSetting {
    pub rule: DeadlineRule,
}

impl Default for FreshnessSetting {
    /// 12か月 (`+12m`, spec R4/R8 example).
    fn default() -> Self {
        Self { rule: DeadlineRule::new(vec![DeadlineStep::Months { n: 12 }]) }
    }
}

impl FreshnessSetting {
    /// Reads the rule as typed in the setting (`+12m`, `+6m`, `+180d`); errors name the field.
    pub fn parse(typed: &str) -> Result<Self, PartnershipRuleError> {
        let field = Field::new("鮮度の確認周期", "freshness period");
        let rule: DeadlineRule = DeadlineRule::parse(typed).map_err(|_| PartnershipRuleError::UnreadableRule {
            field,
            input: typed.trim().to_owned(),
            example: "+12m, +6m, +180d",
        })?;
        Ok(Self { rule })
    }

    /// 要確認になる日: the day the confirmation stops being fresh. Confirmed 2025-04-10 with
    /// `+12m` → 2026-04-10 (still 有効 on 2026-04-09; acceptance check 8).
    pub fn stale_from(&self, last_confirmed_on: NaiveDate) -> NaiveDate {
        // The rule is plain date arithmetic; the calendar only matters if a rule asks for 営業日.
        self.rule.apply(last_confirmed_on, &BusinessCalendar::default())
    }
}

/// 地域資源の状態 (spec §2.2 lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ResourceStatus {
    /// 登録 (事務局 not yet confirmed)
    Registered,
    /// 有効
    Active,
    /// 要確認 (freshness period passed)
    NeedsConfirmation,
    /// 停止
    Suspended,
}

impl ResourceStatus {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Registered => "登録",
            Self::Active => "有効",
            Self::NeedsConfirmation => "要確認",
            Self::Suspended => "停止",
        }
    }

    /// Counted in 地域資源データベース登録件数 (R4: 有効 or 要確認 on 3/31).
    pub fn is_counted(self) -> bool {
        matches!(self, Self::Active | Self::NeedsConfirmation)
    }
}

/// 状態 on `on`: a confirmed (有効) resource turns 要確認 from [`FreshnessSetting::stale_from`];
/// 登録 and 停止 are decisions of people and are not changed by time.
pub fn status_on(
    recorded: ResourceStatus,
    last_confirmed_on: NaiveDate,
    on: NaiveDate,
    setting: &FreshnessSetting,
) -> ResourceStatus {
    match recorded {
        ResourceStatus::Active | ResourceStatus::NeedsConfirmation if on >= setting.stale_from(last_confirmed_on) => {
            ResourceStatus::NeedsConfirmation
        }
        ResourceStatus::NeedsConfirmation | ResourceStatus::Active => ResourceStatus::Active,
        other => other,
    }
}

/// 公開区分 (line 348; spec §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Visibility {
    /// 公開（オープンデータ）
    Public,
    /// 登録団体限定
    MembersOnly,
    /// 非公開（事務局のみ）
    Private,
}

impl Visibility {
    pub const CHOICES_JA: [&'static str; 3] = ["公開", "登録団体限定", "非公開"];

    /// Reads 公開区分 as written in a form or an import row; `row` is the CSV line for the message
    /// of acceptance check 5 (「4行目「公開区分」: 「社外秘」は選択肢にありません（…）」).
    pub fn parse(typed: &str, row: Option<usize>) -> Result<Self, PartnershipRuleError> {
        let field = Field::new("公開区分", "visibility");
        match typed.trim() {
            "公開" | "公開（オープンデータ）" => Ok(Self::Public),
            "登録団体限定" => Ok(Self::MembersOnly),
            "非公開" | "非公開（事務局のみ）" => Ok(Self::Private),
            "" => Err(PartnershipRuleError::Missing { field }),
            other => Err(PartnershipRuleError::NotAChoice {
                field,
                value: other.to_owned(),
                choices: Self::CHOICES_JA.to_vec(),
                row,
            }),
        }
    }
}

/// 閲覧者 (who is asking), as plain facts the module resolves from the session and the bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// 未ログイン (public portal)
    Anonymous,
    /// A signed-in user acting for an organisation.
    Organisation {
        /// Member of the platform bundle (連携先 / 構成員).
        platform_member: bool,
        /// The platform's 事務局 (the municipality's window).
        secretariat: bool,
        /// The resource's own provider.
        provider: bool,
    },
}

/// 地域資源の閲覧可否 (R8, acceptance check 6): 公開 → everyone; 登録団体限定 → platform members;
/// 非公開 → the 事務局 only. The provider always sees its own entry (it must confirm it), and the
/// 事務局 sees everything. Entries not 有効/要確認 are not shown to anyone else. A `false` is a 404 in
/// the module, never a 403, so that nothing tells an outsider the entry exists.
pub fn can_view_resource(visibility: Visibility, status: ResourceStatus, viewer: Viewer) -> bool {
    match viewer {
        Viewer::Organisation { secretariat: true, .. } | Viewer::Organisation { provider: true, .. } => true,
        _ if !status.is_counted() => false,
        Viewer::Anonymous => visibility == Visibility::Public,
        Viewer::Organisation { platform_member, .. } => match visibility {
            Visibility::Public => true,
            Visibility::MembersOnly => platform_member,
            Visibility::Private => false,
        },
    }
}

/// オープンデータCSVに載せるか (acceptance check 7): 公開 and 有効/要確認 only.
pub fn in_open_data(visibility: Visibility, status: ResourceStatus) -> bool {
    can_view_resource(visibility, status, Viewer::Anonymous)
}

/// 提案の閲覧可否 (spec §1, acceptance check 6): a proposal may hold a company's know-how, so it is
/// visible to its proposer organisation, the window department and the departments it is routed
/// to — not through any bundle, and not to other companies.
pub fn can_view_proposal(is_proposer: bool, is_window: bool, is_routed_department: bool) -> bool {
    is_proposer || is_window || is_routed_department
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// R4/R8 and acceptance check 8.
    #[test]
    fn freshness_acceptance_8() {
        let s = FreshnessSetting::default();
        assert_eq!(s.stale_from(ymd(2025, 4, 10)), ymd(2026, 4, 10));
        let on = |d| status_on(ResourceStatus::Active, ymd(2025, 4, 10), d, &s);
        assert_eq!(on(ymd(2026, 4, 9)), ResourceStatus::Active);
        assert_eq!(on(ymd(2026, 4, 10)), ResourceStatus::NeedsConfirmation);
        // Counted in the 3/31 total either way.
        assert!(on(ymd(2026, 3, 31)).is_counted() && on(ymd(2026, 4, 10)).is_counted());
        // A provider's new confirmation makes it fresh again.
        assert_eq!(
            status_on(ResourceStatus::NeedsConfirmation, ymd(2026, 4, 15), ymd(2026, 5, 1), &s),
            ResourceStatus::Active
        );
        assert_eq!(
            status_on(ResourceStatus::Suspended, ymd(2020, 1, 1), ymd(2026, 1, 1), &s),
            ResourceStatus::Suspended
        );
        let six = FreshnessSetting::parse("+6m").unwrap();
        assert_eq!(six.stale_from(ymd(2025, 8, 31)), ymd(2026, 2, 28));
        let e = FreshnessSetting::parse("そのうち").unwrap_err();
        assert_eq!(e.to_string(), "「鮮度の確認周期」: 「そのうち」を読み取れません（例: +12m, +6m, +180d）");
        assert_eq!(e.message_en(), "\"freshness period\": cannot read \"そのうち\" (e.g. +12m, +6m, +180d)");
    }

    /// Acceptance check 5 (import row) and 6 (isolation).
    #[test]
    fn visibility_acceptance_5_6_7() {
        let e = Visibility::parse("社外秘", Some(4)).unwrap_err();
        assert_eq!(e.to_string(), "4行目「公開区分」: 「社外秘」は選択肢にありません（公開／登録団体限定／非公開）");
        assert_eq!(Visibility::parse(" 登録団体限定 ", None).unwrap(), Visibility::MembersOnly);
        let active = ResourceStatus::Active;
        let outsider = Viewer::Organisation { platform_member: false, secretariat: false, provider: false };
        let member = Viewer::Organisation { platform_member: true, secretariat: false, provider: false };
        let secretariat = Viewer::Organisation { platform_member: true, secretariat: true, provider: false };
        let provider = Viewer::Organisation { platform_member: true, secretariat: false, provider: true };
        assert!(!can_view_resource(Visibility::MembersOnly, active, outsider));
        assert!(!can_view_resource(Visibility::MembersOnly, active, Viewer::Anonymous));
        assert!(can_view_resource(Visibility::MembersOnly, active, member));
        assert!(!can_view_resource(Visibility::Private, active, member));
        assert!(can_view_resource(Visibility::Private, active, secretariat));
        assert!(can_view_resource(Visibility::Private, active, provider));
        assert!(in_open_data(Visibility::Public, active));
        assert!(!in_open_data(Visibility::Public, ResourceStatus::Suspended));
        assert!(!in_open_data(Visibility::MembersOnly, active));
        assert!(!can_view_proposal(false, false, false));
        assert!(can_view_proposal(false, false, true));
    }

    fn viewer() -> impl Strategy<Value = Viewer> {
        prop_oneof![
            Just(Viewer::Anonymous),
            (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(platform_member, secretariat, provider)| {
                Viewer::Organisation { platform_member, secretariat, provider }
            }),
        ]
    }

    fn visibility() -> impl Strategy<Value = Visibility> {
        prop_oneof![Just(Visibility::Public), Just(Visibility::MembersOnly), Just(Visibility::Private)]
    }

    fn status() -> impl Strategy<Value = ResourceStatus> {
        prop_oneof![
            Just(ResourceStatus::Registered),
            Just(ResourceStatus::Active),
            Just(ResourceStatus::NeedsConfirmation),
            Just(ResourceStatus::Suspended)
        ]
    }

    proptest! {
        /// Narrowing visibility never lets more people see a resource.
        #[test]
        fn visibility_is_monotonic(v in viewer(), s in status()) {
            let public = can_view_resource(Visibility::Public, s, v);
            let members = can_view_resource(Visibility::MembersOnly, s, v);
            let private = can_view_resource(Visibility::Private, s, v);
            prop_assert!((!private || members) && (!members || public));
        }

        /// Anything an anonymous visitor sees, every organisation sees too.
        #[test]
        fn anonymous_sees_least(vis in visibility(), s in status(), v in viewer()) {
            prop_assert!(!can_view_resource(vis, s, Viewer::Anonymous) || can_view_resource(vis, s, v));
        }

        #[test]
        fn stale_only_after_period(start in 0u64..20_000, later in 0u64..1_000) {
            let s = FreshnessSetting::default();
            let confirmed = ymd(1990, 1, 1) + chrono::Days::new(start);
            let on = confirmed + chrono::Days::new(later);
            let st = status_on(ResourceStatus::Active, confirmed, on, &s);
            prop_assert_eq!(st == ResourceStatus::NeedsConfirmation, on >= s.stale_from(confirmed));
            prop_assert!(s.stale_from(confirmed) > confirmed);
        }
    }
}
