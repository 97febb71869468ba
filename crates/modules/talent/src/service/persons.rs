//! デジタル人材 (the people of the pool, spec §2.1–2.2): who they are (sealed), what they do
//! (人材類型, 支援分野, 対応可能地域), how they are engaged, their experience and exams. Lists and
//! exports never open the sealed fields; 「個人情報を表示」 writes a personal-read audit entry first.
//! A company's staff see only the persons it employs; a municipality sees the pool without
//! personal fields.

use super::access::{self, PoolAccess, Side};
use crate::domain::{self, Engagement, Field, Kind, PersonStatus, Source};
use crate::entities::{check, experience, person, qualification};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::crypto::{self, EncryptedColumn};
use tabane_core::error::Problems;
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};
use tabane_talent_rules::matching::RegionScope;

const T: &str = "talent_persons";

/// The sealed columns (AAD `talent_persons.<field>:<id>`), for key rotation.
pub const COLUMNS: &[EncryptedColumn] = &[
    EncryptedColumn { table: T, id_col: "id", col: "name_enc", aad_prefix: "talent_persons.name:" },
    EncryptedColumn { table: T, id_col: "id", col: "kana_enc", aad_prefix: "talent_persons.kana:" },
    EncryptedColumn { table: T, id_col: "id", col: "email_enc", aad_prefix: "talent_persons.email:" },
    EncryptedColumn { table: T, id_col: "id", col: "phone_enc", aad_prefix: "talent_persons.phone:" },
    EncryptedColumn { table: T, id_col: "id", col: "notes_enc", aad_prefix: "talent_persons.notes:" },
];

pub fn columns() -> Vec<EncryptedColumn> {
    COLUMNS.to_vec()
}

/// 人材の登録. Lists are comma-separated (「プロデューサー,プロジェクトマネージャー」); 対応可能地域
/// one per comma or line (「中部地方」「静岡県」「下田市」).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPersonForm")]
pub struct PersonForm {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kana: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub engagement: String,
    #[serde(default)]
    pub employer_org_id: Option<i64>,
    #[serde(default)]
    pub types: String,
    #[serde(default)]
    pub regions: String,
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub main_duty: bool,
    #[serde(default)]
    pub main_duty_basis: String,
    #[serde(default)]
    pub status: String,
}

/// A person as lists show them (never personal fields).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PersonRow {
    pub person: person::Model,
    pub types: Vec<Kind>,
    pub fields: Vec<Field>,
    pub regions: Vec<String>,
    pub source: Option<Source>,
    pub engagement: Option<Engagement>,
    pub status: PersonStatus,
    /// Whether sealed personal fields are on file (shown as 登録済み).
    pub has_personal: bool,
}

pub fn row(p: person::Model) -> PersonRow {
    PersonRow {
        types: domain::split_keys(&p.types, Kind::parse),
        fields: domain::split_keys(&p.fields, Field::parse),
        regions: p.regions.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect(),
        source: Source::parse(&p.source),
        engagement: Engagement::parse(&p.engagement),
        status: PersonStatus::parse(&p.status).unwrap_or(PersonStatus::Candidate),
        has_personal: p.name_enc.is_some() || p.email_enc.is_some() || p.phone_enc.is_some(),
        person: p,
    }
}

/// 対応可能地域 as written: 「●●地方」, 「●●県」 (都・道・府), else a municipality.
pub fn region_scope(s: &str) -> RegionScope {
    let t = s.trim().to_string();
    if t.ends_with("地方") {
        RegionScope::Region(t)
    } else if t.ends_with('県') || t.ends_with('都') || t.ends_with('府') || t == "北海道" {
        RegionScope::Prefecture(t)
    } else {
        RegionScope::Municipality(t)
    }
}

