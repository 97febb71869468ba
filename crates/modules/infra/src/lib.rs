//! 群マネ (bundled infrastructure maintenance): the asset registry across owners and sectors,
//! work orders shared between several owners and one contractor through a bundle, the
//! per-owner ledger, and the map. Vertical slice: domain rules, storage, services and web
//! handlers live here; the platform core provides organisations, bundles, files and audit.

pub mod agenda;
pub mod analytics;
mod cli;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod migration;
pub mod open311;
pub mod participation;
pub mod service;
pub mod settings;
pub mod web;

pub use migration::migrations;

pub use web::routes;

/// The module as the platform registers it.
pub fn module() -> tabane_web::Module {
    use tabane_web::module::{Module, NavItem, SettingsSection};
    Module {
        key: "infra",
        nav: NavItem { href: "/infra", ja: "群マネ（インフラ）", en: "Infrastructure" },
        participates: Some(participation::takes_part),
        routes,
        migrations,
        encrypted_columns: Vec::new,
        demo: Some(|db, files| Box::pin(async move { demo::load(db, files).await.map(|_| ()) })),
        demo_users: &[],
        settings: Some(SettingsSection { parse: settings::parse, default_toml: settings::default_toml }),
        cli: Some(cli::cli()),
        agenda: Some(agenda::items),
    }
}
