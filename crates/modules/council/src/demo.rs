//! デモデータ (demo data, seed 000): the 関東地方知事会's 二拠点居住等研究部会 with its ten
//! members, 長野県's 信州暮らし推進係 as 事務局 and client, a consulting company as contractor,
//! the 令和7年度 term (2025-06-02 … 2025-10-31; the 契約締結日 is not in the seed) with both
//! meetings and their 担当者打合せ, the member survey with some answers, seven hearings, a few
//! cases and a liaison log of 19 weeks out of 22. Everything goes through the services.

use crate::entities::{meeting, term};
use crate::service::{cases, hearings, liaison, meetings, terms};
use chrono::Duration;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use tabane_core::demo::DemoUser;
use tabane_core::domain::{BundleRole, BundleScheme, OrgKind, Role};
use tabane_core::entities::{organisation, user};
use tabane_core::service::bundles;
use tabane_core::service::surveys::{self, Choice, EntrySource, NewQuestion, NewRecipient, SurveyForm};
use tabane_core::{Ctx, Result};

pub const CLIENT_NAME: &str = "企画振興部 地域振興課 信州暮らし推進係";
pub const CONTRACTOR_NAME: &str = "株式会社 地域計画研究所（デモ）";
pub const COMMITTEE_NAME: &str = "関東地方知事会 二拠点居住等研究部会";
pub const CONTRACT_NAME: &str = "研究部会運営支援業務委託（令和7年度）";

/// This module's demo users: one per side.
pub const DEMO_USERS: &[DemoUser] = &[
    ("shinshu-staff", "松本 あずさ（長野県 信州暮らし推進係）", CLIENT_NAME, Role::Staff, false),
    ("tokyo-staff", "新宿 陽介（東京都 担当者）", "東京都", Role::Staff, false),
    ("consult-staff", "上田 直人（受託者 業務担当者）", CONTRACTOR_NAME, Role::Staff, false),
];

/// The ten members (1都9県) with the first five digits of their 団体コード.
pub const MEMBERS: &[(&str, &str, u32)] = &[
    ("東京都", "とうきょうと", 13000),
    ("茨城県", "いばらきけん", 8000),
    ("栃木県", "とちぎけん", 9000),
    ("群馬県", "ぐんまけん", 10000),
    ("埼玉県", "さいたまけん", 11000),
    ("千葉県", "ちばけん", 12000),
    ("神奈川県", "かながわけん", 14000),
    ("山梨県", "やまなしけん", 19000),
    ("静岡県", "しずおかけん", 22000),
    ("長野県", "ながのけん", 20000),
];

async fn org_named(db: &DatabaseConnection, name: &str) -> Result<Option<organisation::Model>> {
    Ok(organisation::Entity::find().filter(organisation::Column::Name.eq(name)).one(db).await?)
}

