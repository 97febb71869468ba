//! 団地 (estates): registration, the master-table import with its consistency findings, and the
//! estate overview (buildings, unit types, the latest occupancy snapshot).

use super::access::{self, EstateAccess};
use crate::domain::{BuildingRole, percent_half_up};
use crate::entities::{building, estate, snapshot, snapshot_row, unit_type};
use crate::master::check::{self, Finding, Totals};
use crate::master::tables::{self, BuildingsTable, GroupsTable, OccupancyTable};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;
use tabane_core::error::Problems;
use tabane_core::service::audit::{self, Change};
use tabane_core::{Ctx, Error, Result};
use tabane_tabular::{ImportReport, InputEncoding, Table};

pub struct NewEstate {
    pub bundle_id: i64,
    pub name: String,
    pub address: String,
}

/// Registers an estate in a bundle where the actor's organisation is an owner (発注者).
pub async fn create<D: TransactionTrait>(db: &D, ctx: &Ctx, n: &NewEstate) -> Result<estate::Model> {
    let mut p = Problems::default();
    p.required("name", "団地名", "Estate name", &n.name);
    p.into_result()?;
    let tx = db.begin().await?;
    if !access::owner_bundles(&tx, ctx).await?.contains(&n.bundle_id) {
        return Err(Error::forbidden(
            "団地を登録できるのは、束の発注者（県）の担当者です",
            "Only staff of an owner of the bundle may register an estate",
        ));
    }
    let e = estate::ActiveModel {
        bundle_id: Set(n.bundle_id),
        owner_org_id: Set(ctx.org_id.expect("owner_bundles checked the org")),
        name: Set(n.name.trim().to_string()),
        address: Set(Some(n.address.trim().to_string()).filter(|s| !s.is_empty())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Change {
            org_id: Some(e.owner_org_id),
            bundle_id: Some(e.bundle_id),
            action: "create",
            entity: "housing_estate",
            entity_id: e.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"name": e.name})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(e)
}

/// One uploaded file.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The files of a master import: 住棟別諸元一覧 (as printed, or normalised plus a 間取り table),
/// 各棟の入居状況, and optionally §8(4)'s target groups.
pub struct MasterFiles {
    pub buildings: Upload,
    pub unit_types: Option<Upload>,
    pub occupancy: Upload,
    pub groups: Option<Upload>,
}

/// Per building: the printed rate beside the computed one.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BuildingRate {
    pub name: String,
    pub units: i64,
    pub vacant: i64,
    pub households: i64,
    pub rate_printed: Option<i64>,
    pub rate: Option<i64>,
}

/// What an import found: totals, per-building rates and the findings to acknowledge.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ImportPreview {
    pub written: bool,
    pub snapshot_id: Option<i64>,
    pub totals: Totals,
    pub rates: Vec<BuildingRate>,
    pub findings: Vec<Finding>,
}

fn read(u: &Upload, label_ja: &str, label_en: &str) -> Result<Table> {
    tabane_tabular::read_file(&u.name, &u.bytes, InputEncoding::Auto)
        .map_err(|e| Error::invalid("file", label_ja, label_en, e.to_string(), e.message_en()))
}

fn with_file(r: std::result::Result<impl Sized, ImportReport>, file_ja: &str) -> Result<()> {
    match r {
        Ok(_) => Ok(()),
        Err(mut rep) => {
            for e in &mut rep.errors {
                e.message_ja = format!("［{file_ja}］{}", e.message_ja);
            }
            Err(Error::Import(rep))
        }
    }
}

/// Reads and checks the files without writing anything.
pub fn parse(files: &MasterFiles) -> Result<(BuildingsTable, OccupancyTable, Option<GroupsTable>)> {
    let bt = read(&files.buildings, "住棟別諸元一覧", "Building table")?;
    let b = tables::read_buildings(&bt);
    with_file(b.as_ref().map(|_| ()).map_err(Clone::clone), "住棟別諸元一覧")?;
    let mut b = b.expect("checked");
    if let Some(u) = &files.unit_types {
        let ut = read(u, "間取り別戸数", "Unit types")?;
        with_file(tables::read_unit_types(&ut, &mut b), "間取り別戸数")?;
    }
    let ot = read(&files.occupancy, "各棟の入居状況", "Occupancy table")?;
    let o = tables::read_occupancy(&ot);
    with_file(o.as_ref().map(|_| ()).map_err(Clone::clone), "各棟の入居状況")?;
    let g = match &files.groups {
        Some(u) => {
            let gt = read(u, "対象世帯", "Target groups")?;
            let g = tables::read_groups(&gt);
            with_file(g.as_ref().map(|_| ()).map_err(Clone::clone), "対象世帯")?;
            Some(g.expect("checked"))
        }
        None => None,
    };
    Ok((b, o.expect("checked"), g))
}

