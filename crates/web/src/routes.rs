//! The route table: every route of the application is declared here once, with its access
//! class. The router, the OpenAPI document and the isolation-matrix test are all built from
//! this table, so a route cannot exist without an access class, and a tenant route cannot be
//! added without the matrix test noticing (see `tests/isolation.rs`).

use crate::state::Shared;
use crate::{api, assets, middleware as mw, pages};
use axum::Router;
use axum::routing::{MethodRouter, delete, get, post, put};

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

pub struct RouteDef {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// Shown in the OpenAPI document (JSON routes) and used by the matrix test.
    pub summary: &'static str,
    pub tag: &'static str,
    pub handler: MethodRouter<Shared>,
}

impl RouteDef {
    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }
}

macro_rules! r {
    ($m:ident, $path:literal, $access:ident, $tag:literal, $summary:literal, $h:expr) => {
        RouteDef { method: stringify!($m), path: $path, access: Access::$access, summary: $summary, tag: $tag, handler: $m($h) }
    };
}

/// The platform's routes. Modules contribute their own tables in later issues.
pub fn platform_routes() -> Vec<RouteDef> {
    vec![
        // Public
        r!(get, "/healthz", Public, "system", "死活監視", pages::health),
        r!(get, "/assets/{*path}", Public, "system", "静的ファイル", assets::serve),
        r!(get, "/login", Public, "session", "ログイン画面", pages::session::login_page),
        r!(post, "/login", Public, "session", "ログイン", pages::session::login_submit),
        r!(get, "/lang/{code}", Public, "session", "表示言語の切替", pages::session::set_lang),
        r!(get, "/api/openapi.json", Public, "system", "OpenAPI 文書", api::openapi::document),
        r!(post, "/api/session", Public, "session", "ログイン（API）: Cookie を発行し CSRF トークンを返す", api::session::login),
        // Signed in: the user's own session
        r!(post, "/logout", SignedIn, "session", "ログアウト", pages::session::logout),
        r!(get, "/", SignedIn, "dashboard", "ダッシュボード", pages::dashboard::show),
        r!(post, "/switch", SignedIn, "session", "組織・束の切替", pages::session::switch),
        r!(get, "/api/me", SignedIn, "session", "自分のセッション情報（所属・束・CSRFトークン）", api::session::me),
        r!(delete, "/api/session", SignedIn, "session", "ログアウト（API）", api::session::logout),
        r!(get, "/calendar", SignedIn, "calendar", "和暦・営業日の計算", pages::calendar::show),
        r!(get, "/api/calendar/convert", SignedIn, "calendar", "和暦⇔西暦・年度・祝日・営業日の計算", api::calendar::convert),
        // Organisations
        r!(get, "/orgs", Tenant, "organisations", "組織一覧", pages::orgs::list),
        r!(get, "/orgs/new", Tenant, "organisations", "組織の登録画面", pages::orgs::new_form),
        r!(post, "/orgs", Tenant, "organisations", "組織の登録", pages::orgs::create),
        r!(get, "/orgs/export", Tenant, "organisations", "組織一覧の書き出し", pages::orgs::export),
        r!(get, "/orgs/import", SystemAdmin, "organisations", "組織一覧の取り込み画面", pages::orgs::import_form),
        r!(post, "/orgs/import", SystemAdmin, "organisations", "組織一覧の取り込み", pages::orgs::import_submit),
        r!(get, "/orgs/{id}", Tenant, "organisations", "組織の詳細", pages::orgs::show),
        r!(get, "/orgs/{id}/edit", Tenant, "organisations", "組織の編集画面", pages::orgs::edit_form),
        r!(post, "/orgs/{id}", Tenant, "organisations", "組織の更新", pages::orgs::update),
        r!(get, "/api/orgs", Tenant, "organisations", "組織一覧（検索・ページ送り）", api::orgs::list),
        r!(post, "/api/orgs", Tenant, "organisations", "組織の登録", api::orgs::create),
        r!(post, "/api/orgs/import", SystemAdmin, "organisations", "組織一覧の取り込み（CSV/xlsx、全行検査後に一括登録）", api::orgs::import),
        r!(get, "/api/orgs/{id}", Tenant, "organisations", "組織の詳細", api::orgs::get),
        r!(put, "/api/orgs/{id}", Tenant, "organisations", "組織の更新", api::orgs::update),
        // Bundles
        r!(get, "/bundles", Tenant, "bundles", "束の一覧", pages::bundles::list),
        r!(get, "/bundles/new", Tenant, "bundles", "束の作成画面", pages::bundles::new_form),
        r!(post, "/bundles", Tenant, "bundles", "束の作成", pages::bundles::create),
        r!(get, "/bundles/{id}", Tenant, "bundles", "束の詳細", pages::bundles::show),
        r!(post, "/bundles/{id}", Tenant, "bundles", "束の更新", pages::bundles::update),
        r!(post, "/bundles/{id}/members", Tenant, "bundles", "構成団体の追加・役割変更", pages::bundles::set_member),
        r!(post, "/bundles/{id}/members/{org_id}/remove", Tenant, "bundles", "構成団体の削除", pages::bundles::remove_member),
        r!(post, "/bundles/{id}/agreement", Tenant, "bundles", "協定書の登録", pages::bundles::upload_agreement),
        r!(get, "/api/bundles", Tenant, "bundles", "束の一覧", api::bundles::list),
        r!(post, "/api/bundles", Tenant, "bundles", "束の作成", api::bundles::create),
        r!(get, "/api/bundles/{id}", Tenant, "bundles", "束の詳細（構成団体を含む）", api::bundles::get),
        r!(put, "/api/bundles/{id}", Tenant, "bundles", "束の更新", api::bundles::update),
        r!(put, "/api/bundles/{id}/members/{org_id}", Tenant, "bundles", "構成団体の追加・役割変更", api::bundles::set_member),
        r!(delete, "/api/bundles/{id}/members/{org_id}", Tenant, "bundles", "構成団体の削除", api::bundles::remove_member),
        // Surveys (アンケート)
        r!(get, "/surveys", Tenant, "surveys", "アンケート一覧", pages::surveys::list),
        r!(post, "/surveys", Tenant, "surveys", "アンケートの作成", pages::surveys::create),
        r!(get, "/surveys/{id}", Tenant, "surveys", "アンケートの詳細（設問・回答対象）", pages::surveys::show),
        r!(post, "/surveys/{id}/questions", Tenant, "surveys", "設問の追加", pages::surveys::add_question),
        r!(post, "/surveys/{id}/recipients", Tenant, "surveys", "回答対象の追加", pages::surveys::add_recipients),
        r!(post, "/surveys/{id}/publish", Tenant, "surveys", "アンケートの公開", pages::surveys::publish),
        r!(post, "/surveys/{id}/close", Tenant, "surveys", "アンケートの締切", pages::surveys::close),
        r!(get, "/surveys/{id}/responses/{rid}", Tenant, "surveys", "回答の入力画面（代理入力）", pages::surveys::response_form),
        r!(post, "/surveys/{id}/responses/{rid}", Tenant, "surveys", "回答の入力", pages::surveys::response_submit),
        r!(post, "/surveys/{id}/responses/{rid}/followups", Tenant, "surveys", "督促（架電・訪問等）の記録", pages::surveys::add_followup),
        r!(get, "/surveys/{id}/non-respondents", Tenant, "surveys", "未回答者一覧（督促リスト）", pages::surveys::non_respondents),
        r!(get, "/surveys/{id}/results", Tenant, "surveys", "集計結果", pages::surveys::results),
        r!(get, "/surveys/{id}/export", Tenant, "surveys", "回答の書き出し（CSV・CP932・xlsx）", pages::surveys::export),
        r!(get, "/api/surveys", Tenant, "surveys", "アンケート一覧", api::surveys::list),
        r!(post, "/api/surveys", Tenant, "surveys", "アンケートの作成", api::surveys::create),
        r!(get, "/api/surveys/{id}", Tenant, "surveys", "アンケートの詳細（設問・回答対象）", api::surveys::get),
        r!(post, "/api/surveys/{id}/questions", Tenant, "surveys", "設問の追加（公開前のみ）", api::surveys::add_question),
        r!(post, "/api/surveys/{id}/recipients", Tenant, "surveys", "回答対象の一括追加", api::surveys::add_recipients),
        r!(post, "/api/surveys/{id}/publish", Tenant, "surveys", "アンケートの公開（設問の確定）", api::surveys::publish),
        r!(post, "/api/surveys/{id}/close", Tenant, "surveys", "アンケートの締切", api::surveys::close),
        r!(get, "/api/surveys/{id}/responses", Tenant, "surveys", "全回答（回答対象ごと）", api::surveys::responses),
        r!(get, "/api/surveys/{id}/responses/{rid}", Tenant, "surveys", "回答対象の回答と督促記録", api::surveys::response),
        r!(put, "/api/surveys/{id}/responses/{rid}", Tenant, "surveys", "回答の入力（再入力は置換）", api::surveys::record_response),
        r!(post, "/api/surveys/{id}/responses/{rid}/followups", Tenant, "surveys", "督促（架電・訪問等）の記録", api::surveys::record_followup),
        r!(get, "/api/surveys/{id}/non-respondents", Tenant, "surveys", "未回答者一覧（最終督促つき）", api::surveys::non_respondents),
        r!(get, "/api/surveys/{id}/results", Tenant, "surveys", "集計結果（選択肢・順位・第1希望の重複・数値）", api::surveys::results),
        // Files
        r!(get, "/files/{id}", Tenant, "files", "ファイルのダウンロード", pages::files::download),
        r!(post, "/api/files", Tenant, "files", "ファイルのアップロード（multipart: file, bundle_id）", api::files::upload),
        r!(get, "/api/files/{id}", Tenant, "files", "ファイルの情報", api::files::meta),
        // Users
        r!(get, "/users", Tenant, "users", "利用者一覧", pages::users::list),
        r!(post, "/users", Tenant, "users", "利用者の登録", pages::users::create),
        r!(post, "/users/{id}/role", Tenant, "users", "権限の変更", pages::users::set_role),
        r!(get, "/api/users", Tenant, "users", "利用者一覧", api::users::list),
        r!(post, "/api/users", Tenant, "users", "利用者の登録", api::users::create),
        r!(put, "/api/users/{id}/role", Tenant, "users", "権限の付与・変更（role が空なら削除）", api::users::set_role),
        // 提出物 (deliverables)
        r!(get, "/deliverables", Tenant, "deliverables", "提出物の一覧（期限超過を含む）", pages::deliverables::list),
        r!(post, "/deliverables", Tenant, "deliverables", "提出物の登録", pages::deliverables::create),
        r!(get, "/deliverables/{id}", Tenant, "deliverables", "提出物の詳細（提出回・版・判断）", pages::deliverables::show),
        r!(post, "/deliverables/{id}/anchor", Tenant, "deliverables", "起算日の設定（期限を再計算）", pages::deliverables::set_anchor),
        r!(post, "/deliverables/{id}/submit", Tenant, "deliverables", "提出（新しい版）", pages::deliverables::submit),
        r!(post, "/deliverables/{id}/reopen", Tenant, "deliverables", "承諾後の変更のための再開", pages::deliverables::reopen),
        r!(post, "/deliverables/submissions/{id}/decide", Tenant, "deliverables", "承諾・差戻し・受理", pages::deliverables::decide),
        r!(get, "/api/deliverables", Tenant, "deliverables", "提出物の一覧", api::deliverables::list),
        r!(post, "/api/deliverables", Tenant, "deliverables", "提出物の登録", api::deliverables::create),
        r!(get, "/api/deliverables/overdue", Tenant, "deliverables", "期限を過ぎた提出回", api::deliverables::overdue),
        r!(get, "/api/deliverables/{id}", Tenant, "deliverables", "提出物の詳細", api::deliverables::get),
        r!(put, "/api/deliverables/{id}/anchor", Tenant, "deliverables", "起算日の設定（期限を再計算）", api::deliverables::set_anchor),
        r!(post, "/api/deliverables/{id}/instances", Tenant, "deliverables", "提出回の作成（期間: 2027-04 など）", api::deliverables::ensure_instance),
        r!(post, "/api/deliverables/{id}/submit", Tenant, "deliverables", "提出（新しい版）", api::deliverables::submit),
        r!(post, "/api/deliverables/{id}/reopen", Tenant, "deliverables", "承諾後の変更のための再開", api::deliverables::reopen),
        r!(post, "/api/deliverables/submissions/{id}/decide", Tenant, "deliverables", "承諾・差戻し・受理", api::deliverables::decide),
        // Audit
        r!(get, "/audit", Tenant, "audit", "監査ログ", pages::audit::list),
        r!(get, "/audit/export", Tenant, "audit", "監査ログの書き出し", pages::audit::export),
        r!(get, "/api/audit", Tenant, "audit", "監査ログ", api::audit::list),
    ]
}

/// Builds the router from route tables. Each route gets its access check as a route layer.
pub fn build(routes: Vec<RouteDef>) -> Router<Shared> {
    // Methods of one path are merged first: the router takes each path once.
    let mut by_path: Vec<(&'static str, MethodRouter<Shared>)> = Vec::new();
    for def in routes {
        let access = def.access;
        let handler = def.handler.route_layer(axum::middleware::from_fn(move |req, next| mw::require_access(access, req, next)));
        match by_path.iter_mut().find(|(p, _)| *p == def.path) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(handler),
            None => by_path.push((def.path, handler)),
        }
    }
    by_path.into_iter().fold(Router::new(), |router, (path, handler)| router.route(path, handler))
}
