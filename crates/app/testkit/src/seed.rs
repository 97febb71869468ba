//! 小さな種 (the small seed): what a platform or module test needs when it does not need the demo.
//! Two organisations — 下田市 (owner) and 下田地域維持型JV (contractor) — one bundle between them,
//! and four users with the demo's password, named as in the demo so that `app.login("…")` reads
//! the same. The password is hashed once per process (argon2 is slow on purpose), and the rows
//! are written through the platform's services otherwise, so the seed obeys the same rules.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use std::sync::OnceLock;
use tabane_core::Ctx;
use tabane_core::domain::{BundleRole, BundleScheme, OrgKind, Role};
use tabane_core::entities::user;
use tabane_core::service::{accounts, bundles, orgs};

/// The ids a test aims at.
#[derive(Clone, Copy, Debug)]
pub struct Seed {
    /// 下田市: owner in the bundle.
    pub city: i64,
    /// 下田地域維持型JV: contractor in the bundle.
    pub contractor: i64,
    pub bundle: i64,
}

/// login, name, organisation (None: the system administrator), role.
pub const SEED_USERS: &[(&str, &str, Option<&str>, Role)] = &[
    ("admin", "システム管理者", None, Role::Admin),
    ("shimoda-admin", "下田 一郎（市 管理者）", Some("下田市"), Role::Admin),
    ("shimoda-staff", "白浜 さくら（市 担当者）", Some("下田市"), Role::Staff),
    ("jv-staff", "須崎 健（JV 担当者）", Some("下田地域維持型JV"), Role::Staff),
];

fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| accounts::hash_password(tabane_core::demo::DEMO_PASSWORD).expect("hash the test password"))
        .clone()
}

/// Writes the small seed into a migrated, empty database.
pub async fn load(db: &DatabaseConnection) -> Seed {
    let cli = Ctx { actor: "test-seed".into(), ..Ctx::cli() };
    let org = |kind: OrgKind, name: &'static str, kana: &'static str, code: &'static str| {
        let cli = cli.clone();
        async move {
            let form = orgs::OrgForm {
                kind: kind.key().into(),
                name: name.into(),
                name_kana: kana.into(),
                lg_code: code.into(),
                ..Default::default()
            };
            orgs::create(db, &cli, &form).await.expect("seed organisation")
        }
    };
    let city = org(OrgKind::Municipality, "下田市", "しもだし", "222194").await;
    let contractor = org(OrgKind::Jv, "下田地域維持型JV", "しもだちいきいじがたじぇいぶい", "").await;
    let as_city = Ctx { org_id: Some(city.id), role: Some(Role::Admin), ..cli.clone() };
    let bundle = bundles::create(
        db,
        &as_city,
        &bundles::BundleForm {
            name: "下田市 道路維持管理".into(),
            scheme: BundleScheme::Agreement.key().into(),
            period_start: "2025-04-01".into(),
            period_end: "2028-03-31".into(),
            description: String::new(),
        },
    )
    .await
    .expect("seed bundle");
    bundles::set_member(db, &as_city, bundle.id, city.id, BundleRole::Owner).await.expect("owner");
    bundles::set_member(db, &as_city, bundle.id, contractor.id, BundleRole::Contractor).await.expect("contractor");
    for (login, name, org_name, role) in SEED_USERS {
        let u = user::ActiveModel {
            login: Set((*login).into()),
            display_name: Set((*name).into()),
            password_hash: Set(password_hash()),
            system_admin: Set(org_name.is_none()),
            active: Set(true),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("seed user");
        if let Some(n) = org_name {
            let org_id = if *n == city.name { city.id } else { contractor.id };
            accounts::grant(db, &cli, u.id, org_id, *role).await.expect("seed grant");
        }
    }
    Seed { city: city.id, contractor: contractor.id, bundle: bundle.id }
}
