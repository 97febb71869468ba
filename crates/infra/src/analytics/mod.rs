//! 群マネの分析 (analytics): deterioration forecasting from inspection pairs. The model itself is
//! the pure `tabane-hazard` crate; this module reads inspection pairs from files.
pub mod forecast;
pub mod pairs;
