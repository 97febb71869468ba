//! talent module rules (都道府県のデジタル人材プール), pure functions — work in progress.

pub mod accelerator;
pub mod advisor;
pub mod dispatch;
pub mod error;
pub mod framework;
pub mod grant;
pub mod grant_rules;
pub mod matching;
mod text;

pub use error::{Field, TalentRuleError};
