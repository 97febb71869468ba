//! 官民連携 (public–private partnership, seed 003, spec `partnership.md`): a municipality's platform
//! bundle with its one-stop window, receptions routed to departments with a turnaround target
//! and an overdue list, similar earlier receptions, local resources with 公開区分 and freshness,
//! local issues and matching, projects (協定) with the KPI gate, risk table, change control and
//! evaluations (SROI), the KGI・KSI・KPI dashboard, and a public portal (issues, resources,
//! open-data CSV, a rate-limited proposal form). The seed is machine-written and unverified: its
//! targets are settings and its 「現状」 figures are shown only as 参考値（出典未確認）. The pure rules
//! are `tabane-partnership-rules`.

pub mod demo;
pub mod domain;
pub mod entities;
pub mod migration;
mod participation;
pub mod service;
pub mod web;

pub use migration::migrations;
pub use web::routes;

/// The module as the platform registers it.
pub fn module() -> tabane_web::Module {
    use tabane_web::module::{Module, NavItem};
    Module {
        key: "partnership",
        nav: NavItem { href: "/partnership", ja: "官民連携", en: "Partnerships" },
        participates: Some(participation::takes_part),
        routes,
        migrations,
        encrypted_columns: service::encrypted_columns,
        demo: Some(|db, _files| Box::pin(demo::load(db))),
        demo_users: demo::DEMO_USERS,
        settings: None,
        cli: None,
        agenda: Some(|db, ctx, bundle, day| Box::pin(service::platforms::agenda(db, ctx, bundle, day))),
    }
}