pub async fn load(db: &DatabaseConnection) -> Result<()> {
    if org_named(db, CONTRACTOR_NAME).await?.is_some() {
        return Ok(());
    }
    use tabane_core::demo::org;
    let cli = Ctx { actor: "demo".into(), ..Ctx::cli() };
    let mut members = Vec::new();
    for (name, kana, code) in MEMBERS {
        let o = match org_named(db, name).await? {
            Some(o) => o,
            None => org(db, &cli, OrgKind::Prefecture, name, kana, Some(*code), None).await?,
        };
        members.push(o);
    }
    let nagano = members.iter().find(|o| o.name == "長野県").expect("listed").id;
    let client =
        org(db, &cli, OrgKind::Department, CLIENT_NAME, "しんしゅうぐらしすいしんがかり", None, Some(nagano)).await?;
    let contractor =
        org(db, &cli, OrgKind::Company, CONTRACTOR_NAME, "ちいきけいかくけんきゅうじょ", None, None).await?;
    tabane_core::demo::add_users(db, DEMO_USERS).await?;
    let as_client = Ctx { org_id: Some(client.id), role: Some(Role::Admin), ..cli.clone() };
    let committee = bundles::create(
        db,
        &as_client,
        &bundles::BundleForm {
            name: COMMITTEE_NAME.into(),
            scheme: BundleScheme::Council.key().into(),
            period_start: "令和3年4月1日".into(),
            period_end: String::new(),
            description: "1都9県で構成する関東地方知事会に令和3年度に設置された研究部会。令和7年度の事務局は長野県。"
                .into(),
        },
    )
    .await?;
    for m in &members {
        bundles::set_member(db, &as_client, committee.id, m.id, BundleRole::Member).await?;
    }
    // The members agreed that the contractor reads what is shared with the committee (the
    // survey's results, published materials); drafts stay in the contract bundle.
    bundles::set_member(db, &as_client, committee.id, contractor.id, BundleRole::Contractor).await?;
    let contract = bundles::create(
        db,
        &as_client,
        &bundles::BundleForm {
            name: CONTRACT_NAME.into(),
            scheme: BundleScheme::Agreement.key().into(),
            period_start: "2025-06-02".into(),
            period_end: "2025-10-31".into(),
            description: "関東地方知事会二拠点居住等研究部会運営支援業務（契約締結日から令和7年10月31日まで）。".into(),
        },
    )
    .await?;
    bundles::set_member(db, &as_client, contract.id, client.id, BundleRole::Owner).await?;
    bundles::set_member(db, &as_client, contract.id, contractor.id, BundleRole::Contractor).await?;
    let contact = user::Entity::find().filter(user::Column::Login.eq("consult-staff")).one(db).await?.map(|u| u.id);
    let t = terms::create(
        db,
        &as_client,
        &terms::TermForm {
            committee_bundle_id: committee.id,
            committee_name: "二拠点居住等研究部会".into(),
            parent_body: "関東地方知事会".into(),
            established_fy: Some(2021),
            theme: "二拠点居住等の実態把握と「近県モデル」の共有、新たな課題の考察".into(),
            contract_bundle_id: contract.id,
            fiscal_year: 2025,
            period_start: "2025-06-02".into(),
            period_end: "2025-10-31".into(),
            hearing_target: Some(10),
            contact_user_id: contact,
        },
    )
    .await?;
    schedule(db, &as_client, &t).await?;
    survey(db, &as_client, &t, committee.id, &members).await?;
    hearings_and_cases(db, &as_client, &t).await?;
    // R9: a 定例打合せ (Wednesday) in every week but three.
    for w in 0..22i64 {
        if [3, 10, 17].contains(&w) {
            continue;
        }
        let day = t.period_start + Duration::days(7 * w + 2);
        liaison::create(
            db,
            &as_client,
            t.id,
            &liaison::LiaisonForm {
                held_on: day.to_string(),
                kind: "regular".into(),
                mode: "online".into(),
                topics: format!("第{}週 定例打合せ：進捗・次週の予定", w + 1),
                decisions: if w == 6 { "第1回研究部会の資料構成を確定".into() } else { String::new() },
            },
        )
        .await?;
    }
    liaison::create(
        db,
        &as_client,
        t.id,
        &liaison::LiaisonForm {
            held_on: "2025-08-20".into(),
            kind: "change".into(),
            mode: "online".into(),
            topics: "ヒアリング1件を実地からオンラインへ変更する仕様変更承認申請".into(),
            decisions: String::new(),
        },
    )
    .await?;
    Ok(())
}

