//! 群マネのデモ (demo): assets of 静岡県 and 下田市 around 下田, and work orders in every state,
//! with generated photos. Runs after the platform demo; does nothing if assets already exist.

use crate::entities::asset;
use crate::service::assets::{self, AssetForm};
use crate::service::work_orders::{self, NewWorkOrder, StepForm};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use tabane_core::domain::Role;
use tabane_core::entities::{organisation, user};
use tabane_core::service::files::FileStore;
use tabane_core::{Ctx, Result};

/// A deterministic pseudo-random sequence, so the demo is the same every time.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
}

async fn ctx_for(db: &DatabaseConnection, login: &str, org: i64, role: Role) -> Result<Ctx> {
    let u = user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(db)
        .await?
        .ok_or(tabane_core::Error::NotFound)?;
    Ok(Ctx {
        user_id: Some(u.id),
        actor: login.into(),
        system_admin: false,
        org_id: Some(org),
        role: Some(role),
        bundle_id: None,
        request_id: None,
    })
}

pub async fn load(db: &DatabaseConnection, files: &FileStore) -> Result<usize> {
    if asset::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let org = |name: &'static str| async move {
        organisation::Entity::find().filter(organisation::Column::Name.eq(name)).one(db).await
    };
    let (Some(pref), Some(city), Some(jv)) =
        (org("静岡県").await?, org("下田市").await?, org("下田地域維持型JV").await?)
    else {
        return Ok(0);
    };
    let pref_staff = ctx_for(db, "pref-staff", pref.id, Role::Staff).await?;
    let city_staff = ctx_for(db, "shimoda-staff", city.id, Role::Staff).await?;
    let jv_staff = ctx_for(db, "jv-staff", jv.id, Role::Staff).await?;

    // The bundle's maintenance contract, with each owner's 指示限度額 for this fiscal year.
    let pref_admin = ctx_for(db, "pref-admin", pref.id, Role::Admin).await?;
    let bundle_id =
        crate::service::access::my_bundles(db, &pref_staff).await?.into_iter().map(|b| b.0).min().unwrap_or(1);
    let contract = crate::service::contracts::create(db, &pref_admin, &crate::service::contracts::ContractForm {
        bundle_id: bundle_id.to_string(), name: "下田地域 道路維持管理業務（県市共同発注）".into(), period_start: "令和7年4月1日".into(), period_end: "令和10年3月31日".into(),
        payment_type: "mixed".into(), job_cap: "500000".into(), days_emergency: "0".into(), days_early: "3".into(), days_normal: "10".into(),
        members_note: "南豆建設（代表者：舗装補修・小規模修繕）、白浜土木（構成員：除草・側溝清掃）、伊豆南舗装（構成員：舗装）、下田電設（構成員：照明施設修繕）".to_string(),
    })
    .await?;
    use crate::service::contracts::{PartForm, add_part};
    for (name, start, end) in [
        ("第1期（令和7年度）", "2025-04-01", "2026-03-31"),
        ("第2期（令和8年度）", "2026-04-01", "2027-03-31"),
        ("第3期（令和9年度）", "2027-04-01", "2028-03-31"),
    ] {
        add_part(
            db,
            &pref_admin,
            contract.id,
            &PartForm {
                part: "phase".into(),
                name: name.into(),
                start_on: start.into(),
                end_on: end.into(),
                ..Default::default()
            },
        )
        .await?;
    }
    for (name, pay) in [
        ("道路パトロール", "総価"),
        ("除草・清掃", "総価"),
        ("舗装補修", "単価"),
        ("小規模施設修繕", "単価"),
        ("照明施設修繕", "単価"),
        ("雪氷対策", "単価"),
    ] {
        add_part(
            db,
            &pref_admin,
            contract.id,
            &PartForm { part: "task".into(), name: name.into(), detail: pay.into(), ..Default::default() },
        )
        .await?;
    }
    for (firm, role) in [
        ("南豆建設株式会社", "代表者（舗装補修・小規模修繕）"),
        ("白浜土木株式会社", "構成員（除草・側溝清掃）"),
        ("伊豆南舗装株式会社", "構成員（舗装）"),
        ("下田電設株式会社", "構成員（照明施設修繕）"),
    ] {
        if let Some(o) = organisation::Entity::find().filter(organisation::Column::Name.eq(firm)).one(db).await? {
            add_part(
                db,
                &pref_admin,
                contract.id,
                &PartForm {
                    part: "member".into(),
                    org_id: o.id.to_string(),
                    detail: role.into(),
                    ..Default::default()
                },
            )
            .await?;
        }
    }
    let fy = tabane_calendar::FiscalYear::of(work_orders::today_jst()).0;
    crate::service::contracts::set_limit(db, &pref_admin, contract.id, pref.id, fy, 12_000_000).await?;
    crate::service::contracts::set_limit(db, &pref_admin, contract.id, city.id, fy, 4_000_000).await?;

    let mut rng = Lcg(20251001);
    let kinds = [
        ("bridge", "橋"),
        ("appendage", "道路照明"),
        ("appendage", "標識"),
        ("pavement", "舗装区間"),
        ("road", "道路区間"),
        ("tunnel", "トンネル"),
        ("park", "公園遊具"),
        ("river", "排水施設"),
    ];
    let routes_pref = ["国道135号", "国道136号", "国道414号", "県道下田松崎線", "県道下田石廊松崎線"];
    let routes_city = ["市道白浜中央線", "市道須崎線", "市道吉佐美線", "市道蓮台寺線", "市道柿崎線"];
    let mut count = 0;
    for i in 0..300 {
        let (ctx, routes) = if i % 2 == 0 { (&pref_staff, &routes_pref) } else { (&city_staff, &routes_city) };
        let (kind, label) = kinds[(i / 2) % kinds.len()];
        let route = routes[(rng.next() * routes.len() as f64) as usize % routes.len()];
        let year = if rng.next() < 0.15 { String::new() } else { (1955 + (rng.next() * 65.0) as i32).to_string() };
        let attributes = if kind == "bridge" {
            format!("{{\"橋長_m\": {:.1}, \"幅員_m\": {:.1}}}", 5.0 + rng.next() * 60.0, 4.0 + rng.next() * 8.0)
        } else {
            String::new()
        };
        assets::create(
            db,
            ctx,
            &AssetForm {
                kind: kind.into(),
                name: format!("{route} {label} {}", i / 2 + 1),
                route_name: route.into(),
                lat: format!("{:.5}", 34.655 + rng.next() * 0.07),
                lon: format!("{:.5}", 138.905 + rng.next() * 0.08),
                year_built: year,
                attributes,
                external_id: format!("22-{:05}", 10000 + i),
                ..Default::default()
            },
        )
        .await?;
        count += 1;
    }

    // Three inspection rounds of the structures, simulated with the hazard model the guide cites
    // (θ = 0.08, 0.15, 0.25 per year), so the forecast page has data.
    {
        use crate::entities::{asset as a, inspection as insp};
        use sea_orm::ActiveValue::Set;
        let structures =
            a::Entity::find().filter(a::Column::Kind.is_in(["bridge", "tunnel", "appendage"])).all(db).await?;
        let theta = [0.08, 0.15, 0.25];
        let mut rows = Vec::new();
        for s in &structures {
            let u = rng.next();
            let mut grade = if u < 0.6 {
                1
            } else if u < 0.9 {
                2
            } else {
                3
            };
            let mut prev: Option<(i32, chrono::NaiveDate)> = None;
            for (k, year) in [2015, 2020, 2025].into_iter().enumerate() {
                if k > 0 {
                    // Five years of deterioration: successive exponential sojourns.
                    let mut t = 0.0;
                    while grade < 4 {
                        t += -(1.0 - rng.next()).ln() / theta[grade - 1];
                        if t > 5.0 {
                            break;
                        }
                        grade += 1;
                    }
                }
                let date =
                    chrono::NaiveDate::from_ymd_opt(year, 6, 1 + (rng.next() * 27.0) as u32).expect("valid date");
                // Repairs of the III/IV findings: in the earlier rounds half done (the bridge is
                // back to I by the next round) and some started; in this round some started.
                let repair = match (grade >= 3, k < 2, rng.next()) {
                    (true, true, r) if r < 0.5 => "done",
                    (true, true, r) if r < 0.8 => "started",
                    (true, false, r) if r < 0.3 => "started",
                    _ => "not_started",
                };
                rows.push(insp::ActiveModel {
                    asset_id: Set(s.id),
                    owner_org_id: Set(s.owner_org_id),
                    inspected_on: Set(date),
                    fiscal_year: Set(year),
                    round: Set(k as i32 + 1),
                    inspector: Set(Some("点検 太郎".into())),
                    firm: Set(Some("伊豆橋梁コンサルタント".into())),
                    grade: Set(Some(grade as i32)),
                    status: Set("confirmed".into()),
                    entered_by_org: Set(Some(s.owner_org_id)),
                    confirmed_by: Set(None),
                    confirmed_at: Set(Some(chrono::Utc::now())),
                    next_due: Set(chrono::NaiveDate::from_ymd_opt(year + 5, 6, 1).expect("valid date")),
                    remarks: Set(None),
                    created_at: Set(chrono::Utc::now()),
                    asset_kind: Set(s.kind.clone()),
                    prev_grade: Set(prev.map(|p| p.0)),
                    prev_inspected_on: Set(prev.map(|p| p.1)),
                    is_latest: Set(k == 2),
                    repair_state: Set(repair.into()),
                    ..Default::default()
                });
                prev = Some((grade as i32, date));
                if repair == "done" {
                    grade = 1;
                }
            }
        }
        for chunk in rows.chunks(500) {
            insp::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
        }
    }

    // Work orders: each owner's jobs in every state, reported with before/after photos.
    let jobs: &[(&Ctx, &str, &str, &str, &str, &str)] = &[
        (&pref_staff, "舗装補修", "国道135号 白浜付近 ポットホール（直径約40cm）", "emergency", "34.6936", "138.9736"),
        (&pref_staff, "照明施設修繕", "県道下田松崎線 道路照明の不点灯", "early", "34.6712", "138.9195"),
        (&pref_staff, "小規模施設修繕", "国道414号 防護柵の曲損", "normal", "34.6941", "138.9433"),
        (&pref_staff, "除草", "県道下田石廊松崎線 路肩の除草", "normal", "34.6512", "138.9301"),
        (&pref_staff, "倒木処理", "国道136号 倒木の撤去", "emergency", "34.6850", "138.9125"),
        (&city_staff, "舗装補修", "市道白浜中央線 舗装のひび割れ", "early", "34.6897", "138.9655"),
        (&city_staff, "側溝清掃", "市道須崎線 側溝の土砂堆積", "normal", "34.6621", "138.9702"),
        (&city_staff, "小規模施設修繕", "市道吉佐美線 カーブミラーの傾き", "normal", "34.6688", "138.9288"),
        (&city_staff, "舗装補修", "市道蓮台寺線 段差の解消", "early", "34.6999", "138.9405"),
        (&city_staff, "照明施設修繕", "市道柿崎線 防犯灯の交換", "normal", "34.6760", "138.9560"),
    ];
    // How far each job goes: 0 受付, 1 指示, 2 施工, 3 報告, 4 履行確認, 5 取消.
    let stages = [4, 3, 2, 1, 0, 4, 4, 3, 1, 5];
    for ((owner, category, description, urgency, lat, lon), stage) in jobs.iter().zip(stages) {
        let w = work_orders::create(
            db,
            owner,
            &NewWorkOrder {
                category: (*category).into(),
                description: (*description).into(),
                urgency: (*urgency).into(),
                lat: (*lat).into(),
                lon: (*lon).into(),
                source: if stage % 2 == 0 { "patrol".into() } else { String::new() },
                ..Default::default()
            },
        )
        .await?;
        let step = |action: &str| StepForm { action: action.into(), ..Default::default() };
        if stage == 5 {
            work_orders::step(db, owner, w.id, &StepForm { reason: "重複した通報のため".into(), ..step("cancel") })
                .await?;
            continue;
        }
        if stage >= 1 {
            let amount = 40_000 + (rng.next() * 200_000.0) as i64;
            work_orders::step(
                db,
                owner,
                w.id,
                &StepForm {
                    instruction: format!("{category}を実施してください。"),
                    instructed_amount: amount.to_string(),
                    ..step("instruct")
                },
            )
            .await?;
        }
        if stage >= 2 {
            work_orders::add_photo(
                db,
                files,
                &jv_staff,
                w.id,
                "before",
                "着手前",
                "before.png",
                &demo_png([200, 120, 60]),
            )
            .await?;
            work_orders::step(db, &jv_staff, w.id, &step("start")).await?;
        }
        if stage >= 3 {
            work_orders::add_photo(db, files, &jv_staff, w.id, "after", "完了", "after.png", &demo_png([60, 160, 90]))
                .await?;
            let labour = 30_000 + (rng.next() * 100_000.0) as i64;
            let material = 5_000 + (rng.next() * 60_000.0) as i64;
            work_orders::step(
                db,
                &jv_staff,
                w.id,
                &StepForm {
                    cost_labour: labour.to_string(),
                    cost_material: material.to_string(),
                    cost_machinery: "12000".into(),
                    ..step("report")
                },
            )
            .await?;
        }
        if stage >= 4 {
            work_orders::step(db, owner, w.id, &step("confirm")).await?;
        }
    }
    // A report that is not the bundle's business: forwarded outside (to the national road office).
    let w = work_orders::create(
        db,
        &city_staff,
        &NewWorkOrder {
            category: "その他".into(),
            description: "国道の案内標識の汚れ（国の管理区間）".into(),
            lat: "34.6801".into(),
            lon: "138.9452".into(),
            ..Default::default()
        },
    )
    .await?;
    work_orders::step(
        db,
        &city_staff,
        w.id,
        &StepForm {
            action: "forward".into(),
            reason: "国（沼津河川国道事務所）の管理区間のため回送".into(),
            ..Default::default()
        },
    )
    .await?;

    // Two patrol days by the JV over both owners' roads (往路は市道、復路は県道).
    let today = work_orders::today_jst();
    for (days_ago, weather, findings) in [
        (
            3u64,
            "晴",
            vec![
                (city.id, "9:20", "舗装補修", "市道白浜中央線 わだち掘れ"),
                (pref.id, "10:05", "小規模施設修繕", "国道135号 視線誘導標の倒れ"),
                (pref.id, "10:40", "倒木処理", "県道下田松崎線 枝の張り出し"),
            ],
        ),
        (
            2,
            "曇",
            vec![
                (city.id, "13:15", "側溝清掃", "市道柿崎線 側溝の落ち葉詰まり"),
                (pref.id, "14:30", "舗装補修", "国道414号 ポットホール（小）"),
            ],
        ),
    ] {
        let date = today - chrono::Days::new(days_ago);
        let p = crate::service::patrols::create(
            db,
            &jv_staff,
            &crate::service::patrols::PatrolForm {
                patrol_date: date.to_string(),
                start_time: "9:00".into(),
                end_time: "15:00".into(),
                weather: weather.into(),
                vehicle: "パトロール車1号（伊豆 400 さ 12-34）".into(),
                staff: "須崎 健、外浦 学".into(),
                routes: "往路: 市道白浜中央線・市道柿崎線／復路: 国道135号・国道414号・県道下田松崎線".into(),
                owner_ids: format!("{},{}", city.id, pref.id),
                ..Default::default()
            },
        )
        .await?;
        for (i, (owner, time, category, description)) in findings.into_iter().enumerate() {
            let f = crate::service::patrols::add_finding(
                db,
                &jv_staff,
                p.id,
                &crate::service::patrols::FindingForm {
                    owner_org_id: owner.to_string(),
                    found_time: time.into(),
                    category: category.into(),
                    description: description.into(),
                    urgency: "normal".into(),
                    lat: format!("{:.5}", 34.67 + 0.004 * i as f64),
                    lon: format!("{:.5}", 138.93 + 0.006 * i as f64),
                    address: String::new(),
                },
            )
            .await?;
            if i == 0 && days_ago == 3 {
                crate::service::patrols::finding_to_work_order(db, &jv_staff, p.id, f.id).await?;
            }
        }
    }

    // An Open311 client with a documented key, so a civic-report app can be tried at once.
    let bundle_id = work_orders::find(db, &pref_staff, 1).await.map(|w| w.bundle_id).unwrap_or(1);
    crate::entities::open311_client::ActiveModel {
        bundle_id: sea_orm::ActiveValue::Set(bundle_id),
        name: sea_orm::ActiveValue::Set("デモ通報アプリ".into()),
        key_hash: sea_orm::ActiveValue::Set(crate::open311::intake::hash_key(DEMO_OPEN311_KEY)),
        active: sea_orm::ActiveValue::Set(true),
        created_by: sea_orm::ActiveValue::Set(None),
        created_at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // 見える化の基礎数値 of the demo municipalities (rounded, illustrative figures of the size of
    // the real towns; the decline is the 2020→2050 projection).
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
    for (name, population, decline, civil, technical, workers) in [
        ("下田市", 19_500, 49.8, 21, 12, 1_050),
        ("伊東市", 66_000, 36.0, 46, 28, 2_900),
        ("東伊豆町", 11_600, 51.5, 9, 4, 520),
        ("河津町", 6_800, 47.0, 7, 3, 380),
        ("南伊豆町", 7_700, 50.2, 6, 2, 410),
        ("松崎町", 5_700, 54.0, 5, 2, 300),
        ("西伊豆町", 7_100, 56.3, 6, 1, 330),
    ] {
        if let Some(o) = org(name).await? {
            let p = crate::analytics::mieruka::Profile {
                population: Some(population),
                decline_pct: Some(decline),
                civil_staff: Some(civil),
                technical_staff: Some(technical),
                construction_workers: Some(workers),
            };
            crate::analytics::mieruka_data::upsert(db, &Ctx::cli(), &o, as_of, &p).await?;
        }
    }
    Ok(count)
}

/// The demo's Open311 API key (documented in README).
pub const DEMO_OPEN311_KEY: &str = "tabane-demo-open311";

/// A small solid-colour PNG (stored, uncompressed deflate), generated so the demo ships no
/// binary files.
pub fn demo_png(rgb: [u8; 3]) -> Vec<u8> {
    let (w, h) = (64u32, 48u32);
    let mut raw = Vec::new();
    // Each scanline: filter type 0, then the pixels.
    let line: Vec<u8> = std::iter::once(0).chain(rgb.iter().copied().cycle().take(3 * w as usize)).collect();
    for _ in 0..h {
        raw.extend_from_slice(&line);
    }
    let mut z = vec![0x78, 0x01];
    for (i, chunk) in raw.chunks(65535).enumerate() {
        let last = (i + 1) * 65535 >= raw.len();
        z.push(u8::from(last));
        let n = chunk.len() as u16;
        z.extend_from_slice(&n.to_le_bytes());
        z.extend_from_slice(&(!n).to_le_bytes());
        z.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    for (kind, data) in [(b"IHDR", ihdr), (b"IDAT", z), (b"IEND", Vec::new())] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(&data);
        png.extend_from_slice(&crc_input);
        png.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
