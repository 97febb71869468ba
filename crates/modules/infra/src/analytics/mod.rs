//! 群マネの分析 (analytics): 見える化 (the state of each municipality beside its population class)
//! and deterioration forecasting from inspection pairs. The model itself is
//! the pure `tabane-hazard` crate; this module reads inspection pairs from files.
pub mod forecast;
pub mod mieruka;
pub mod mieruka_data;
pub mod pairs;
