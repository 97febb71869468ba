//! 権限判断 (authorization policy). Every access decision of the platform is made here, so
//! that handlers never decide ad hoc. Functions return `Err(Error::Forbidden)` with a message
//! saying who may do the thing, or `bool` for visibility (callers turn an invisible record into
//! `NotFound`, so a user cannot learn that another organisation's record exists).

use crate::context::Ctx;
use crate::domain::{BundleRole, OrgKind, Role, Visibility};
use crate::entities::{bundle, organisation, survey};
use crate::error::{Error, Result};

/// The organisation directory (local governments, companies, JVs …) is public information and
/// readable by every signed-in user; a department is internal and visible only inside its
/// parent organisation.
pub fn org_visible(ctx: &Ctx, org: &organisation::Model) -> bool {
    if ctx.system_admin || org.kind != OrgKind::Department.key() {
        return true;
    }
    ctx.org_id.is_some() && (ctx.org_id == org.parent_id || ctx.org_id == Some(org.id))
}

/// Editing an organisation: its own administrators, the administrators of the parent of a
/// department, or a system administrator.
pub fn can_edit_org(ctx: &Ctx, org: &organisation::Model) -> Result<()> {
    let own_admin = ctx.has_role_in(org.id, Role::Admin);
    let parent_admin =
        org.kind == OrgKind::Department.key() && org.parent_id.is_some_and(|p| ctx.has_role_in(p, Role::Admin));
    if ctx.system_admin || own_admin || parent_admin {
        Ok(())
    } else {
        Err(Error::forbidden(
            "この組織を変更できるのは、その組織の管理者（部署は親組織の管理者）とシステム管理者です",
            "Only the organisation's administrators (for a department, those of its parent) or a system administrator may change it",
        ))
    }
}

/// Creating organisations: a department may be created by an administrator of its parent;
/// everything else (local governments, companies, JVs) by a system administrator, because
/// those records are shared by every tenant.
pub fn can_create_org(ctx: &Ctx, kind: OrgKind, parent_id: Option<i64>) -> Result<()> {
    if ctx.system_admin {
        return Ok(());
    }
    if kind == OrgKind::Department && parent_id.is_some_and(|p| ctx.has_role_in(p, Role::Admin)) {
        return Ok(());
    }
    Err(Error::forbidden(
        "部署は所属組織の管理者が、それ以外の組織はシステム管理者が登録します",
        "Departments are added by an administrator of their organisation; other organisations by a system administrator",
    ))
}

pub fn require_system_admin(ctx: &Ctx) -> Result<()> {
    if ctx.system_admin {
        Ok(())
    } else {
        Err(Error::forbidden("システム管理者のみが実行できます", "Only a system administrator may do this"))
    }
}

/// A bundle is visible to the organisations in it.
pub fn bundle_visible(ctx: &Ctx, member_org_ids: &[i64]) -> bool {
    ctx.system_admin || ctx.org_id.is_some_and(|o| member_org_ids.contains(&o))
}

/// What each role in a bundle may see of the records its members keep there:
/// - 発注者 (`owner`) and 受注者 (`contractor`): the records of the bundle's work, by the module's
///   own side rules (the owner decides, the contractor records);
/// - 幹事 (the lead organisation) and 事務局 (`secretariat`): everything shared with the bundle and
///   the records members share with the lead only;
/// - 構成員 (`member`) and オブザーバー (`observer`): records shared with the whole bundle, and their
///   own; never another member's own or lead-only records;
/// - an organisation outside its membership period (`valid_from`–`valid_to`): nothing of the
///   bundle (memberships not in force are not read at all, see `bundle_access::in_force`); its
///   own records stay its own.
///
/// `record_visible` is that rule for one record: `owner_org_id` keeps it, `visibility` says how far
/// it is shared, `my_role` is the acting organisation's role in force in the record's bundle.
pub fn record_visible(
    ctx: &Ctx,
    owner_org_id: i64,
    visibility: Visibility,
    my_role: Option<BundleRole>,
    lead_org_id: i64,
) -> bool {
    if ctx.system_admin || ctx.org_id == Some(owner_org_id) {
        return true;
    }
    let Some(role) = my_role else { return false };
    match visibility {
        Visibility::Own => false,
        Visibility::LeadOnly => ctx.org_id == Some(lead_org_id) || role == BundleRole::Secretariat,
        Visibility::Bundle => true,
    }
}

