//! デモデータ (demo data, seed 003): a 区-sized municipality (渋谷区 as a stand-in: the seed is about
//! the 23 特別区) with its 官民連携推進室 as the one-stop window and three departments; a dozen
//! partners on its platform; resources in all three 公開区分 (one confirmed 2025-04-10, check 8);
//! public and internal issues; the R3 cohort of 令和7年度 (200 proposals: 60 成約, of which three
//! 事業化 after 76 days, 110 回答済, 30 検討中); two agreements with KPIs, one signed and evaluated
//! (SROI 40,000,000 ÷ 15,000,000). Figures are the spec's worked examples, not facts about any ward.
//! Everything goes through the services.

use crate::service::{contacts, issues, platforms, projects, resources};
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tabane_core::demo::DemoUser;
use tabane_core::domain::{BundleRole, BundleScheme, OrgKind, Role};
use tabane_core::entities::organisation;
use tabane_core::service::bundles;
use tabane_core::{Ctx, Result};

pub const MUNICIPALITY: &str = "渋谷区";
pub const WINDOW: &str = "官民連携推進室";
pub const PARTNER_A: &str = "株式会社 まちづくりラボ（デモ）";
pub const PARTNER_B: &str = "株式会社 こそだてテック（デモ）";

pub const DEMO_USERS: &[DemoUser] = &[
    ("koumin-window", "宇田川 みのり（官民連携推進室）", WINDOW, Role::Staff, false),
    ("kodomo-staff", "神南 拓海（子ども家庭部）", "子ども家庭部", Role::Staff, false),
    ("partner-a", "道玄坂 葵（連携先A社）", PARTNER_A, Role::Staff, false),
    ("partner-b", "桜丘 蓮（連携先B社）", PARTNER_B, Role::Staff, false),
];

const PARTNERS: &[(&str, OrgKind)] = &[
    (PARTNER_A, OrgKind::Company),
    (PARTNER_B, OrgKind::Company),
    ("株式会社 地域エネルギー（デモ）", OrgKind::Company),
    ("株式会社 シブヤモビリティ（デモ）", OrgKind::Company),
    ("合同会社 データと街（デモ）", OrgKind::Company),
    ("NPO法人 子ども食堂ネット（デモ）", OrgKind::Npo),
    ("NPO法人 防災ボランティア（デモ）", OrgKind::Npo),
    ("NPO法人 まちの居場所（デモ）", OrgKind::Npo),
    ("デモ大学 地域連携センター", OrgKind::University),
    ("デモ工科大学", OrgKind::University),
    ("商店会連合会（デモ）", OrgKind::Other),
    ("町会連合会（デモ）", OrgKind::Other),
];

