//! Open311 GeoReport v2: every endpoint in both formats, the error cases, routing of a posted
//! point to the right owner, and the reporter's identity hidden from the contractor.

use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tabane_infra::demo::DEMO_OPEN311_KEY;
use tabane_testkit::TestApp;

fn xml_ok(body: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(body).unwrap_or_else(|e| panic!("not well-formed XML ({e}): {body}"))
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = app.anon().get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn post(app: &TestApp, fmt: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let r = app.anon().post(app.url(&format!("/open311/v2/requests.{fmt}"))).form(form).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn discovery_and_services_in_xml_and_json() {
    let app = TestApp::spawn().await;
    let (s, body) = get(&app, "/open311/v2/discovery.xml").await;
    assert_eq!(s, StatusCode::OK);
    let doc = xml_ok(&body);
    assert_eq!(doc.root_element().tag_name().name(), "discovery");
    assert!(doc.descendants().any(|n| n.has_tag_name("endpoint")));
    let (_, body) = get(&app, "/open311/v2/discovery.json").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v["endpoints"][0]["formats"].as_array().unwrap().len() == 2);

    let (_, body) = get(&app, "/open311/v2/services.xml").await;
    let doc = xml_ok(&body);
    let codes: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("service_code")).filter_map(|n| n.text()).collect();
    assert!(codes.contains(&"road-pothole"));
    let (_, body) = get(&app, "/open311/v2/services.json").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v.as_array().unwrap().iter().all(|s| s["service_code"].is_string() && s["type"] == "realtime"));

    let (s, body) = get(&app, "/open311/v2/services/road-pothole.xml").await;
    assert_eq!(s, StatusCode::OK);
    let doc = xml_ok(&body);
    assert!(doc.descendants().any(|n| n.has_tag_name("attribute")));
    let (_, body) = get(&app, "/open311/v2/services/road-pothole.json").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["attributes"][1]["code"], "danger");
    assert_eq!(v["attributes"][1]["required"], true);
    assert_eq!(v["attributes"][0]["values"][0]["key"], "small");
    // Field types as the spec defines them (GeoReport v2 service definition).
    for a in v["attributes"].as_array().unwrap() {
        assert!(a["variable"].is_boolean() && a["required"].is_boolean() && a["order"].is_u64(), "{a}");
        assert!(a["code"].is_string() && a["description"].is_string(), "{a}");
        let kinds = ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"];
        assert!(kinds.contains(&a["datatype"].as_str().unwrap()), "{a}");
        assert!(a["values"].as_array().unwrap().iter().all(|x| x["key"].is_string() && x["name"].is_string()), "{a}");
    }
    let (s, body) = get(&app, "/open311/v2/services/nope.xml").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(xml_ok(&body).descendants().find(|n| n.has_tag_name("code")).unwrap().text(), Some("404"));
    let (s, body) = get(&app, "/open311/v2/services.json?jurisdiction_id=999").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn posting_checks_key_service_location_and_attributes() {
    let app = TestApp::spawn().await;
    let base = [("service_code", "road-pothole"), ("lat", "34.69"), ("long", "138.95"), ("attribute[danger]", "no")];
    let (s, body) = post(&app, "json", &base).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "missing api_key: {body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v[0]["code"], "403");
    let mut bad_key = base.to_vec();
    bad_key.push(("api_key", "wrong"));
    assert_eq!(post(&app, "xml", &bad_key).await.0, StatusCode::FORBIDDEN);
    let (s, body) = post(
        &app,
        "xml",
        &[("api_key", DEMO_OPEN311_KEY), ("service_code", "ufo"), ("lat", "34.69"), ("long", "138.95")],
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    xml_ok(&body);
    let (s, body) = post(
        &app,
        "json",
        &[("api_key", DEMO_OPEN311_KEY), ("service_code", "road-pothole"), ("attribute[danger]", "no")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "missing location: {body}");
    let (s, _) = post(
        &app,
        "json",
        &[("api_key", DEMO_OPEN311_KEY), ("service_code", "road-pothole"), ("lat", "34.69"), ("long", "138.95")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "required attribute danger");
    let long = "あ".repeat(4001);
    let (s, _) = post(
        &app,
        "json",
        &[
            ("api_key", DEMO_OPEN311_KEY),
            ("service_code", "streetlight"),
            ("address_string", "下田市東本郷"),
            ("description", &long),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

async fn add_asset(app: &TestApp, login: &str, kind: &str, lat: &str, lon: &str) {
    let u = app.login(login).await;
    let (s, v) = u
        .send_json(
            "post",
            "/api/infra/assets",
            json!({"kind": kind, "name": format!("{login} の施設"), "lat": lat, "lon": lon}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

#[tokio::test]
async fn a_posted_point_goes_to_the_owner_of_the_nearest_asset_and_can_be_followed() {
    let app = TestApp::spawn().await;
    // Outside the demo's assets: a city pavement and a prefectural pavement 4.6 km apart.
    add_asset(&app, "shimoda-staff", "pavement", "34.6000", "139.0500").await;
    add_asset(&app, "pref-staff", "pavement", "34.6000", "139.1000").await;

    let mut ids = Vec::new();
    for (lat, long, expected) in
        [("34.6005", "139.0503", "下田市"), ("34.6004", "139.0998", "静岡県"), ("34.5000", "139.3000", "静岡県")]
    {
        let (s, body) = post(
            &app,
            "json",
            &[
                ("api_key", DEMO_OPEN311_KEY),
                ("service_code", "road-pothole"),
                ("lat", lat),
                ("long", long),
                ("attribute[danger]", "yes"),
                ("attribute[size]", "medium"),
                ("description", "穴があいています"),
                ("first_name", "花子"),
                ("last_name", "住民"),
                ("email", "hanako@example.jp"),
                ("phone", "0558-00-0000"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let id = v[0]["service_request_id"].as_str().expect("id as string").to_string();
        let token = v[0]["token"].as_str().unwrap().to_string();
        let (_, body) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
        let r: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(r[0]["agency_responsible"], expected, "{lat},{long}");
        assert_eq!(r[0]["status"], "open");
        assert!(r[0]["requested_datetime"].as_str().unwrap().ends_with("+09:00"));
        let (_, body) = get(&app, &format!("/open311/v2/tokens/{token}.xml")).await;
        let doc = xml_ok(&body);
        assert_eq!(doc.descendants().find(|n| n.has_tag_name("service_request_id")).unwrap().text(), Some(id.as_str()));
        ids.push(id);
    }
    // The XML form of a single request parses and carries no personal data.
    let (_, body) = get(&app, &format!("/open311/v2/requests/{}.xml", ids[0])).await;
    let doc = xml_ok(&body);
    assert!(doc.descendants().any(|n| n.has_tag_name("request")));
    assert!(!body.contains("hanako") && !body.contains("0558-00-0000"));
    assert_eq!(get(&app, "/open311/v2/requests/999999.json").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/open311/v2/tokens/nope.json").await.0, StatusCode::NOT_FOUND);

    // Filters: id list overrides, service_code, status, dates.
    let (_, body) =
        get(&app, &format!("/open311/v2/requests.json?service_request_id={},{}&status=closed", ids[0], ids[1])).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap().as_array().unwrap().len(), 2);
    let (_, body) = get(&app, "/open311/v2/requests.json?service_code=road-pothole&status=open").await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap().as_array().unwrap().len(), 3);
    let (_, body) = get(&app, "/open311/v2/requests.xml?status=closed").await;
    assert_eq!(xml_ok(&body).descendants().filter(|n| n.has_tag_name("request")).count(), 0);
    let (_, body) = get(
        &app,
        "/open311/v2/requests.json?start_date=2000-01-01T00:00:00%2B09:00&end_date=2000-12-31T00:00:00%2B09:00",
    )
    .await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap().as_array().unwrap().len(), 0);
    let (s, _) = get(&app, "/open311/v2/requests.json?start_date=yesterday").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = get(&app, "/open311/v2/requests.json?status=maybe").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // The city instructs its job: the update feed shows it.
    let city = app.login("shimoda-staff").await;
    let id0: i64 = ids[0].parse().unwrap();
    let (s, _) = city
        .send_json(
            "post",
            &format!("/api/infra/work-orders/{id0}/step"),
            json!({"action": "instruct", "instruction": "穴埋め"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, body) = get(&app, "/open311/v2/servicerequestupdates.json").await;
    let ups: Value = serde_json::from_str(&body).unwrap();
    assert!(
        ups.as_array().unwrap().iter().any(|u| u["service_request_id"] == ids[0] && u["status"] == "ACTION_SCHEDULED")
    );
    let (_, body) = get(&app, "/open311/v2/servicerequestupdates.xml").await;
    assert!(xml_ok(&body).descendants().any(|n| n.has_tag_name("request_update")));

    // The owner sees who reported; the contractor sees the work, not the reporter.
    let (_, v) = city.get_json(&format!("/api/infra/work-orders/{id0}")).await;
    assert_eq!(v["reporter"]["email"], "hanako@example.jp");
    let jv = app.login("jv-staff").await;
    let r = jv.get(&format!("/api/infra/work-orders/{id0}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("hanako") && !text.contains("0558-00-0000") && !text.contains("花子"),
        "contractor must not see the reporter: {text}"
    );
    let html = jv.get(&format!("/infra/work-orders/{id0}")).await.text().await.unwrap();
    assert!(!html.contains("hanako") && html.contains("管理者のみ閲覧"));
    // Reading the identity was logged as a personal-data read.
    let admin = app.login("shimoda-admin").await;
    let (_, log) = admin.get_json("/api/audit?action=read_personal").await;
    assert!(log["total"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn reports_and_reads_past_their_limits_get_429_in_the_spec_format() {
    let limits = tabane_infra::settings::InfraSettings {
        open311_reports_per_hour: 3,
        open311_unkeyed_posts_per_hour: 5,
        public_reads_per_minute: 4,
    };
    let app = TestApp::spawn_with_settings(
        tabane_web::WebConfig { demo: true, ..Default::default() },
        tabane_web::ModuleSettings::default().with(limits),
    )
    .await;
    let report = [
        ("api_key", DEMO_OPEN311_KEY),
        ("service_code", "road-pothole"),
        ("lat", "34.69"),
        ("long", "138.95"),
        ("attribute[danger]", "no"),
    ];
    for _ in 0..3 {
        let (s, body) = post(&app, "json", &report).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
    // The key's hourly allowance is used up: refused, in the spec's error list, nothing written.
    let before = tabane_infra::entities::resident_report::Entity::find().count(&app.db).await.unwrap();
    let r = app.anon().post(app.url("/open311/v2/requests.xml")).form(&report).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("3600"));
    let body = r.text().await.unwrap();
    let doc = xml_ok(&body);
    assert!(doc.descendants().any(|n| n.has_tag_name("code") && n.text() == Some("429")), "{body}");
    assert_eq!(tabane_infra::entities::resident_report::Entity::find().count(&app.db).await.unwrap(), before);
    // Posts without a valid key are limited per address, so keys cannot be guessed; the
    // refusals above did not use up that allowance, and a valid key is not limited by it.
    for guess in ["guess-1", "guess-2", "guess-3", "guess-4", "guess-5"] {
        let (s, _) = post(
            &app,
            "json",
            &[("api_key", guess), ("service_code", "road-pothole"), ("lat", "34.69"), ("long", "138.95")],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a wrong key is told so while under the address limit");
    }
    let (s, body) = post(
        &app,
        "json",
        &[("api_key", "guess-6"), ("service_code", "road-pothole"), ("lat", "34.69"), ("long", "138.95")],
    )
    .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v[0]["code"], "429");

    // Public reads: four a minute from this address, then 429 until the minute is over.
    for _ in 0..4 {
        let (s, _) = get(&app, "/open311/v2/services.json").await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, body) = get(&app, "/open311/v2/discovery.json").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    // Signed-in staff pages are not public reads and are not limited this way.
    let pref = app.login("pref-staff").await;
    assert_eq!(pref.get("/infra/open311").await.status(), StatusCode::OK);
}

/// Apps post multipart/form-data as often as form-urlencoded; any other body, and every refusal,
/// is answered in the Open311 error list of the requested suffix; a `media` photo becomes the
/// report's first photo at its public `media_url`; date-times are to the second.
#[tokio::test]
async fn multipart_posts_are_accepted_and_every_refusal_is_an_open311_error() {
    let app = TestApp::spawn().await;
    let url = |fmt: &str| app.url(&format!("/open311/v2/requests.{fmt}"));
    let form = |key: &str| {
        reqwest::multipart::Form::new()
            .text("api_key", key.to_string())
            .text("service_code", "streetlight")
            .text("address_string", "下田市東本郷1丁目")
            .text("description", "街路灯が消えています")
    };
    // A multipart post with the right key creates the report.
    let r = app.anon().post(url("json")).multipart(form(DEMO_OPEN311_KEY)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let id = v[0]["service_request_id"].as_str().unwrap().to_string();
    // A wrong key: 403 in Open311's JSON error list.
    let r = app.anon().post(url("json")).multipart(form("wrong")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v[0]["code"].to_string().trim_matches('"'), "403", "{v}");
    // A body of another type: 415 in the format of the suffix, never plain text.
    let r = app.anon().post(url("json")).header("content-type", "text/plain").body("hello").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v[0]["code"].to_string().trim_matches('"'), "415", "{v}");
    let r = app.anon().post(url("xml")).header("content-type", "application/json").body("{}").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body = r.text().await.unwrap();
    let doc = xml_ok(&body);
    assert_eq!(doc.root_element().tag_name().name(), "errors", "{body}");
    // A photo that is not an image: 400 in the same format, and no report is written.
    let before = tabane_infra::entities::work_order::Entity::find().count(&app.db).await.unwrap();
    let bad =
        form(DEMO_OPEN311_KEY).part("media", reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("lamp.jpg"));
    let r = app.anon().post(url("json")).multipart(bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v[0]["code"].to_string().trim_matches('"'), "400", "{v}");
    assert_eq!(tabane_infra::entities::work_order::Entity::find().count(&app.db).await.unwrap(), before);
    // A photo posted as `media` becomes the report's first photo, public at its media_url.
    let image = tabane_infra::demo::demo_png([200, 40, 40]);
    let with_photo =
        form(DEMO_OPEN311_KEY).part("media", reqwest::multipart::Part::bytes(image.clone()).file_name("lamp.png"));
    let r = app.anon().post(url("json")).multipart(with_photo).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let with_media = v[0]["service_request_id"].as_str().unwrap().to_string();
    let (_, body) = get(&app, &format!("/open311/v2/requests/{with_media}.json")).await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let media_url = v[0]["media_url"].as_str().unwrap_or_else(|| panic!("no media_url: {body}")).to_string();
    let r = app.anon().get(app.url(&media_url)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), image);
    use sea_orm::{ColumnTrait, QueryFilter};
    let photos = tabane_infra::entities::work_order_photo::Entity::find()
        .filter(tabane_infra::entities::work_order_photo::Column::WorkOrderId.eq(with_media.parse::<i64>().unwrap()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(photos.len(), 1, "the report's first photo");
    assert_eq!(photos[0].phase, "before");
    // A guessed media address is not found.
    let r = app.anon().get(app.url("/open311/v2/media/guess-1.jpg")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Date-times to the second, with the offset, as the spec's examples.
    let (s, body) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let t = v[0]["requested_datetime"].as_str().unwrap();
    assert!(
        t.len() == 25 && t.ends_with("+09:00") && chrono::DateTime::parse_from_rfc3339(t).is_ok(),
        "{t} is not like 2026-12-07T09:05:23+09:00"
    );
}
