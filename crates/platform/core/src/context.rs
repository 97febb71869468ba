//! 操作者の文脈 (acting context): who acts, for which organisation, in which role.
//!
//! Every service function that touches tenant data takes a `&Ctx` first. It is built once per
//! request from the session (or by the CLI for operator commands) and never from request input.

use crate::domain::Role;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Ctx {
    pub user_id: Option<i64>,
    /// Login of the actor, or "cli" for operator commands.
    pub actor: String,
    pub system_admin: bool,
    /// The organisation the user is acting for (chosen in the switcher).
    pub org_id: Option<i64>,
    pub role: Option<Role>,
    /// The bundle the user is working in, if any (chosen in the switcher).
    pub bundle_id: Option<i64>,
    pub request_id: Option<String>,
}

impl Ctx {
    /// The operator on the command line: a system administrator acting for no organisation.
    pub fn cli() -> Self {
        Self {
            user_id: None,
            actor: "cli".into(),
            system_admin: true,
            org_id: None,
            role: None,
            bundle_id: None,
            request_id: None,
        }
    }

    /// True when the user acts for `org_id` with at least `min` role.
    pub fn has_role_in(&self, org_id: i64, min: Role) -> bool {
        self.org_id == Some(org_id) && self.role.is_some_and(|r| r >= min)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }
}
