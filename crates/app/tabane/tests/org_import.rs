//! Acceptance: importing the organisation list. A file with one bad check digit and one bad
//! date among 1,700 good rows writes nothing and names both rows; the fixed file imports every
//! row in one transaction; the same file saved as CP932 imports identically.

use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use std::process::Command;
use tabane_core::entities::organisation;
use tabane_core::lgcode::LgCode;
use tabane_testkit::{TestApp, TestDb};

const GOOD_ROWS: usize = 1700;
/// File rows (header = row 1) that carry the two mistakes.
const BAD_CODE_ROW: usize = 501;
const BAD_DATE_ROW: usize = 1202;

/// A national-list-like file. With `broken`, row 501 has a wrong check digit and row 1202 an
/// impossible date; otherwise those rows are correct too.
fn csv(broken: bool) -> String {
    let mut s =
        String::from("団体コード,都道府県名（漢字）,市区町村名（漢字）,市区町村名（カナ）,有効開始日,有効終了日\n");
    let mut stem = 1001u32; // 01001…: skip municipal part 000 (prefectures) to keep every row a municipality
    let total = GOOD_ROWS + 2;
    for i in 0..total {
        while stem.is_multiple_of(1000) {
            stem += 1;
        }
        let code = LgCode::from_first_five(stem).unwrap().to_string();
        stem += 1;
        let file_row = i + 2;
        let code = if broken && file_row == BAD_CODE_ROW {
            let last = code.as_bytes()[5] - b'0';
            format!("{}{}", &code[..5], (last + 1) % 10)
        } else {
            code
        };
        let from = match i % 3 {
            0 => "2000-04-01".to_string(),
            1 => "平成12年4月1日".to_string(),
            _ => "H12.4.1".to_string(),
        };
        let to = if broken && file_row == BAD_DATE_ROW { "2023-02-30".to_string() } else { String::new() };
        s.push_str(&format!("{code},テスト県,第{i}市,ダイ{i}シ,{from},{to}\n"));
    }
    s
}

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    bytes.into_owned()
}

fn tabane(db: &TestDb, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tabane"))
        .arg("--database-url")
        .arg(&db.url)
        .arg("--data-dir")
        .arg(&db.dir)
        .args(args)
        .env("TABANE_LOG", "warn")
        .output()
        .expect("run tabane")
}

async fn count(db: &TestDb) -> u64 {
    organisation::Entity::find().count(&db.connect().await).await.unwrap()
}

async fn snapshot(
    db: &TestDb,
) -> Vec<(Option<String>, String, Option<String>, Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> {
    let conn = db.connect().await;
    organisation::Entity::find()
        .order_by_asc(organisation::Column::LgCode)
        .all(&conn)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.lg_code, o.name, o.name_kana, o.valid_from, o.valid_to))
        .collect()
}

