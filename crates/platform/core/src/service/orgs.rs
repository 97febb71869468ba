//! 組織 (organisations): the directory of local governments, departments and partners.

use crate::context::Ctx;
use crate::domain::OrgKind;
use crate::entities::organisation::{self, Column as C, Entity as Org};
use crate::error::{Error, Problems, Result};
use crate::lgcode::LgCode;
use crate::policy;
use crate::service::{Page, audit};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// What a person enters for an organisation (HTML form or JSON body). Parsed and checked by
/// [`validate`] before anything is written.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct OrgForm {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub name_kana: String,
    #[serde(default)]
    pub lg_code: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    #[serde(default)]
    pub address: String,
}

/// A checked organisation, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidOrg {
    pub kind: OrgKind,
    pub name: String,
    pub name_kana: Option<String>,
    pub lg_code: Option<LgCode>,
    pub parent_id: Option<i64>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub address: Option<String>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn date_field(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> Option<NaiveDate> {
    if v.trim().is_empty() {
        return None;
    }
    match tabane_calendar::parse_date(v) {
        Ok(d) => Some(d),
        Err(e) => {
            p.push(field, ja, en, e.message_ja(), e.message_en());
            None
        }
    }
}

pub fn validate(f: &OrgForm) -> Result<ValidOrg> {
    let mut p = Problems::default();
    let kind = OrgKind::parse(&f.kind);
    if kind.is_none() {
        p.push("kind", "種別", "Kind", format!("は次のいずれかです: {}", OrgKind::choices_ja()), "is not a known kind");
    }
    p.required("name", "名称", "Name", &f.name);
    let lg_code = match opt(&f.lg_code) {
        None => {
            if kind.is_some_and(|k| k.requires_lg_code()) {
                p.push(
                    "lg_code",
                    "団体コード",
                    "Local-government code",
                    "を入力してください（都道府県・市区町村は必須）",
                    "is required for prefectures and municipalities",
                );
            }
            None
        }
        Some(s) => match LgCode::parse(&s) {
            Ok(c) => Some(c),
            Err(e) => {
                p.push("lg_code", "団体コード", "Local-government code", e.to_string(), e.message_en());
                None
            }
        },
    };
    if let (Some(k), Some(c)) = (kind, &lg_code) {
        if k == OrgKind::Prefecture && !c.is_prefecture() {
            p.push(
                "lg_code",
                "団体コード",
                "Local-government code",
                "都道府県のコードは3〜5桁目が000です",
                "a prefecture's code has 000 in digits 3-5",
            );
        }
        if k == OrgKind::Municipality && c.is_prefecture() {
            p.push(
                "lg_code",
                "団体コード",
                "Local-government code",
                "は都道府県のコードです（種別を確認してください）",
                "is a prefecture's code (check the kind)",
            );
        }
    }
    let parent_id = match opt(&f.parent_id) {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                p.push(
                    "parent_id",
                    "所属組織",
                    "Parent organisation",
                    "は組織IDで指定してください",
                    "must be an organisation id",
                );
                None
            }
        },
    };
    if kind == Some(OrgKind::Department) && parent_id.is_none() {
        p.push(
            "parent_id",
            "所属組織",
            "Parent organisation",
            "部署には所属組織が必要です",
            "a department needs its organisation",
        );
    }
    let valid_from = date_field(&mut p, "valid_from", "有効開始日", "Valid from", &f.valid_from);
    let valid_to = date_field(&mut p, "valid_to", "有効終了日", "Valid to", &f.valid_to);
    if let (Some(a), Some(b)) = (valid_from, valid_to)
        && b < a
    {
        p.push("valid_to", "有効終了日", "Valid to", "が有効開始日より前です", "is before the start date");
    }
    p.into_result()?;
    Ok(ValidOrg {
        kind: kind.expect("checked"),
        name: f.name.trim().to_string(),
        name_kana: opt(&f.name_kana),
        lg_code,
        parent_id,
        valid_from,
        valid_to,
        address: opt(&f.address),
    })
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct OrgFilter {
    /// Name, kana or code contains this text.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub prefecture_code: Option<String>,
    pub page: Option<u64>,
}

