//! JSON API. Same services as the HTML pages; errors are `{code, message, request_id}`.

pub mod answers;
pub mod audit;
pub mod bundles;
pub mod calendar;
pub mod deliverables;
pub mod describe;
pub mod files;
pub mod meetings;
pub mod openapi;
pub mod orgs;
pub mod session;
pub mod surveys;
pub mod users;