fn acting(org: i64) -> Ctx {
    Ctx { actor: "demo".into(), system_admin: false, org_id: Some(org), role: Some(Role::Admin), ..Ctx::cli() }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

pub async fn load(db: &DatabaseConnection) -> Result<()> {
    if organisation::Entity::find().filter(organisation::Column::Name.eq(WINDOW)).one(db).await?.is_some() {
        return Ok(());
    }
    use tabane_core::demo::org;
    let cli = Ctx { actor: "demo".into(), ..Ctx::cli() };
    let ward = match organisation::Entity::find().filter(organisation::Column::Name.eq(MUNICIPALITY)).one(db).await? {
        Some(o) => o,
        None => org(db, &cli, OrgKind::Municipality, MUNICIPALITY, "しぶやく", Some(13113), None).await?,
    };
    let window =
        org(db, &cli, OrgKind::Department, WINDOW, "かんみんれんけいすいしんしつ", None, Some(ward.id)).await?;
    let kodomo = org(db, &cli, OrgKind::Department, "子ども家庭部", "こどもかていぶ", None, Some(ward.id)).await?;
    let bousai = org(db, &cli, OrgKind::Department, "防災課", "ぼうさいか", None, Some(ward.id)).await?;
    org(db, &cli, OrgKind::Department, "環境政策課", "かんきょうせいさくか", None, Some(ward.id)).await?;
    let mut partners = Vec::new();
    for (name, kind) in PARTNERS {
        partners.push(org(db, &cli, *kind, name, "でも", None, None).await?);
    }
    tabane_core::demo::add_users(db, DEMO_USERS).await?;
    let w = acting(ward.id);
    let b = bundles::create(
        db,
        &w,
        &bundles::BundleForm {
            name: format!("{MUNICIPALITY} 公民連携プラットフォーム"),
            scheme: BundleScheme::Agreement.key().into(),
            period_start: "2025-04-01".into(),
            period_end: String::new(),
            description: "区と企業・NPO・大学・地域団体の連携の場（デモ）。".into(),
        },
    )
    .await?;
    for p in &partners {
        bundles::set_member(db, &w, b.id, p.id, BundleRole::Member).await?;
    }
    let platform = platforms::create(
        db,
        &w,
        &platforms::PlatformForm {
            bundle_id: Some(b.id),
            window_org_id: Some(window.id),
            name: String::new(),
            answer_days: "55".into(),
            freshness: "+12m".into(),
        },
    )
    .await?;
    let pid = platform.id;
    let win = acting(window.id);
    // Resources in all three 公開区分.
    for (title, cat, vis, confirmed, provider) in [
        ("区民会館の多目的室（平日夜間）", "施設", "公開", "2025-04-10", None),
        ("子育て支援の専門人材（保育士OB）", "人材", "登録団体限定", "2025-06-01", Some(partners[5].id)),
        ("防災備蓄倉庫の空きスペース", "空間", "非公開", "2025-05-15", None),
        ("データ分析の技術支援（大学研究室）", "技術", "公開", "2025-09-01", Some(partners[8].id)),
    ] {
        resources::create(
            db,
            &win,
            pid,
            &resources::ResourceForm {
                provider_org_id: provider,
                provider_label: "渋谷区".into(),
                category: cat.into(),
                title: title.into(),
                visibility: vis.into(),
                last_confirmed_on: confirmed.into(),
                area: "区内全域".into(),
                terms: "応相談".into(),
                ..Default::default()
            },
        )
        .await?;
    }
    for (title, public, field) in [
        ("保育施設の空き情報が保護者に届きにくい", true, "子育て"),
        ("高齢者の見守りの担い手不足", true, "高齢者支援"),
        ("庁内の紙申請の削減（内部検討中）", false, "DX"),
    ] {
        issues::create(
            db,
            &win,
            pid,
            &issues::IssueForm {
                title: title.into(),
                description: format!("{title}。解決策の提案を募集しています。"),
                field: field.into(),
                area: "区内全域".into(),
                public,
                registered_on: "2025-05-01".into(),
                ..Default::default()
            },
        )
        .await?;
    }
    // The R3 cohort of 令和7年度.
    let first = contacts::create(
        db,
        &win,
        pid,
        &contacts::ContactForm {
            received_on: "2025-04-03".into(),
            channel: "対面".into(),
            kind: "提案".into(),
            proposer_org_id: Some(partners[1].id),
            title: "保育施設のマッチングシステム導入提案".into(),
            body: "保護者と保育施設の空き状況をつなぐマッチングシステムを導入し、入園手続を効率化する提案。".into(),
            fields: "子育て,DX".into(),
            ..Default::default()
        },
    )
    .await?;
    let topics = [
        "地域防災アプリの共同開発",
        "公園の遊休地を活用したマルシェ",
        "高齢者見守りセンサーの実証",
        "商店街の空き店舗活用",
        "区民向けプログラミング講座",
        "フードロス削減の仕組みづくり",
        "シェアサイクルの拡充",
        "子ども食堂への食材提供",
    ];
    let start = day("2025-04-01");
    for n in 0..199i64 {
        let received = start + Duration::days((n * 173) % 330);
        let topic = topics[(n as usize) % topics.len()];
        let proposer = &partners[(n as usize) % partners.len()];
        let c = contacts::create(
            db,
            &win,
            pid,
            &contacts::ContactForm {
                received_on: received.to_string(),
                channel: "メール".into(),
                kind: "提案".into(),
                proposer_org_id: Some(proposer.id),
                title: format!("{topic}（提案{}）", n + 2),
                body: format!("{topic}に関する{}からの提案です。", proposer.name),
                ..Default::default()
            },
        )
        .await?;
        let id = c.row.contact.id;
        contacts::route(
            db,
            &win,
            id,
            &contacts::RouteForm {
                departments: vec![if n % 2 == 0 { kodomo.id } else { bousai.id }],
                routed_on: received.to_string(),
            },
        )
        .await?;
        // n < 59: 成約 (with the first, 60); 59..169: 回答済; the rest stay 検討中.
        if n < 169 {
            let adopted = n < 59;
            let answered = received + Duration::days(20);
            contacts::answer(
                db,
                &win,
                id,
                &contacts::AnswerForm {
                    answer: if adopted { "採択".into() } else { "不採択".into() },
                    text: "検討結果をお知らせします。".into(),
                    reason: if adopted {
                        String::new()
                    } else {
                        "今年度の予算の範囲で実施できないため".into()
                    },
                    answered_on: answered.to_string(),
                },
            )
            .await?;
            if adopted {
                contacts::advance(
                    db,
                    &win,
                    id,
                    "agree",
                    &contacts::DayForm { on: (answered + Duration::days(10)).to_string() },
                )
                .await?;
            }
        }
    }
    // The first proposal: 採択, 成約, 事業化 76 days after receipt (R3: 2025-04-10 → 2025-06-25 is 76 days).
    let fid = first.row.contact.id;
    contacts::route(
        db,
        &win,
        fid,
        &contacts::RouteForm { departments: vec![kodomo.id], routed_on: "2025-04-04".into() },
    )
    .await?;
    contacts::answer(
        db,
        &win,
        fid,
        &contacts::AnswerForm {
            answer: "採択".into(),
            text: "子ども家庭部と協議のうえ採択します。".into(),
            reason: String::new(),
            answered_on: "2025-05-20".into(),
        },
    )
    .await?;
    contacts::advance(db, &win, fid, "agree", &contacts::DayForm { on: "2025-06-01".into() }).await?;
    contacts::advance(
        db,
        &win,
        fid,
        "launch",
        &contacts::DayForm { on: (day("2025-04-03") + Duration::days(76)).to_string() },
    )
    .await?;
    // Two agreements with KPIs: one signed and evaluated, one still being planned.
    let p1 = projects::create(
        db,
        &win,
        pid,
        &projects::ProjectForm {
            kind: "個別連携".into(),
            origin: "窓口提案".into(),
            contact_id: Some(fid),
            title: "保育施設マッチングシステムの共同運用".into(),
            partner_org_id: Some(partners[1].id),
            start_on: "2025-07-01".into(),
            end_on: "2028-03-31".into(),
            investment_yen: Some(15_000_000),
            participation_plan: true,
            guideline_complete: true,
        },
    )
    .await?;
    projects::add_kpi(
        db,
        &win,
        p1.id,
        &projects::KpiForm {
            name: "入園手続のオンライン完結率".into(),
            unit: "%".into(),
            target: Some("100".into()),
            actual: Some("92".into()),
            ..Default::default()
        },
    )
    .await?;
    projects::add_risk(
        db,
        &win,
        p1.id,
        &projects::RiskForm {
            item: "システム障害".into(),
            bearer: "分担".into(),
            municipality_pct: Some(40),
            operator_pct: Some(60),
            response: "事業者が復旧、区が周知".into(),
        },
    )
    .await?;
    projects::sign(db, &win, p1.id, "2025-06-20").await?;
    projects::evaluate(
        db,
        &win,
        p1.id,
        &projects::EvaluationForm {
            fiscal_year: Some(2025),
            value_yen: Some(40_000_000),
            investment_yen: Some(15_000_000),
            economic_effect_yen: Some(120_000_000),
            method: "代替費用法".into(),
        },
    )
    .await?;
    let p2 = projects::create(
        db,
        &win,
        pid,
        &projects::ProjectForm {
            kind: "共同研究・実証事業".into(),
            origin: "マッチング".into(),
            title: "高齢者見守りセンサーの実証".into(),
            partner_org_id: Some(partners[0].id),
            investment_yen: Some(8_000_000),
            ..Default::default()
        },
    )
    .await?;
    projects::add_kpi(
        db,
        &win,
        p2.id,
        &projects::KpiForm {
            name: "見守り対象世帯数".into(),
            unit: "世帯".into(),
            target: Some("100".into()),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
