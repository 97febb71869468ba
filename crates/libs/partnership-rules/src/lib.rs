//! partnership rules (placeholder doc, written at the end)

pub mod error;
pub mod governance;
pub mod kpi;
pub mod kpi_counts;
pub mod kpi_eval;
#[cfg(test)]
mod kpi_tests;
pub mod matching;
pub mod quantity;
pub mod resource;
pub mod similarity;
pub mod sroi;
mod text;
pub mod turnaround;

pub use error::{Field, PartnershipRuleError};
