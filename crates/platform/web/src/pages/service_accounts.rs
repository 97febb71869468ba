//! サービスアカウント pages and JSON: an organisation administrator creates an account for
//! another system with its scopes, copies the token shown once, issues further tokens (for
//! rotation) and revokes them; the list shows each token's last use. The routes are declared
//! here, beside their handlers.

use crate::api::describe::Created;
use crate::error::{AppError, AppResult};
use crate::filters;
use crate::flash::see_other;
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{Chrome, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use serde::Deserialize;
use std::sync::Arc;
use tabane_core::Error;
use tabane_core::entities::api_token;
use tabane_core::error::FieldProblem;
use tabane_core::service::service_accounts::{self as sa, IssuedToken, NewServiceAccount, ServiceAccountView};

/// An area a scope may name, with its name in the menu.
#[derive(Clone, Copy, Debug)]
pub struct Area {
    pub key: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
}

/// The areas a scope may name: the platform's and each mounted module's (installed by `app`).
#[derive(Clone, Default)]
pub struct Areas(pub Arc<Vec<Area>>);

impl Areas {
    pub fn of(modules: &[crate::Module]) -> Self {
        let platform = Area {
            key: sa::PLATFORM_AREA,
            ja: "共通機能（組織・束・ファイル・アンケート等）",
            en: "Platform (organisations, bundles, files, surveys…)",
        };
        let modules = modules.iter().map(|m| Area { key: m.key, ja: m.nav.ja, en: m.nav.en });
        Areas(Arc::new(std::iter::once(platform).chain(modules).collect()))
    }
    fn keys(&self) -> Vec<&'static str> {
        self.0.iter().map(|a| a.key).collect()
    }
}

#[derive(Template)]
#[template(path = "service_accounts.html")]
pub struct AccountsPage {
    pub chrome: Chrome,
    pub accounts: Vec<ServiceAccountView>,
    pub areas: Vec<Area>,
    /// The token just issued: shown on this answer only, never stored in the clear.
    pub issued: Option<IssuedToken>,
    pub problems: Vec<FieldProblem>,
    pub name: String,
    pub expires_on: String,
}

impl AccountsPage {
    /// 「有効」「失効」「期限切れ」 for a token.
    pub fn token_state(&self, t: &api_token::Model) -> &'static str {
        let en = self.chrome.l.is_en();
        if t.revoked_at.is_some() {
            if en { "revoked" } else { "失効" }
        } else if t.expires_at.is_some_and(|e| e < chrono::Utc::now()) {
            if en { "expired" } else { "期限切れ" }
        } else if en {
            "active"
        } else {
            "有効"
        }
    }
    pub fn area_label(&self, area: &str) -> String {
        match self.areas.iter().find(|a| a.key == area) {
            Some(a) => self.chrome.l.t(a.ja, a.en).to_string(),
            None => area.to_string(),
        }
    }
    /// The last day a token works (its expiry is the end of that day in JST).
    pub fn until(&self, expires_at: &chrono::DateTime<chrono::Utc>) -> String {
        let day = tabane_calendar::jst::at(*expires_at - chrono::Duration::seconds(1)).date_naive();
        format!("{}{}", day.format("%Y-%m-%d"), self.chrome.l.t(" まで", " (last day)"))
    }
}

async fn page(
    st: &Shared,
    p: &Page,
    ctx: &tabane_core::Ctx,
    areas: &Areas,
    issued: Option<IssuedToken>,
    problems: Vec<FieldProblem>,
    form: Option<&NewServiceAccount>,
) -> AppResult<Response> {
    let accounts = sa::list(&st.db, ctx).await?;
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = render(&AccountsPage {
        chrome: p.chrome(),
        accounts,
        areas: areas.0.to_vec(),
        issued,
        problems,
        name: form.map(|f| f.name.clone()).unwrap_or_default(),
        expires_on: form.map(|f| f.expires_on.clone()).unwrap_or_default(),
    });
    // The answer may hold a token: no cache may keep it.
    Ok((status, [(header::CACHE_CONTROL, "no-store")], html).into_response())
}

/// A service account belongs to the organisation one acts for.
fn acting_org(ctx: &tabane_core::Ctx) -> Result<i64, Error> {
    ctx.org_id.ok_or_else(|| {
        Error::forbidden(
            "組織を選んでから作成してください（画面上部の切替）",
            "Choose the organisation to act for first (switcher at the top)",
        )
    })
}

pub async fn list(
    State(st): State<Shared>,
    p: Page,
    Auth(info, _): Auth,
    Extension(areas): Extension<Areas>,
) -> AppResult<Response> {
    page(&st, &p, &info.ctx, &areas, None, vec![], None).await
}