/// The directory as the actor may see it: every non-department organisation, plus the
/// departments of the acting organisation.
fn visible(ctx: &Ctx) -> Condition {
    if ctx.system_admin {
        return Condition::all();
    }
    let mut c = Condition::any().add(C::Kind.ne(OrgKind::Department.key()));
    if let Some(org) = ctx.org_id {
        c = c.add(C::ParentId.eq(org)).add(C::Id.eq(org));
    }
    c
}

pub async fn list<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    f: &OrgFilter,
    per_page: u64,
) -> Result<Page<organisation::Model>> {
    let mut q = Org::find().filter(visible(ctx));
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        q = q.filter(
            Condition::any()
                .add(C::Name.contains(text))
                .add(C::NameKana.contains(text))
                .add(C::LgCode.starts_with(text)),
        );
    }
    if let Some(k) = f.kind.as_deref().and_then(OrgKind::parse) {
        q = q.filter(C::Kind.eq(k.key()));
    }
    if let Some(p) = f.prefecture_code.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(C::PrefectureCode.eq(p));
    }
    let total = q.clone().count(db).await?;
    let page = f.page.unwrap_or(1).max(1);
    let items =
        q.order_by_asc(C::LgCode).order_by_asc(C::Id).offset((page - 1) * per_page).limit(per_page).all(db).await?;
    Ok(Page { items, total, page, per_page })
}

/// Finds one organisation as the actor sees it; an invisible one is `NotFound`.
pub async fn get<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<organisation::Model> {
    let org = Org::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    if policy::org_visible(ctx, &org) { Ok(org) } else { Err(Error::NotFound) }
}

/// The name of the 団体 an organisation belongs to: the top of its parents (「長野県」 for its
/// 信州暮らし推進係), as refusals name the 実施団体.
pub async fn local_government_name<C: ConnectionTrait>(db: &C, org_id: i64) -> Result<String> {
    let mut id = org_id;
    let mut name = String::new();
    // Bounded: an organisation tree is a few levels deep; a cycle cannot loop for ever.
    for _ in 0..8 {
        let Some(o) = Org::find_by_id(id).one(db).await? else { break };
        name = o.name;
        match o.parent_id {
            Some(p) => id = p,
            None => break,
        }
    }
    Ok(name)
}

/// Departments of an organisation (visible only inside it) and the member firms of a JV.
pub async fn children<D: ConnectionTrait>(db: &D, ctx: &Ctx, org_id: i64) -> Result<Vec<organisation::Model>> {
    let parent = get(db, ctx, org_id).await?;
    let rows = Org::find().filter(C::ParentId.eq(parent.id)).order_by_asc(C::Id).all(db).await?;
    Ok(rows.into_iter().filter(|o| policy::org_visible(ctx, o)).collect())
}

/// Looks an organisation up by 団体コード (current code first), as the actor sees it.
pub async fn find_by_code<D: ConnectionTrait>(db: &D, ctx: &Ctx, code: &str) -> Result<organisation::Model> {
    let org =
        Org::find().filter(C::LgCode.eq(code)).order_by_desc(C::ValidFrom).one(db).await?.ok_or(Error::NotFound)?;
    if policy::org_visible(ctx, &org) { Ok(org) } else { Err(Error::NotFound) }
}

async fn check_parent<D: ConnectionTrait>(db: &D, ctx: &Ctx, v: &ValidOrg) -> Result<()> {
    if let Some(pid) = v.parent_id {
        let parent = get(db, ctx, pid).await.map_err(|_| {
            Error::invalid("parent_id", "所属組織", "Parent organisation", "が見つかりません", "was not found")
        })?;
        if parent.kind == OrgKind::Department.key() && v.kind != OrgKind::Department {
            return Err(Error::invalid(
                "parent_id",
                "所属組織",
                "Parent organisation",
                "に部署は指定できません",
                "cannot be a department",
            ));
        }
    }
    Ok(())
}

