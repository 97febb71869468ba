//! 協議会・研究部会 (a cross-prefecture committee and its contracted support, seed 000): the
//! committee with its members and yearly terms, each term's contract with the contractor, its
//! meetings on the platform meeting component (dates fixed by the client, documents due from
//! them), the member survey on the platform survey, hearings with sealed personal fields, the
//! case library (近県モデル) with its consent gate, the weekly liaison log and the term dashboard.
//! Vertical slice like `tabane-infra` and `tabane-housing`.

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
        key: "council",
        nav: NavItem { href: "/council", ja: "協議会・研究部会", en: "Councils" },
        participates: Some(participation::takes_part),
        routes,
        migrations,
        encrypted_columns: service::hearings::columns,
        demo: Some(|db, _files| Box::pin(demo::load(db))),
        demo_users: demo::DEMO_USERS,
        settings: None,
        cli: None,
        agenda: None,
    }
}
