//! 登録申請 (self-registration, spec §6–§7.3): a company, NPO, university or community group applies
//! on the portal with its 法人番号 (checked), a contact person and the login it wants; nothing exists
//! for it until the window approves, which creates the organisation, its first user (staff, with
//! the password the applicant chose — only its hash is ever stored) and its membership of the
//! platform bundle, in one transaction. The contact's name and e-mail are sealed.

use super::access;
use crate::entities::{platform, registration};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::crypto::{self, EncryptedColumn};
use tabane_core::domain::{BundleRole, OrgKind, Role};
use tabane_core::entities::{organisation, user};
use tabane_core::error::Problems;
use tabane_core::service::{accounts, audit, bundles, orgs};
use tabane_core::{Ctx, Error, Result};

pub const COLUMNS: &[EncryptedColumn] = &[
    EncryptedColumn {
        table: "pp_registrations",
        id_col: "id",
        col: "contact_name_enc",
        aad_prefix: "pp_registrations.contact_name:",
    },
    EncryptedColumn {
        table: "pp_registrations",
        id_col: "id",
        col: "email_enc",
        aad_prefix: "pp_registrations.email:",
    },
];

/// 法人番号 (13 digits): the first is the check digit, 9 − (Σ Pn × Qn mod 9) over the other twelve
/// counted from the right, Qn = 1 for odd n and 2 for even n (国税庁の法人番号の指定).
pub fn corporate_number_ok(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 13 || s.chars().count() != 13 {
        return false;
    }
    let sum: u32 = digits[1..].iter().rev().enumerate().map(|(i, d)| d * if i % 2 == 0 { 1 } else { 2 }).sum();
    digits[0] == 9 - sum % 9
}

/// 登録申請 as typed on the portal.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
#[schemars(rename = "PpRegistrationForm")]
pub struct RegistrationForm {
    #[serde(default)]
    pub org_name: String,
    /// company | npo | university | other
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub corporate_no: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub password: String,
}

fn kind_of(s: &str) -> Option<OrgKind> {
    OrgKind::parse(s).filter(|k| matches!(k, OrgKind::Company | OrgKind::Npo | OrgKind::University | OrgKind::Other))
}

