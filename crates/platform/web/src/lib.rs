//! Tabane HTTP layer: one router built from the route table (`routes`), the request pipeline
//! (`middleware`), askama views (`views`, `templates/`), HTML handlers (`pages`) and JSON
//! handlers (`api`) that call the same core services, the OpenAPI document and embedded assets.

// Templates shared with module crates name this crate's items by path (`tabane_web::chart`),
// which must also resolve when the template is compiled here.
extern crate self as tabane_web;

pub mod api;
pub mod assets;
pub mod chart;
pub mod error;
pub mod export;
pub mod filters;
pub mod flash;
pub mod i18n;
pub mod middleware;
pub mod module;
pub mod navigation;
pub mod pages;
pub mod panics;
pub mod routes;
pub mod security;
pub mod state;
pub mod token_uses;
pub mod views;
pub mod wal;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use state::Shared;
use std::sync::Arc;

pub use module::{Module, ModuleSettings, NavItem};
pub use routes::{Access, RouteDef, RouteKind};
pub use state::{AppState, WebConfig};

/// Every route of an app: the platform's, then each module's.
pub fn all_routes(modules: &[Module]) -> Vec<RouteDef> {
    let mut all = routes::platform_routes();
    for m in modules {
        all.extend((m.routes)().into_iter().map(|r| RouteDef { area: m.key, ..r }));
    }
    all
}

/// The whole application: routes (platform plus modules) wrapped in the request pipeline.
pub fn app(state: Shared, modules: &[Module]) -> Router {
    app_with_routes(state, modules, Vec::new())
}

/// The application with extra routes beside the modules' (tests).
pub fn app_with_routes(state: Shared, modules: &[Module], extra: Vec<RouteDef>) -> Router {
    let mut all = all_routes(modules);
    all.extend(extra);
    let api_doc = Arc::new(api::openapi::build(&all));
    let kinds = middleware::RouteKinds(Arc::new(all.iter().map(|r| (r.path, r.kind)).collect()));
    let nav = module::Nav::of(modules);
    let demo_logins = module::DemoLogins::of(modules);
    let agenda = module::AgendaProviders::of(modules);
    let participation = module::Participation::of(modules);
    let areas = pages::service_accounts::Areas::of(modules);
    let body_limit = (state.files.max_bytes as usize).saturating_add(1024 * 1024);
    let headers = Arc::new(security::SecurityHeaders::new(&state.cfg));
    panics::install_hook();
    // Layers are listed innermost first: a request passes them bottom to top.
    routes::build(all)
        .layer(axum::middleware::from_fn(middleware::csrf))
        .layer(axum::middleware::from_fn(middleware::render_errors))
        .layer(axum::middleware::from_fn(flash::carry))
        .layer(axum::middleware::from_fn_with_state(state.clone(), navigation::navigation))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::session))
        .layer(axum::middleware::from_fn(middleware::language))
        .layer(axum::middleware::from_fn(panics::catch_panic))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .layer(axum::middleware::from_fn_with_state(headers, security::security_headers))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::Extension(api_doc))
        .layer(axum::Extension(kinds))
        .layer(axum::Extension(nav))
        .layer(axum::Extension(agenda))
        .layer(axum::Extension(participation))
        .layer(axum::Extension(areas))
        .layer(axum::Extension(demo_logins))
        .with_state(state)
}
