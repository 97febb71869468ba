//! デジタル人材 (the prefectural digital-talent pool, seed 001, spec `talent.md`): the 推進体制 bundle
//! (the prefecture as 事務局, every municipality as 構成団体, cooperating companies as 受注者), the
//! pool with sealed personal fields and the national list's import, experience and exams, the
//! 自治体DXアクセラレータ check and recommendation, municipal needs (lead-only) matched to talent with
//! reasons, weekly assignments that skip holidays and refuse clashes, visits confirmed by the
//! municipality, advisor sessions with their yearly quotas, the 状況把握 and 推進体制 checklist, and
//! the 特別交付税 sheets computed from a rules table. The pure rules are `tabane-talent-rules`.

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
        key: "talent",
        nav: NavItem { href: "/talent", ja: "デジタル人材", en: "Digital talent" },
        participates: Some(participation::takes_part),
        routes,
        migrations,
        encrypted_columns: service::persons::columns,
        demo: Some(|db, files| Box::pin(demo::load(db, files))),
        demo_users: demo::DEMO_USERS,
        settings: None,
        cli: None,
        agenda: None,
    }
}
