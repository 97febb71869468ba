//! 見える化: the dashboard of a demo bundle, recomputed here independently from the raw asset and
//! inspection rows; the municipality's figures (form, import, bad input, who may set them).

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tabane_testkit::TestApp;

/// From the raw tables only: per owner, bridges, ≥50 years, unknown year, newest grade counts,
/// and for `round`: III/IV, started, done, and the transition from the previous inspection.
#[derive(Debug, Default, PartialEq)]
struct Expect {
    bridges: i64,
    old: i64,
    unknown: i64,
    latest: [i64; 4],
    round_iii_iv: i64,
    started: i64,
    done: i64,
    transition: [[i64; 4]; 4],
}

async fn recompute(app: &TestApp, owners: &[i64], year: i32, round: i32) -> BTreeMap<i64, Expect> {
    let be = app.db.get_database_backend();
    let mut out: BTreeMap<i64, Expect> = owners.iter().map(|o| (*o, Expect::default())).collect();
    let assets = app
        .db
        .query_all(Statement::from_string(
            be,
            "SELECT id, owner_org_id, year_built FROM infra_assets WHERE kind = 'bridge'",
        ))
        .await
        .unwrap();
    for r in assets {
        let owner: i64 = r.try_get("", "owner_org_id").unwrap();
        let Some(e) = out.get_mut(&owner) else { continue };
        let y: Option<i32> = r.try_get("", "year_built").unwrap();
        e.bridges += 1;
        match y {
            None => e.unknown += 1,
            Some(y) if y <= year - 50 => e.old += 1,
            _ => {}
        }
    }
    let rows = app
        .db
        .query_all(Statement::from_string(be, "SELECT i.id, i.asset_id, i.owner_org_id, i.inspected_on, i.round, i.grade, i.repair_state FROM infra_inspections i JOIN infra_assets a ON a.id = i.asset_id WHERE a.kind = 'bridge' AND i.status = 'confirmed'"))
        .await
        .unwrap();
    let mut by_asset: BTreeMap<i64, Vec<(chrono::NaiveDate, i64, i64, i32, i32, String)>> = BTreeMap::new();
    for r in rows {
        by_asset.entry(r.try_get("", "asset_id").unwrap()).or_default().push((
            r.try_get("", "inspected_on").unwrap(),
            r.try_get("", "id").unwrap(),
            r.try_get("", "owner_org_id").unwrap(),
            r.try_get("", "round").unwrap(),
            r.try_get::<Option<i32>>("", "grade").unwrap().unwrap(),
            r.try_get("", "repair_state").unwrap(),
        ));
    }
    for list in by_asset.values_mut() {
        list.sort();
        for (k, (_, _, owner, r, g, state)) in list.iter().enumerate() {
            let Some(e) = out.get_mut(owner) else { continue };
            let g = *g as usize - 1;
            if k + 1 == list.len() {
                e.latest[g] += 1;
            }
            if *r == round {
                if g >= 2 {
                    e.round_iii_iv += 1;
                    e.started += i64::from(state == "started" || state == "done");
                    e.done += i64::from(state == "done");
                }
                if k > 0 {
                    e.transition[list[k - 1].4 as usize - 1][g] += 1;
                }
            }
        }
    }
    out
}

