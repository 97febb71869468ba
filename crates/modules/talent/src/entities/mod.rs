//! Talent entities, one per table of `talent_0001_talent` and `talent_0002_recruitment_companies`.

pub mod advisor_visit;
pub mod application;
pub mod application_stage;
pub mod assignment;
pub mod check;
pub mod company;
pub mod experience;
pub mod framework;
pub mod grant_line;
pub mod grant_rule;
pub mod grant_sheet;
pub mod need;
pub mod person;
pub mod pool;
pub mod position;
pub mod qualification;
pub mod status_record;
pub mod status_survey;
pub mod visit;
