//! デモデータ (demo data): a 西諫早団地-like estate of 長崎県 in the PFI bundle the platform demo
//! creates, loaded from the seed's own tables (docs/design/seed002) through the real importer,
//! with the flagged disagreements acknowledged as a user would.

use crate::entities::estate;
use crate::service::estates::{self, MasterFiles, NewEstate, Upload};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tabane_core::domain::Role;
use tabane_core::entities::{bundle, organisation};
use tabane_core::{Ctx, Result};

pub const ESTATE_NAME: &str = "県営 西諫早団地（デモ）";
pub const BUNDLE_NAME: &str = "西諫早団地建替事業（PFI・入居者移転支援）";

fn upload(name: &str, bytes: &[u8]) -> Upload {
    Upload { name: name.into(), bytes: bytes.to_vec() }
}

/// The seed's tables as files, the way a user uploads them.
pub fn seed_files() -> MasterFiles {
    MasterFiles {
        buildings: upload("buildings_as_printed.csv", include_bytes!("../../../docs/design/seed002/buildings_as_printed.csv")),
        unit_types: None,
        occupancy: upload("occupancy.csv", include_bytes!("../../../docs/design/seed002/occupancy.csv")),
        groups: Some(upload("target_groups.csv", include_bytes!("../../../docs/design/seed002/target_groups.csv"))),
    }
}

pub async fn load(db: &DatabaseConnection) -> Result<()> {
    if estate::Entity::find().filter(estate::Column::Name.eq(ESTATE_NAME)).one(db).await?.is_some() {
        return Ok(());
    }
    let Some(b) = bundle::Entity::find().filter(bundle::Column::Name.eq(BUNDLE_NAME)).one(db).await? else { return Ok(()) };
    let Some(pref) = organisation::Entity::find().filter(organisation::Column::Name.eq("長崎県")).one(db).await? else { return Ok(()) };
    let ctx = Ctx { actor: "demo".into(), org_id: Some(pref.id), role: Some(Role::Staff), bundle_id: Some(b.id), ..Ctx::cli() };
    let ctx = Ctx { system_admin: false, ..ctx };
    let e = estates::create(db, &ctx, &NewEstate { bundle_id: b.id, name: ESTATE_NAME.into(), address: "長崎県諫早市西諫早（デモ）".into() }).await?;
    let as_of = NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
    estates::import(db, &ctx, e.id, as_of, &seed_files(), true).await?;
    Ok(())
}