async fn post_bytes(u: &tabane_testkit::User, path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let r = u.client.post(u.url(path)).header("x-csrf-token", &u.csrf).body(body).send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

fn arr4(v: &Value) -> [i64; 4] {
    let a: Vec<i64> = v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect();
    [a[0], a[1], a[2], a[3]]
}

#[tokio::test]
async fn the_bundle_dashboard_matches_the_raw_records() {
    let app = TestApp::spawn().await;
    let pref = app.login("pref-staff").await;
    let pref_id = app.org_id("静岡県").await;
    let city_id = app.org_id("下田市").await;
    // Work in the maintenance bundle (静岡県 and 下田市 own roads in it).
    let r = pref.post_form("/switch", &[("org_id", &pref_id.to_string()), ("bundle_id", "1")]).await;
    assert!(r.status().is_success() || r.status().is_redirection());
    let (s, d) = pref.get_json("/api/infra/mieruka?scope=bundle&year=2026&round=3").await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["round"], 3);
    let rows = d["rows"].as_array().unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r["figures"]["org_id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&pref_id) && ids.contains(&city_id), "{ids:?}");
    let expect = recompute(&app, &ids, 2026, 3).await;
    let mut total = Expect::default();
    let mut some_bridges = false;
    for r in rows {
        let f = &r["figures"];
        let e = &expect[&f["org_id"].as_i64().unwrap()];
        let got = Expect {
            bridges: f["bridges"].as_i64().unwrap(),
            old: f["bridges_50y"].as_i64().unwrap(),
            unknown: f["bridges_unknown_year"].as_i64().unwrap(),
            latest: arr4(&f["latest"]),
            round_iii_iv: f["round_iii_iv"].as_i64().unwrap(),
            started: 0,
            done: 0,
            transition: {
                let t = f["transition"].as_array().unwrap();
                [arr4(&t[0]), arr4(&t[1]), arr4(&t[2]), arr4(&t[3])]
            },
        };
        assert_eq!(Expect { started: e.started, done: e.done, ..got }, *e, "{}", f["name"]);
        // Rates as the page shows them.
        let rate = |n: i64| {
            if e.round_iii_iv > 0 { Value::from(n as f64 * 100.0 / e.round_iii_iv as f64) } else { Value::Null }
        };
        assert_eq!(f["start_pct"], rate(e.started), "{}", f["name"]);
        assert_eq!(f["done_pct"], rate(e.done), "{}", f["name"]);
        let moved: i64 = e.transition.iter().flatten().sum();
        assert_eq!(
            f["improved"].as_i64().unwrap() + f["same"].as_i64().unwrap() + f["worsened"].as_i64().unwrap(),
            moved
        );
        some_bridges |= e.bridges > 0;
        total.bridges += e.bridges;
        total.old += e.old;
        total.unknown += e.unknown;
    }
    assert!(some_bridges, "the demo bundle has bridges");
    assert_eq!(
        (
            d["total"]["bridges"].as_i64().unwrap(),
            d["total"]["bridges_50y"].as_i64().unwrap(),
            d["total"]["bridges_unknown_year"].as_i64().unwrap()
        ),
        (total.bridges, total.old, total.unknown)
    );
    // 下田市 (19,500) is compared with the 1〜3万人 class: the guide's averages are shown beside.
    let city = rows.iter().find(|r| r["figures"]["org_id"] == city_id).unwrap();
    assert_eq!(city["figures"]["class"], "from10k_to30k");
    let c = city["comparisons"].as_array().unwrap().iter().find(|c| c["measure"] == "bridges50y").unwrap();
    assert_eq!(c["reference"], 64.0);
    assert_eq!(d["reference"].as_array().unwrap().len(), 6);

    // The page shows the same figures, the charts and the map; the exports carry the table.
    let html = pref.get("/infra/mieruka?scope=bundle&year=2026&round=3").await.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("data-query=\"layer=assets&amp;kind=bridge\""));
    assert!(html.contains(&format!("data-figure=\"bridges\">{}<", total.bridges)), "total bridges shown");
    assert!(html.contains("類型平均 64"));
    let csv = pref.get("/infra/mieruka?scope=bundle&year=2026&round=3&format=csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.contains("下田市") && text.contains("建設後50年以上"));
    let x = pref.get("/infra/mieruka?scope=bundle&table=transition&format=xlsx").await;
    assert_eq!(x.status(), StatusCode::OK);
    assert!(x.bytes().await.unwrap().starts_with(b"PK"));
    // The map colours bridges by their newest grade.
    let (_, m) = pref.get_json("/api/infra/map?layer=assets&kind=bridge").await;
    let feats = m["features"].as_array().unwrap();
    assert!(!feats.is_empty() && feats.iter().all(|f| f["properties"]["kind"] == "橋梁"));
    assert!(feats.iter().any(|f| f["properties"]["grade"].is_i64()));
}

#[tokio::test]
async fn figures_are_set_by_the_municipality_or_its_prefecture_and_bad_input_is_named() {
    let app = TestApp::spawn().await;
    let city = app.login("shimoda-staff").await;
    let kawazu = app.login("kawazu-admin").await;
    let pref = app.login("pref-staff").await;
    let city_id = app.org_id("下田市").await;
    let (s, p) = city
        .send_json(
            "put",
            "/api/infra/mieruka/profile",
            json!({"population": "２０，１００", "decline_pct": "48.5", "technical_staff": "13"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!((p["population"].as_i64(), p["technical_staff"].as_i64()), (Some(20_100), Some(13)));
    // Another municipality cannot change 下田市's figures.
    let (s, _) =
        kawazu.send_json("put", "/api/infra/mieruka/profile", json!({"org_id": city_id, "population": "1"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Bad input names the field and writes nothing.
    let (s, e) =
        city.send_json("put", "/api/infra/mieruka/profile", json!({"population": "-3", "as_of": "2025-02-30"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let text = e.to_string();
    assert!(text.contains("人口") && text.contains("基準日"), "{text}");
    let (_, d) = city.get_json("/api/infra/mieruka").await;
    assert_eq!(d["rows"][0]["figures"]["profile"]["population"], 20_100);
    // The prefecture imports for its municipalities; one bad row writes nothing.
    let bad = "団体コード,人口,人口減少率,技術系職員数\n222194,19000,49,12\n223018,abc,50,4\n999999,1,1,1\n";
    let r = pref.post_file("/infra/mieruka/profiles/import", "p.csv", bad.as_bytes().to_vec(), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("3") && html.contains("人口") && html.contains("999999"), "rows named");
    let (_, d) = city.get_json("/api/infra/mieruka").await;
    assert_eq!(d["rows"][0]["figures"]["profile"]["population"], 20_100, "nothing written");
    let good = "団体コード,人口,人口減少率,技術系職員数\n222194,19000,49,12\n223018,11500,50,4\n";
    let (s, v) = post_bytes(&pref, "/api/infra/mieruka/profiles/import?filename=p.csv", good.as_bytes().to_vec()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["imported"], 2);
    let (_, d) = city.get_json("/api/infra/mieruka").await;
    assert_eq!(d["rows"][0]["figures"]["profile"]["population"], 19_000);
    // A municipality cannot import for a neighbour; the prefecture-wide view is for the prefecture.
    let (s, _) =
        post_bytes(&kawazu, "/api/infra/mieruka/profiles/import?filename=p.csv", good.as_bytes().to_vec()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = city.get_json("/api/infra/mieruka?scope=prefecture").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, d) = pref.get_json("/api/infra/mieruka?scope=prefecture").await;
    assert_eq!(s, StatusCode::OK);
    assert!(d["rows"].as_array().unwrap().len() >= 7, "the prefecture and its municipalities");
}
