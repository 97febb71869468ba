//! 群マネ migrations, one file per migration, named as it is applied. Append only: a new one is
//! `infra_<NNNN>_<what>`, added at the end of this list and of its block in
//! `crates/app/tabane/migrations.lock`; an applied file is never edited. New ones use
//! `tabane_core::migration::schema`.

use sea_orm_migration::MigrationTrait;

mod m0002_infra;
mod m0003_infra_patrols;
mod m0004_infra_contracts;
mod m0005_infra_split;
mod m0006_infra_contract_parts;
mod m0007_infra_inspections;
mod m0008_infra_indexes;
mod m0009_infra_mieruka;
mod m0010_infra_map_index;

/// This module's migrations, in the order they are applied (after the platform's).
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m0002_infra::Migration),
        Box::new(m0003_infra_patrols::Migration),
        Box::new(m0004_infra_contracts::Migration),
        Box::new(m0005_infra_split::Migration),
        Box::new(m0006_infra_contract_parts::Migration),
        Box::new(m0007_infra_inspections::Migration),
        Box::new(m0008_infra_indexes::Migration),
        Box::new(m0009_infra_mieruka::Migration),
        Box::new(m0010_infra_map_index::Migration),
    ]
}
