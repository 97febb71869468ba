//! 団地の基本情報 (estate master data): importing the seed's tables reproduces its figures and
//! flags its disagreements; bad files write nothing; other organisations see nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tabane_testkit::{TestApp, User};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../docs/design/seed002/");

fn seed(name: &str) -> Vec<u8> {
    std::fs::read(format!("{SEED}{name}")).unwrap()
}

/// Posts the import form (multipart, CSRF in the query as the page does).
async fn import(u: &User, estate: i64, files: &[(&str, &str, Vec<u8>)], as_of: &str, ack: bool) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new().text("as_of", as_of.to_string());
    for (slot, name, bytes) in files {
        form = form.part(slot.to_string(), reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()));
    }
    if ack {
        form = form.text("acknowledge", "1");
    }
    let r = u
        .client
        .post(u.url(&format!("/api/housing/estates/{estate}/import?_csrf={}", u.csrf)))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

async fn new_estate(app: &TestApp, u: &User, name: &str) -> i64 {
    let bundle = bundle_id(app).await;
    let (s, v) = u
        .send_json("post", "/api/housing/estates", json!({"bundle_id": bundle, "name": name, "address": "諫早市"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["id"].as_i64().unwrap()
}

async fn bundle_id(app: &TestApp) -> i64 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use tabane_core::entities::bundle;
    bundle::Entity::find()
        .filter(bundle::Column::Name.eq(tabane_housing::demo::BUNDLE_NAME))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

fn printed_files() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("buildings", "buildings_as_printed.csv", seed("buildings_as_printed.csv")),
        ("occupancy", "occupancy.csv", seed("occupancy.csv")),
        ("groups", "target_groups.csv", seed("target_groups.csv")),
    ]
}

/// Checks every figure the seed prints against what the estate now shows.
async fn assert_seed_figures(u: &User, estate: i64) {
    let (s, v) = u.get_json(&format!("/api/housing/estates/{estate}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let t = &v["snapshot"]["totals"];
    assert_eq!(
        (
            t["buildings"].as_i64(),
            t["units"].as_i64(),
            t["vacant"].as_i64(),
            t["households"].as_i64(),
            t["rate"].as_i64()
        ),
        (Some(31), Some(907), Some(324), Some(583), Some(64)),
        "{t}"
    );
    assert_eq!(t["floor_area"].as_i64(), Some(5_441_910), "延床面積 54,419.1 m²");
    assert_eq!(t["building_area"].as_i64(), Some(1_059_570), "建築面積 10,595.7 m²");
    let rows = v["snapshot"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 31);
    let occupancy = String::from_utf8(seed("occupancy.csv")).unwrap();
    for line in occupancy.lines().skip(1).filter(|l| !l.starts_with("計")) {
        let c: Vec<&str> = line.split(',').collect();
        let r = rows.iter().find(|r| r["name"] == c[0]).unwrap_or_else(|| panic!("building {}", c[0]));
        let printed: i64 = c[4].trim_end_matches('%').parse().unwrap();
        assert_eq!(r["rate"].as_i64(), Some(printed), "computed rate of {} equals the printed one", c[0]);
        assert_eq!(r["rate_printed"].as_i64(), Some(printed));
        assert_eq!(r["units"].as_i64().unwrap(), r["vacant"].as_i64().unwrap() + r["households"].as_i64().unwrap());
    }
    // The two exact halves round up: I 23/40 = 57.5 → 58, L 27/40 = 67.5 → 68.
    for (b, rate) in [("I", 58), ("L", 68)] {
        assert_eq!(rows.iter().find(|r| r["name"] == b).unwrap()["rate"].as_i64(), Some(rate));
    }
    let buildings = v["buildings"].as_array().unwrap();
    let az = buildings.iter().find(|b| b["b"]["name"] == "アザレア").unwrap();
    assert_eq!(az["b"]["built_year"].as_i64(), Some(1996));
    assert_eq!(az["b"]["units"].as_i64(), Some(67));
    assert_eq!(az["unit_types"].as_array().unwrap().len(), 3);
    assert_eq!(buildings.iter().map(|b| b["b"]["units"].as_i64().unwrap()).sum::<i64>(), 907);
}

#[tokio::test]
async fn importing_the_seed_tables_reproduces_the_totals_and_flags_the_group_mismatch() {
    let app = TestApp::spawn().await;
    let u = app.login("nagasaki-staff").await;
    let estate = new_estate(&app, &u, "試験団地").await;

    // First pass: nothing written, the findings are listed.
    let (s, v) = import(&u, estate, &printed_files(), "2025-06-30", false).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["written"], false);
    let findings = v["findings"].as_array().unwrap();
    let groups: Vec<&Value> = findings.iter().filter(|f| f["code"].as_str().unwrap().starts_with("group")).collect();
    assert_eq!(groups.len(), 1, "exactly one group finding: {findings:?}");
    let m = groups[0]["message_ja"].as_str().unwrap();
    for needle in ["H・N～T", "143", "165", "M棟（22世帯）を含めると一致します"] {
        assert!(m.contains(needle), "{m}");
    }
    let area: Vec<&str> =
        findings.iter().filter(|f| f["code"] == "area_plausibility").map(|f| f["subject"].as_str().unwrap()).collect();
    assert_eq!(area, vec!["E", "L"], "private area above floor area");
    assert!(
        findings
            .iter()
            .all(|f| f["code"] != "occupancy_rate" && f["code"] != "occupancy_sum" && f["code"] != "occupancy_total"),
        "{findings:?}"
    );
    let (_, before) = u.get_json(&format!("/api/housing/estates/{estate}")).await;
    assert!(
        before["snapshot"].is_null() && before["buildings"].as_array().unwrap().is_empty(),
        "nothing written before acknowledging"
    );

    // Acknowledged: written, with the findings kept on record.
    let (s, v) = import(&u, estate, &printed_files(), "2025-06-30", true).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["written"], true);
    assert_seed_figures(&u, estate).await;
    let (_, e) = u.get_json(&format!("/api/housing/estates/{estate}")).await;
    assert!(e["snapshot"]["findings"].as_array().unwrap().iter().any(|f| f["code"] == "group_count"));

    // The same date again is refused.
    let (s, v) = import(&u, estate, &printed_files(), "2025-06-30", true).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // The page shows the figures and the recorded finding.
    let html = u.get(&format!("/housing/estates/{estate}")).await.text().await.unwrap();
    assert!(
        html.contains("907") && html.contains("54,419.1") && html.contains("M棟（22世帯）を含めると一致します"),
        "page"
    );
}

#[tokio::test]
async fn cp932_and_xlsx_files_and_the_normalised_tables_give_the_same_figures() {
    let app = TestApp::spawn().await;
    let u = app.login("nagasaki-staff").await;
    // CP932 (what Excel writes for plain CSV).
    let estate = new_estate(&app, &u, "CP932団地").await;
    let sjis = |b: Vec<u8>| encoding_rs::SHIFT_JIS.encode(&String::from_utf8(b).unwrap()).0.into_owned();
    let files: Vec<_> = printed_files().into_iter().map(|(s, n, b)| (s, n, sjis(b))).collect();
    let (s, v) = import(&u, estate, &files, "令和7年6月30日", true).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_seed_figures(&u, estate).await;

    // xlsx, written from the same CSV cells.
    let estate = new_estate(&app, &u, "Excel団地").await;
    let to_xlsx = |b: Vec<u8>| {
        let text = String::from_utf8(b).unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        for (r, rec) in rdr.records().enumerate() {
            for (c, cell) in rec.unwrap().iter().enumerate() {
                ws.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    };
    let files: Vec<_> = printed_files()
        .into_iter()
        .map(|(s, n, b)| (s, n.replace(".csv", ".xlsx").leak() as &str, to_xlsx(b)))
        .collect();
    let (s, v) = import(&u, estate, &files, "2025-06-30", true).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_seed_figures(&u, estate).await;

    // The normalised form: one line per building plus a separate 間取り table.
    let estate = new_estate(&app, &u, "正規化団地").await;
    let files = vec![
        ("buildings", "buildings.csv", seed("buildings.csv")),
        ("unit_types", "unit_types.csv", seed("unit_types.csv")),
        ("occupancy", "occupancy.csv", seed("occupancy.csv")),
    ];
    let (s, v) = import(&u, estate, &files, "2025-06-30", true).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_seed_figures(&u, estate).await;
    let (_, e) = u.get_json(&format!("/api/housing/estates/{estate}")).await;
    let i = e["buildings"].as_array().unwrap().iter().find(|b| b["b"]["name"] == "I").unwrap();
    assert!(i["roles_ja"].as_str().unwrap().contains("改修"), "{i}");
}

#[tokio::test]
async fn a_bad_cell_or_a_disagreeing_total_is_reported_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let u = app.login("nagasaki-staff").await;
    let estate = new_estate(&app, &u, "誤り団地").await;
    let bad = String::from_utf8(seed("occupancy.csv")).unwrap().replace("K,30,9,21,70%", "K,30,九,21,70%");
    let files =
        vec![("buildings", "b.csv", seed("buildings_as_printed.csv")), ("occupancy", "o.csv", bad.into_bytes())];
    let (s, v) = import(&u, estate, &files, "2025-06-30", true).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let text = v.to_string();
    assert!(text.contains("九") && text.contains("空き"), "names the cell: {text}");
    let (_, e) = u.get_json(&format!("/api/housing/estates/{estate}")).await;
    assert!(e["buildings"].as_array().unwrap().is_empty() && e["snapshot"].is_null(), "nothing written");

    // A row that does not add up and a rate that is not the rounded one are findings.
    let odd = String::from_utf8(seed("occupancy.csv")).unwrap().replace("K,30,9,21,70%", "K,30,9,20,70%");
    let files =
        vec![("buildings", "b.csv", seed("buildings_as_printed.csv")), ("occupancy", "o.csv", odd.into_bytes())];
    let (_, v) = import(&u, estate, &files, "2025-06-30", false).await;
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"] == "K")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"occupancy_sum") && codes.contains(&"occupancy_rate"), "{codes:?}");
}

#[tokio::test]
async fn only_the_prefecture_imports_and_other_organisations_see_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.login("nagasaki-staff").await;
    let estate = new_estate(&app, &staff, "権限団地").await;
    let pfi = app.login("pfi-staff").await;
    let (s, _) = pfi.get_json(&format!("/api/housing/estates/{estate}")).await;
    assert_eq!(s, StatusCode::OK, "the contractor sees the estate");
    let (s, _) = import(&pfi, estate, &printed_files(), "2025-06-30", true).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the contractor does not import master data");
    let viewer = app.login("nagasaki-viewer").await;
    let (s, _) = import(&viewer, estate, &printed_files(), "2025-06-30", true).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for login in ["pref-staff", "shimoda-staff", "jv-staff"] {
        let other = app.login(login).await;
        let (s, _) = other.get_json(&format!("/api/housing/estates/{estate}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{login}");
        let (s, _) = import(&other, estate, &printed_files(), "2025-06-30", true).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{login}");
        let (_, list) = other.get_json("/api/housing/estates").await;
        assert!(list["estates"].as_array().unwrap().is_empty(), "{login}");
        let (s, _) = other
            .send_json("post", "/api/housing/estates", json!({"bundle_id": bundle_id(&app).await, "name": "乗っ取り"}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{login}");
    }
}
