//! 団体の基礎数値 (each municipality's profile: population, staff, …): the form, its checks and the file import.

use super::*;

/// 基礎数値 as typed in a form or a file row.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct ProfileForm {
    /// The municipality's id (default: the acting organisation); a number or a string.
    #[serde(default, deserialize_with = "string_or_number")]
    pub org_id: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub population: String,
    #[serde(default)]
    pub decline_pct: String,
    #[serde(default)]
    pub civil_staff: String,
    #[serde(default)]
    pub technical_staff: String,
    #[serde(default)]
    pub construction_workers: String,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    })
}

fn number(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str, allow_negative_fraction: bool) -> Option<f64> {
    let t = tabane_tabular::to_halfwidth_ascii(v.trim()).replace([',', '%', '人'], "");
    if t.is_empty() {
        return None;
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && (allow_negative_fraction || (x >= 0.0 && x.fract() == 0.0)) => Some(x),
        _ => {
            let (mja, men) = if allow_negative_fraction {
                ("は数値（%）で入力してください", "must be a number (percent)")
            } else {
                ("は0以上の整数で入力してください", "must be a whole number, 0 or more")
            };
            p.push(field, ja, en, mja, men);
            None
        }
    }
}

/// Checks a form; the date defaults to today.
pub fn check_profile(f: &ProfileForm, today: NaiveDate) -> std::result::Result<(NaiveDate, Profile), Problems> {
    let mut p = Problems::default();
    let as_of = if f.as_of.trim().is_empty() {
        Some(today)
    } else {
        match tabane_calendar::parse_date(&f.as_of) {
            Ok(d) => Some(d),
            Err(e) => {
                p.push("as_of", "基準日", "Reference date", e.message_ja(), e.message_en());
                None
            }
        }
    };
    let population = number(&mut p, "population", "人口", "Population", &f.population, false).map(|x| x as i64);
    let decline_pct = number(&mut p, "decline_pct", "人口減少率", "Population decline", &f.decline_pct, true);
    let civil_staff = number(&mut p, "civil_staff", "土木部門職員数", "Civil-engineering staff", &f.civil_staff, false)
        .map(|x| x as i32);
    let technical_staff =
        number(&mut p, "technical_staff", "技術系職員数", "Technical staff", &f.technical_staff, false)
            .map(|x| x as i32);
    let construction_workers = number(
        &mut p,
        "construction_workers",
        "建設業従業者数",
        "Construction workers",
        &f.construction_workers,
        false,
    )
    .map(|x| x as i32);
    match as_of {
        Some(d) if p.0.is_empty() => {
            Ok((d, Profile { population, decline_pct, civil_staff, technical_staff, construction_workers }))
        }
        _ => Err(p),
    }
}

/// Whether the actor may set the figures of `target`: its own staff, or the staff of the
/// prefecture it belongs to (a coordinator with twenty municipalities).
pub async fn may_edit<D: ConnectionTrait>(db: &D, ctx: &Ctx, target: &org::Model) -> Result<bool> {
    if ctx.has_role_in(target.id, Role::Staff) {
        return Ok(true);
    }
    let Some(me) = ctx.org_id else { return Ok(false) };
    let own = org::Entity::find_by_id(me).one(db).await?;
    Ok(own.is_some_and(|o| {
        o.kind == OrgKind::Prefecture.key()
            && o.prefecture_code.is_some()
            && o.prefecture_code == target.prefecture_code
            && ctx.has_role_in(me, Role::Staff)
    }))
}

pub(crate) async fn upsert<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    target: &org::Model,
    as_of: NaiveDate,
    p: &Profile,
) -> Result<mp::Model> {
    let existing = mp::Entity::find().filter(mp::Column::OrgId.eq(target.id)).one(db).await?;
    let before = existing.as_ref().and_then(|e| serde_json::to_value(e).ok());
    let mut am: mp::ActiveModel = match existing {
        Some(e) => e.into(),
        None => mp::ActiveModel { org_id: Set(target.id), ..Default::default() },
    };
    am.as_of = Set(as_of);
    am.population = Set(p.population);
    am.decline_pct = Set(p.decline_pct);
    am.civil_staff = Set(p.civil_staff);
    am.technical_staff = Set(p.technical_staff);
    am.construction_workers = Set(p.construction_workers);
    am.updated_at = Set(Utc::now());
    let m = am.save(db).await?;
    let m: mp::Model = m.try_into().map_err(|e: sea_orm::DbErr| Error::Internal(e.into()))?;
    audit::record(
        db,
        ctx,
        audit::Change {
            org_id: Some(target.id),
            bundle_id: None,
            action: "update",
            entity: "infra_municipal_profile",
            entity_id: m.id.to_string(),
            before,
            after: serde_json::to_value(&m).ok(),
        },
    )
    .await?;
    Ok(m)
}

