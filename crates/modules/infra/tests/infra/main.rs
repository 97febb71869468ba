//! 群マネ (infra module) tests, black-box through the spawned app (`tabane_testkit`): one test
//! binary for the module, a file per feature beside this one.

mod assets;
mod inspections;
mod mieruka;
mod open311;
mod patrols;
mod planning;
mod work_orders;
