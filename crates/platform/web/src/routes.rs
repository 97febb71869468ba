//! The route table: every route of the application is declared here once, with its access
//! class. The router, the OpenAPI document and the isolation-matrix test are all built from
//! this table, so a route cannot exist without an access class, and a tenant route cannot be
//! added without the matrix test noticing (see `tests/isolation.rs`).

use crate::api::describe::Describe;
use crate::state::Shared;
use crate::{api, assets, middleware as mw, pages};
use axum::Router;
use axum::routing::MethodRouter;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No login: the login page, health check, assets, the OpenAPI document.
    Public,
    /// Signed in; only the user's own data or the public directory.
    SignedIn,
    /// Reads or writes tenant data: must be covered by the isolation matrix.
    Tenant,
    /// Platform operators only.
    SystemAdmin,
}

/// What a route answers: the middleware picks error format, CSRF and redirects by this, never by
/// the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// An HTML page (errors as pages, signed-out visitors sent to the login page).
    Page,
    /// JSON for the app's own clients (errors as JSON, CSRF token in a header).
    Api,
    /// An external protocol with its own keys and error format (e.g. Open311): no session CSRF.
    External,
}

impl RouteKind {
    /// Answered in a machine format rather than HTML.
    pub fn is_machine(self) -> bool {
        self != RouteKind::Page
    }
}

pub struct RouteDef {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub kind: RouteKind,
    /// Shown in the OpenAPI document (JSON routes) and used by the matrix test.
    pub summary: &'static str,
    pub tag: &'static str,
    /// The area an API token's scope must name to call this route: `platform` for the
    /// platform's routes, the module's key for a module's (set by `all_routes`).
    pub area: &'static str,
    pub handler: MethodRouter<Shared>,
    /// How the handler's inputs and answers appear in the OpenAPI document, read from its
    /// signature (`api_route!`). Every `Api` route has one (a test checks it).
    pub describe: Option<Describe>,
}

impl RouteDef {
    /// A route; its kind is `Api` under `/api/`, otherwise `Page` (see `external`).
    pub fn new(
        method: &'static str,
        path: &'static str,
        access: Access,
        tag: &'static str,
        summary: &'static str,
        handler: MethodRouter<Shared>,
    ) -> Self {
        let kind = if path.starts_with("/api/") { RouteKind::Api } else { RouteKind::Page };
        RouteDef { method, path, access, kind, summary, tag, area: "platform", handler, describe: None }
    }

    /// Documents the route from its handler's signature (see `api_route!`).
    pub fn described(self, describe: Describe) -> Self {
        RouteDef { describe: Some(describe), ..self }
    }

    /// Marks the route as an external protocol (its own keys and error format).
    pub fn external(self) -> Self {
        RouteDef { kind: RouteKind::External, ..self }
    }

    pub fn is_api(&self) -> bool {
        self.kind == RouteKind::Api
    }
}

/// Hidden re-export for `route!`, so modules need no routing imports of their own.
#[doc(hidden)]
pub use axum::routing as __routing;

/// The one route builder: `route!(get, "/things", Tenant, "things", "一覧", pages::list)`:
/// method, path, access class, tag (the module's key), summary, handler.
#[macro_export]
macro_rules! route {
    ($m:ident, $path:literal, $access:ident, $tag:expr, $summary:literal, $h:expr) => {
        $crate::routes::RouteDef::new(
            stringify!($m),
            $path,
            $crate::routes::Access::$access,
            $tag,
            $summary,
            $crate::routes::__routing::$m($h),
        )
    };
}

/// A JSON route (`/api/…`): as `route!`, and its handler's parameters, body and answers are
/// described in the OpenAPI document from the handler's own signature, so the handler must take
/// only extractors and answer only types that can describe themselves (`api::describe`).
#[macro_export]
macro_rules! api_route {
    ($m:ident, $path:literal, $access:ident, $tag:expr, $summary:literal, $h:expr) => {
        $crate::route!($m, $path, $access, $tag, $summary, $h).described($crate::api::describe::describe(&$h))
    };
}

