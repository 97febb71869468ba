//! Tabane platform core: organisations, bundles, users and roles, sessions, audit log, files,
//! the authorization policy, storage (SeaORM entities and migrations) and demo data.
//!
//! Modules (infra, housing, …) build on this crate: they call its services and take a
//! [`Ctx`] first in every function that touches tenant data.

pub mod bulk;
pub mod context;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod domain;
pub mod entities;
pub mod error;
pub mod lgcode;
pub mod migration;
pub mod policy;
pub mod service;

pub use context::Ctx;
pub use error::{Error, Result};