pub fn preview(b: &BuildingsTable, o: &OccupancyTable, g: Option<&GroupsTable>) -> ImportPreview {
    let rates = o
        .rows
        .iter()
        .map(|r| BuildingRate {
            name: r.building.clone(),
            units: r.units,
            vacant: r.vacant,
            households: r.households,
            rate_printed: r.rate_printed,
            rate: percent_half_up(r.households, r.units),
        })
        .collect();
    ImportPreview {
        written: false,
        snapshot_id: None,
        totals: check::totals(b, o),
        rates,
        findings: check::check(b, o, g),
    }
}

/// The master import. Nothing is written when any cell is wrong; when the tables disagree with
/// each other, nothing is written until the user acknowledges the findings, which are then kept
/// with the snapshot.
pub async fn import<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    as_of: NaiveDate,
    files: &MasterFiles,
    acknowledge: bool,
) -> Result<ImportPreview> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_owner_staff()?;
    let (b, o, g) = parse(files)?;
    let mut pv = preview(&b, &o, g.as_ref());
    if !pv.findings.is_empty() && !acknowledge {
        return Ok(pv);
    }
    let tx = db.begin().await?;
    if snapshot::Entity::find()
        .filter(snapshot::Column::EstateId.eq(estate_id))
        .filter(snapshot::Column::AsOf.eq(as_of))
        .one(&tx)
        .await?
        .is_some()
    {
        return Err(Error::invalid(
            "as_of",
            "時点",
            "As of",
            format!("{as_of} 時点の入居状況はすでに取り込まれています。別の時点を指定してください"),
            "A snapshot for this date already exists",
        ));
    }
    let ids = upsert_buildings(&tx, &acc, &b).await?;
    let snap = snapshot::ActiveModel {
        estate_id: Set(estate_id),
        as_of: Set(as_of),
        findings: Set(serde_json::to_string(&pv.findings).expect("json")),
        totals: Set(serde_json::to_string(&pv.totals).expect("json")),
        groups: Set(serde_json::to_string(
            &g.as_ref()
                .map(|g| {
                    g.groups
                        .iter()
                        .map(|x| serde_json::json!({"label": x.label, "declared": x.declared}))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        )
        .expect("json")),
        imported_by: Set(ctx.actor.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for r in &o.rows {
        // A building only in the occupancy table was reported as a finding; it gets a row too.
        let building_id = match ids.iter().find(|(n, _)| *n == r.building) {
            Some((_, id)) => *id,
            None => insert_building(&tx, estate_id, 10_000 + r.row as i32, &r.building, r.units).await?,
        };
        snapshot_row::ActiveModel {
            snapshot_id: Set(snap.id),
            building_id: Set(building_id),
            units: Set(r.units as i32),
            vacant: Set(r.vacant as i32),
            households: Set(r.households as i32),
            rate_printed: Set(r.rate_printed.map(|v| v as i32)),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
    }
    audit::record(&tx, ctx, acc.change("import", "housing_snapshot", snap.id, None, Some(serde_json::json!({"as_of": as_of, "buildings": b.buildings.len(), "totals": pv.totals, "findings_acknowledged": pv.findings}))))
    .await?;
    tx.commit().await?;
    pv.written = true;
    pv.snapshot_id = Some(snap.id);
    Ok(pv)
}

async fn insert_building<C: ConnectionTrait>(
    tx: &C,
    estate_id: i64,
    position: i32,
    name: &str,
    units: i64,
) -> Result<i64> {
    let m = building::ActiveModel {
        estate_id: Set(estate_id),
        position: Set(position),
        name: Set(name.to_string()),
        units: Set(units as i32),
        roles: Set(String::new()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(m.id)
}

/// Buildings are matched by name: a later import updates their figures and replaces their
/// unit-type rows.
async fn upsert_buildings<C: ConnectionTrait>(
    tx: &C,
    acc: &EstateAccess,
    b: &BuildingsTable,
) -> Result<Vec<(String, i64)>> {
    let existing = building::Entity::find().filter(building::Column::EstateId.eq(acc.estate.id)).all(tx).await?;
    let mut ids = Vec::new();
    for (pos, x) in b.buildings.iter().enumerate() {
        let roles = x.roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(",");
        let mut am = match existing.iter().find(|e| e.name == x.name) {
            Some(e) => {
                let am: building::ActiveModel = e.clone().into();
                am
            }
            None => {
                building::ActiveModel { estate_id: Set(acc.estate.id), name: Set(x.name.clone()), ..Default::default() }
            }
        };
        am.position = Set(pos as i32);
        am.built_wareki = Set(x.built_wareki.clone());
        am.built_year = Set(x.built_year);
        am.structure = Set(x.structure.clone());
        am.floors = Set(x.floors);
        am.corridor = Set(x.corridor.clone());
        am.elevator = Set(x.elevator);
        am.building_area = Set(x.building_area);
        am.floor_area = Set(x.floor_area);
        am.units = Set(x.units() as i32);
        am.roles = Set(roles);
        let m = am.save(tx).await?;
        let id = *m.id.as_ref();
        unit_type::Entity::delete_many().filter(unit_type::Column::BuildingId.eq(id)).exec(tx).await?;
        for t in &x.unit_types {
            let (std_min, std_max) = standard_persons(&t.layout);
            unit_type::ActiveModel {
                building_id: Set(id),
                layout: Set(t.layout.clone()),
                area: Set(t.area_centi),
                count: Set(t.count as i32),
                std_min: Set(std_min),
                std_max: Set(std_max),
                ..Default::default()
            }
            .insert(tx)
            .await?;
        }
        ids.push((x.name.clone(), id));
    }
    Ok(ids)
}

/// 世帯構成員（標準） of the seed's new units (§2(2)ア): 2DK・2LDK for 1–2 persons, 3DK・3LDK (and
/// larger) for 3 or more. Other layouts have no standard. Editable per unit type.
pub fn standard_persons(layout: &str) -> (Option<i32>, Option<i32>) {
    let l = tabane_tabular::to_halfwidth_ascii(layout).to_ascii_uppercase();
    match l.chars().next() {
        Some('1') | Some('2') => (Some(1), Some(2)),
        Some(c) if c.is_ascii_digit() => (Some(3), None),
        _ => (None, None),
    }
}

/// The estate page: buildings with their unit types and the newest snapshot.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct EstateView {
    pub estate: estate::Model,
    pub side: access::Side,
    pub buildings: Vec<BuildingView>,
    pub snapshot: Option<SnapshotView>,
    pub snapshots: Vec<(i64, NaiveDate)>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct BuildingView {
    pub b: building::Model,
    pub roles_ja: String,
    pub unit_types: Vec<unit_type::Model>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SnapshotView {
    pub id: i64,
    pub as_of: NaiveDate,
    pub totals: Totals,
    pub findings: Vec<Finding>,
    pub rows: Vec<BuildingRate>,
    pub groups: serde_json::Value,
}

pub async fn view<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    snapshot_id: Option<i64>,
) -> Result<EstateView> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    let bs = building::Entity::find()
        .filter(building::Column::EstateId.eq(estate_id))
        .order_by_asc(building::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<i64> = bs.iter().map(|b| b.id).collect();
    let types = unit_type::Entity::find()
        .filter(unit_type::Column::BuildingId.is_in(ids))
        .order_by_asc(unit_type::Column::Id)
        .all(db)
        .await?;
    let buildings = bs
        .iter()
        .map(|b| BuildingView {
            roles_ja: b
                .roles
                .split(',')
                .filter_map(BuildingRole::parse)
                .map(|r| r.label_ja())
                .collect::<Vec<_>>()
                .join("・"),
            unit_types: types.iter().filter(|t| t.building_id == b.id).cloned().collect(),
            b: b.clone(),
        })
        .collect();
    let snaps = snapshot::Entity::find()
        .filter(snapshot::Column::EstateId.eq(estate_id))
        .order_by_desc(snapshot::Column::AsOf)
        .all(db)
        .await?;
    let chosen = match snapshot_id {
        Some(id) => Some(snaps.iter().find(|s| s.id == id).cloned().ok_or(Error::NotFound)?),
        None => snaps.first().cloned(),
    };
    let snapshot = match chosen {
        Some(s) => {
            let rows = snapshot_row::Entity::find()
                .filter(snapshot_row::Column::SnapshotId.eq(s.id))
                .order_by_asc(snapshot_row::Column::Id)
                .all(db)
                .await?;
            Some(SnapshotView {
                id: s.id,
                as_of: s.as_of,
                totals: serde_json::from_str(&s.totals).unwrap_or_default(),
                findings: serde_json::from_str(&s.findings).unwrap_or_default(),
                groups: serde_json::from_str(&s.groups).unwrap_or_default(),
                rows: rows
                    .iter()
                    .map(|r| BuildingRate {
                        name: bs.iter().find(|b| b.id == r.building_id).map(|b| b.name.clone()).unwrap_or_default(),
                        units: r.units as i64,
                        vacant: r.vacant as i64,
                        households: r.households as i64,
                        rate_printed: r.rate_printed.map(i64::from),
                        rate: percent_half_up(r.households as i64, r.units as i64),
                    })
                    .collect(),
            })
        }
        None => None,
    };
    Ok(EstateView {
        estate: acc.estate,
        side: acc.access.side,
        buildings,
        snapshot,
        snapshots: snaps.iter().map(|s| (s.id, s.as_of)).collect(),
    })
}

pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Vec<EstateAccess>> {
    access::visible_estates(db, ctx).await
}
