//! Personal-data keys: the start-up key check, rotation, and `tabane serve` refusing to start
//! with a wrong key.

use sea_orm::sea_query::{Alias, ColumnDef, Expr, Query, Table};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tabane_core::Ctx;
use tabane_core::crypto::{self, EncryptedColumn, Keyring};
use tabane_core::entities::{audit_entry, crypto_key_check};
use tabane_testkit::{TestApp, TestDb};

const A: &str = "ka:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
const A_OTHER: &str = "ka:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
const B: &str = "kb:AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
const IDX: &str = "idx:BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=";
const IDX_OTHER: &str = "idx:BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU=";

fn ring(keys: &[&str], active: &str, idx: &str) -> Keyring {
    Keyring::from_texts(&keys.iter().map(|s| s.to_string()).collect::<Vec<_>>(), active, idx).unwrap()
}

const PEOPLE: EncryptedColumn =
    EncryptedColumn { table: "test_people", id_col: "id", col: "name", aad_prefix: "test_people.name:" };

async fn people_table(db: &sea_orm::DatabaseConnection) {
    let t = Table::create()
        .table(Alias::new("test_people"))
        .col(ColumnDef::new(Alias::new("id")).big_integer().not_null().primary_key())
        .col(ColumnDef::new(Alias::new("name")).text().null())
        .to_owned();
    db.execute(db.get_database_backend().build(&t)).await.unwrap();
}

async fn insert_people(db: &sea_orm::DatabaseConnection, k: &Keyring, ids: std::ops::Range<i64>) {
    let rows: Vec<i64> = ids.collect();
    for chunk in rows.chunks(200) {
        let mut q = Query::insert();
        q.into_table(Alias::new("test_people")).columns([Alias::new("id"), Alias::new("name")]);
        for id in chunk {
            // Every tenth row has no value: NULLs are left alone.
            let v: Option<String> =
                (id % 10 != 0).then(|| k.seal(&PEOPLE.aad(&id.to_string()), &format!("氏名{id}")).unwrap());
            q.values_panic([Expr::val(*id).into(), Expr::val(v).into()]);
        }
        db.execute(db.get_database_backend().build(&q)).await.unwrap();
    }
}

async fn name_of(db: &sea_orm::DatabaseConnection, id: i64) -> String {
    let q = Query::select()
        .column(Alias::new("name"))
        .from(Alias::new("test_people"))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    db.query_one(db.get_database_backend().build(&q)).await.unwrap().unwrap().try_get_by_index(0).unwrap()
}

#[tokio::test]
async fn key_checks_refuse_wrong_or_missing_keys_and_rotation_moves_everything() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;

    // First start with key A: canaries for A and the index key.
    let a = ring(&[A], "", IDX);
    crypto::verify_or_init(&db, &a).await.unwrap();
    let ids: Vec<String> =
        crypto_key_check::Entity::find().all(&db).await.unwrap().into_iter().map(|r| r.key_id).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&"ka".to_string()) && ids.contains(&"index:idx".to_string()));
    crypto::verify_or_init(&db, &a).await.unwrap();

    // Same id, other material: refused with the message.
    let e = crypto::verify_or_init(&db, &ring(&[A_OTHER], "", IDX)).await.unwrap_err();
    assert_eq!(e.to_string(), "個人情報の暗号鍵 ka が設定と一致しません。起動を中止しました");
    assert!(e.message(true).contains("does not match"));
    // The id missing from the configuration.
    let e = crypto::verify_or_init(&db, &ring(&[B], "", IDX)).await.unwrap_err();
    assert!(e.to_string().starts_with("個人情報の暗号鍵 ka が設定にありません"), "{e}");
    // Another index key: searches would miss, so refused too.
    let e = crypto::verify_or_init(&db, &ring(&[A], "", IDX_OTHER)).await.unwrap_err();
    assert!(e.to_string().contains("index:idx が設定と一致しません"), "{e}");
    // None of the refused starts wrote a canary.
    assert_eq!(crypto_key_check::Entity::find().count(&db).await.unwrap(), 2);

    // Data under A; then B is added and made active.
    people_table(&db).await;
    insert_people(&db, &a, 1..1201).await;
    let both = ring(&[A, B], "kb", IDX);
    crypto::verify_or_init(&db, &both).await.unwrap();
    assert_eq!(crypto_key_check::Entity::find().count(&db).await.unwrap(), 3);
    let usage = crypto::key_usage(&db, &both, &[PEOPLE]).await.unwrap();
    assert_eq!((usage["ka"], usage["kb"]), (1080, 0));

    // Removing A before rotation is refused (its canary is still there).
    assert!(crypto::verify_or_init(&db, &ring(&[B], "", IDX)).await.is_err());

    let ctx = Ctx::cli();
    let audits_before = audit_entry::Entity::find().count(&db).await.unwrap();
    let r = crypto::reencrypt(&db, &ctx, &both, &[PEOPLE]).await.unwrap();
    assert_eq!(r.reencrypted, 1080);
    assert_eq!((r.remaining["ka"], r.remaining["kb"]), (0, 1080));
    // Batches of 500: three audited transactions.
    assert_eq!(audit_entry::Entity::find().count(&db).await.unwrap() - audits_before, 3);
    assert!(name_of(&db, 7).await.starts_with("v1.kb."));
    assert_eq!(both.open(&PEOPLE.aad("7"), &name_of(&db, 7).await).unwrap(), "氏名7");
    // Resumable: a second run has nothing to do.
    assert_eq!(crypto::reencrypt(&db, &ctx, &both, &[PEOPLE]).await.unwrap().reencrypted, 0);

    // A is no longer used: its canary is retired and the key can be removed.
    assert_eq!(crypto::retire_unused(&db, &both, &[PEOPLE]).await.unwrap(), vec!["ka".to_string()]);
    let b_only = ring(&[B], "", IDX);
    crypto::verify_or_init(&db, &b_only).await.unwrap();
    assert_eq!(b_only.open(&PEOPLE.aad("1199"), &name_of(&db, 1199).await).unwrap(), "氏名1199");
}

