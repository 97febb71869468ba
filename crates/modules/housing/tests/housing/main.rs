//! 団地建替・移転 (housing module) tests, black-box through the spawned app (`tabane_testkit`):
//! one test binary for the module, a file per feature beside this one.

mod cases;
mod costs;
mod estates;
mod lottery;
mod reports;
