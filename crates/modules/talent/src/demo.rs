//! デモデータ (demo data, seed 001): 静岡県's 推進体制 with the seven 賀茂・伊豆 municipalities of the
//! platform demo as 構成団体 and a cooperating company as 受注者; a pool covering the spec's E1–E5
//! accelerator cases, person T sent to 下田市 (月・火) and 河津町 (木・金) from 2025-09-01 with
//! September's visits, needs of several municipalities, 状況把握 records, 河津町's advisor sessions
//! of 令和7年度 (R10's example), and grant sheets for 令和7年度 and 令和8年度. Everything goes
//! through the services.

use crate::service::{accelerators, advisors, assignments, framework, grants, needs, persons, pools, visits};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tabane_core::demo::DemoUser;
use tabane_core::domain::{BundleRole, BundleScheme, OrgKind, Role};
use tabane_core::entities::organisation;
use tabane_core::service::bundles;
use tabane_core::service::files::{self, FileStore};
use tabane_core::{Ctx, Error, Result};

pub const POOL_NAME: &str = "静岡県・市町村 DX推進体制";
pub const COMPANY_NAME: &str = "株式会社 しずおかDXパートナーズ（デモ）";

/// This module's demo user: the cooperating company's staff (the prefecture's and the
/// municipalities' users are the platform's).
pub const DEMO_USERS: &[DemoUser] =
    &[("dx-partner-staff", "駿府 真琴（協力企業 担当者）", COMPANY_NAME, Role::Staff, false)];

async fn org(db: &DatabaseConnection, name: &str) -> Result<organisation::Model> {
    organisation::Entity::find().filter(organisation::Column::Name.eq(name)).one(db).await?.ok_or(Error::NotFound)
}

fn acting(org: i64, role: Role) -> Ctx {
    Ctx { actor: "demo".into(), system_admin: false, org_id: Some(org), role: Some(role), ..Ctx::cli() }
}