#[tokio::test]
async fn a_value_moved_to_another_row_does_not_open() {
    let app = TestApp::spawn_with(false).await;
    people_table(&app.db).await;
    // The test app installed the fixed test keyring.
    let s = crypto::seal(&PEOPLE.aad("1"), "山田").unwrap();
    assert_eq!(crypto::open(&PEOPLE.aad("1"), &s).unwrap(), "山田");
    assert!(crypto::open(&PEOPLE.aad("2"), &s).is_err());
    assert_eq!(crypto::blind_index(" 山田 ").unwrap(), Keyring::for_tests().blind_index("山田"));
}

fn tabane(data_dir: &std::path::Path, args: &[&str], keys: Option<(&str, &str)>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tabane"));
    // A clean environment: the developer's TABANE_* must not leak into the binary.
    c.env_clear().arg("--data-dir").arg(data_dir).args(args).env("TABANE_LOG", "warn");
    if let Some((k, idx)) = keys {
        c.env("TABANE_PERSONAL_DATA_KEYS", k).env("TABANE_PERSONAL_DATA_INDEX_KEY", idx);
    }
    c
}

#[test]
fn serve_with_a_wrong_key_exits_without_listening() {
    let dir = std::env::temp_dir().join(format!("tabane-crypto-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();

    // rotate-keys runs the same key check, writing the canary for key A.
    let out = tabane(&dir, &["rotate-keys"], Some((A, IDX))).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ka\t0"), "{}", String::from_utf8_lossy(&out.stdout));

    let mut child = tabane(&dir, &["serve", "--listen", "127.0.0.1:0"], Some((A_OTHER, IDX)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("tabane serve kept running with a wrong key");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = child.wait_with_output().unwrap();
    assert!(!status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("個人情報の暗号鍵 ka が設定と一致しません。起動を中止しました"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"));
    assert!(!stderr.contains("AgICAgIC"), "key material must not be printed: {stderr}");

    // generate-key prints a key that configures a keyring.
    let out = tabane(&dir, &["generate-key", "--id", "k2027"], None).output().unwrap();
    let key = String::from_utf8(out.stdout).unwrap();
    assert!(Keyring::from_texts(&[key.trim().to_string()], "", IDX).is_ok(), "{key}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_configured_keys_a_private_keys_file_is_generated_and_reused() {
    let dir = std::env::temp_dir().join(format!("tabane-crypto-{}", uuid::Uuid::new_v4().simple()));
    for _ in 0..2 {
        let out = tabane(&dir, &["rotate-keys"], None).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("production"));
    }
    let file = dir.join("personal-data.keys");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(std::fs::read_to_string(&file).unwrap().contains("personal_data_active_key"));
    let _ = std::fs::remove_dir_all(&dir);
}