/// The values of a list field; each unknown value is a problem naming the field and the choices.
pub fn list_field<T: Copy>(
    p: &mut Problems,
    field: &str,
    ja: &str,
    en: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    choices: String,
) -> Vec<T> {
    let mut out = Vec::new();
    for v in text.split([',', '、', '，', '／', '/', '\n']).map(str::trim).filter(|v| !v.is_empty()) {
        match parse(v) {
            Some(x) => out.push(x),
            None => p.push(
                field,
                ja,
                en,
                format!(": 「{v}」は選択肢にありません（{choices}）"),
                format!(": \"{v}\" is not one of the choices"),
            ),
        }
    }
    out
}

fn choices<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> String {
    all.iter().map(|x| label(*x)).collect::<Vec<_>>().join("／")
}

/// What a person form holds once checked.
fn pick<T>(
    p: &mut Problems,
    field: &str,
    ja: &str,
    en: &str,
    v: &str,
    parse: fn(&str) -> Option<T>,
    all: String,
) -> Option<T> {
    if v.trim().is_empty() {
        return None;
    }
    let r = parse(v);
    if r.is_none() {
        p.push(field, ja, en, format!(": 「{}」は選択肢にありません（{all}）", v.trim()), ": not one of the choices");
    }
    r
}

pub struct ValidPerson {
    pub types: Vec<Kind>,
    pub fields: Vec<Field>,
    pub regions: Vec<String>,
    pub source: Source,
    pub engagement: Engagement,
    pub status: PersonStatus,
}

