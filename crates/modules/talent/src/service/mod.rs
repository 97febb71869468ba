//! Services of the talent module: every function takes the acting context first and finds the
//! actor's side through `access`.

pub mod accelerators;
pub mod access;
pub mod advisors;
pub mod applications;
pub mod assignments;
pub mod companies;
pub mod framework;
pub mod grants;
pub mod needs;
pub mod persons;
pub mod pools;
pub mod recruitment;
pub mod status_surveys;
pub mod visits;
