//! 団地建替・入居者移転支援 (estate rebuild under PFI and resident relocation): estate master
//! data with its consistency checks, relocation cases and their legs, forms, payments, the unit
//! lottery, deadlines and reports. Vertical slice like `tabane-infra`: domain rules, storage,
//! services and web handlers live here; the platform core provides organisations, bundles,
//! audit, files, field encryption, surveys and deliverables.

pub mod domain;
pub mod legs;
pub mod lottery;
pub mod master;
