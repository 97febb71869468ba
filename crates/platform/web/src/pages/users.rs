//! 利用者 pages: users of the acting organisation, adding users, changing roles.

use crate::error::{AppError, AppResult};
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{self, UsersPage};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::domain::Role;
use tabane_core::service::accounts::{self, NewUser};

pub async fn list(State(st): State<Shared>, page: Page, Auth(info, _): Auth) -> AppResult<Response> {
    let users = accounts::list_users(&st.db, &info.ctx).await?;
    Ok(views::render(&UsersPage {
        chrome: page.chrome(),
        users,
        problems: vec![],
        login: String::new(),
        display_name: String::new(),
        message: None,
    })
    .into_response())
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Form(n): Form<NewUser>,
) -> AppResult<Response> {
    let n = NewUser { system_admin: false, ..n };
    match accounts::create_user(&st.db, &info.ctx, &n).await {
        Ok(_) => Ok(Redirect::to("/users").into_response()),
        Err(Error::Invalid(problems)) => {
            let users = accounts::list_users(&st.db, &info.ctx).await?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                views::render(&UsersPage {
                    chrome: page.chrome(),
                    users,
                    problems,
                    login: n.login,
                    display_name: n.display_name,
                    message: None,
                }),
            )
                .into_response())
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// Changes a user's role in the acting organisation; an empty role removes the membership.
pub async fn set_role(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(user_id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> AppResult<Response> {
    let org = info.ctx.org_id.ok_or(Error::NotFound)?;
    apply_role(&st, &info.ctx, user_id, org, &f.role).await?;
    Ok(Redirect::to("/users").into_response())
}

pub async fn apply_role(st: &Shared, ctx: &tabane_core::Ctx, user_id: i64, org: i64, role: &str) -> Result<(), Error> {
    if role.trim().is_empty() {
        accounts::revoke(&st.db, ctx, user_id, org).await
    } else {
        let r = Role::parse(role).ok_or_else(|| {
            Error::invalid(
                "role",
                "権限",
                "Role",
                "は 管理者・担当者・閲覧者 のいずれかです",
                "must be admin, staff or viewer",
            )
        })?;
        accounts::grant(&st.db, ctx, user_id, org, r).await
    }
}
