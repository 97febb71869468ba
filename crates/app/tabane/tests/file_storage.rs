//! Several app servers, one database (`file_storage = "database"`): a photo or document uploaded
//! through one server is served by another that has a data directory of its own, with the same
//! access checks. On SQLite the two servers share one database file; with
//! `TABANE_TEST_DATABASE_URL` they share one PostgreSQL database.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::path::Path;
use tabane_core::entities::{audit_entry, stored_file};
use tabane_core::service::files::Storage;
use tabane_infra::demo::DEMO_OPEN311_KEY;
use tabane_testkit::{TestApp, User};

/// Regular files under `dir` (0 when it does not exist).
fn files_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.map(|e| e.unwrap()).map(|e| if e.file_type().unwrap().is_dir() { files_under(&e.path()) } else { 1 }).sum()
}

/// Status, content type and bytes of `/files/{id}` as `u` sees it.
async fn download(u: &User, id: i64) -> (StatusCode, String, Vec<u8>) {
    let r = u.get(&format!("/files/{id}")).await;
    let status = r.status();
    let kind = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

fn refused(s: StatusCode) -> bool {
    s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN
}

#[tokio::test]
async fn a_photo_uploaded_through_one_server_is_served_by_the_other_with_the_same_checks() {
    let app = TestApp::spawn_storing(true, Storage::Database).await;
    let b = app.another_server("server-b").await;
    let (a_dir, b_dir) = (app.files.root.clone(), app.tdb.dir.join("server-b"));
    let on_disk = files_under(&a_dir);
    let city = app.login("shimoda-staff").await; // 下田市: owns the job
    let jv = app.login("jv-staff").await; // the bundle's contractor
    let kawazu = app.login("kawazu-admin").await; // 河津町: not in the bundle

    // 下田市 opens a job and adds its photo through server A.
    let (s, v) = city
        .send_json(
            "post",
            "/api/infra/work-orders",
            json!({"category": "市道 舗装補修", "description": "ポットホール", "urgency": "early", "lat": "34.6790", "lon": "138.9450"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let job = v["id"].as_i64().unwrap();
    let bundle = v["bundle_id"].as_i64().unwrap();
    let photo = tabane_infra::demo::demo_png([30, 120, 200]);
    let r = city
        .post_file(&format!("/api/infra/work-orders/{job}/photos"), "現場.png", photo.clone(), &[("phase", "before")])
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let file = v["file_id"].as_i64().unwrap();

    // Server B serves it, the same bytes and type, to the owner's staff and the contractor.
    for u in [city.on(b), jv.on(b)] {
        assert_eq!(download(&u, file).await, (StatusCode::OK, "image/png".to_string(), photo.clone()));
    }
    // A module that reads the bytes itself (the 写真台帳 embeds the photos) does so on B too.
    let xlsx = city.on(b).get(&format!("/infra/work-orders/{job}/photo-ledger?format=xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().windows(9).any(|w| w == b"xl/media/"), "the photo is embedded");
    // An organisation outside the bundle is refused on both servers and gets none of the bytes.
    for u in [kawazu.on(app.addr), kawazu.on(b)] {
        let (s, _, body) = download(&u, file).await;
        assert!(refused(s), "{s}");
        assert!(!body.windows(photo.len()).any(|w| w == photo), "the photo leaked");
    }

    // A document uploaded through B for 下田市 alone (共有範囲 own) is served by A to 下田市 only.
    let pdf = b"%PDF-1.4 \xe4\xb8\x8b\xe7\x94\xb0\xe5\xb8\x82 only".to_vec();
    let r = city
        .on(b)
        .post_file(
            "/api/files",
            "内部資料.pdf",
            pdf.clone(),
            &[("bundle_id", &bundle.to_string()), ("visibility", "own")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let doc = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(download(&city.on(app.addr), doc).await, (StatusCode::OK, "application/pdf".to_string(), pdf.clone()));
    for u in [jv.on(app.addr), jv.on(b), kawazu.on(app.addr)] {
        assert!(refused(download(&u, doc).await.0), "a file kept for its owner is refused to others");
    }

    // Neither server wrote the bytes to its disk: they are in the database.
    assert_eq!(files_under(&a_dir), on_disk);
    assert_eq!(files_under(&b_dir), 0);
}

#[tokio::test]
async fn an_open311_photo_posted_to_one_server_is_public_on_the_other() {
    let app = TestApp::spawn_storing(true, Storage::Database).await;
    let b = app.another_server("server-b").await;
    let photo = tabane_infra::demo::demo_png([200, 200, 40]);
    let form = reqwest::multipart::Form::new()
        .text("api_key", DEMO_OPEN311_KEY)
        .text("service_code", "streetlight")
        .text("address_string", "下田市東本郷1丁目")
        .text("description", "街路灯が消えています")
        .part("media", reqwest::multipart::Part::bytes(photo.clone()).file_name("lamp.png"));
    let r = app.anon().post(app.url("/open311/v2/requests.json")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let id = v[0]["service_request_id"].as_str().unwrap().to_string();
    let r = app.anon().get(format!("http://{b}/open311/v2/requests/{id}.json")).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    let media = v[0]["media_url"].as_str().unwrap_or_else(|| panic!("no media_url: {v}")).to_string();
    let r = app.anon().get(format!("http://{b}{media}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), photo);
}

/// The demo's files kept on disk (the template stores them there), of 下田地域維持型JV.
async fn jv_files_on_disk(app: &TestApp) -> Vec<stored_file::Model> {
    let jv_org = app.org_id("下田地域維持型JV").await;
    stored_file::Entity::find()
        .filter(stored_file::Column::OwnerOrgId.eq(jv_org))
        .filter(stored_file::Column::Storage.eq("disk"))
        .order_by_asc(stored_file::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[tokio::test]
async fn files_stored_on_disk_before_the_switch_stay_readable_where_they_are() {
    // This server keeps new files in the database and still serves the old ones from its disk.
    let app = TestApp::spawn_storing(true, Storage::Database).await;
    let old = jv_files_on_disk(&app).await.into_iter().next().expect("the demo stores the JV's photos on disk");
    let (s, kind, bytes) = download(&app.login("jv-staff").await, old.id).await;
    assert_eq!((s, kind.as_str()), (StatusCode::OK, old.content_type.as_str()));
    assert_eq!(sha256(&bytes), old.sha256);
}

#[tokio::test]
async fn files_on_disk_are_moved_into_the_database_and_then_every_server_serves_them() {
    let app = TestApp::spawn_storing(true, Storage::Database).await;
    let b = app.another_server("server-b").await;
    let on_disk = jv_files_on_disk(&app).await;
    assert!(on_disk.len() >= 2, "the demo stores several JV photos");
    let (photo, damaged) = (&on_disk[0], &on_disk[1]);
    let all_on_disk =
        stored_file::Entity::find().filter(stored_file::Column::Storage.eq("disk")).count(&app.db).await.unwrap();
    // One copy on disk is damaged: it is named and left where it is.
    let path = app.files.root.join(&damaged.storage_key[..2]).join(&damaged.storage_key);
    std::fs::write(&path, b"\x89PNG damaged").unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tabane"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TABANE_LOG", "warn")
        .env("TABANE_FILE_STORAGE", "database")
        .arg("--data-dir")
        .arg(&app.tdb.dir)
        .args(["--database-url", &app.tdb.url, "move-files-to-database"])
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "a damaged file makes the run fail: {said}");
    // Every file of the demo on disk moves (the JV's photos and the other modules' files), but
    // the damaged one.
    assert!(said.contains(&format!("files moved into the database: {}", all_on_disk - 1)), "{said}");
    assert!(said.contains("recorded SHA-256 (1)") && said.contains(&damaged.id.to_string()), "{said}");

    // Server B, with a data directory of its own, now serves the photo stored before.
    let jv = app.login("jv-staff").await;
    let (s, kind, bytes) = download(&jv.on(b), photo.id).await;
    assert_eq!((s, kind.as_str()), (StatusCode::OK, photo.content_type.as_str()));
    assert_eq!(sha256(&bytes), photo.sha256);
    let kawazu = app.login("kawazu-admin").await;
    assert!(refused(download(&kawazu.on(b), photo.id).await.0));
    // The damaged one is still kept on disk; each move is in the owner's audit log.
    let left: Vec<i64> = jv_files_on_disk(&app).await.iter().map(|f| f.id).collect();
    assert_eq!(left, vec![damaged.id]);
    let moved = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("move_to_database"))
        .filter(audit_entry::Column::EntityId.eq(photo.id.to_string()))
        .one(&app.db)
        .await
        .unwrap()
        .expect("audited");
    assert_eq!(moved.org_id, Some(photo.owner_org_id));
}