async fn check_code_unique<D: ConnectionTrait>(db: &D, v: &ValidOrg, except: Option<i64>) -> Result<()> {
    if let Some(code) = &v.lg_code {
        let mut q = Org::find().filter(C::LgCode.eq(code.as_str()));
        if let Some(id) = except {
            q = q.filter(C::Id.ne(id));
        }
        for other in q.all(db).await? {
            if periods_overlap(other.valid_from, other.valid_to, v.valid_from, v.valid_to) {
                return Err(Error::invalid(
                    "lg_code",
                    "団体コード",
                    "Local-government code",
                    format!("「{}」は有効期間が重なる「{}」（ID {}）が使っています", code, other.name, other.id),
                    format!(
                        "\"{code}\" is already used by \"{}\" (id {}) for an overlapping period",
                        other.name, other.id
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Two validity periods overlap (open ends extend forever).
pub fn periods_overlap(
    a0: Option<NaiveDate>,
    a1: Option<NaiveDate>,
    b0: Option<NaiveDate>,
    b1: Option<NaiveDate>,
) -> bool {
    let start_a = a0.unwrap_or(NaiveDate::MIN);
    let end_a = a1.unwrap_or(NaiveDate::MAX);
    let start_b = b0.unwrap_or(NaiveDate::MIN);
    let end_b = b1.unwrap_or(NaiveDate::MAX);
    start_a <= end_b && start_b <= end_a
}

pub(crate) fn active_model(v: &ValidOrg) -> organisation::ActiveModel {
    let now = Utc::now();
    organisation::ActiveModel {
        kind: Set(v.kind.key().to_string()),
        name: Set(v.name.clone()),
        name_kana: Set(v.name_kana.clone()),
        prefecture_code: Set(v.lg_code.as_ref().map(|c| c.prefecture_code().to_string())),
        lg_code: Set(v.lg_code.as_ref().map(|c| c.to_string())),
        parent_id: Set(v.parent_id),
        valid_from: Set(v.valid_from),
        valid_to: Set(v.valid_to),
        address: Set(v.address.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn create<D: TransactionTrait>(db: &D, ctx: &Ctx, f: &OrgForm) -> Result<organisation::Model> {
    let v = validate(f)?;
    policy::can_create_org(ctx, v.kind, v.parent_id)?;
    let txn = db.begin().await?;
    check_parent(&txn, ctx, &v).await?;
    check_code_unique(&txn, &v, None).await?;
    let org = active_model(&v).insert(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org.parent_id.unwrap_or(org.id)),
            bundle_id: None,
            action: "create",
            entity: "organisation",
            entity_id: org.id.to_string(),
            before: None,
            after: Some(serde_json::to_value(&org).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(org)
}

pub async fn update<D: TransactionTrait>(db: &D, ctx: &Ctx, id: i64, f: &OrgForm) -> Result<organisation::Model> {
    let v = validate(f)?;
    let txn = db.begin().await?;
    let before = get(&txn, ctx, id).await?;
    policy::can_edit_org(ctx, &before)?;
    if v.kind.key() != before.kind && !ctx.system_admin {
        return Err(Error::forbidden(
            "組織の種別を変更できるのはシステム管理者です",
            "Only a system administrator may change an organisation's kind",
        ));
    }
    if v.parent_id == Some(id) {
        return Err(Error::invalid(
            "parent_id",
            "所属組織",
            "Parent organisation",
            "に自分自身は指定できません",
            "cannot be the organisation itself",
        ));
    }
    check_parent(&txn, ctx, &v).await?;
    check_code_unique(&txn, &v, Some(id)).await?;
    let mut am = active_model(&v);
    am.id = Set(id);
    am.created_at = Set(before.created_at);
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(after.parent_id.unwrap_or(after.id)),
            bundle_id: None,
            action: "update",
            entity: "organisation",
            entity_id: id.to_string(),
            before: Some(serde_json::to_value(&before).map_err(anyhow::Error::from)?),
            after: Some(serde_json::to_value(&after).map_err(anyhow::Error::from)?),
        },
    )
    .await?;
    // Loaded sessions may name what changed here.
    crate::service::revisions::bump(&txn, crate::service::revisions::AUTH).await?;
    txn.commit().await?;
    Ok(after)
}