/// Creating a bundle: an administrator, who creates it with the acting organisation as 幹事.
pub fn can_create_bundle(ctx: &Ctx) -> Result<()> {
    if ctx.system_admin || ctx.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "束を作成できるのは組織の管理者です",
            "Only an organisation administrator may create a bundle",
        ))
    }
}

/// Managing a bundle (members, period, agreement): administrators of the lead organisation
/// (幹事) or of a member acting as secretariat (事務局).
pub fn can_manage_bundle(ctx: &Ctx, b: &bundle::Model, members: &[(i64, BundleRole)]) -> Result<()> {
    if ctx.system_admin || ctx.has_role_in(b.lead_org_id, Role::Admin) {
        return Ok(());
    }
    let secretariat =
        members.iter().any(|(org, role)| *role == BundleRole::Secretariat && ctx.has_role_in(*org, Role::Admin));
    if secretariat {
        return Ok(());
    }
    Err(Error::forbidden(
        "束の設定を変更できるのは幹事団体または事務局の管理者です",
        "Only administrators of the lead organisation or the secretariat may change the bundle",
    ))
}

/// Managing users and roles of an organisation: its administrators or a system administrator.
pub fn can_manage_users_of(ctx: &Ctx, org_id: i64) -> Result<()> {
    if ctx.system_admin || ctx.has_role_in(org_id, Role::Admin) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "利用者と権限を管理できるのはその組織の管理者です",
            "Only the organisation's administrators may manage its users",
        ))
    }
}

/// サービスアカウント (service accounts) and their tokens: the organisation's administrators or a
/// system administrator. A service account is never an administrator, so a token cannot
/// create further tokens.
pub fn can_manage_service_accounts(ctx: &Ctx, org_id: i64) -> Result<()> {
    if ctx.system_admin || ctx.has_role_in(org_id, Role::Admin) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "サービスアカウントとAPIトークンを管理できるのはその組織の管理者です",
            "Only the organisation's administrators may manage its service accounts and API tokens",
        ))
    }
}

/// Reading the audit log: administrators (their organisation's entries) and system administrators.
pub fn can_read_audit(ctx: &Ctx) -> Result<()> {
    if ctx.system_admin || ctx.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden("監査ログを閲覧できるのは管理者です", "Only administrators may read the audit log"))
    }
}

/// Ordinary writes (uploading a file, entering data) need at least the staff role.
pub fn can_write(ctx: &Ctx) -> Result<()> {
    if ctx.system_admin || ctx.role.is_some_and(|r| r >= Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "閲覧者は変更できません（担当者以上の権限が必要です）",
            "Viewers cannot make changes (staff role or higher needed)",
        ))
    }
}

/// 提出物の登録 (registering a deliverable): staff of the acting organisation, which becomes
/// its approver; it must be a member of the bundle (checked by the service).
pub fn can_register_deliverable(ctx: &Ctx) -> Result<()> {
    if ctx.org_id.is_some() && ctx.role.is_some_and(|r| r >= Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "提出物を登録できるのは承諾する団体の担当者以上です",
            "Only staff of the approving organisation may register a deliverable",
        ))
    }
}

/// 提出 (submitting a revision): staff of the submitter organisation only.
pub fn can_submit_deliverable(ctx: &Ctx, submitter_org_id: i64) -> Result<()> {
    if ctx.has_role_in(submitter_org_id, Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "提出できるのは提出者の団体の担当者以上です",
            "Only staff of the submitting organisation may submit",
        ))
    }
}

/// 承諾・差戻し・受理, 起算日の設定: staff of the approver (owner) organisation only.
pub fn can_decide_deliverable(ctx: &Ctx, owner_org_id: i64) -> Result<()> {
    if ctx.has_role_in(owner_org_id, Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "承諾・差戻し・受理ができるのは承諾する団体の担当者以上です",
            "Only staff of the approving organisation may decide",
        ))
    }
}

