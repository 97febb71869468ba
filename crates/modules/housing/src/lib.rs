//! 団地建替・入居者移転支援 (estate rebuild under PFI and resident relocation): estate master
//! data with its consistency checks, relocation cases and their legs, forms, payments, the unit
//! lottery, deadlines and reports. Vertical slice like `tabane-infra`: domain rules, storage,
//! services and web handlers live here; the platform core provides organisations, bundles,
//! audit, files, field encryption, surveys and deliverables.

mod cli;
pub mod demo;
pub mod demo_cases;
mod demo_month;
pub mod demo_moves;
pub mod domain;
pub mod entities;
pub mod forms;
pub mod legs;
pub mod lottery;
pub mod master;
pub mod migration;
pub mod participation;
pub mod service;
pub mod web;

pub use migration::migrations;

pub use web::routes;

/// The module as the platform registers it.
pub fn module() -> tabane_web::Module {
    use tabane_web::module::{Module, NavItem};
    Module {
        key: "housing",
        nav: NavItem { href: "/housing", ja: "団地建替・移転", en: "Housing relocation" },
        participates: Some(participation::takes_part),
        routes,
        migrations,
        encrypted_columns: service::personal::all_columns,
        demo: Some(|db, _files| Box::pin(demo::load(db))),
        demo_users: demo::DEMO_USERS,
        settings: None,
        cli: Some(cli::cli()),
        agenda: None,
    }
}
