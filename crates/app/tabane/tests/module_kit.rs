//! The module kit: a module is one `module()` value. A placeholder module registers a route, a
//! migration and a navigation entry without any change to `core` or `web`; and the platform
//! crates never name a module.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;
use tabane_testkit::*;
use tabane_web::module::{Module, NavItem};
use tabane_web::{WebConfig, route};

/// The placeholder's one table.
struct CreateNotes;

impl MigrationName for CreateNotes {
    fn name(&self) -> &str {
        "placeholder_0001_notes"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for CreateNotes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("placeholder_notes"))
                .col(ColumnDef::new(Alias::new("id")).big_integer().not_null().auto_increment().primary_key())
                .col(ColumnDef::new(Alias::new("body")).string().not_null())
                .to_owned(),
        )
        .await
    }
}

async fn home() -> &'static str {
    "placeholder home"
}

fn placeholder() -> Module {
    Module {
        key: "placeholder",
        nav: NavItem { href: "/placeholder", ja: "試しのモジュール", en: "Placeholder" },
        participates: None,
        routes: || vec![route!(get, "/placeholder", SignedIn, "placeholder", "試しの入口", home)],
        migrations: || vec![Box::new(CreateNotes)],
        encrypted_columns: Vec::new,
        demo: None,
        demo_users: &[],
        settings: None,
        cli: None,
        agenda: None,
    }
}

/// The application's modules plus the placeholder: what `tabane::modules()` would list with
/// one more line.
fn with_placeholder() -> Vec<Module> {
    let mut m = tabane::modules();
    m.push(placeholder());
    m
}

struct AppMigrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for AppMigrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        tabane::migrations_of(&with_placeholder())
    }
}

#[tokio::test]
async fn a_module_registers_a_route_a_migration_and_a_navigation_entry() {
    let app = TestApp::spawn_app(
        WebConfig { demo: true, ..Default::default() },
        Default::default(),
        with_placeholder(),
        Vec::new(),
    )
    .await;
    // Its migration runs after the application's, under its own name.
    AppMigrator::up(&app.db, None).await.unwrap();
    app.db.execute_unprepared("INSERT INTO placeholder_notes (body) VALUES ('メモ')").await.unwrap();
    let applied = AppMigrator::get_applied_migrations(&app.db).await.unwrap();
    assert_eq!(applied.last().map(|m| m.name().to_string()), Some("placeholder_0001_notes".to_string()));

    // Its route answers, behind the access class it declared.
    let r = app.anon().get(app.url("/placeholder")).send().await.unwrap();
    assert!(r.status().is_redirection(), "a signed-out visitor is sent to the login page, got {}", r.status());
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login"));
    let user = app.login("shimoda-staff").await;
    let r = user.get("/placeholder").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "placeholder home");

    // Its navigation entry is in every page's menu, with the others.
    let page = user.get("/").await.text().await.unwrap();
    assert!(
        page.contains(r#"href="/placeholder""#) && page.contains("試しのモジュール"),
        "the menu lists the placeholder"
    );
    assert!(page.contains(r#"href="/infra""#), "the menu still lists the application's modules");
}

/// Everything by which a module could be named: its crate, and the first segment of each of its
/// paths (`/infra`, `/open311`, `/api/infra`).
fn module_names() -> Vec<String> {
    let mut names = Vec::new();
    for m in tabane::modules() {
        names.push(format!("tabane_{}", m.key));
        names.push(format!("tabane-{}", m.key));
        for r in (m.routes)() {
            let mut segs = r.path.trim_start_matches('/').split('/');
            let first = segs.next().unwrap_or_default();
            let prefix =
                if first == "api" { format!("/api/{}", segs.next().unwrap_or_default()) } else { format!("/{first}") };
            if !names.contains(&prefix) {
                names.push(prefix);
            }
        }
    }
    names
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("rs" | "html" | "toml" | "js" | "css")) {
            out.push(p);
        }
    }
}

#[test]
fn the_platform_crates_never_name_a_module() {
    let names = module_names();
    assert!(names.iter().any(|n| n == "/infra") && names.iter().any(|n| n == "/open311"), "{names:?}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let mut files = Vec::new();
    for krate in ["crates/platform/core", "crates/platform/web"] {
        files_under(&root.join(krate), &mut files);
    }
    assert!(files.len() > 50, "the platform sources were found ({} files)", files.len());
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            for n in &names {
                // A path prefix counts only as a whole segment: `/infra` but not `/infrastructure`.
                let hit = line.match_indices(n.as_str()).any(|(at, _)| {
                    !line[at + n.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                });
                if hit {
                    found.push(format!("{}:{}: {n}", f.strip_prefix(&root).unwrap_or(f).display(), i + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "the platform names a module:\n{}", found.join("\n"));
}

/// Markup comes from templates only: charts are typed shapes drawn by `chart.html`, so no
/// template shows a string built by hand (`|safe` would bypass askama's escaping).
#[test]
fn no_template_bypasses_escaping() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let mut files = Vec::new();
    files_under(&root.join("crates"), &mut files);
    let found: Vec<String> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|x| x == "html"))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let name = f.strip_prefix(&root).unwrap_or(f).display().to_string();
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.replace(' ', "").contains("|safe"))
                .map(|(i, _)| format!("{name}:{}", i + 1))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(found.is_empty(), "templates use |safe:\n{}", found.join("\n"));
}
