pub mod asset;
pub mod work_order;
pub mod work_order_event;
pub mod work_order_photo;
pub mod open311_client;
pub mod resident_report;
pub mod patrol;
pub mod patrol_finding;