#[tokio::test]
async fn cli_import_rejects_the_whole_file_then_imports_the_fixed_one_and_cp932_identically() {
    let db = TestDb::new().await;
    let bad = db.dir.join("bad.csv");
    std::fs::write(&bad, csv(true)).unwrap();
    let out = tabane(&db, &["import", "organisations", bad.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "import of a bad file must fail");
    assert!(stderr.contains(&format!("{BAD_CODE_ROW}行目")), "names the bad code row: {stderr}");
    assert!(stderr.contains("検査数字"), "{stderr}");
    assert!(stderr.contains(&format!("{BAD_DATE_ROW}行目")), "names the bad date row: {stderr}");
    assert!(stderr.contains("2023-02-30"), "{stderr}");
    assert!(stderr.contains("2 件の誤り"), "exactly two errors: {stderr}");
    assert_eq!(count(&db).await, 0, "nothing may be written");

    let good = db.dir.join("good.csv");
    std::fs::write(&good, csv(false)).unwrap();
    let out = tabane(&db, &["import", "organisations", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&db).await, (GOOD_ROWS + 2) as u64);

    // The same file in CP932, into a fresh database: identical result.
    let db2 = TestDb::new().await;
    let sjis = db2.dir.join("good-sjis.csv");
    std::fs::write(&sjis, cp932(&csv(false))).unwrap();
    let out = tabane(&db2, &["import", "organisations", sjis.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(snapshot(&db).await, snapshot(&db2).await);

    // Importing the same file again updates in place: still the same number of rows.
    let out = tabane(&db2, &["import", "organisations", sjis.to_str().unwrap(), "--encoding", "cp932"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&db2).await, (GOOD_ROWS + 2) as u64);
}

#[tokio::test]
async fn import_page_lists_every_bad_row_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = organisation::Entity::find().count(&app.db).await.unwrap();
    let admin = app.login("admin").await;
    let r = admin.post_file("/orgs/import", "bad.csv", cp932(&csv(true)), &[("encoding", "auto")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("何も登録していません"), "{html}");
    assert!(html.contains(&format!("<td>{BAD_CODE_ROW}</td>")), "row {BAD_CODE_ROW} listed");
    assert!(html.contains(&format!("<td>{BAD_DATE_ROW}</td>")), "row {BAD_DATE_ROW} listed");
    assert_eq!(organisation::Entity::find().count(&app.db).await.unwrap(), before);

    let r = admin.post_file("/orgs/import", "good.csv", csv(false).into_bytes(), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("取り込みました"));
    assert_eq!(organisation::Entity::find().count(&app.db).await.unwrap(), before + (GOOD_ROWS + 2) as u64);
}

#[tokio::test]
async fn api_import_reports_rows_as_json_and_xlsx_export_round_trips() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let r = admin
        .client
        .post(admin.url("/api/orgs/import?filename=bad.csv"))
        .header("x-csrf-token", &admin.csrf)
        .body(csv(true))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "import_rejected");
    let rows: Vec<u64> = v["report"]["errors"].as_array().unwrap().iter().map(|e| e["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, vec![BAD_CODE_ROW as u64, BAD_DATE_ROW as u64]);
    assert!(!v["request_id"].as_str().unwrap().is_empty());

    // Export as xlsx and read it back: Japanese headers, codes kept as text.
    let r = admin.get("/orgs/export?format=xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap().to_vec();
    let table = tabane_tabular::read_xlsx(&bytes, None).unwrap();
    assert_eq!(table.headers[1], "団体コード");
    assert!(table.rows.iter().any(|row| row.cells[1] == "222194" && row.cells[3] == "下田市"));
    // CP932 export of the demo data decodes back to the same text.
    let r = admin.get("/orgs/export?format=cp932").await;
    let body = r.bytes().await.unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&body);
    assert!(!bad);
    assert!(text.contains("下田市"));
}

/// `n` municipalities with distinct codes, each valid from `from` (to `to`, if any); the rows
/// listed in `from_at` start on another date instead.
fn periods_csv(n: usize, from: &str, to: &str, from_at: &[(usize, &str)]) -> String {
    let mut s = String::from("団体コード,名称,有効開始日,有効終了日\n");
    let mut stem = 1001u32;
    for i in 0..n {
        while stem.is_multiple_of(1000) {
            stem += 1;
        }
        let code = LgCode::from_first_five(stem).unwrap();
        stem += 1;
        let file_row = i + 2;
        let start = from_at.iter().find(|(r, _)| *r == file_row).map_or(from, |(_, d)| *d);
        s.push_str(&format!("{code},第{i}市,{start},{to}\n"));
    }
    s
}

/// Conflicts with existing records are found by the writing pass, after thousands of rows have
/// been handed to the database (more than one multi-row INSERT on SQLite): every conflicting
/// row is still named and the transaction leaves nothing behind.
#[tokio::test]
async fn conflicts_found_while_writing_name_every_row_and_roll_back() {
    const ROWS: usize = 5000;
    let db = TestDb::new().await;
    let first = db.dir.join("first.csv");
    std::fs::write(&first, periods_csv(ROWS, "2000-04-01", "2005-03-31", &[])).unwrap();
    let out = tabane(&db, &["import", "organisations", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&db).await, ROWS as u64);
    let before = snapshot(&db).await;

    // The same codes again, valid from 2010 (new records), but two rows start inside the
    // existing periods.
    let second = db.dir.join("second.csv");
    let conflicts = [(4000, "2004-04-01"), (4900, "平成16年4月1日")];
    std::fs::write(&second, periods_csv(ROWS, "2010-04-01", "", &conflicts)).unwrap();
    let out = tabane(&db, &["import", "organisations", second.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a conflicting file must fail");
    assert!(stderr.contains("4000行目「団体コード」"), "{stderr}");
    assert!(stderr.contains("4900行目「団体コード」"), "{stderr}");
    assert!(stderr.contains("登録済み"), "{stderr}");
    assert!(stderr.contains("2 件の誤り"), "{stderr}");
    assert_eq!(snapshot(&db).await, before, "nothing may be written");

    // Without the two conflicts, every row is a new record.
    std::fs::write(&second, periods_csv(ROWS, "2010-04-01", "", &[])).unwrap();
    let out = tabane(&db, &["import", "organisations", second.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&db).await, 2 * ROWS as u64);
}