pub async fn load(db: &DatabaseConnection, files: &FileStore) -> Result<()> {
    let Ok(pref) = org(db, "静岡県").await else { return Ok(()) };
    if org(db, COMPANY_NAME).await.is_ok() {
        return Ok(());
    }
    let cli = Ctx { actor: "demo".into(), ..Ctx::cli() };
    let company = tabane_core::demo::org(
        db,
        &cli,
        OrgKind::Company,
        COMPANY_NAME,
        "しずおかでぃーえっくすぱーとなーず",
        None,
        None,
    )
    .await?;
    tabane_core::demo::add_users(db, DEMO_USERS).await?;
    let p = acting(pref.id, Role::Admin);
    let bundle = bundles::create(
        db,
        &p,
        &bundles::BundleForm {
            name: POOL_NAME.into(),
            scheme: BundleScheme::Council.key().into(),
            period_start: "2025-04-01".into(),
            period_end: String::new(),
            description:
                "県と市町村が連携してDXを推進する体制（資料 line 100–113）。県が人材プールを確保し、市町村へ派遣する。"
                    .into(),
        },
    )
    .await?;
    let names = ["下田市", "伊東市", "東伊豆町", "河津町", "南伊豆町", "松崎町", "西伊豆町"];
    let mut m = std::collections::HashMap::new();
    for n in names {
        let o = org(db, n).await?;
        bundles::set_member(db, &p, bundle.id, o.id, BundleRole::Member).await?;
        m.insert(n, o.id);
    }
    bundles::set_member(db, &p, bundle.id, company.id, BundleRole::Contractor).await?;
    let pool = pools::create(
        db,
        &p,
        &pools::PoolForm {
            bundle_id: Some(bundle.id),
            name: format!("{POOL_NAME} 人材プール"),
            region: "中部地方".into(),
        },
    )
    .await?;
    let staff = acting(pref.id, Role::Staff);
    let person = |label: &str,
                  name: &str,
                  email: &str,
                  types: &str,
                  regions: &str,
                  fields: &str,
                  engagement: &str,
                  status: &str,
                  employer: Option<i64>| persons::PersonForm {
        label: label.into(),
        name: name.into(),
        email: email.into(),
        source: if employer.is_some() { "民間企業".into() } else { "個人事業主".into() },
        engagement: engagement.into(),
        employer_org_id: employer,
        types: types.into(),
        regions: regions.into(),
        fields: fields.into(),
        main_duty: true,
        main_duty_basis: "ジョブディスクリプション「県内市町村のDX推進を支援する業務に従事する」".into(),
        status: status.into(),
        ..Default::default()
    };
    // T: the weekly dispatch of R11.
    let t = persons::create(
        db,
        &staff,
        pool.id,
        &person(
            "人材T（PM）",
            "総務 太郎",
            "taro@example.jp",
            "プロジェクトマネージャー",
            "静岡県",
            "標準化・クラウド化,BPR・システム発注支援",
            "非常勤職員",
            "active",
            None,
        ),
    )
    .await?;
    persons::create(
        db,
        &staff,
        pool.id,
        &person(
            "人材H（プロデューサー）",
            "総務 花子",
            "hanako@example.jp",
            "プロデューサー",
            "中部地方",
            "DX・情報化計画,人材育成",
            "非常勤職員",
            "active",
            None,
        ),
    )
    .await?;
    persons::create(
        db,
        &staff,
        pool.id,
        &person(
            "人材J（エンジニア）",
            "デジタル 次郎",
            "jiro@example.jp",
            "エンジニア・サービスデザイナー",
            "静岡県",
            "データ利活用,セキュリティ研修・監査",
            "委託事業者",
            "active",
            Some(company.id),
        ),
    )
    .await?;
    // E1–E5 (spec R3).
    type Exp<'a> = &'a [(&'a str, &'a str)];
    let cases: [(&str, &str, Exp, &str, bool); 5] = [
        ("E1", "事例 一郎", &[("2018-04", "2021-03"), ("2020-04", "2023-03")], "", true),
        ("E2", "事例 二郎", &[("2019-10", "2024-06")], "プロジェクトマネージャ試験", true),
        ("E3", "事例 三郎", &[("2021-04", "2024-03")], "基本情報技術者試験", true),
        ("E4", "事例 四郎", &[("2014-04", "2024-03")], "ITストラテジスト試験", false),
        ("E5", "事例 五郎", &[("2020-04", "2025-03")], "", true),
    ];
    for (label, name, exp, exam, duty) in cases {
        let mut f = person(
            &format!("{label}（アクセラレータ候補）"),
            name,
            "",
            "プロジェクトマネージャー",
            "静岡県",
            "DX・情報化計画",
            "常勤職員",
            "hired",
            None,
        );
        f.main_duty = duty;
        if !duty {
            f.main_duty_basis = String::new();
        }
        let x = persons::create(db, &staff, pool.id, &f).await?;
        for (from, to) in exp {
            accelerators::add_experience(
                db,
                &staff,
                x.person.id,
                &accelerators::ExperienceForm {
                    employer_label: "民間IT企業".into(),
                    sector: "民間企業".into(),
                    from_month: (*from).into(),
                    to_month: (*to).into(),
                    digital_field: true,
                    description: String::new(),
                },
            )
            .await?;
        }
        if !exam.is_empty() {
            accelerators::add_qualification(
                db,
                &staff,
                x.person.id,
                &accelerators::QualificationForm { exam: exam.into(), passed_on: String::new() },
            )
            .await?;
        }
        accelerators::run_check(db, &staff, x.person.id, &accelerators::CheckForm { as_of: "2025-10-01".into() })
            .await?;
    }
    // Needs: 下田市 and 河津町 filled by T, 南伊豆町 and 東伊豆町 open.
    let need = |theme: &str, field: &str, types: &str, days: i32, form: &str, desc: &str| needs::NeedForm {
        theme: theme.into(),
        field: field.into(),
        wanted_types: types.into(),
        days_per_week: Some(days),
        form: form.into(),
        period_from: "2025-09-01".into(),
        period_to: "2026-03-31".into(),
        description: desc.into(),
        ..Default::default()
    };
    let shimoda = acting(m["下田市"], Role::Staff);
    let kawazu = acting(m["河津町"], Role::Staff);
    let n1 = needs::create(
        db,
        &shimoda,
        pool.id,
        &need(
            "庁内DX",
            "標準化・クラウド化",
            "プロジェクトマネージャー",
            2,
            "定期",
            "基幹業務システムの標準化移行（令和7年度末）の進行管理",
        ),
    )
    .await?;
    let n2 = needs::create(
        db,
        &kawazu,
        pool.id,
        &need(
            "庁内DX",
            "BPR・システム発注支援",
            "プロジェクトマネージャー",
            2,
            "定期",
            "窓口業務の見直しと調達仕様書の作成支援",
        ),
    )
    .await?;
    needs::create(
        db,
        &acting(m["南伊豆町"], Role::Staff),
        pool.id,
        &need("地域社会のDX", "データ利活用", "", 1, "定期", "観光データの活用と庁内のデータ整備"),
    )
    .await?;
    needs::create(
        db,
        &acting(m["東伊豆町"], Role::Staff),
        pool.id,
        &need(
            "庁内DX",
            "セキュリティ研修・監査",
            "エンジニア・サービスデザイナー",
            0,
            "スポット",
            "職員向け情報セキュリティ研修（年2回）",
        ),
    )
    .await?;
    let assign = |need: i64, days: &str| assignments::AssignmentForm {
        person_id: Some(t.person.id),
        need_id: Some(need),
        mode: "prefectural".into(),
        weekdays: days.into(),
        date_from: "2025-09-01".into(),
        date_to: "2026-03-31".into(),
        hours_per_day: Some(7.75),
        ..Default::default()
    };
    let a1 = assignments::create(db, &staff, pool.id, &assign(n1.need.id, "月,火")).await?;
    let a2 = assignments::create(db, &staff, pool.id, &assign(n2.need.id, "木,金")).await?;
    assignments::confirm(db, &staff, a1.row.assignment.id).await?;
    assignments::confirm(db, &staff, a2.row.assignment.id).await?;
    // September 2025 at 下田市: the eight days of R11, the first six confirmed.
    for (i, day) in
        ["2025-09-01", "2025-09-02", "2025-09-08", "2025-09-09", "2025-09-16", "2025-09-22", "2025-09-29", "2025-09-30"]
            .iter()
            .enumerate()
    {
        let v = visits::log(
            db,
            &staff,
            a1.row.assignment.id,
            &visits::VisitForm {
                visited_on: (*day).into(),
                hours: Some(7.75),
                place: "実地".into(),
                field: "標準化・クラウド化".into(),
                summary: "標準化移行の進捗確認と課題整理".into(),
            },
        )
        .await?;
        if i < 6 {
            visits::confirm(db, &shimoda, v.id).await?;
        }
    }
    // 状況把握 (令和7年度 and 令和8年度) and the 協定 of 2025-05-20 with its file (① of R2).
    for (as_of, year) in [("2025-07-01", 0), ("2026-07-01", 1)] {
        for (n, pop, heads, fte) in [
            ("下田市", 19_000, 1, 1.0),
            ("河津町", 6_700, 1, 0.5),
            ("南伊豆町", 7_500, 0, 0.0),
            ("東伊豆町", 11_500, 2, 1.0),
            ("伊東市", 66_000, 4, 4.0),
        ] {
            let pop = pop - 150 * year;
            framework::record(
                db,
                &acting(m[n], Role::Staff),
                pool.id,
                &framework::StatusForm {
                    as_of: as_of.into(),
                    population: Some(pop),
                    dx_heads: Some(heads),
                    dx_fte: Some(fte),
                    concurrent: heads <= 1,
                    progress: "標準化 移行中".into(),
                    ..Default::default()
                },
            )
            .await?;
        }
    }
    let agreement =
        files::store(db, files, &p, "静岡県・市町村DX推進協定書.pdf", b"%PDF-1.4 demo agreement", Some(bundle.id))
            .await?;
    for fy in [2025, 2026] {
        framework::save(
            db,
            &staff,
            pool.id,
            &framework::FrameworkForm {
                fiscal_year: Some(fy),
                cooperation_kind: "協定".into(),
                cooperation_on: "2025-05-20".into(),
                file_id: Some(agreement.id),
                themes: "庁内DX,システムの共同調達".into(),
            },
        )
        .await?;
    }
    // 河津町's advisors (R10): DX ①6/9 ②7/10 ③8/10 ④9/11 ⑤10/10, then 地域情報化 ⑥11/10 ⑦11/11 ⑧11/12.
    for d in ["2025-06-09", "2025-07-10", "2025-08-10", "2025-09-11", "2025-10-10"] {
        advisors::record(
            db,
            &kawazu,
            pool.id,
            &advisors::AdvisorForm {
                program: "dx_advice".into(),
                visited_on: d.into(),
                mode: "実地".into(),
                hours: Some(2.0),
                advisor_label: "DXアドバイザー（地方公共団体金融機構）".into(),
                fields: "標準化・クラウド化".into(),
                ..Default::default()
            },
        )
        .await?;
    }
    for d in ["2025-11-10", "2025-11-11", "2025-11-12"] {
        advisors::record(
            db,
            &kawazu,
            pool.id,
            &advisors::AdvisorForm {
                program: "regional".into(),
                visited_on: d.into(),
                mode: "実地".into(),
                hours: Some(3.0),
                advisor_label: "地域情報化アドバイザー".into(),
                fields: "データ利活用".into(),
                ..Default::default()
            },
        )
        .await?;
    }
    // Grant sheets: 静岡県 measure A (R5 A1) in 令和7年度 and 令和8年度; 河津町 B (R6) and its 負担金 (A8).
    let line = |label: &str, kind: &str, amount: i64| grants::LineForm {
        label: label.into(),
        kind: kind.into(),
        amount: Some(amount),
        ..Default::default()
    };
    for fy in [2025, 2026] {
        let s = grants::create(
            db,
            &staff,
            pool.id,
            &grants::SheetForm {
                measure: "a".into(),
                fiscal_year: Some(fy),
                title: "市町村支援のためのデジタル人材確保".into(),
                ..Default::default()
            },
        )
        .await?;
        for l in [
            line("非常勤職員X（人件費）", "staff_pay", 9_000_000),
            line("委託C社（1名）人件費相当額", "contract_staff", 23_000_000),
            line("委託C社 交通費", "contract_other", 400_000),
            line("委託C社 通信運搬費", "contract_other", 100_000),
            line("募集経費", "recruitment", 4_200_000),
        ] {
            grants::add_line(db, &staff, s.sheet.id, &l).await?;
        }
    }
    let b = grants::create(
        db,
        &kawazu,
        pool.id,
        &grants::SheetForm { measure: "b".into(), fiscal_year: Some(2025), ..Default::default() },
    )
    .await?;
    let mut prog = line("育成プログラム委託（指定リーダー2名）", "leader_training", 2_000_000);
    prog.designated_leader = true;
    let mut exam = line("高度試験 受験料（2名）", "leader_training", 15_000);
    exam.designated_leader = true;
    let mut broad = line("全職員向け研修", "leader_training", 500_000);
    broad.broad_staff = true;
    let mut basic = line("初歩的な試験の受験料", "leader_training", 7_500);
    (basic.designated_leader, basic.elementary_exam) = (true, true);
    for l in [prog, exam, broad, basic] {
        grants::add_line(db, &kawazu, b.sheet.id, &l).await?;
    }
    let a = grants::create(
        db,
        &kawazu,
        pool.id,
        &grants::SheetForm { measure: "a".into(), fiscal_year: Some(2025), ..Default::default() },
    )
    .await?;
    grants::add_line(db, &kawazu, a.sheet.id, &line("静岡県への負担金（人材Xの派遣）", "contribution", 3_000_000))
        .await?;
    Ok(())
}
