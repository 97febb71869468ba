//! Infra services: each takes the acting context first.
pub mod access;
pub mod asset_io;
pub mod assets;
pub mod contracts;
pub mod exif_location;
pub mod inspections;
pub mod ledger;
pub mod map;
pub mod patrols;
pub mod reports;
pub mod work_orders;
