//! Migrations are append-only: the migrator's order is the committed `migrations.lock`, new
//! migrations are named after their module, and a database made by an earlier release migrates
//! forward without losing a row.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use sea_orm_migration::MigratorTrait;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;

/// Names that predate the `<module>_<NNNN>_<what>` convention (new platform migrations come
/// before the modules' in the order, so the legacy names are listed, not counted).
const LEGACY: &[&str] = &[
    "m0001_platform",
    "m0101_crypto_key_checks",
    "m0102_deliverables",
    "m0103_surveys",
    "m0104_data_revisions",
    "m0105_rate_events",
    "m0002_infra",
    "m0003_infra_patrols",
    "m0004_infra_contracts",
    "m0005_infra_split",
    "m0006_infra_contract_parts",
    "m0007_infra_inspections",
    "m0008_infra_indexes",
    "m0009_infra_mieruka",
    "m0010_infra_map_index",
    "m0201_housing",
];

fn lock() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations.lock")).unwrap();
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

fn migrator_names() -> Vec<String> {
    tabane::Migrator::migrations().iter().map(|m| m.name().to_string()).collect()
}

#[test]
fn the_migrator_applies_exactly_the_locked_order() {
    let (locked, now) = (lock(), migrator_names());
    let kept = locked.iter().zip(&now).take_while(|(a, b)| a == b).count();
    assert!(
        kept == locked.len() && kept == now.len(),
        "the migrator's order differs from crates/app/tabane/migrations.lock at position {}: locked {:?}, migrator {:?}.\n\
         A new migration: append its name to the lock (never edit, remove or reorder a line; databases in use applied them in this order).",
        kept + 1,
        locked.get(kept),
        now.get(kept)
    );
}

#[test]
fn new_migrations_are_named_module_number_what_and_numbered_in_order() {
    let keys: Vec<&str> = std::iter::once("platform").chain(tabane::modules().iter().map(|m| m.key)).collect();
    let mut last: BTreeMap<&str, u32> = BTreeMap::new();
    for name in migrator_names().iter().filter(|n| !LEGACY.contains(&n.as_str())) {
        let parts: Vec<&str> = name.splitn(3, '_').collect();
        let ok = parts.len() == 3
            && keys.contains(&parts[0])
            && parts[1].len() == 4
            && parts[1].bytes().all(|b| b.is_ascii_digit())
            && !parts[2].is_empty()
            && parts[2].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        assert!(ok, "migration {name} is not named <module>_<NNNN>_<what> (modules: {keys:?})");
        let n: u32 = parts[1].parse().unwrap();
        let prev = last.insert(keys.iter().find(|k| **k == parts[0]).unwrap(), n);
        assert!(prev.is_none_or(|p| p < n), "migration {name} is numbered out of order in its module");
    }
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let rows = db.query_all(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

/// Every table with its columns, row count and the SHA-256 of its rows (these columns, as
/// SQLite quotes them, each row as one text, the rows in order).
async fn contents(
    db: &DatabaseConnection,
    columns: Option<&BTreeMap<String, Vec<String>>>,
) -> BTreeMap<String, (Vec<String>, usize, String)> {
    let mut out = BTreeMap::new();
    for t in
        strings(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .await
    {
        let cols = match columns {
            Some(c) => match c.get(&t) {
                Some(c) => c.clone(),
                None => continue,
            },
            None => strings(db, &format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid")).await,
        };
        let exprs: Vec<String> = cols.iter().map(|c| format!("quote(\"{c}\")")).collect();
        let rows = strings(db, &format!("SELECT {} FROM \"{t}\" ORDER BY 1", exprs.join(" || char(31) || "))).await;
        let mut h = Sha256::new();
        for r in &rows {
            h.update(r.as_bytes());
            h.update(b"\x1e");
        }
        out.insert(t, (cols, rows.len(), hex::encode(h.finalize())));
    }
    out
}

/// `tests/fixtures/release-2026-12.sqlite.gz`: `tabane demo` on an empty SQLite database, by the
/// release of December 2026 (migrations up to `m0201_housing`). When the schema changes, keep
/// this file: it is what a municipality's database looks like before the upgrade.
#[tokio::test]
async fn a_database_of_an_earlier_release_migrates_forward_without_losing_a_row() {
    let dir = std::env::temp_dir().join(format!("tabane-forward-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let gz = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/release-2026-12.sqlite.gz")).unwrap();
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut bytes).unwrap();
    let file = dir.join("tabane.sqlite");
    std::fs::write(&file, bytes).unwrap();
    let url = format!("sqlite://{}?mode=rw", file.display());

    let before = {
        let db = Database::connect(&url).await.unwrap();
        let c = contents(&db, None).await;
        db.close().await.unwrap();
        c
    };
    assert!(
        before["organisations"].1 > 0 && before["housing_cases"].1 > 0 && before["infra_work_orders"].1 > 0,
        "the fixture holds the demo"
    );

    let db = tabane_core::db::connect(&url).await.unwrap();
    tabane::migrate(&db).await.unwrap();
    let applied: Vec<String> =
        tabane::Migrator::get_applied_migrations(&db).await.unwrap().iter().map(|m| m.name().to_string()).collect();
    assert_eq!(applied, lock(), "every locked migration is applied, in order");
    let columns: BTreeMap<String, Vec<String>> = before.iter().map(|(t, (c, _, _))| (t.clone(), c.clone())).collect();
    let after = contents(&db, Some(&columns)).await;
    db.close().await.unwrap();
    for (table, (_, n, sum)) in &before {
        if table == "seaql_migrations" {
            continue;
        }
        let (_, n2, sum2) = after.get(table).unwrap_or_else(|| panic!("table {table} is gone"));
        assert_eq!((n, sum), (n2, sum2), "table {table}: rows or values of its earlier columns changed");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
