//! SeaORM entities: one file per table, no backend-specific types.
pub mod audit_entry;
pub mod bundle;
pub mod bundle_member;
pub mod login_attempt;
pub mod membership;
pub mod organisation;
pub mod session;
pub mod stored_file;
pub mod survey;
pub mod survey_answer;
pub mod survey_followup;
pub mod survey_question;
pub mod survey_recipient;
pub mod user;
