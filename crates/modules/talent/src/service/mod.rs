//! Services of the talent module: every function takes the acting context first and finds the
//! actor's side through `access`.

pub mod accelerators;
pub mod access;
pub mod advisors;
pub mod assignments;
pub mod framework;
pub mod grants;
pub mod needs;
pub mod persons;
pub mod pools;
pub mod visits;