/// 変更のための再開 (reopening after 承諾): staff of the submitter (it wants to change the
/// document) or of the approver (it found the content inappropriate).
pub fn can_reopen_deliverable(ctx: &Ctx, owner_org_id: i64, submitter_org_id: i64) -> Result<()> {
    if ctx.has_role_in(owner_org_id, Role::Staff) || ctx.has_role_in(submitter_org_id, Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "再提出の手続きができるのは提出者または承諾する団体の担当者以上です",
            "Only staff of the submitting or approving organisation may reopen it",
        ))
    }
}

/// アンケートの閲覧 (seeing a survey, its recipients and results): the owner organisation and
/// the members of the survey's bundle (e.g. the PFI contractor that collects paper answers).
pub fn survey_visible(ctx: &Ctx, s: &survey::Model, bundle_member_org_ids: &[i64]) -> bool {
    ctx.system_admin
        || ctx.org_id == Some(s.owner_org_id)
        || (s.bundle_id.is_some() && ctx.org_id.is_some_and(|o| bundle_member_org_ids.contains(&o)))
}

/// アンケートの管理 (create, questions, publish, recipients): staff of the owner organisation.
/// Callers check [`survey_visible`] first, so others get `NotFound`, not this message.
pub fn can_manage_survey(ctx: &Ctx, s: &survey::Model) -> Result<()> {
    if ctx.system_admin || ctx.has_role_in(s.owner_org_id, Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "アンケートの設問・対象者・公開を変更できるのは実施団体の担当者です",
            "Only staff of the organisation running the survey may change its questions, recipients or status",
        ))
    }
}

/// 回答の入力 for one recipient: an organisation answers only for itself (its own staff), a user
/// for himself; 代理入力 (entering for a recipient, e.g. a paper answer) is for staff of the
/// survey's owner and of the organisations the owner named as proxies (`proxy_org_ids`). Other
/// members of the survey's bundle read the results and do not answer. Viewers never enter.
pub fn can_answer_for(
    ctx: &Ctx,
    s: &survey::Model,
    proxy_org_ids: &[i64],
    subject_ref: &str,
    label: &str,
    owner_name: &str,
) -> Result<()> {
    if ctx.system_admin {
        return Ok(());
    }
    if ctx.role.is_none_or(|r| r < Role::Staff) {
        return Err(Error::forbidden(
            "閲覧者は回答を入力できません（担当者以上の権限が必要です）",
            "Viewers cannot enter answers; staff role needed",
        ));
    }
    let proxy = ctx.org_id.is_some_and(|o| o == s.owner_org_id || proxy_org_ids.contains(&o));
    let itself = match subject_ref.split_once(':') {
        Some(("org", id)) => ctx.org_id.is_some_and(|o| o.to_string() == id),
        Some(("user", id)) => ctx.user_id.is_some_and(|u| u.to_string() == id),
        _ => false,
    };
    if proxy || itself {
        Ok(())
    } else {
        // R11 of the council spec: 「この回答は茨城県の担当者または実施団体（長野県）が入力します」.
        let (ja, en) = if proxy_org_ids.is_empty() {
            (
                format!("この回答は{label}の担当者または実施団体（{owner_name}）が入力します"),
                format!(
                    "Answers for {label} are entered by its own staff or by the survey's organisation ({owner_name})"
                ),
            )
        } else {
            (
                format!(
                    "この回答は{label}の担当者、実施団体（{owner_name}）または実施団体が指定した代理入力の団体が入力します"
                ),
                format!(
                    "Answers for {label} are entered by its own staff, the survey's organisation ({owner_name}) or a proxy it named"
                ),
            )
        };
        Err(Error::forbidden(ja, en))
    }
}

/// 督促の記録 (following up a non-respondent): staff of the survey's owner and of its proxies.
pub fn can_follow_up(ctx: &Ctx, s: &survey::Model, proxy_org_ids: &[i64]) -> Result<()> {
    let staff = ctx.role.is_some_and(|r| r >= Role::Staff);
    if ctx.system_admin || (staff && ctx.org_id.is_some_and(|o| o == s.owner_org_id || proxy_org_ids.contains(&o))) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "督促を記録できるのは実施団体または代理入力の団体の担当者です",
            "Only staff of the survey's organisation or of its proxies may record follow-ups",
        ))
    }
}