/// The form: `name`, `expires_on`, and one `scope.<area>` field per area (`""`, `read`, `write`).
fn form_of(fields: &[(String, String)]) -> NewServiceAccount {
    let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
    NewServiceAccount {
        name: get("name"),
        expires_on: get("expires_on"),
        scopes: fields
            .iter()
            .filter_map(|(k, v)| Some(format!("{}:{v}", k.strip_prefix("scope.")?)))
            .filter(|s| !s.ends_with(':'))
            .collect(),
    }
}

pub async fn create(
    State(st): State<Shared>,
    p: Page,
    Auth(info, _): Auth,
    Extension(areas): Extension<Areas>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let n = form_of(&fields);
    let org = acting_org(&info.ctx)?;
    match sa::create(&st.db, &info.ctx, org, &n, &areas.keys()).await {
        Ok(issued) => page(&st, &p, &info.ctx, &areas, Some(issued), vec![], None).await,
        Err(Error::Invalid(problems)) => page(&st, &p, &info.ctx, &areas, None, problems, Some(&n)).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    expires_on: String,
}

pub async fn issue(
    State(st): State<Shared>,
    p: Page,
    Auth(info, _): Auth,
    Extension(areas): Extension<Areas>,
    Path(id): Path<i64>,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    match sa::issue_token(&st.db, &info.ctx, id, &f.expires_on).await {
        Ok(issued) => page(&st, &p, &info.ctx, &areas, Some(issued), vec![], None).await,
        Err(Error::Invalid(problems)) => page(&st, &p, &info.ctx, &areas, None, problems, None).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn revoke(
    State(st): State<Shared>,
    p: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let t = sa::revoke_token(&st.db, &info.ctx, id).await?;
    let msg = format!("{} {}", t.hint, p.lang.t("を失効させました", "revoked"));
    Ok(see_other("/service-accounts", &msg))
}

// --- JSON twins -------------------------------------------------------------------------------

pub async fn api_list(State(st): State<Shared>, Auth(info, _): Auth) -> AppResult<Json<Vec<ServiceAccountView>>> {
    Ok(Json(sa::list(&st.db, &info.ctx).await?))
}

/// Body: `{"name", "scopes": ["infra:read", …], "expires_on"}`. The answer holds the token.
pub async fn api_create(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Extension(areas): Extension<Areas>,
    Json(n): Json<NewServiceAccount>,
) -> AppResult<Created<IssuedToken>> {
    let org = acting_org(&info.ctx)?;
    Ok(Created(sa::create(&st.db, &info.ctx, org, &n, &areas.keys()).await?))
}

pub async fn api_issue(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<TokenFormJson>,
) -> AppResult<Created<IssuedToken>> {
    Ok(Created(sa::issue_token(&st.db, &info.ctx, id, &f.expires_on).await?))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct TokenFormJson {
    #[serde(default)]
    pub expires_on: String,
}

pub async fn api_revoke(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<api_token::Model>> {
    Ok(Json(sa::revoke_token(&st.db, &info.ctx, id).await?))
}

pub(crate) fn routes() -> Vec<crate::routes::RouteDef> {
    use crate::{api_route, route};
    vec![
        route!(get, "/service-accounts", Tenant, "service-accounts", "サービスアカウントとAPIトークン", list),
        route!(
            post,
            "/service-accounts",
            Tenant,
            "service-accounts",
            "サービスアカウントの作成（トークンを一度だけ表示）",
            create
        ),
        route!(post, "/service-accounts/{id}/tokens", Tenant, "service-accounts", "トークンの追加発行", issue),
        route!(post, "/service-accounts/tokens/{id}/revoke", Tenant, "service-accounts", "トークンの失効", revoke),
        api_route!(
            get,
            "/api/service-accounts",
            Tenant,
            "service-accounts",
            "サービスアカウントとトークン（最終利用日時つき）",
            api_list
        ),
        api_route!(
            post,
            "/api/service-accounts",
            Tenant,
            "service-accounts",
            "サービスアカウントの作成（name, scopes, expires_on）: 応答にだけトークンが入る",
            api_create
        ),
        api_route!(
            post,
            "/api/service-accounts/{id}/tokens",
            Tenant,
            "service-accounts",
            "トークンの追加発行（expires_on）",
            api_issue
        ),
        api_route!(
            delete,
            "/api/service-accounts/tokens/{id}",
            Tenant,
            "service-accounts",
            "トークンの失効",
            api_revoke
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_turns_per_area_choices_into_scopes() {
        let f = |k: &str, v: &str| (k.to_string(), v.to_string());
        let n = form_of(&[
            f("name", "GIS連携"),
            f("scope.platform", ""),
            f("scope.infra", "read"),
            f("scope.housing", "write"),
            f("expires_on", "2027-03-31"),
        ]);
        assert_eq!(n.name, "GIS連携");
        assert_eq!(n.scopes, vec!["infra:read".to_string(), "housing:write".to_string()]);
        assert_eq!(n.expires_on, "2027-03-31");
    }
}
