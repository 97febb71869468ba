//! 住戸 (dwelling units). The seed gives counts per unit type, not unit numbers; destination
//! buildings (the 1工区新築棟, whose capacity the seed leaves open) are entered as a building
//! with its unit types, and the units are numbered floor by floor.

use super::access;
use crate::domain::{BuildingRole, UnitStatus};
use crate::entities::{building, unit, unit_type};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
pub struct TypeRow {
    pub layout: String,
    /// 戸当専用面積 in m² (e.g. 55.2).
    pub area_m2: f64,
    pub count: i32,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
pub struct NewDestination {
    pub name: String,
    pub role: String,
    pub floors: i32,
    pub types: Vec<TypeRow>,
}

/// Registers a destination building with its unit types and numbered units (101, 102, … per floor).
pub async fn add_destination<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    estate_id: i64,
    n: &NewDestination,
) -> Result<building::Model> {
    let acc = access::estate_for(db, ctx, estate_id).await?;
    acc.require_owner_staff()?;
    let mut p = Problems::default();
    p.required("name", "棟名", "Building", &n.name);
    let role = BuildingRole::parse(&n.role);
    if role.is_none() {
        p.push("role", "役割", "Role", format!("は{}のいずれかです", BuildingRole::choices_ja()), "unknown role");
    }
    if !(1..=40).contains(&n.floors) {
        p.push("floors", "階数", "Floors", "は1～40で入力してください", "must be 1–40");
    }
    let total: i32 = n.types.iter().map(|t| t.count).sum();
    if n.types.is_empty()
        || total <= 0
        || n.types.iter().any(|t| t.count < 0 || t.area_m2 <= 0.0 || t.layout.trim().is_empty())
    {
        p.push(
            "types",
            "間取り",
            "Unit types",
            "は間取り・専用面積・戸数を1行以上入力してください",
            "need at least one row of layout, area and count",
        );
    }
    if building::Entity::find()
        .filter(building::Column::EstateId.eq(estate_id))
        .filter(building::Column::Name.eq(n.name.trim()))
        .one(db)
        .await?
        .is_some()
    {
        p.push("name", "棟名", "Building", "はこの団地にすでにあります", "already exists");
    }
    p.into_result()?;
    let tx = db.begin().await?;
    let last = building::Entity::find()
        .filter(building::Column::EstateId.eq(estate_id))
        .order_by_desc(building::Column::Position)
        .one(&tx)
        .await?
        .map(|b| b.position)
        .unwrap_or(0);
    let b = building::ActiveModel {
        estate_id: Set(estate_id),
        position: Set(last + 1),
        name: Set(n.name.trim().into()),
        floors: Set(Some(n.floors)),
        units: Set(total),
        roles: Set(role.expect("checked").key().into()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let per_floor = (total + n.floors - 1) / n.floors;
    let mut k = 0;
    for t in &n.types {
        let area = (t.area_m2 * 100.0).round() as i64;
        let (std_min, std_max) = super::estates::standard_persons(&t.layout);
        unit_type::ActiveModel {
            building_id: Set(b.id),
            layout: Set(t.layout.trim().into()),
            area: Set(Some(area)),
            count: Set(t.count),
            std_min: Set(std_min),
            std_max: Set(std_max),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        for _ in 0..t.count {
            let number = format!("{}{:02}", k / per_floor + 1, k % per_floor + 1);
            k += 1;
            unit::ActiveModel {
                estate_id: Set(estate_id),
                building_id: Set(b.id),
                number: Set(format!("{}-{}", b.name, number)),
                layout: Set(Some(t.layout.trim().into())),
                area: Set(Some(area)),
                status: Set(UnitStatus::Vacant.key().into()),
                std_min: Set(std_min),
                std_max: Set(std_max),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
    }
    audit::record(
        &tx,
        ctx,
        acc.change("create", "housing_building", b.id, None, Some(serde_json::json!({"name": b.name, "units": total}))),
    )
    .await?;
    tx.commit().await?;
    Ok(b)
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct UnitRow {
    pub unit: unit::Model,
    pub building: String,
    /// Case id of the household whose (not cancelled) move goes here.
    pub taken_by: Option<i64>,
}

/// Units of the estate, optionally only free ones (no open move to them).
pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx, estate_id: i64, free_only: bool) -> Result<Vec<UnitRow>> {
    access::estate_for(db, ctx, estate_id).await?;
    let units = unit::Entity::find()
        .filter(unit::Column::EstateId.eq(estate_id))
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?;
    let bs = building::Entity::find().filter(building::Column::EstateId.eq(estate_id)).all(db).await?;
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let legs = crate::entities::leg::Entity::find()
        .filter(crate::entities::leg::Column::ToUnitId.is_in(ids))
        .filter(crate::entities::leg::Column::CancelledOn.is_null())
        .all(db)
        .await?;
    Ok(units
        .into_iter()
        .map(|u| UnitRow {
            building: bs.iter().find(|b| b.id == u.building_id).map(|b| b.name.clone()).unwrap_or_default(),
            taken_by: legs.iter().find(|l| l.to_unit_id == Some(u.id)).map(|l| l.case_id),
            unit: u,
        })
        .filter(|r| !free_only || r.taken_by.is_none())
        .collect())
}

/// A unit of this estate or NotFound.
pub async fn get<D: ConnectionTrait>(db: &D, estate_id: i64, unit_id: i64) -> Result<unit::Model> {
    unit::Entity::find_by_id(unit_id).one(db).await?.filter(|u| u.estate_id == estate_id).ok_or(Error::NotFound)
}
