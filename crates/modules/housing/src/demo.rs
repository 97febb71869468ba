//! デモデータ (demo data): 長崎県, the PFI company and their bundle with three users (this
//! module's, added after the platform's demo), then a 西諫早団地-like estate in that bundle, loaded from the seed's own tables (docs/design/seed002) through the real importer,
//! with the flagged disagreements acknowledged as a user would; then a living estate: the campaign
//! to the 1工区新築棟 with the prefecture's fees, the new building with its units, the 382
//! households of §8(4) (`demo_cases`) and a few cases taken through every step (`demo_moves`).

use crate::domain::Classification;
use crate::entities::estate;
use crate::service::campaigns::{self, CampaignForm, Fee, FeeTable};
use crate::service::estates::{self, MasterFiles, NewEstate, Upload};
use crate::service::units::{self, NewDestination, TypeRow};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use tabane_core::demo::DemoUser;
use tabane_core::domain::{BundleRole, BundleScheme, OrgKind, Role};
use tabane_core::entities::{bundle, organisation};
use tabane_core::service::bundles;
use tabane_core::{Ctx, Result};

pub const ESTATE_NAME: &str = "県営 西諫早団地（デモ）";
pub const BUNDLE_NAME: &str = "西諫早団地建替事業（PFI・入居者移転支援）";
pub const CAMPAIGN_NAME: &str = "1工区新築棟への本移転（第1期）";
pub const NEW_BUILDING: &str = "1工区新築棟";
pub const CONTRACTOR_NAME: &str = "西諫早まちづくりPFI株式会社";

/// This module's demo users (listed on the demo login page through the module's manifest).
pub const DEMO_USERS: &[DemoUser] = &[
    ("nagasaki-staff", "諫早 みどり（長崎県 住宅課 担当者）", "長崎県", Role::Staff, false),
    ("nagasaki-viewer", "大村 浩（長崎県 閲覧者）", "長崎県", Role::Viewer, false),
    ("pfi-staff", "西 悠斗（PFI事業者 移転支援担当）", CONTRACTOR_NAME, Role::Staff, false),
];

