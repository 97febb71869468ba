//! Service functions: the one place where platform rules run. HTML handlers, JSON handlers
//! and the CLI all call these; each takes the acting context (`&Ctx`) first.

pub mod accounts;
pub mod audit;
pub mod bundle_access;
pub mod bundles;
pub mod deliverables;
mod deliverables_flow;
mod deliverables_view;
pub mod files;
pub mod meetings;
pub mod org_import;
pub mod orgs;
pub mod rate_limits;
pub mod revisions;
pub mod service_accounts;
pub mod sessions;
pub mod surveys;

use serde::Serialize;

/// One page of a list.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}
