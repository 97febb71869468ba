//! Partnership entities, one per table of `partnership_0001_partnership`.

pub mod change;
pub mod contact;
pub mod evaluation;
pub mod issue;
pub mod kpi;
pub mod platform;
pub mod project;
pub mod registration;
pub mod resource;
pub mod risk;
pub mod route;
