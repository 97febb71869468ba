//! SeaORM entities: one file per table, no backend-specific types.
pub mod audit_entry;
pub mod bundle;
pub mod bundle_member;
pub mod crypto_key_check;
pub mod deliverable;
pub mod deliverable_instance;
pub mod deliverable_submission;
pub mod login_attempt;
pub mod membership;
pub mod organisation;
pub mod session;
pub mod stored_file;
pub mod user;