/// 団地建替 (seed 002): 長崎県 owns the estate; the PFI company's relocation team works on it,
/// in one bundle. Added once, after the platform's demo.
async fn organisations(db: &DatabaseConnection) -> Result<()> {
    if organisation::Entity::find().filter(organisation::Column::Name.eq("長崎県")).one(db).await?.is_some() {
        return Ok(());
    }
    use tabane_core::demo::org;
    let cli = Ctx { actor: "demo".into(), ..Ctx::cli() };
    let nagasaki = org(db, &cli, OrgKind::Prefecture, "長崎県", "ながさきけん", Some(42000), None).await?;
    let spc =
        org(db, &cli, OrgKind::Company, CONTRACTOR_NAME, "にしいさはやまちづくりぴーえふあい", None, None).await?;
    let as_nagasaki = Ctx { org_id: Some(nagasaki.id), role: Some(Role::Admin), ..cli.clone() };
    let pfi = bundles::create(
        db,
        &as_nagasaki,
        &bundles::BundleForm {
            name: BUNDLE_NAME.into(),
            scheme: BundleScheme::Agreement.key().into(),
            period_start: "2025-10-01".into(),
            period_end: "2032-03-31".into(),
            description: "県営西諫早団地の建替。県住宅課と PFI 事業者が、入居者移転支援（本移転・仮移転・住宅替・退去）を一つの束で進める。".into(),
        },
    )
    .await?;
    bundles::set_member(db, &as_nagasaki, pfi.id, nagasaki.id, BundleRole::Owner).await?;
    bundles::set_member(db, &as_nagasaki, pfi.id, spc.id, BundleRole::Contractor).await?;
    tabane_core::demo::add_users(db, DEMO_USERS).await
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// 「県が定める金額」 for the demo: 移転料 and 動産移転相当額 per classification and household size.
pub fn demo_fees() -> FeeTable {
    use Classification::*;
    let rows: [(Classification, [(i64, i64); 3]); 4] = [
        (Main, [(171_000, 130_000), (198_000, 152_000), (231_000, 178_000)]),
        (Temporary, [(168_000, 127_000), (194_000, 149_000), (226_000, 174_000)]),
        (Transfer, [(152_000, 115_000), (176_000, 134_000), (205_000, 157_000)]),
        (Leave, [(121_000, 92_000), (140_000, 107_000), (163_000, 124_000)]),
    ];
    let fees = rows
        .iter()
        .flat_map(|(class, amounts)| {
            ["1", "2", "3+"].iter().zip(amounts).map(move |(band, (fee, movables))| Fee {
                class: *class,
                band: (*band).into(),
                moving_fee: *fee,
                movables: *movables,
            })
        })
        .collect();
    FeeTable { fees }
}

fn upload(name: &str, bytes: &[u8]) -> Upload {
    Upload { name: name.into(), bytes: bytes.to_vec() }
}

/// The seed's tables as files, the way a user uploads them.
pub fn seed_files() -> MasterFiles {
    MasterFiles {
        buildings: upload(
            "buildings_as_printed.csv",
            include_bytes!("../../../../docs/design/seed002/buildings_as_printed.csv"),
        ),
        unit_types: None,
        occupancy: upload("occupancy.csv", include_bytes!("../../../../docs/design/seed002/occupancy.csv")),
        groups: Some(upload("target_groups.csv", include_bytes!("../../../../docs/design/seed002/target_groups.csv"))),
    }
}

pub async fn load(db: &DatabaseConnection) -> Result<()> {
    if estate::Entity::find().filter(estate::Column::Name.eq(ESTATE_NAME)).one(db).await?.is_some() {
        return Ok(());
    }
    organisations(db).await?;
    let Some(b) = bundle::Entity::find().filter(bundle::Column::Name.eq(BUNDLE_NAME)).one(db).await? else {
        return Ok(());
    };
    let Some(pref) = organisation::Entity::find().filter(organisation::Column::Name.eq("長崎県")).one(db).await?
    else {
        return Ok(());
    };
    let ctx = Ctx {
        actor: "demo".into(),
        org_id: Some(pref.id),
        role: Some(Role::Staff),
        bundle_id: Some(b.id),
        ..Ctx::cli()
    };
    let ctx = Ctx { system_admin: false, ..ctx };
    // One transaction for the whole load: the services' own transactions become savepoints, so
    // every query runs on one connection and nothing is half-loaded after a failure.
    let tx = db.begin().await?;
    let db = &tx;
    let e = estates::create(
        db,
        &ctx,
        &NewEstate {
            bundle_id: b.id, name: ESTATE_NAME.into(), address: "長崎県諫早市西諫早（デモ）".into()
        },
    )
    .await?;
    let as_of = NaiveDate::from_ymd_opt(2025, 6, 30).expect("date");
    estates::import(db, &ctx, e.id, as_of, &seed_files(), true).await?;

    let camp = campaigns::create(
        db,
        &ctx,
        e.id,
        &CampaignForm {
            name: CAMPAIGN_NAME.into(),
            completion_planned: Some(date(2027, 6, 30)),
            move_in_start: Some(date(2027, 7, 1)),
            handover: Some(date(2027, 5, 31)),
            fees: demo_fees(),
        },
    )
    .await?;
    let types = [("2DK", 55.2, 20), ("2LDK", 58.4, 20), ("3DK", 63.1, 10), ("3LDK", 67.8, 10)];
    let new_building = units::add_destination(
        db,
        &ctx,
        e.id,
        &NewDestination {
            name: NEW_BUILDING.into(),
            role: "new_first".into(),
            floors: 5,
            types: types
                .iter()
                .map(|(layout, area_m2, count)| TypeRow { layout: (*layout).into(), area_m2: *area_m2, count: *count })
                .collect(),
        },
    )
    .await?;
    let loaded = crate::demo_cases::insert_all(db, &ctx, e.id, camp.id).await?;
    let Some(spc) = organisation::Entity::find().filter(organisation::Column::Name.eq(CONTRACTOR_NAME)).one(db).await?
    else {
        return Ok(());
    };
    let pfi = Ctx { org_id: Some(spc.id), ..ctx.clone() };
    crate::demo_moves::drive(db, &pfi, new_building.id, &loaded).await?;
    crate::demo_month::run(db, &ctx, &pfi, e.id, camp.id).await?;
    tx.commit().await?;
    Ok(())
}