pub fn check_form(f: &PersonForm) -> std::result::Result<ValidPerson, Problems> {
    let mut p = Problems::default();
    if f.label.trim().is_empty() && f.name.trim().is_empty() {
        p.push("label", "表示名", "Display name", "を入力してください", "is required");
    }
    let types = list_field(
        &mut p,
        "types",
        "人材類型",
        "Talent type",
        &f.types,
        Kind::parse,
        choices(Kind::ALL, Kind::label_ja),
    );
    if types.is_empty() && f.types.trim().is_empty() {
        p.push("types", "人材類型", "Talent type", ": 入力されていません", ": is required");
    }
    let fields = list_field(
        &mut p,
        "fields",
        "支援分野",
        "Field",
        &f.fields,
        Field::parse,
        choices(Field::ALL, Field::label_ja),
    );
    let regions: Vec<String> =
        f.regions.split([',', '、', '，', '\n']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect();
    if regions.is_empty() {
        p.push("regions", "対応可能地域", "Regions", ": 入力されていません", ": is required");
    }
    let source =
        pick(&mut p, "source", "供給源", "Source", &f.source, Source::parse, choices(Source::ALL, Source::label_ja))
            .unwrap_or(Source::Company);
    let engagement = pick(
        &mut p,
        "engagement",
        "任用形態",
        "Engagement",
        &f.engagement,
        Engagement::parse,
        choices(Engagement::ALL, Engagement::label_ja),
    )
    .unwrap_or(Engagement::Contracted);
    let status = pick(
        &mut p,
        "status",
        "状態",
        "Status",
        &f.status,
        PersonStatus::parse,
        choices(PersonStatus::ALL, PersonStatus::label_ja),
    )
    .unwrap_or(PersonStatus::Candidate);
    if f.main_duty && f.main_duty_basis.trim().is_empty() {
        p.push("main_duty_basis", "②の根拠", "Basis of the main duty", "を入力してください", "is required");
    }
    if !p.0.is_empty() {
        return Err(p);
    }
    Ok(ValidPerson { types, fields, regions, source, engagement, status })
}

fn seal(col: usize, id: i64, v: &str) -> Result<Option<String>> {
    let v = v.trim();
    if v.is_empty() { Ok(None) } else { crypto::seal(&COLUMNS[col].aad(&id.to_string()), v).map(Some) }
}

/// The blind index that finds the same person again (name + e-mail; none without an e-mail).
pub fn person_index(name: &str, email: &str) -> Result<Option<String>> {
    if name.trim().is_empty() || email.trim().is_empty() {
        return Ok(None);
    }
    crypto::blind_index(&format!("{}\n{}", name.trim(), email.trim().to_lowercase())).map(Some)
}

/// Inserts a checked person (the caller holds the transaction and has checked access).
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    pool_id: i64,
    f: &PersonForm,
    v: &ValidPerson,
) -> Result<person::Model> {
    let now = Utc::now();
    let label = if f.label.trim().is_empty() { f.name.trim().to_string() } else { f.label.trim().to_string() };
    let p = person::ActiveModel {
        pool_id: Set(pool_id),
        label: Set(label),
        name_enc: Set(None),
        kana_enc: Set(None),
        email_enc: Set(None),
        phone_enc: Set(None),
        notes_enc: Set(None),
        name_index: Set(person_index(&f.name, &f.email)?),
        source: Set(v.source.key().into()),
        engagement: Set(v.engagement.key().into()),
        employer_org_id: Set(f.employer_org_id),
        types: Set(domain::join_keys(&v.types, Kind::key)),
        regions: Set(v.regions.join("\n")),
        fields: Set(domain::join_keys(&v.fields, Field::key)),
        main_duty: Set(f.main_duty),
        main_duty_basis: Set(f.main_duty_basis.trim().into()),
        judgement_holds: Set(None),
        judged_by: Set(String::new()),
        judged_on: Set(None),
        judgement_reason: Set(String::new()),
        accelerator_status: Set("unchecked".into()),
        status: Set(v.status.key().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let id = p.id;
    let mut am = p.into_active_model();
    am.name_enc = Set(seal(0, id, &f.name)?);
    am.kana_enc = Set(seal(1, id, &f.kana)?);
    am.email_enc = Set(seal(2, id, &f.email)?);
    am.phone_enc = Set(seal(3, id, &f.phone)?);
    am.notes_enc = Set(seal(4, id, &f.notes)?);
    Ok(am.update(db).await?)
}

/// 人材の登録 (the prefecture's staff).
pub async fn create<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    pool_id: i64,
    f: &PersonForm,
) -> Result<PersonRow> {
    let a = access::pool(db, ctx, pool_id).await?;
    a.require_prefecture_staff()?;
    let v = check_form(f).map_err(|p| Error::Invalid(p.0))?;
    let txn = db.begin().await?;
    let p = insert(&txn, pool_id, f, &v).await?;
    audit::record(&txn, ctx, change(&a, "create", p.id, None, Some(&p))).await?;
    txn.commit().await?;
    Ok(row(p))
}

/// An audit change of a person (sealed fields are not serialised).
pub fn change<'a>(
    a: &PoolAccess,
    action: &'a str,
    id: i64,
    before: Option<&person::Model>,
    after: Option<&person::Model>,
) -> audit::Change<'a> {
    audit::Change {
        org_id: Some(a.pool.prefecture_org_id),
        bundle_id: Some(a.pool.bundle_id),
        action,
        entity: "talent_person",
        entity_id: id.to_string(),
        before: before.and_then(|m| serde_json::to_value(m).ok()),
        after: after.and_then(|m| serde_json::to_value(m).ok()),
    }
}

/// Whether the actor sees this person: the prefecture and municipalities all of the pool (without
/// personal fields), a company only those it employs.
fn sees(a: &PoolAccess, p: &person::Model) -> bool {
    a.side != Side::Company || (p.employer_org_id.is_some() && p.employer_org_id == a.org_id)
}

/// The pool's people as the actor may see them.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx, pool_id: i64) -> Result<(Vec<PersonRow>, PoolAccess)> {
    let a = access::pool(db, ctx, pool_id).await?;
    let all = person::Entity::find()
        .filter(person::Column::PoolId.eq(pool_id))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?;
    Ok((all.into_iter().filter(|p| sees(&a, p)).map(row).collect(), a))
}

