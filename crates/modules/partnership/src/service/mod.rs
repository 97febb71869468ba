//! Services of the partnership module: every function takes the acting context first (the public
//! portal's take the platform id and nothing of a session) and finds the actor's side through
//! `access`.

pub mod access;
pub mod contacts;
pub mod issues;
pub mod kpis;
pub mod platforms;
pub mod projects;
pub mod resources;