/// The platform's routes. Modules contribute their own tables in later issues.
pub fn platform_routes() -> Vec<RouteDef> {
    vec![
        // Public
        route!(get, "/healthz", Public, "system", "死活監視", pages::health),
        route!(get, "/assets/{*path}", Public, "system", "静的ファイル", assets::serve),
        route!(get, "/login", Public, "session", "ログイン画面", pages::session::login_page),
        route!(post, "/login", Public, "session", "ログイン", pages::session::login_submit),
        route!(get, "/lang/{code}", Public, "session", "表示言語の切替", pages::session::set_lang),
        api_route!(get, "/api/openapi.json", Public, "system", "OpenAPI 文書", api::openapi::document),
        api_route!(
            post,
            "/api/session",
            Public,
            "session",
            "ログイン（API）: Cookie を発行し CSRF トークンを返す",
            api::session::login
        ),
        // Signed in: the user's own session
        route!(post, "/logout", SignedIn, "session", "ログアウト", pages::session::logout),
        route!(get, "/", SignedIn, "dashboard", "ダッシュボード", pages::dashboard::show),
        route!(post, "/switch", SignedIn, "session", "組織・束の切替", pages::session::switch),
        api_route!(
            get,
            "/api/me",
            SignedIn,
            "session",
            "自分のセッション情報（所属・束・CSRFトークン）",
            api::session::me
        ),
        api_route!(delete, "/api/session", SignedIn, "session", "ログアウト（API）", api::session::logout),
        route!(get, "/calendar", SignedIn, "calendar", "和暦・営業日の計算", pages::calendar::show),
        api_route!(
            get,
            "/api/calendar/convert",
            SignedIn,
            "calendar",
            "和暦⇔西暦・年度・祝日・営業日の計算",
            api::calendar::convert
        ),
        // Organisations
        route!(get, "/orgs", Tenant, "organisations", "組織一覧", pages::orgs::list),
        route!(get, "/orgs/new", Tenant, "organisations", "組織の登録画面", pages::orgs::new_form),
        route!(post, "/orgs", Tenant, "organisations", "組織の登録", pages::orgs::create),
        route!(get, "/orgs/export", Tenant, "organisations", "組織一覧の書き出し", pages::orgs::export),
        route!(get, "/orgs/import", SystemAdmin, "organisations", "組織一覧の取り込み画面", pages::orgs::import_form),
        route!(post, "/orgs/import", SystemAdmin, "organisations", "組織一覧の取り込み", pages::orgs::import_submit),
        route!(get, "/orgs/{id}", Tenant, "organisations", "組織の詳細", pages::orgs::show),
        route!(get, "/orgs/{id}/edit", Tenant, "organisations", "組織の編集画面", pages::orgs::edit_form),
        route!(post, "/orgs/{id}", Tenant, "organisations", "組織の更新", pages::orgs::update),
        api_route!(get, "/api/orgs", Tenant, "organisations", "組織一覧（検索・ページ送り）", api::orgs::list),
        api_route!(post, "/api/orgs", Tenant, "organisations", "組織の登録", api::orgs::create),
        api_route!(
            post,
            "/api/orgs/import",
            SystemAdmin,
            "organisations",
            "組織一覧の取り込み（CSV/xlsx、全行検査後に一括登録）",
            api::orgs::import
        ),
        api_route!(get, "/api/orgs/{id}", Tenant, "organisations", "組織の詳細", api::orgs::get),
        api_route!(put, "/api/orgs/{id}", Tenant, "organisations", "組織の更新", api::orgs::update),
        // Bundles
        route!(get, "/bundles", Tenant, "bundles", "束の一覧", pages::bundles::list),
        route!(get, "/bundles/new", Tenant, "bundles", "束の作成画面", pages::bundles::new_form),
        route!(post, "/bundles", Tenant, "bundles", "束の作成", pages::bundles::create),
        route!(get, "/bundles/{id}", Tenant, "bundles", "束の詳細", pages::bundles::show),
        route!(post, "/bundles/{id}", Tenant, "bundles", "束の更新", pages::bundles::update),
        route!(
            post,
            "/bundles/{id}/members",
            Tenant,
            "bundles",
            "構成団体の追加・役割変更",
            pages::bundles::set_member
        ),
        route!(
            post,
            "/bundles/{id}/members/{org_id}/remove",
            Tenant,
            "bundles",
            "構成団体の削除",
            pages::bundles::remove_member
        ),
        route!(post, "/bundles/{id}/agreement", Tenant, "bundles", "協定書の登録", pages::bundles::upload_agreement),
        api_route!(get, "/api/bundles", Tenant, "bundles", "束の一覧", api::bundles::list),
        api_route!(post, "/api/bundles", Tenant, "bundles", "束の作成", api::bundles::create),
        api_route!(get, "/api/bundles/{id}", Tenant, "bundles", "束の詳細（構成団体を含む）", api::bundles::get),
        api_route!(put, "/api/bundles/{id}", Tenant, "bundles", "束の更新", api::bundles::update),
        api_route!(
            put,
            "/api/bundles/{id}/members/{org_id}",
            Tenant,
            "bundles",
            "構成団体の追加・役割変更",
            api::bundles::set_member
        ),
        api_route!(
            delete,
            "/api/bundles/{id}/members/{org_id}",
            Tenant,
            "bundles",
            "構成団体の削除",
            api::bundles::remove_member
        ),
        // Surveys (アンケート)
        route!(get, "/surveys", Tenant, "surveys", "アンケート一覧", pages::surveys::list),
        route!(post, "/surveys", Tenant, "surveys", "アンケートの作成", pages::surveys::create),
        route!(get, "/surveys/{id}", Tenant, "surveys", "アンケートの詳細（設問・回答対象）", pages::surveys::show),
        route!(post, "/surveys/{id}/questions", Tenant, "surveys", "設問の追加", pages::surveys::add_question),
        route!(post, "/surveys/{id}/recipients", Tenant, "surveys", "回答対象の追加", pages::surveys::add_recipients),
        route!(post, "/surveys/{id}/publish", Tenant, "surveys", "アンケートの公開", pages::surveys::publish),
        route!(post, "/surveys/{id}/close", Tenant, "surveys", "アンケートの締切", pages::surveys::close),
        route!(post, "/surveys/{id}/proxies", Tenant, "surveys", "代理入力の団体の指定", pages::surveys::set_proxies),
        api_route!(
            put,
            "/api/surveys/{id}/proxies",
            Tenant,
            "surveys",
            "代理入力の団体（org_ids）",
            api::surveys::set_proxies
        ),
        route!(
            get,
            "/surveys/{id}/responses/{rid}",
            Tenant,
            "surveys",
            "回答の入力画面（代理入力）",
            pages::surveys::response_form
        ),
        route!(post, "/surveys/{id}/responses/{rid}", Tenant, "surveys", "回答の入力", pages::surveys::response_submit),
        route!(
            post,
            "/surveys/{id}/responses/{rid}/followups",
            Tenant,
            "surveys",
            "督促（架電・訪問等）の記録",
            pages::surveys::add_followup
        ),
        route!(
            get,
            "/surveys/{id}/non-respondents",
            Tenant,
            "surveys",
            "未回答者一覧（督促リスト）",
            pages::surveys::non_respondents
        ),
        route!(get, "/surveys/{id}/results", Tenant, "surveys", "集計結果", pages::surveys::results),
        route!(
            get,
            "/surveys/{id}/export",
            Tenant,
            "surveys",
            "回答の書き出し（CSV・CP932・xlsx）",
            pages::surveys::export
        ),
        api_route!(get, "/api/surveys", Tenant, "surveys", "アンケート一覧", api::surveys::list),
        api_route!(post, "/api/surveys", Tenant, "surveys", "アンケートの作成", api::surveys::create),
        api_route!(
            get,
            "/api/surveys/{id}",
            Tenant,
            "surveys",
            "アンケートの詳細（設問・回答対象）",
            api::surveys::get
        ),
        api_route!(
            post,
            "/api/surveys/{id}/questions",
            Tenant,
            "surveys",
            "設問の追加（公開前のみ）",
            api::surveys::add_question
        ),
        api_route!(
            post,
            "/api/surveys/{id}/recipients",
            Tenant,
            "surveys",
            "回答対象の一括追加",
            api::surveys::add_recipients
        ),
        api_route!(
            post,
            "/api/surveys/{id}/publish",
            Tenant,
            "surveys",
            "アンケートの公開（設問の確定）",
            api::surveys::publish
        ),
        api_route!(post, "/api/surveys/{id}/close", Tenant, "surveys", "アンケートの締切", api::surveys::close),
        api_route!(
            get,
            "/api/surveys/{id}/responses",
            Tenant,
            "surveys",
            "全回答（回答対象ごと）",
            api::surveys::responses
        ),
        api_route!(
            get,
            "/api/surveys/{id}/responses/{rid}",
            Tenant,
            "surveys",
            "回答対象の回答と督促記録",
            api::surveys::response
        ),
        api_route!(
            put,
            "/api/surveys/{id}/responses/{rid}",
            Tenant,
            "surveys",
            "回答の入力（再入力は置換）",
            api::surveys::record_response
        ),
        api_route!(
            post,
            "/api/surveys/{id}/responses/{rid}/followups",
            Tenant,
            "surveys",
            "督促（架電・訪問等）の記録",
            api::surveys::record_followup
        ),
        api_route!(
            get,
            "/api/surveys/{id}/non-respondents",
            Tenant,
            "surveys",
            "未回答者一覧（最終督促つき）",
            api::surveys::non_respondents
        ),
        api_route!(
            get,
            "/api/surveys/{id}/results",
            Tenant,
            "surveys",
            "集計結果（選択肢・順位・第1希望の重複・数値）",
            api::surveys::results
        ),
        // Files
        route!(get, "/files/{id}", Tenant, "files", "ファイルのダウンロード", pages::files::download),
        api_route!(
            post,
            "/api/files",
            Tenant,
            "files",
            "ファイルのアップロード（multipart: file, bundle_id）",
            api::files::upload
        ),
        api_route!(get, "/api/files/{id}", Tenant, "files", "ファイルの情報", api::files::meta),
        // Users
        route!(get, "/users", Tenant, "users", "利用者一覧", pages::users::list),
        route!(post, "/users", Tenant, "users", "利用者の登録", pages::users::create),
        route!(post, "/users/{id}/role", Tenant, "users", "権限の変更", pages::users::set_role),
        api_route!(get, "/api/users", Tenant, "users", "利用者一覧", api::users::list),
        api_route!(post, "/api/users", Tenant, "users", "利用者の登録", api::users::create),
        api_route!(
            put,
            "/api/users/{id}/role",
            Tenant,
            "users",
            "権限の付与・変更（role が空なら削除）",
            api::users::set_role
        ),
        // 提出物 (deliverables)
        route!(
            get,
            "/deliverables",
            Tenant,
            "deliverables",
            "提出物の一覧（期限超過を含む）",
            pages::deliverables::list
        ),
        route!(post, "/deliverables", Tenant, "deliverables", "提出物の登録", pages::deliverables::create),
        route!(
            get,
            "/deliverables/{id}",
            Tenant,
            "deliverables",
            "提出物の詳細（提出回・版・判断）",
            pages::deliverables::show
        ),
        route!(
            post,
            "/deliverables/{id}/anchor",
            Tenant,
            "deliverables",
            "起算日の設定（期限を再計算）",
            pages::deliverables::set_anchor
        ),
        route!(
            post,
            "/deliverables/{id}/submit",
            Tenant,
            "deliverables",
            "提出（新しい版）",
            pages::deliverables::submit
        ),
        route!(
            post,
            "/deliverables/{id}/reopen",
            Tenant,
            "deliverables",
            "承諾後の変更のための再開",
            pages::deliverables::reopen
        ),
        route!(
            post,
            "/deliverables/{id}/withdraw",
            Tenant,
            "deliverables",
            "提出回の取消（理由を記録）",
            pages::deliverables::withdraw
        ),
        route!(
            post,
            "/deliverables/submissions/{id}/decide",
            Tenant,
            "deliverables",
            "承諾・差戻し・受理",
            pages::deliverables::decide
        ),
        api_route!(get, "/api/deliverables", Tenant, "deliverables", "提出物の一覧", api::deliverables::list),
        api_route!(post, "/api/deliverables", Tenant, "deliverables", "提出物の登録", api::deliverables::create),
        api_route!(
            get,
            "/api/deliverables/overdue",
            Tenant,
            "deliverables",
            "期限を過ぎた提出回",
            api::deliverables::overdue
        ),
        api_route!(get, "/api/deliverables/{id}", Tenant, "deliverables", "提出物の詳細", api::deliverables::get),
        api_route!(
            put,
            "/api/deliverables/{id}/anchor",
            Tenant,
            "deliverables",
            "起算日の設定（期限を再計算）",
            api::deliverables::set_anchor
        ),
        api_route!(
            post,
            "/api/deliverables/{id}/instances",
            Tenant,
            "deliverables",
            "提出回の作成（期間: 2027-04 など）",
            api::deliverables::ensure_instance
        ),
        api_route!(
            post,
            "/api/deliverables/{id}/submit",
            Tenant,
            "deliverables",
            "提出（新しい版）",
            api::deliverables::submit
        ),
        api_route!(
            post,
            "/api/deliverables/{id}/reopen",
            Tenant,
            "deliverables",
            "承諾後の変更のための再開",
            api::deliverables::reopen
        ),
        api_route!(
            post,
            "/api/deliverables/{id}/withdraw",
            Tenant,
            "deliverables",
            "提出回の取消（period, reason）",
            api::deliverables::withdraw
        ),
        api_route!(
            post,
            "/api/deliverables/submissions/{id}/decide",
            Tenant,
            "deliverables",
            "承諾・差戻し・受理",
            api::deliverables::decide
        ),
        // Audit
        route!(get, "/audit", Tenant, "audit", "監査ログ", pages::audit::list),
        route!(get, "/audit/export", Tenant, "audit", "監査ログの書き出し", pages::audit::export),
        api_route!(get, "/api/audit", Tenant, "audit", "監査ログ", api::audit::list),
    ]
    .into_iter()
    .chain(pages::meetings::routes())
    .chain(pages::service_accounts::routes())
    .collect()
}

/// Builds the router from route tables. Each route gets its access check as a route layer.
pub fn build(routes: Vec<RouteDef>) -> Router<Shared> {
    // Methods of one path are merged first: the router takes each path once.
    let mut by_path: Vec<(&'static str, MethodRouter<Shared>)> = Vec::new();
    for def in routes {
        let (access, kind, area) = (def.access, def.kind, def.area);
        let handler = def
            .handler
            .route_layer(axum::middleware::from_fn(move |req, next| mw::require_access(access, kind, area, req, next)));
        match by_path.iter_mut().find(|(p, _)| *p == def.path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(handler),
            None => by_path.push((def.path, handler)),
        }
    }
    by_path.into_iter().fold(Router::new(), |router, (path, handler)| router.route(path, handler))
}