async fn schedule(db: &DatabaseConnection, ctx: &Ctx, t: &term::Model) -> Result<()> {
    let ms = meeting::Entity::find()
        .filter(meeting::Column::TermId.eq(t.id))
        .order_by_asc(meeting::Column::Id)
        .all(db)
        .await?;
    let dates = [
        ("第1回研究部会", "2025-07-31"),
        ("第1回担当者打合せ", "2025-07-17"),
        ("第2回研究部会", "2025-09-30"),
        ("第2回担当者打合せ", "2025-09-16"),
    ];
    for (title, date) in dates {
        if let Some(m) = ms.iter().find(|m| m.title == title) {
            let f = meetings::DateForm {
                date: date.into(),
                start_time: "14:00".into(),
                end_time: "16:00".into(),
                online_url: "https://meet.example.jp/nikyoten".into(),
            };
            meetings::set_date(db, ctx, m.id, &f).await?;
        }
    }
    // 第1回 is left 日程確定 (not yet marked held) so that the demo's flow can take it through
    // materials, the meeting, minutes and publication.
    // The report and the draft proposal are shown at the 9月末 研究部会.
    let a = crate::service::access::term(db, ctx, t.id).await?;
    for r in crate::service::reports::rows(db, ctx, &a).await? {
        let f = tabane_core::service::deliverables::AnchorForm {
            anchor_date: "2025-09-30".into(),
            anchor_label: "第2回研究部会".into(),
        };
        tabane_core::service::deliverables::set_anchor(db, ctx, r.deliverable_id, &f).await?;
    }
    // A 提言 discussed at the 研究部会, on its way to the 知事会.
    let p = crate::service::proposals::create(
        db,
        ctx,
        t.id,
        &crate::service::proposals::ProposalForm {
            addressee: "governors".into(),
            title: "二拠点居住等の推進に向けた近県連携に関する提言".into(),
        },
    )
    .await?;
    let f = crate::service::proposals::StageForm { stage: "discussed".into(), ..Default::default() };
    crate::service::proposals::advance(db, ctx, p.proposal.id, &f).await?;
    Ok(())
}

async fn survey(
    db: &DatabaseConnection,
    ctx: &Ctx,
    t: &term::Model,
    committee_bundle: i64,
    members: &[organisation::Model],
) -> Result<()> {
    let s = surveys::create(
        db,
        ctx,
        &SurveyForm {
            title: "二拠点居住に関するアンケート調査（令和7年度）".into(),
            description: "信州暮らし推進係が構成都県に実施。受託者は取りまとめ結果から現状・課題を分析する。".into(),
            module: "council".into(),
            bundle_id: committee_bundle.to_string(),
            due_on: "2025-07-04".into(),
        },
    )
    .await?;
    let choice = |k: &str, l: &str| Choice { key: k.into(), label: l.into() };
    surveys::add_question(
        db,
        ctx,
        s.id,
        &NewQuestion {
            code: "support".into(),
            kind: "single".into(),
            label: "二拠点居住者向けの支援施策がありますか".into(),
            required: true,
            options: vec![choice("yes", "ある"), choice("planned", "検討中"), choice("no", "ない")],
            ..Default::default()
        },
    )
    .await?;
    surveys::add_question(
        db,
        ctx,
        s.id,
        &NewQuestion {
            code: "issues".into(),
            kind: "long_text".into(),
            label: "把握している課題".into(),
            ..Default::default()
        },
    )
    .await?;
    let recipients = members
        .iter()
        .map(|m| NewRecipient {
            subject_ref: format!("org:{}", m.id),
            label: m.name.clone(),
            channel: "screen".into(),
            sent_on: "2025-06-13".into(),
        })
        .collect();
    let rs = surveys::add_recipients(db, ctx, s.id, recipients).await?;
    surveys::publish(db, ctx, s.id).await?;
    // Some answers, entered by the client for the members (代理入力 from their replies).
    let answers =
        [("yes", "住民票を移さない滞在者の把握"), ("planned", "交通費負担"), ("yes", "空き家の確保"), ("no", "")];
    for (r, (support, issue)) in rs.iter().zip(answers) {
        let mut a = surveys::Answers::new();
        a.insert("support".into(), serde_json::json!(support));
        if !issue.is_empty() {
            a.insert("issues".into(), serde_json::json!(issue));
        }
        surveys::record_response(db, ctx, s.id, r.id, &a, EntrySource::Proxy).await?;
    }
    terms::set_survey(db, ctx, t.id, s.id).await
}