/// A person and the actor's access, or `NotFound`.
pub async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(person::Model, PoolAccess)> {
    let p = person::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::pool(db, ctx, p.pool_id).await?;
    if !sees(&a, &p) {
        return Err(Error::NotFound);
    }
    Ok((p, a))
}

/// A person with experience, exams and the latest accelerator check.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PersonView {
    #[serde(flatten)]
    pub row: PersonRow,
    pub experience: Vec<experience::Model>,
    pub qualifications: Vec<qualification::Model>,
    pub latest_check: Option<check::Model>,
    pub accelerator_status: String,
    pub may_read_personal: bool,
    pub may_write: bool,
}

pub async fn view<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<PersonView> {
    let (p, a) = find(db, ctx, id).await?;
    let experience = experience::Entity::find()
        .filter(experience::Column::PersonId.eq(id))
        .order_by_asc(experience::Column::FromMonth)
        .all(db)
        .await?;
    let qualifications = qualification::Entity::find().filter(qualification::Column::PersonId.eq(id)).all(db).await?;
    let latest_check = if a.side == Side::Prefecture {
        check::Entity::find().filter(check::Column::PersonId.eq(id)).order_by_desc(check::Column::Id).one(db).await?
    } else {
        None
    };
    let status = super::accelerators::status_of(&p.accelerator_status).name_ja().to_string();
    Ok(PersonView {
        row: row(p),
        experience,
        qualifications,
        latest_check,
        accelerator_status: status,
        may_read_personal: a.may_read_personal(),
        may_write: a.side == Side::Prefecture && a.staff,
    })
}

/// The personal fields, opened.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPersonal")]
pub struct Personal {
    pub name: Option<String>,
    pub kana: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

pub fn open(p: &person::Model) -> Result<Personal> {
    let id = p.id.to_string();
    let o = |i: usize, v: &Option<String>| v.as_deref().map(|s| crypto::open(&COLUMNS[i].aad(&id), s)).transpose();
    Ok(Personal {
        name: o(0, &p.name_enc)?,
        kana: o(1, &p.kana_enc)?,
        email: o(2, &p.email_enc)?,
        phone: o(3, &p.phone_enc)?,
        notes: o(4, &p.notes_enc)?,
    })
}

/// 個人情報を表示: the audit entry is written before anything is opened.
pub async fn reveal<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<Personal> {
    let (p, a) = find(db, ctx, id).await?;
    if !a.may_read_personal() {
        return Err(Error::forbidden(
            "人材の個人情報は県（事務局）の担当者だけが表示できます",
            "Only the prefecture's staff may show a person's personal data",
        ));
    }
    audit::record_personal_read(db, ctx, change(&a, "read_personal", p.id, None, None)).await?;
    open(&p)
}

/// 状態の変更 (spec §2.1 arrows).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "TalentPersonStatusForm")]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
}

pub async fn set_status<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    id: i64,
    f: &StatusForm,
) -> Result<PersonRow> {
    let (p, a) = find(db, ctx, id).await?;
    a.require_prefecture_staff()?;
    let to = PersonStatus::parse(&f.status).ok_or_else(|| {
        Error::invalid(
            "status",
            "状態",
            "Status",
            format!("は次のいずれかです: {}", PersonStatus::choices_ja()),
            "is not one of the choices",
        )
    })?;
    let from = PersonStatus::parse(&p.status).unwrap_or(PersonStatus::Candidate);
    if !from.may_become(to) {
        return Err(Error::conflict(
            format!("「{}」から「{}」には変更できません", from.label_ja(), to.label_ja()),
            format!("Cannot go from {} to {}", from.label_en(), to.label_en()),
        ));
    }
    let txn = db.begin().await?;
    let before = p.clone();
    let mut am = p.into_active_model();
    am.status = Set(to.key().into());
    am.updated_at = Set(Utc::now());
    let p = am.update(&txn).await?;
    audit::record(&txn, ctx, change(&a, "status", p.id, Some(&before), Some(&p))).await?;
    txn.commit().await?;
    Ok(row(p))
}