/// 会議の閲覧 (seeing a meeting series, its meetings, agenda, decisions and documents): the
/// series' organisation and the organisations in force in its bundle, whatever their role.
pub fn meeting_series_visible(ctx: &Ctx, owner_org_id: i64, my_role: Option<BundleRole>) -> bool {
    ctx.system_admin || ctx.org_id == Some(owner_org_id) || my_role.is_some()
}

/// 会議の設定 (dates, place, participants, agenda, decisions, cancelling): staff of the series'
/// organisation, who also approve the minutes. (A contractor prepares materials and minutes as
/// deliverables; it does not set the dates.)
pub fn can_manage_meetings(ctx: &Ctx, owner_org_id: i64, owner_name: &str) -> Result<()> {
    if ctx.system_admin || ctx.has_role_in(owner_org_id, Role::Staff) {
        Ok(())
    } else {
        Err(Error::forbidden(
            format!("会議の日程・議題は主催団体（{owner_name}）の担当者が設定します"),
            format!("Only staff of the organising body ({owner_name}) set the meeting's dates and agenda"),
        ))
    }
}

/// 宿題の状況 (marking an action item done or open again): the series' staff or staff of the
/// organisation the item was given to.
pub fn can_update_action(ctx: &Ctx, series_owner_org_id: i64, action_owner_org_id: Option<i64>) -> Result<()> {
    let staff_of = |org: i64| ctx.has_role_in(org, Role::Staff);
    if ctx.system_admin || staff_of(series_owner_org_id) || action_owner_org_id.is_some_and(staff_of) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "宿題の状況を変えられるのは主催団体または担当団体の担当者です",
            "Only staff of the organising body or of the organisation responsible may change an action item",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn ctx(org: i64, role: Role) -> Ctx {
        Ctx {
            user_id: Some(1),
            actor: "u".into(),
            system_admin: false,
            org_id: Some(org),
            role: Some(role),
            bundle_id: None,
            request_id: None,
        }
    }
    fn org(id: i64, kind: OrgKind, parent: Option<i64>) -> organisation::Model {
        let now = Utc::now();
        organisation::Model {
            id,
            kind: kind.key().into(),
            name: "x".into(),
            name_kana: None,
            lg_code: None,
            prefecture_code: None,
            parent_id: parent,
            valid_from: None,
            valid_to: None,
            address: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn departments_are_private_to_their_parent() {
        let dept = org(10, OrgKind::Department, Some(1));
        assert!(org_visible(&ctx(1, Role::Viewer), &dept));
        assert!(!org_visible(&ctx(2, Role::Admin), &dept));
        assert!(org_visible(&ctx(2, Role::Viewer), &org(1, OrgKind::Municipality, None)));
    }

    #[test]
    fn a_lead_only_record_is_read_by_its_owner_the_lead_and_the_secretariat_only() {
        use BundleRole::*;
        let (a, b, lead, sec) = (ctx(1, Role::Staff), ctx(2, Role::Staff), ctx(9, Role::Viewer), ctx(8, Role::Staff));
        let v = |c: &Ctx, role, vis| record_visible(c, 1, vis, role, 9);
        assert!(v(&a, Some(Member), Visibility::LeadOnly));
        assert!(!v(&b, Some(Member), Visibility::LeadOnly));
        assert!(v(&lead, Some(Owner), Visibility::LeadOnly));
        assert!(v(&sec, Some(Secretariat), Visibility::LeadOnly));
        assert!(!v(&sec, Some(Secretariat), Visibility::Own));
        assert!(v(&b, Some(Member), Visibility::Bundle));
        // Not (or no longer) in the bundle: nothing, whatever the record says.
        assert!(!v(&b, None, Visibility::Bundle));
        assert!(!v(&lead, None, Visibility::LeadOnly));
    }

    #[test]
    fn only_admins_edit() {
        let city = org(1, OrgKind::Municipality, None);
        assert!(can_edit_org(&ctx(1, Role::Admin), &city).is_ok());
        assert!(can_edit_org(&ctx(1, Role::Staff), &city).is_err());
        assert!(can_edit_org(&ctx(2, Role::Admin), &city).is_err());
        assert!(can_edit_org(&ctx(1, Role::Admin), &org(10, OrgKind::Department, Some(1))).is_ok());
    }
}
