//! Talent entities, one per table of `talent_0001_talent`.

pub mod advisor_visit;
pub mod assignment;
pub mod check;
pub mod experience;
pub mod framework;
pub mod grant_line;
pub mod grant_rule;
pub mod grant_sheet;
pub mod need;
pub mod person;
pub mod pool;
pub mod qualification;
pub mod status_record;
pub mod visit;