async fn hearings_and_cases(db: &DatabaseConnection, ctx: &Ctx, t: &term::Model) -> Result<()> {
    let rows: [(&str, &str, &str, &str, &str, &str, &str); 7] = [
        (
            "practitioner",
            "実践者A（東京都⇔長野県）",
            "東京都、長野県",
            "2025-07-08",
            "onsite",
            "yes",
            "平日は都内、週末は長野県で農業。移動費が課題。",
        ),
        (
            "practitioner",
            "実践者B（神奈川県⇔山梨県）",
            "神奈川県、山梨県",
            "2025-07-10",
            "onsite",
            "anonymous",
            "子育て世帯。二地域での学校の扱いが課題。",
        ),
        (
            "practitioner",
            "実践者C（埼玉県⇔群馬県）",
            "埼玉県、群馬県",
            "2025-07-15",
            "onsite",
            "unknown",
            "テレワーク中心。住民税の扱いに関心。",
        ),
        (
            "practitioner",
            "実践者D（千葉県⇔静岡県）",
            "千葉県、静岡県",
            "2025-07-22",
            "online",
            "no",
            "海辺の空き家を改修。",
        ),
        (
            "company",
            "企業E（社員の二拠点勤務制度）",
            "東京都、長野県",
            "2025-08-05",
            "onsite",
            "yes",
            "社員の二拠点勤務を制度化し交通費を補助。",
        ),
        ("company", "企業F（シェア住宅の運営）", "栃木県", "2025-08-19", "onsite", "yes", "会員制の多拠点住宅。"),
        (
            "company",
            "企業G（ワーケーション施設）",
            "茨城県",
            "2025-08-26",
            "online",
            "yes",
            "自治体と連携した滞在プログラム。",
        ),
    ];
    let mut ids = Vec::new();
    for (i, (kind, label, prefs, on, mode, consent, summary)) in rows.iter().enumerate() {
        let personal = *kind == "practitioner";
        let h = hearings::create(
            db,
            ctx,
            t.id,
            &hearings::HearingForm {
                kind: (*kind).into(),
                label: (*label).into(),
                prefectures: (*prefs).into(),
                held_on: (*on).into(),
                mode: (*mode).into(),
                status: if i < 5 { "recorded".into() } else { "held".into() },
                summary: (*summary).into(),
                consent: (*consent).into(),
                subject_name: if personal { format!("二拠点 太郎{}", i + 1) } else { String::new() },
                subject_contact: if personal { format!("090-0000-000{}", i + 1) } else { String::new() },
                notes: if personal {
                    "家族構成と勤務先は記録のみ（掲載しない）".into()
                } else {
                    String::new()
                },
            },
        )
        .await?;
        ids.push(h.hearing.id);
    }
    for (src, category, title, vis) in [
        (ids[0], "practice", "週末農業と都内勤務の二拠点生活", "members"),
        (ids[4], "company", "社員の二拠点勤務制度と交通費補助", "members"),
        (ids[3], "practice", "海辺の空き家改修（掲載同意なし）", "client"),
    ] {
        cases::create(
            db,
            ctx,
            t.id,
            &cases::CaseForm {
                category: category.into(),
                title: title.into(),
                summary: String::new(),
                prefectures: String::new(),
                visibility: vis.into(),
                source_hearing_id: src.to_string(),
            },
        )
        .await?;
    }
    cases::create(
        db,
        ctx,
        t.id,
        &cases::CaseForm {
            category: "policy".into(),
            title: "お試し住宅と移住・二地域居住の相談窓口".into(),
            summary: "各都県の支援施策をアンケートから整理。".into(),
            prefectures: "長野県、山梨県".into(),
            visibility: "members".into(),
            source_hearing_id: String::new(),
        },
    )
    .await?;
    Ok(())
}