/// Applies (signed out). Refusals name the field; nothing is written.
pub async fn apply<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    platform_id: i64,
    f: &RegistrationForm,
) -> Result<registration::Model> {
    let p = platform::Entity::find_by_id(platform_id).one(db).await?.ok_or(Error::NotFound)?;
    let mut pr = Problems::default();
    pr.required("org_name", "団体名", "Organisation", &f.org_name);
    if kind_of(&f.kind).is_none() {
        pr.push(
            "kind",
            "団体の種類",
            "Kind",
            "は企業・NPO・大学・その他のいずれかです",
            "is company, NPO, university or other",
        );
    }
    let corporate = tabane_tabular::to_halfwidth_ascii(f.corporate_no.trim()).into_owned();
    if !corporate.is_empty() && !corporate_number_ok(&corporate) {
        pr.push(
            "corporate_no",
            "法人番号",
            "Corporate number",
            "は13桁の法人番号を入力してください（検査用数字が合いません）",
            "must be a 13-digit corporate number",
        );
    }
    pr.required("contact_name", "担当者名", "Contact person", &f.contact_name);
    if !f.email.contains('@') {
        pr.push("email", "メールアドレス", "E-mail", "を入力してください", "is required");
    }
    let login = f.login.trim();
    if login.is_empty() || login.len() > 64 || !login.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c)) {
        pr.push(
            "login",
            "ログインID",
            "Login",
            "は半角英数字と . _ - @ の64文字以内です",
            "must be up to 64 ASCII letters, digits or . _ - @",
        );
    }
    accounts::check_password_rules(&mut pr, &f.password);
    let taken = user::Entity::find().filter(user::Column::Login.eq(login)).one(db).await?.is_some()
        || registration::Entity::find()
            .filter(registration::Column::Login.eq(login))
            .filter(registration::Column::Status.eq("pending"))
            .one(db)
            .await?
            .is_some();
    if !login.is_empty() && taken {
        pr.push("login", "ログインID", "Login", "は既に使われています", "is taken");
    }
    pr.into_result()?;
    let hash = accounts::hash_password(&f.password)?;
    let txn = db.begin().await?;
    let r = registration::ActiveModel {
        platform_id: Set(platform_id),
        org_name: Set(f.org_name.trim().into()),
        kind: Set(kind_of(&f.kind).map(|k| k.key()).unwrap_or("company").into()),
        corporate_no: Set(corporate),
        contact_name_enc: Set(None),
        email_enc: Set(None),
        login: Set(login.into()),
        password_hash: Set(hash),
        status: Set("pending".into()),
        decided_by: Set(None),
        decided_on: Set(None),
        org_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = r.id.to_string();
    let mut am = r.into_active_model();
    am.contact_name_enc = Set(Some(crypto::seal(&COLUMNS[0].aad(&id), f.contact_name.trim())?));
    am.email_enc = Set(Some(crypto::seal(&COLUMNS[1].aad(&id), f.email.trim())?));
    let r = am.update(&txn).await?;
    let portal = Ctx { actor: "portal".into(), system_admin: false, ..Ctx::cli() };
    audit::record(
        &txn,
        &portal,
        audit::Change {
            org_id: Some(p.owner_org_id),
            bundle_id: Some(p.bundle_id),
            action: "apply",
            entity: "pp_registration",
            entity_id: id,
            before: None,
            after: serde_json::to_value(&r).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}

/// Pending applications (the window).
pub async fn pending<C: ConnectionTrait>(db: &C, ctx: &Ctx, platform_id: i64) -> Result<Vec<registration::Model>> {
    let a = access::platform(db, ctx, platform_id).await?;
    if !a.is_window() {
        return Err(Error::NotFound);
    }
    Ok(registration::Entity::find()
        .filter(registration::Column::PlatformId.eq(platform_id))
        .filter(registration::Column::Status.eq("pending"))
        .order_by_asc(registration::Column::Id)
        .all(db)
        .await?)
}

async fn find<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<(registration::Model, access::PlatformAccess)> {
    let r = registration::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let a = access::platform(db, ctx, r.platform_id).await?;
    if !a.is_window() {
        return Err(Error::NotFound);
    }
    a.require_window()?;
    if r.status != "pending" {
        return Err(Error::conflict("この登録申請は処理済みです", "This application is already decided"));
    }
    Ok((r, a))
}

/// 承認: the organisation, its first user (staff) and its membership, in one transaction.
pub async fn approve<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<registration::Model> {
    let (r, a) = find(db, ctx, id).await?;
    if organisation::Entity::find().filter(organisation::Column::Name.eq(&r.org_name)).one(db).await?.is_some() {
        return Err(Error::conflict(
            format!("「{}」は既に登録されています", r.org_name),
            "The organisation already exists",
        ));
    }
    let contact = r
        .contact_name_enc
        .as_deref()
        .map(|s| crypto::open(&COLUMNS[0].aad(&r.id.to_string()), s))
        .transpose()?
        .unwrap_or_default();
    // The platform's own steps run with the operator's rights, after the window's check above;
    // the audit entries still name the window's user.
    let system = Ctx { system_admin: true, ..ctx.clone() };
    let txn = db.begin().await?;
    let o = orgs::create(
        &txn,
        &system,
        &orgs::OrgForm { kind: r.kind.clone(), name: r.org_name.clone(), ..Default::default() },
    )
    .await?;
    let as_org = Ctx { org_id: Some(o.id), role: Some(Role::Admin), ..system.clone() };
    // A throwaway password meets the rules; the applicant's own hash replaces it at once.
    let u = accounts::create_user(
        &txn,
        &as_org,
        &accounts::NewUser {
            login: r.login.clone(),
            display_name: contact,
            password: format!("tmp-{}-{}", r.id, uuid_like()),
            system_admin: false,
            role: Role::Staff.key().into(),
        },
    )
    .await?;
    let mut um = u.into_active_model();
    um.password_hash = Set(r.password_hash.clone());
    um.update(&txn).await?;
    let owner = Ctx { org_id: Some(a.platform.owner_org_id), role: Some(Role::Admin), ..system };
    bundles::set_member(&txn, &owner, a.platform.bundle_id, o.id, BundleRole::Member).await?;
    let mut am = r.into_active_model();
    am.status = Set("approved".into());
    am.decided_by = Set(Some(ctx.actor.clone()));
    am.decided_on = Set(Some(tabane_calendar::jst::today()));
    am.org_id = Set(Some(o.id));
    let r = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.platform.owner_org_id),
            bundle_id: Some(a.platform.bundle_id),
            action: "approve",
            entity: "pp_registration",
            entity_id: r.id.to_string(),
            before: None,
            after: serde_json::to_value(&r).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}

/// 却下 (the window).
pub async fn reject<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<registration::Model> {
    let (r, a) = find(db, ctx, id).await?;
    let txn = db.begin().await?;
    let mut am = r.into_active_model();
    am.status = Set("rejected".into());
    am.decided_by = Set(Some(ctx.actor.clone()));
    am.decided_on = Set(Some(tabane_calendar::jst::today()));
    let r = am.update(&txn).await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(a.platform.owner_org_id),
            bundle_id: Some(a.platform.bundle_id),
            action: "reject",
            entity: "pp_registration",
            entity_id: r.id.to_string(),
            before: None,
            after: serde_json::to_value(&r).ok(),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}

fn uuid_like() -> String {
    format!("{:x}", Utc::now().timestamp_nanos_opt().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::corporate_number_ok;

    #[test]
    fn the_corporate_number_check_digit() {
        assert!(corporate_number_ok("7000012050002"), "国税庁");
        assert!(!corporate_number_ok("8000012050002"));
        assert!(!corporate_number_ok("700001205000"));
        assert!(!corporate_number_ok("70000120500０2"));
    }
}
