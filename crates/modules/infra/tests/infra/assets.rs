//! 施設台帳の取り込み・書き出し: every row checked first, CP932 and GeoJSON, round trips.

use reqwest::StatusCode;
use serde_json::Value;
use tabane_testkit::TestApp;

const GOOD: &str = "種類,名称,ふりがな,路線名,緯度,経度,供用・架設年,施設番号,橋長,幅員\n橋梁,稲生沢川橋,いのうざわがわばし,市道蓮台寺線,34.69,138.93,昭和47年,22-90001,25.5,7\n道路附属物,柿崎照明1,,市道柿崎線,34.676,138.956,,22-90002,,\n";
const BAD: &str = "種類,名称,緯度,経度,供用・架設年\n橋梁,A橋,34.69,138.93,1972\n飛行場,B施設,34.69,138.93,\n橋梁,C橋,34.69,,\n橋梁,D橋,34.69,138.93,昭和99年\n";

fn cp932(s: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(s).0.into_owned()
}

async fn import(u: &tabane_testkit::User, name: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let r = u
        .client
        .post(u.url(&format!("/api/infra/assets/import?filename={name}")))
        .header("x-csrf-token", &u.csrf)
        .body(body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap())
}

#[tokio::test]
async fn a_bad_file_names_every_bad_row_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let city = app.login("shimoda-staff").await;
    let (_, before) = city.get_json("/api/infra/assets").await;
    let (s, v) = import(&city, "bad.csv", BAD.as_bytes().to_vec()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let rows: Vec<u64> = v["report"]["errors"].as_array().unwrap().iter().map(|e| e["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, vec![3, 4, 5], "{v}");
    assert!(v["report"]["errors"][0]["message_ja"].as_str().unwrap().contains("種類"));
    let (_, after) = city.get_json("/api/infra/assets").await;
    assert_eq!(before["total"], after["total"]);
    // The page shows the same rows.
    let r = city.post_file("/infra/assets/import", "bad.csv", BAD.as_bytes().to_vec(), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("<td>3</td>") && html.contains("<td>5</td>") && html.contains("何も登録していません"));
}

#[tokio::test]
async fn utf8_cp932_and_geojson_import_alike_and_exports_round_trip() {
    let app = TestApp::spawn().await;
    let city = app.login("shimoda-staff").await;
    let (s, v) = import(&city, "good.csv", cp932(GOOD)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["imported"], 2);
    let (_, list) = city.get_json("/api/infra/assets?q=稲生沢川橋").await;
    let a = &list["items"][0];
    assert_eq!(a["year_built"], 1972);
    assert!(a["attributes"].as_str().unwrap().contains("25.5"));
    // Export as GeoJSON, re-import it into another organisation's registry: same shape.
    let gj = city.get("/infra/assets/export?format=geojson").await.bytes().await.unwrap();
    let v: Value = serde_json::from_slice(&gj).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let pref = app.login("pref-staff").await;
    let (s, r) = import(&pref, "from-city.geojson", gj.to_vec()).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert!(r["imported"].as_u64().unwrap() >= 152);
    // xlsx export reads back with Japanese headers; unknown years stay empty.
    let x = city.get("/infra/assets/export?format=xlsx").await.bytes().await.unwrap();
    let t = tabane_tabular::read_xlsx(&x, None).unwrap();
    assert_eq!(t.headers[0], "種類");
    assert!(t.rows.iter().any(|r| r.cells[1] == "柿崎照明1" && r.cells[6].is_empty()));
}

#[tokio::test]
async fn lines_and_polygons_keep_their_shape_and_get_a_point_for_the_map() {
    let app = TestApp::spawn().await;
    let city = app.login("shimoda-staff").await;
    let gj = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","geometry":{"type":"LineString","coordinates":[[138.94,34.68],[138.96,34.70]]},"properties":{"kind":"road","name":"市道テスト線 区間1","route_name":"市道テスト線"}},
      {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[138.93,34.67],[138.94,34.67],[138.94,34.68],[138.93,34.67]]]},"properties":{"kind":"park","name":"テスト公園"}}]}"#;
    let (s, v) = import(&city, "shapes.geojson", gj.as_bytes().to_vec()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, list) = city.get_json("/api/infra/assets?q=市道テスト線").await;
    let a = &list["items"][0];
    assert!((a["lat"].as_f64().unwrap() - 34.69).abs() < 1e-9, "the mean of the line's points: {a}");
    assert!(a["geometry"].as_str().unwrap().contains("LineString"));
    let out: Value =
        serde_json::from_slice(&city.get("/infra/assets/export?format=geojson").await.bytes().await.unwrap()).unwrap();
    assert!(out["features"].as_array().unwrap().iter().any(|f| f["geometry"]["type"] == "Polygon"));
}
