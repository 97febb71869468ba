//! The test kit: a fresh database per test (SQLite file, or a new PostgreSQL database when
//! `TABANE_TEST_DATABASE_URL` points at a server) and the real app spawned on port 0, on the small
//! seed (`seed`) or on a copy of the demo (`demo_template`). The app's tests and each module
//! crate's tests use it (zero-to-production's `spawn_app`).

mod demo_template;
pub mod seed;

use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tabane_core::service::files::{FileStore, Storage};
use tabane_web::{AppState, WebConfig};

pub struct TestDb {
    pub url: String,
    pg: Option<(String, String)>, // (admin url, database name)
    pub dir: PathBuf,
}

fn pg_base() -> Option<String> {
    std::env::var("TABANE_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
        .map(|b| b.trim_end_matches('/').to_string())
}

impl TestDb {
    /// A fresh database holding the demo: a copy of the demo template (see `demo_template`),
    /// with the demo's stored files in `dir/files`.
    pub async fn with_demo() -> TestDb {
        let base = pg_base();
        // The shared lock (held until this function returns) keeps the template in place.
        let (tpl_dir, tpl_name, _lock) = demo_template::ready(base.as_deref()).await;
        let dir = std::env::temp_dir().join(format!("tabane-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let sqlite = dir.join("test.sqlite");
        match base {
            Some(base) => {
                let name = format!("tabane_t_{}", uuid::Uuid::new_v4().simple());
                let admin_url = format!("{base}/postgres");
                demo_template::copy_into(&tpl_dir, &tpl_name, &sqlite, Some((&admin_url, &name)), &dir.join("files"))
                    .await;
                TestDb { url: format!("{base}/{name}"), pg: Some((admin_url, name)), dir }
            }
            None => {
                demo_template::copy_into(&tpl_dir, &tpl_name, &sqlite, None, &dir.join("files")).await;
                TestDb { url: format!("sqlite://{}?mode=rwc", sqlite.display()), pg: None, dir }
            }
        }
    }

    pub async fn new() -> TestDb {
        let dir = std::env::temp_dir().join(format!("tabane-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        match std::env::var("TABANE_TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
            Some(base) => {
                let base = base.trim_end_matches('/').to_string();
                let name = format!("tabane_t_{}", uuid::Uuid::new_v4().simple());
                let admin_url = format!("{base}/postgres");
                let admin = Database::connect(&admin_url).await.expect("connect to PostgreSQL");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
                admin.close().await.ok();
                TestDb { url: format!("{base}/{name}"), pg: Some((admin_url, name)), dir }
            }
            None => TestDb { url: format!("sqlite://{}?mode=rwc", dir.join("test.sqlite").display()), pg: None, dir },
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    pub async fn connect(&self) -> DatabaseConnection {
        let db = tabane_core::db::connect(&self.url).await.unwrap();
        tabane::migrate(&db).await.unwrap();
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin_url, name)) = self.pg.take() {
            // Drop runs outside async context: use a small runtime on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: DatabaseConnection,
    pub tdb: TestDb,
    /// The app's file store (its storage backend and `<dir>/files`).
    pub files: FileStore,
    web: WebConfig,
}

pub struct User {
    pub client: Client,
    pub csrf: String,
    pub base: String,
}

impl TestApp {
    /// Spawns the app with demo data loaded.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(true).await
    }

    /// Spawns the app on the small seed (`seed.rs`) instead of the demo: what most tests need.
    pub async fn spawn_small() -> (TestApp, seed::Seed) {
        let app = Self::spawn_with(false).await;
        let s = seed::load(&app.db).await;
        (app, s)
    }

    pub async fn spawn_with(demo: bool) -> TestApp {
        Self::spawn_configured(WebConfig { demo, ..Default::default() }).await
    }

    /// Spawns the app with these web settings (the demo is loaded when `cfg.demo`).
    pub async fn spawn_configured(cfg: WebConfig) -> TestApp {
        Self::spawn_with_routes(cfg, Vec::new()).await
    }

    /// Spawns the app with extra routes beside the modules' (for tests that need a handler
    /// the application does not have, such as one that panics).
    pub async fn spawn_with_routes(cfg: WebConfig, extra: Vec<tabane_web::RouteDef>) -> TestApp {
        Self::spawn_app(cfg, tabane_web::ModuleSettings::default(), tabane::modules(), extra).await
    }

    /// Spawns the app with these modules' settings (as their `[module]` sections would give).
    pub async fn spawn_with_settings(cfg: WebConfig, settings: tabane_web::ModuleSettings) -> TestApp {
        Self::spawn_app(cfg, settings, tabane::modules(), Vec::new()).await
    }

    /// Spawns the app (on the demo when `demo`, else on an empty database: load the small seed
    /// with `seed::load`) keeping new files' bytes in `storage`.
    pub async fn spawn_storing(demo: bool, storage: Storage) -> TestApp {
        let cfg = WebConfig { demo, ..Default::default() };
        Self::spawn_full(cfg, tabane_web::ModuleSettings::default(), tabane::modules(), Vec::new(), storage).await
    }

    /// Spawns an app of these modules, with extra routes beside theirs. The database holds the
    /// application's migrations (a test module applies its own after).
    pub async fn spawn_app(
        cfg: WebConfig,
        settings: tabane_web::ModuleSettings,
        modules: Vec<tabane_web::Module>,
        extra: Vec<tabane_web::RouteDef>,
    ) -> TestApp {
        Self::spawn_full(cfg, settings, modules, extra, Storage::Disk).await
    }

    async fn spawn_full(
        cfg: WebConfig,
        settings: tabane_web::ModuleSettings,
        modules: Vec<tabane_web::Module>,
        extra: Vec<tabane_web::RouteDef>,
        storage: Storage,
    ) -> TestApp {
        let demo = cfg.demo;
        // TABANE_TEST_DEMO_PER_TEST=1 loads the demo in every test instead (to measure the
        // template's effect on the suite's time, or to rule it out).
        let per_test = std::env::var_os("TABANE_TEST_DEMO_PER_TEST").is_some();
        let tdb = if demo && !per_test { TestDb::with_demo().await } else { TestDb::new().await };
        let db = tdb.connect().await;
        // A fixed test keyring, checked like the server does, so module tests can encrypt.
        let ring = Arc::new(tabane_core::crypto::Keyring::for_tests());
        tabane_core::crypto::verify_or_init(&db, &ring).await.unwrap();
        tabane_core::crypto::install(ring);
        // With `demo`, the database and `files` are a copy of the demo template already.
        let files = FileStore { storage, root: tdb.dir.join("files"), max_bytes: 2_000_000 };
        if demo && per_test {
            tabane::load_demo(&db, &files).await.unwrap();
        }
        let web = cfg.clone();
        let state =
            Arc::new(AppState { db: db.clone(), files: files.clone(), cfg, caches: Default::default(), settings });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = tabane_web::app_with_routes(state, &modules, extra);
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        TestApp { addr, db, tdb, files, web }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Another app server on the same database with caches of its own, as two servers behind
    /// a load balancer would be.
    pub async fn second_server(&self) -> SocketAddr {
        let state = Arc::new(AppState {
            db: self.tdb.connect().await,
            files: FileStore::disk(self.tdb.dir.join("files"), 2_000_000),
            cfg: WebConfig { demo: true, ..Default::default() },
            caches: Default::default(),
            settings: Default::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = tabane_web::app(state, &tabane::modules());
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        addr
    }

    /// Another app server on the same database as a second machine behind a load balancer would
    /// run it: a data directory of its own (`<dir>/<name>`), caches of its own, and the app's
    /// file storage backend.
    pub async fn another_server(&self, name: &str) -> SocketAddr {
        let dir = self.tdb.dir.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let state = Arc::new(AppState {
            db: self.tdb.connect().await,
            files: FileStore { root: dir.join("files"), ..self.files.clone() },
            cfg: self.web.clone(),
            caches: Default::default(),
            settings: Default::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = tabane_web::app(state, &tabane::modules());
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        addr
    }

    pub fn anon(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    /// Logs in through the API and returns a client holding the session cookie.
    pub async fn login(&self, login: &str) -> User {
        self.login_with(login, tabane_core::demo::DEMO_PASSWORD).await
    }

    pub async fn login_with(&self, login: &str, password: &str) -> User {
        let client = self.anon();
        let r = client
            .post(self.url("/api/session"))
            .json(&json!({ "login": login, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {login}: {}", r.text().await.unwrap());
        let v: Value = r.json().await.unwrap();
        User { client, csrf: v["csrf_token"].as_str().unwrap().to_string(), base: format!("http://{}", self.addr) }
    }

    /// A client of another system holding a service account's API token: every request
    /// carries `Authorization: Bearer`, no cookie and no CSRF token.
    pub fn with_token(&self, token: &str) -> User {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
        let client =
            Client::builder().default_headers(headers).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        User { client, csrf: String::new(), base: format!("http://{}", self.addr) }
    }

    /// Id of an organisation by name (through the database, for setting up tests).
    pub async fn org_id(&self, name: &str) -> i64 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use tabane_core::entities::organisation;
        organisation::Entity::find()
            .filter(organisation::Column::Name.eq(name))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no org {name}"))
            .id
    }
}

impl User {
    /// The same signed-in user, talking to another server (sessions live in the database).
    pub fn on(&self, addr: SocketAddr) -> User {
        User { client: self.client.clone(), csrf: self.csrf.clone(), base: format!("http://{addr}") }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }
    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let r = self.get(path).await;
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }
    pub async fn send_json(&self, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let r =
            self.client.request(m, self.url(path)).header("x-csrf-token", &self.csrf).json(&body).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }
    /// Posts an HTML form with the CSRF field, as a browser would.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut f: Vec<(&str, &str)> = fields.to_vec();
        f.push(("_csrf", &self.csrf));
        self.client.post(self.url(path)).form(&f).send().await.unwrap()
    }
    /// A successful form step answers 303 (Post/Redirect/Get): follows it as a browser would
    /// and answers the page it leads to (which shows the step's message once).
    pub async fn follow(&self, r: Response) -> Response {
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "a successful step redirects: {}", r.url());
        let to = r.headers()["location"].to_str().unwrap().to_string();
        self.get(&to).await
    }
    /// Posts a multipart form with one file (CSRF in the query, as the pages do).
    pub async fn post_file(&self, path: &str, file_name: &str, bytes: Vec<u8>, extra: &[(&str, &str)]) -> Response {
        let mut form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
        for (k, v) in extra {
            form = form.text(k.to_string(), v.to_string());
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        self.client.post(self.url(&format!("{path}{sep}_csrf={}", self.csrf))).multipart(form).send().await.unwrap()
    }
}
