//! Platform vocabulary: kinds of organisation, roles, bundle schemes and bundle roles.
//!
//! Each enum is stored as its stable `key` (ASCII) and shown with its Japanese label first.
//! `parse` accepts the key, the Japanese label or the English label, so an import file may
//! say 「市区町村」 or "municipality".

/// Declares a vocabulary enum with a stable key, Japanese and English labels and aliases.
/// Exported so that modules declare their own vocabularies the same way.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = ($key:literal, $ja:literal, $en:literal $(, $alias:literal)*)),+ $(,)? }) => {
        // The derive first: a caller's attributes may be its helpers (`#[schemars(rename = …)]`
        // where two vocabularies share a name).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize, PartialOrd, Ord, ::schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        $(#[$m])*
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Stable key stored in the database and used in the API.
            pub fn key(self) -> &'static str { match self { $($name::$variant => $key),+ } }
            pub fn label_ja(self) -> &'static str { match self { $($name::$variant => $ja),+ } }
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),+ } }
            pub fn label(self, en: bool) -> &'static str { if en { self.label_en() } else { self.label_ja() } }
            /// Accepts the key, the Japanese or English label, or a known alias.
            pub fn parse(s: &str) -> Option<Self> {
                let t = s.trim();
                $(if t == $key || t == $ja || t.eq_ignore_ascii_case($en) $(|| t == $alias)* { return Some($name::$variant); })+
                None
            }
            /// The accepted values, for error messages ("都道府県, 市区町村, …").
            pub fn choices_ja() -> String {
                Self::ALL.iter().map(|v| v.label_ja()).collect::<Vec<_>>().join("、")
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label_ja()) }
        }
        impl $crate::domain::Labelled for $name {
            fn label_in(&self, en: bool) -> &'static str { self.label(en) }
        }
    };
}

/// A vocabulary value that can be shown in either language (every `vocabulary!` enum), for the
/// templates' `label` filter.
pub trait Labelled {
    fn label_in(&self, en: bool) -> &'static str;
}

impl<T: Labelled + ?Sized> Labelled for &T {
    fn label_in(&self, en: bool) -> &'static str {
        (**self).label_in(en)
    }
}

vocabulary! {
    /// 組織の種別 (kind of organisation).
    OrgKind {
        Prefecture = ("prefecture", "都道府県", "Prefecture"),
        Municipality = ("municipality", "市区町村", "Municipality", "市町村", "特別区", "政令市の区"),
        Union = ("union", "一部事務組合・広域連合", "Union / wide-area association", "一部事務組合", "広域連合"),
        Council = ("council", "協議会", "Council"),
        Department = ("department", "部署", "Department", "部局", "課"),
        Company = ("company", "企業", "Company", "会社"),
        Jv = ("jv", "共同企業体（JV）", "Joint venture (JV)", "JV", "共同企業体"),
        Cooperative = ("cooperative", "事業協同組合", "Business cooperative", "協同組合"),
        Npo = ("npo", "NPO", "NPO", "NPO法人", "特定非営利活動法人"),
        University = ("university", "大学", "University"),
        Other = ("other", "その他", "Other"),
    }
}

impl OrgKind {
    /// Local governments are keyed by their 全国地方公共団体コード.
    pub fn requires_lg_code(self) -> bool {
        matches!(self, OrgKind::Prefecture | OrgKind::Municipality)
    }
}

vocabulary! {
    /// 組織内の役割 (role of a user in an organisation). Ordered: viewer < staff < admin.
    Role {
        Viewer = ("viewer", "閲覧者", "Viewer", "閲覧"),
        Staff = ("staff", "担当者", "Staff", "職員", "担当"),
        Admin = ("admin", "管理者", "Administrator", "管理"),
    }
}

vocabulary! {
    /// 連携の方式 (scheme of a bundle).
    BundleScheme {
        Delegation = ("delegation", "事務の代替執行・委託（代行）", "Delegated administration", "代行", "代替執行", "事務委託"),
        JointProcurement = ("joint_procurement", "共同発注", "Joint procurement"),
        Council = ("council", "協議会", "Council"),
        Union = ("union", "一部事務組合", "Special-purpose union"),
        Agreement = ("agreement", "その他の協定", "Other agreement", "協定", "連携協約"),
    }
}

vocabulary! {
    /// 束の中の役割 (role of a member organisation in a bundle).
    BundleRole {
        Owner = ("owner", "発注者（管理者）", "Owner / client", "発注者", "管理者"),
        Contractor = ("contractor", "受注者", "Contractor"),
        Secretariat = ("secretariat", "事務局", "Secretariat", "幹事"),
        Observer = ("observer", "オブザーバー", "Observer"),
        Member = ("member", "構成員", "Member", "構成団体", "連携先"),
    }
}

vocabulary! {
    /// 共有範囲 (who in a bundle may read a record a member organisation owns). One rule for every
    /// module: [`crate::policy::record_visible`].
    Visibility {
        Own = ("own", "自団体のみ", "Own organisation only"),
        LeadOnly = ("lead_only", "幹事・事務局のみ", "Lead and secretariat only", "幹事のみ", "事務局のみ"),
        Bundle = ("bundle", "束の構成団体すべて", "Everyone in the bundle", "全体"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_key_labels_and_aliases() {
        assert_eq!(OrgKind::parse("市区町村"), Some(OrgKind::Municipality));
        assert_eq!(OrgKind::parse("特別区"), Some(OrgKind::Municipality));
        assert_eq!(OrgKind::parse("prefecture"), Some(OrgKind::Prefecture));
        assert_eq!(OrgKind::parse("Joint venture (JV)"), Some(OrgKind::Jv));
        assert_eq!(Role::parse("管理者"), Some(Role::Admin));
        assert_eq!(BundleScheme::parse("代行"), Some(BundleScheme::Delegation));
        assert_eq!(BundleRole::parse("幹事"), Some(BundleRole::Secretariat));
        assert_eq!(BundleRole::parse("構成団体"), Some(BundleRole::Member));
        assert_eq!(BundleRole::parse("連携先"), Some(BundleRole::Member));
        assert_eq!(Visibility::parse("幹事・事務局のみ"), Some(Visibility::LeadOnly));
        assert_eq!(OrgKind::parse("県庁"), None);
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Viewer < Role::Staff && Role::Staff < Role::Admin);
    }

    #[test]
    fn keys_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.key()), Some(*k));
        }
    }
}
