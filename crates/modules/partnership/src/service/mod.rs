//! Services of the partnership module: every function takes the acting context first (the public
//! portal's take the platform id and nothing of a session) and finds the actor's side through
//! `access`.

pub mod access;
pub mod contacts;
pub mod issues;
pub mod kpis;
pub mod platforms;
pub mod projects;
pub mod registrations;
pub mod resources;

/// The module's sealed columns (for key rotation).
pub fn encrypted_columns() -> Vec<tabane_core::crypto::EncryptedColumn> {
    contacts::COLUMNS.iter().chain(registrations::COLUMNS).cloned().collect()
}
