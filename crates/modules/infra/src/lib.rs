//! 群マネ (bundled infrastructure maintenance): the asset registry across owners and sectors,
//! work orders shared between several owners and one contractor through a bundle, the
//! per-owner ledger, and the map. Vertical slice: domain rules, storage, services and web
//! handlers live here; the platform core provides organisations, bundles, files and audit.

pub mod analytics;
mod cli;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod migration;
mod migration_contract_parts;
mod migration_contracts;
mod migration_indexes;
mod migration_inspections;
mod migration_map_index;
mod migration_mieruka;
mod migration_patrols;
mod migration_split;
pub mod open311;
pub mod service;
pub mod settings;
pub mod web;

use sea_orm_migration::MigrationTrait;

/// This module's migrations, run after the platform's.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(migration::Migration),
        Box::new(migration_patrols::Migration),
        Box::new(migration_contracts::Migration),
        Box::new(migration_split::Migration),
        Box::new(migration_contract_parts::Migration),
        Box::new(migration_inspections::Migration),
        Box::new(migration_indexes::Migration),
        Box::new(migration_mieruka::Migration),
        Box::new(migration_map_index::Migration),
    ]
}

pub use web::routes;

/// The module as the platform registers it.
pub fn module() -> tabane_web::Module {
    use tabane_web::module::{Module, NavItem, SettingsSection};
    Module {
        key: "infra",
        nav: NavItem { href: "/infra", ja: "群マネ（インフラ）", en: "Infrastructure", ready: true },
        routes,
        migrations,
        encrypted_columns: Vec::new,
        demo: Some(|db, files| Box::pin(async move { demo::load(db, files).await.map(|_| ()) })),
        demo_users: &[],
        settings: Some(SettingsSection { parse: settings::parse, default_toml: settings::default_toml }),
        cli: Some(cli::cli()),
    }
}
