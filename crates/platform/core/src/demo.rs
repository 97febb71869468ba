//! デモデータ (demo data): 静岡県 and 下田市 with the municipalities of 賀茂地域, departments, a
//! regional-maintenance JV with its member firms, two bundles and one user per role. A module's
//! demo adds its own organisations and users after these (with [`org`] and [`add_users`]).
//! Loading is idempotent: if 静岡県 is already there, nothing is added.

use crate::context::Ctx;
use crate::domain::{BundleRole, BundleScheme, OrgKind, Role};
use crate::entities::organisation;
use crate::error::Result;
use crate::lgcode::LgCode;
use crate::service::{accounts, bundles, orgs};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// The password of every demo user (documented in README; printed at start-up).
pub const DEMO_PASSWORD: &str = "tabane-demo-2026";

/// A demo user: login, name, organisation (by name), role, system administrator.
pub type DemoUser = (&'static str, &'static str, &'static str, Role, bool);

/// The platform's demo users (a module adds its own with [`add_users`], listed in its manifest).
pub const DEMO_USERS: &[DemoUser] = &[
    ("admin", "システム管理者", "静岡県", Role::Admin, true),
    ("pref-admin", "静岡 花子（県 管理者）", "静岡県", Role::Admin, false),
    ("pref-staff", "伊豆 太郎（県 担当者）", "静岡県", Role::Staff, false),
    ("pref-viewer", "駿河 次郎（県 閲覧者）", "静岡県", Role::Viewer, false),
    ("shimoda-admin", "下田 一郎（市 管理者）", "下田市", Role::Admin, false),
    ("shimoda-staff", "白浜 さくら（市 担当者）", "下田市", Role::Staff, false),
    ("kawazu-admin", "河津 桜子（町 管理者）", "河津町", Role::Admin, false),
    ("jv-staff", "須崎 健（JV 担当者）", "下田地域維持型JV", Role::Staff, false),
];

#[derive(Debug, Default)]
pub struct DemoSummary {
    pub loaded: bool,
    pub organisations: usize,
    pub users: usize,
}

/// Adds a demo organisation (a module's demo uses it for its own).
pub async fn org(
    db: &DatabaseConnection,
    ctx: &Ctx,
    kind: OrgKind,
    name: &str,
    kana: &str,
    code: Option<u32>,
    parent: Option<i64>,
) -> Result<organisation::Model> {
    let form = orgs::OrgForm {
        kind: kind.key().into(),
        name: name.into(),
        name_kana: kana.into(),
        lg_code: code
            .map(|c| LgCode::from_first_five(c).expect("demo codes are valid").to_string())
            .unwrap_or_default(),
        parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    orgs::create(db, ctx, &form).await
}

pub async fn load(db: &DatabaseConnection) -> Result<DemoSummary> {
    let exists = organisation::Entity::find().filter(organisation::Column::LgCode.eq("220001")).one(db).await?;
    if exists.is_some() {
        return Ok(DemoSummary::default());
    }
    let cli = Ctx { actor: "demo".into(), ..Ctx::cli() };
    let pref = org(db, &cli, OrgKind::Prefecture, "静岡県", "しずおかけん", Some(22000), None).await?;
    let shimoda = org(db, &cli, OrgKind::Municipality, "下田市", "しもだし", Some(22219), None).await?;
    let ito = org(db, &cli, OrgKind::Municipality, "伊東市", "いとうし", Some(22208), None).await?;
    let higashiizu = org(db, &cli, OrgKind::Municipality, "東伊豆町", "ひがしいずちょう", Some(22301), None).await?;
    let kawazu = org(db, &cli, OrgKind::Municipality, "河津町", "かわづちょう", Some(22302), None).await?;
    let minamiizu = org(db, &cli, OrgKind::Municipality, "南伊豆町", "みなみいずちょう", Some(22304), None).await?;
    let matsuzaki = org(db, &cli, OrgKind::Municipality, "松崎町", "まつざきちょう", Some(22305), None).await?;
    let nishiizu = org(db, &cli, OrgKind::Municipality, "西伊豆町", "にしいずちょう", Some(22306), None).await?;
    let mut count = 8;
    for (parent, name, kana) in [
        (pref.id, "交通基盤部 道路局 道路保全課", "こうつうきばんぶ どうろきょく どうろほぜんか"),
        (pref.id, "下田土木事務所", "しもだどぼくじむしょ"),
        (shimoda.id, "建設課", "けんせつか"),
        (shimoda.id, "企画課", "きかくか"),
    ] {
        org(db, &cli, OrgKind::Department, name, kana, None, Some(parent)).await?;
        count += 1;
    }
    let jv = org(db, &cli, OrgKind::Jv, "下田地域維持型JV", "しもだちいきいじがたじぇいぶい", None, None).await?;
    for (name, kana) in [
        ("南豆建設株式会社", "なんずけんせつ"),
        ("白浜土木株式会社", "しらはまどぼく"),
        ("伊豆南舗装株式会社", "いずみなみほそう"),
        ("下田電設株式会社", "しもだでんせつ"),
    ] {
        // Member firms of the JV point at the JV as their parent.
        org(db, &cli, OrgKind::Company, name, kana, None, Some(jv.id)).await?;
        count += 1;
    }
    count += 1;

    let as_pref = Ctx { org_id: Some(pref.id), role: Some(Role::Admin), ..cli.clone() };
    let maint = bundles::create(db, &as_pref, &bundles::BundleForm {
        name: "下田地域 道路維持管理（県・市共同発注）".into(),
        scheme: BundleScheme::JointProcurement.key().into(),
        period_start: "2025-04-01".into(),
        period_end: "2028-03-31".into(),
        description: "県道と市道の日常維持管理を同一の地域維持型JVへ発注する。県と市で覚書を締結し、県が事業者を選定、市は同一事業者と随意契約。作業指示はシステムで一元化する。".into(),
    }).await?;
    bundles::set_member(db, &as_pref, maint.id, pref.id, BundleRole::Owner).await?;
    bundles::set_member(db, &as_pref, maint.id, shimoda.id, BundleRole::Owner).await?;
    bundles::set_member(db, &as_pref, maint.id, jv.id, BundleRole::Contractor).await?;

    let council = bundles::create(
        db,
        &as_pref,
        &bundles::BundleForm {
            name: "賀茂地域 インフラ広域連携協議会".into(),
            scheme: BundleScheme::Council.key().into(),
            period_start: "令和7年4月1日".into(),
            period_end: String::new(),
            description: "賀茂地域の町がインフラ維持管理の広域連携を検討する協議会。".into(),
        },
    )
    .await?;
    for m in [&higashiizu, &kawazu, &minamiizu, &matsuzaki, &nishiizu] {
        bundles::set_member(db, &as_pref, council.id, m.id, BundleRole::Member).await?;
    }
    let _ = ito;

    add_users(db, DEMO_USERS).await?;
    Ok(DemoSummary { loaded: true, organisations: count, users: DEMO_USERS.len() })
}

/// Adds demo users with [`DEMO_PASSWORD`], each granted its role in its organisation (by name).
pub async fn add_users(db: &DatabaseConnection, users: &[DemoUser]) -> Result<()> {
    let cli = Ctx { actor: "demo".into(), ..Ctx::cli() };
    for (login, name, org_name, role, sysadmin) in users {
        let org = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(*org_name))
            .one(db)
            .await?
            .ok_or(crate::Error::NotFound)?;
        let u = accounts::create_user(
            db,
            &cli,
            &accounts::NewUser {
                login: (*login).into(),
                display_name: (*name).into(),
                password: DEMO_PASSWORD.into(),
                system_admin: *sysadmin,
                role: String::new(),
            },
        )
        .await?;
        accounts::grant(db, &cli, u.id, org.id, *role).await?;
    }
    Ok(())
}
