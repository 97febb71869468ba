//! デモの団地 (the demo estate): the 382 households of §8(4) with the seed's exact size and 65+
//! figures, cases in every step, personal fields only as ciphertext, and the bank account hidden
//! from the contractor.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tabane_housing::demo;
use tabane_testkit::TestApp;

async fn demo_estate(app: &TestApp) -> i64 {
    use tabane_housing::entities::estate;
    estate::Entity::find().filter(estate::Column::Name.eq(demo::ESTATE_NAME)).one(&app.db).await.unwrap().unwrap().id
}

#[tokio::test]
async fn the_demo_estate_has_the_seeds_households_and_cases_in_every_step() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let estate = demo_estate(&app).await;
    let (s, v) = pref.get_json(&format!("/api/housing/cases?estate={estate}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 382, "§8(4): 382世帯");

    // 世帯人員 and 65歳以上 exactly as §8(4) prints them.
    let band = |c: &Value| match c["size"].as_i64().unwrap() {
        1 => 0,
        2 => 1,
        _ => 2,
    };
    for (b, (n, aged)) in [(180, 123), (131, 85), (71, 16)].into_iter().enumerate() {
        let in_band: Vec<&Value> = cases.iter().filter(|c| band(c) == b).collect();
        assert_eq!(in_band.len(), n, "band {b}");
        assert_eq!(in_band.iter().filter(|c| c["aged65"].as_i64().unwrap() >= 1).count(), aged, "65+ in band {b}");
        assert!(in_band.iter().all(|c| (1..=5).contains(&c["size"].as_i64().unwrap())
            && c["aged65"].as_i64().unwrap() <= c["size"].as_i64().unwrap()));
    }
    // Per building, the households of the occupancy table; rooms unique.
    let occupancy =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../docs/design/seed002/occupancy.csv"))
            .unwrap();
    let mut per_building: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in cases {
        per_building.entry(c["building"].as_str().unwrap()).or_default().push(c["room"].as_str().unwrap());
    }
    for b in tabane_housing::demo_cases::RELOCATION_BUILDINGS {
        let line = occupancy.lines().find(|l| l.split(',').next() == Some(b)).unwrap();
        let households: usize = line.split(',').nth(3).unwrap().parse().unwrap();
        let mut rooms = per_building.remove(b).unwrap_or_default();
        assert_eq!(rooms.len(), households, "building {b}");
        rooms.sort();
        rooms.dedup();
        assert_eq!(rooms.len(), households, "rooms unique in {b}");
    }
    assert!(per_building.is_empty(), "only relocation buildings: {per_building:?}");
    let care = cases.iter().filter(|c| c["care"] == true).count();
    assert!((30..=80).contains(&care), "about 15% need care: {care}");

    // Classes: 本移転 the majority, every other class present, some not yet answered.
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    for c in cases {
        *classes.entry(c["classification"].as_str().unwrap_or("unanswered").to_string()).or_default() += 1;
    }
    for k in ["main", "temporary", "transfer", "leave", "unanswered"] {
        assert!(classes.get(k).copied().unwrap_or(0) > 0, "{k}: {classes:?}");
    }
    assert!(classes["main"] * 2 > 382, "{classes:?}");

    // Every step of the pipeline has a case.
    let statuses: BTreeMap<&str, usize> = cases.iter().fold(BTreeMap::new(), |mut m, c| {
        *m.entry(c["status"].as_str().unwrap()).or_default() += 1;
        m
    });
    for s in [
        "planned",
        "forms_issued",
        "forms_complete",
        "contracted",
        "first_paid",
        "keys_handed",
        "move_scheduled",
        "moved",
        "vacated",
        "remainder_paid",
        "closed",
    ] {
        assert!(statuses.contains_key(s), "a case in {s}: {statuses:?}");
    }
    // One move was cancelled by a reclassification, with its reason.
    use tabane_housing::entities::leg;
    let cancelled = leg::Entity::find().filter(leg::Column::CancelledOn.is_not_null()).all(&app.db).await.unwrap();
    assert!(cancelled.iter().any(|l| l.cancel_reason.as_deref().is_some_and(|r| r.contains("入院"))), "{cancelled:?}");

    // 本移転 cases past 分類済み go to units of the 1工区新築棟; a closed one shows both payments.
    let closed_main = cases.iter().find(|c| c["classification"] == "main" && c["status"] == "closed").unwrap()["id"]
        .as_i64()
        .unwrap();
    for c in cases.iter().filter(|c| c["classification"] == "main" && c["status"] != "planned") {
        let (_, d) = pref.get_json(&format!("/api/housing/cases/{}", c["id"])).await;
        let dest = d["legs"][0]["destination"].as_str().unwrap_or_default().to_string();
        assert!(dest.starts_with(demo::NEW_BUILDING), "case {}: {dest}", c["id"]);
        if c["id"].as_i64() == Some(closed_main) {
            let kinds: Vec<&str> =
                d["legs"][0]["payments"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds, vec!["first", "remainder"]);
        }
    }

    // The campaign: dates and fees for every classification and size band.
    let (_, camps) = pref.get_json("/api/housing/campaigns").await;
    let camp_id =
        camps["campaigns"].as_array().unwrap().iter().find(|c| c["name"] == demo::CAMPAIGN_NAME).unwrap()["id"]
            .as_i64()
            .unwrap();
    let (s, c) = pref.get_json(&format!("/api/housing/campaigns/{camp_id}")).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(
        (
            c["campaign"]["completion_planned"].as_str(),
            c["campaign"]["move_in_start"].as_str(),
            c["campaign"]["handover"].as_str()
        ),
        (Some("2027-06-30"), Some("2027-07-01"), Some("2027-05-31")),
        "{c}"
    );
    let fees = c["fees"]["fees"].as_array().unwrap();
    for class in ["main", "temporary", "transfer", "leave"] {
        for band in ["1", "2", "3+"] {
            assert!(
                fees.iter().any(|f| f["class"] == class && f["band"] == band && f["movables"].as_i64().unwrap() > 0),
                "{class} {band}: {fees:?}"
            );
        }
    }
    assert!(
        fees.iter().any(|f| f["class"] == "main"
            && f["band"] == "1"
            && f["moving_fee"] == 171_000
            && f["movables"] == 130_000)
    );
}

#[tokio::test]
async fn demo_personal_fields_are_sealed_and_the_contractor_sees_no_account() {
    let app = TestApp::spawn().await;
    let pref = app.login("nagasaki-staff").await;
    let pfi = app.login("pfi-staff").await;
    let estate = demo_estate(&app).await;
    let (_, v) = pref.get_json(&format!("/api/housing/cases?estate={estate}")).await;
    let cases = v["cases"].as_array().unwrap();
    let paid = cases.iter().find(|c| c["status"] == "first_paid").unwrap()["id"].as_i64().unwrap();
    let plain = cases[0]["id"].as_i64().unwrap();

    // The prefecture reads a name and an account; neither is in the table as text.
    let (s, a) = pref.send_json("post", &format!("/api/housing/cases/{plain}/personal/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let name = a["name"].as_str().unwrap().to_string();
    assert!(name.ends_with("（仮名）"), "{name}");
    assert!(a["phone"].as_str().unwrap().starts_with("0957-2"), "{a}");
    let (s, b) = pref.send_json("post", &format!("/api/housing/cases/{paid}/personal/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let account = b["bank_account"].as_str().expect("the prefecture reads the account").to_string();
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT name_enc, kana_enc, phone_enc, care_note_enc, bank_enc, name_bidx FROM housing_households",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 382);
    let mut raw = String::new();
    for r in &rows {
        for i in 0..6 {
            raw.push_str(&r.try_get_by_index::<Option<String>>(i).unwrap().unwrap_or_default());
        }
    }
    assert!(raw.contains("v1."), "stored sealed");
    for s in [
        name.as_str(),
        a["kana"].as_str().unwrap(),
        a["phone"].as_str().unwrap(),
        account.as_str(),
        "（仮名）",
        "0957-",
    ] {
        assert!(!raw.contains(s), "{s} readable in housing_households");
    }
    // Names are searchable by blind index only.
    use tabane_housing::entities::household;
    let indexed =
        household::Entity::find().filter(household::Column::NameBidx.is_not_null()).count(&app.db).await.unwrap();
    assert_eq!(indexed, 382);

    // The contractor: the name, and the account only as 「登録済み」.
    let (s, c) = pfi.send_json("post", &format!("/api/housing/cases/{paid}/personal/reveal"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert!(c["name"].as_str().is_some_and(|n| n.ends_with("（仮名）")), "{c}");
    assert_eq!(c["bank_registered"], true, "{c}");
    assert!(c["bank_account"].is_null(), "{c}");
    assert!(!c.to_string().contains(&account));
}

/// The housing demo is loaded by every black-box test: it must stay fast. Prints the time.
#[tokio::test]
async fn the_housing_demo_loads_quickly_and_once() {
    let app = TestApp::spawn_with(false).await;
    tabane_core::demo::load(&app.db).await.unwrap();
    let t = Instant::now();
    demo::load(&app.db).await.unwrap();
    let took = t.elapsed();
    eprintln!("housing demo load: {took:?} ({})", if app.tdb.is_postgres() { "PostgreSQL" } else { "SQLite" });
    assert!(took < Duration::from_secs(20), "housing demo took {took:?}");
    demo::load(&app.db).await.unwrap();
    use tabane_housing::entities::case;
    assert_eq!(case::Entity::find().count(&app.db).await.unwrap(), 382, "loading again adds nothing");
}