/// Sets a municipality's figures (見える化の基礎数値).
pub async fn set_profile<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &ProfileForm,
) -> Result<mp::Model> {
    let id = match f.org_id.trim() {
        "" => ctx.org_id.ok_or(Error::NotFound)?,
        v => v.parse::<i64>().map_err(|_| {
            Error::invalid("org_id", "団体", "Organisation", "の指定が正しくありません", "is not a valid id")
        })?,
    };
    let target = org::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if !may_edit(db, ctx, &target).await? {
        return Err(Error::NotFound);
    }
    let (as_of, p) = check_profile(f, crate::service::work_orders::today_jst()).map_err(|p| Error::Invalid(p.0))?;
    let txn = db.begin().await?;
    let m = upsert(&txn, ctx, &target, as_of, &p).await?;
    txn.commit().await?;
    Ok(m)
}

/// The figures of the acting organisation, if set.
pub async fn own_profile<D: ConnectionTrait>(db: &D, ctx: &Ctx) -> Result<Option<mp::Model>> {
    let Some(me) = ctx.org_id else { return Ok(None) };
    Ok(mp::Entity::find().filter(mp::Column::OrgId.eq(me)).one(db).await?)
}

/// 基礎数値の取り込み: 団体コード (6 digits, or 5 without the check digit), 基準日, 人口,
/// 人口減少率, 土木部門職員数, 技術系職員数, 建設業従業者数. Every row is checked (the code must be an
/// organisation the actor may edit) before anything is written.
pub static PROFILE_SCHEMA: tabane_tabular::Schema = tabane_tabular::Schema {
    columns: &[
        tabane_tabular::Column {
            key: "lg_code",
            header_ja: "団体コード",
            header_en: "LG code",
            aliases: &["地方公共団体コード", "lg_code"],
            required: true,
        },
        tabane_tabular::Column {
            key: "as_of",
            header_ja: "基準日",
            header_en: "Reference date",
            aliases: &[],
            required: false,
        },
        tabane_tabular::Column {
            key: "population",
            header_ja: "人口",
            header_en: "Population",
            aliases: &[],
            required: false,
        },
        tabane_tabular::Column {
            key: "decline_pct",
            header_ja: "人口減少率",
            header_en: "Population decline",
            aliases: &["人口減少率（2020→2050）"],
            required: false,
        },
        tabane_tabular::Column {
            key: "civil_staff",
            header_ja: "土木部門職員数",
            header_en: "Civil-engineering staff",
            aliases: &[],
            required: false,
        },
        tabane_tabular::Column {
            key: "technical_staff",
            header_ja: "技術系職員数",
            header_en: "Technical staff",
            aliases: &["技術者数"],
            required: false,
        },
        tabane_tabular::Column {
            key: "construction_workers",
            header_ja: "建設業従業者数",
            header_en: "Construction workers",
            aliases: &[],
            required: false,
        },
    ],
};

pub async fn import_profiles<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    table: &tabane_tabular::Table,
) -> Result<usize> {
    use tabane_tabular::{FieldError, ImportReport};
    let bound = PROFILE_SCHEMA.bind(table).map_err(Error::Import)?;
    let today = crate::service::work_orders::today_jst();
    let locals = org::Entity::find()
        .filter(org::Column::Kind.is_in([OrgKind::Prefecture.key(), OrgKind::Municipality.key()]))
        .all(db)
        .await?;
    let mut report = ImportReport::new(bound.len());
    let mut ok = Vec::new();
    for row in bound.rows() {
        let code = tabane_tabular::to_halfwidth_ascii(row.get("lg_code")).trim().to_string();
        let target = locals
            .iter()
            .find(|o| o.lg_code.as_deref().is_some_and(|c| c == code || (code.len() == 5 && c.starts_with(&code))));
        let Some(target) = target else {
            report.add(row.error(
                "lg_code",
                FieldError::new(
                    format!("団体コード「{code}」の団体が見つかりません"),
                    "no organisation with this code",
                ),
            ));
            continue;
        };
        if !may_edit(db, ctx, target).await? {
            report.add(row.error(
                "lg_code",
                FieldError::new(
                    format!("{}の数値は登録できません（自団体か、県の職員なら県内の市町村のみ）", target.name),
                    "you may not set this organisation's figures",
                ),
            ));
            continue;
        }
        let f = ProfileForm {
            org_id: target.id.to_string(),
            as_of: row.get("as_of").into(),
            population: row.get("population").into(),
            decline_pct: row.get("decline_pct").into(),
            civil_staff: row.get("civil_staff").into(),
            technical_staff: row.get("technical_staff").into(),
            construction_workers: row.get("construction_workers").into(),
        };
        match check_profile(&f, today) {
            Ok((as_of, p)) => ok.push((target.clone(), as_of, p)),
            Err(problems) => {
                for p in problems.0 {
                    report.add(row.error(&p.field, p.to_field_error()));
                }
            }
        }
    }
    if !report.is_ok() {
        return Err(Error::Import(report));
    }
    let txn = db.begin().await?;
    for (target, as_of, p) in &ok {
        upsert(&txn, ctx, target, *as_of, p).await?;
    }
    txn.commit().await?;
    Ok(ok.len())
}
