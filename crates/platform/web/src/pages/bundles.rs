//! 束 pages: list, create, detail with members and agreement document.

use crate::error::{AppError, AppResult};
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{self, BundleListPage, BundleNewPage, BundleShowPage};
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::domain::BundleRole;
use tabane_core::error::FieldProblem;
use tabane_core::service::bundles::{self, BundleForm, BundleView};
use tabane_core::service::{files, orgs};

pub async fn list(State(st): State<Shared>, page: Page, Auth(info, _): Auth) -> AppResult<views::Rendered> {
    Ok(views::render(&BundleListPage { chrome: page.chrome(), bundles: bundles::list(&st.db, &info.ctx).await? }))
}

pub async fn new_form(page: Page) -> views::Rendered {
    views::render(&BundleNewPage {
        chrome: page.chrome(),
        form: BundleForm { scheme: "joint_procurement".into(), ..Default::default() },
        problems: vec![],
    })
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Form(form): Form<BundleForm>,
) -> AppResult<Response> {
    match bundles::create(&st.db, &info.ctx, &form).await {
        Ok(b) => Ok(Redirect::to(&format!("/bundles/{}", b.id)).into_response()),
        Err(Error::Invalid(problems)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            views::render(&BundleNewPage { chrome: page.chrome(), form, problems }),
        )
            .into_response()),
        Err(e) => Err(AppError(e)),
    }
}

fn form_of(v: &BundleView) -> BundleForm {
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    BundleForm {
        name: v.bundle.name.clone(),
        scheme: v.bundle.scheme.clone(),
        period_start: d(v.bundle.period_start),
        period_end: d(v.bundle.period_end),
        description: v.bundle.description.clone().unwrap_or_default(),
    }
}

async fn render_show(
    st: &Shared,
    page: &Page,
    info: &tabane_core::service::sessions::SessionInfo,
    id: i64,
    form: Option<BundleForm>,
    problems: Vec<FieldProblem>,
    message: Option<String>,
) -> AppResult<Response> {
    let view = bundles::get(&st.db, &info.ctx, id).await?;
    let candidates = if view.can_manage {
        let all = orgs::list(&st.db, &info.ctx, &Default::default(), 5000).await?.items;
        all.into_iter().filter(|o| o.kind != "department" && !view.members.iter().any(|m| m.org_id == o.id)).collect()
    } else {
        vec![]
    };
    let status =
        if problems.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let form = form.unwrap_or_else(|| form_of(&view));
    Ok((status, views::render(&BundleShowPage { chrome: page.chrome(), view, form, problems, candidates, message }))
        .into_response())
}

pub async fn show(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render_show(&st, &page, &info, id, None, vec![], None).await
}

pub async fn update(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(form): Form<BundleForm>,
) -> AppResult<Response> {
    match bundles::update(&st.db, &info.ctx, id, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/bundles/{id}")).into_response()),
        Err(Error::Invalid(problems)) => render_show(&st, &page, &info, id, Some(form), problems, None).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct MemberForm {
    org_id: String,
    role: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
}

pub async fn set_member(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<MemberForm>,
) -> AppResult<Response> {
    let org = super::int(&f.org_id)
        .ok_or_else(|| Error::invalid("org_id", "団体", "Organisation", "を選んでください", "is required"))?;
    let role = BundleRole::parse(&f.role)
        .ok_or_else(|| Error::invalid("role", "役割", "Role", "が正しくありません", "is not a known role"))?;
    let period = bundles::Period::parse(&f.valid_from, &f.valid_to)?;
    bundles::set_member_for(&st.db, &info.ctx, id, org, role, Some(period)).await?;
    Ok(Redirect::to(&format!("/bundles/{id}")).into_response())
}

pub async fn remove_member(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path((id, org_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    bundles::remove_member(&st.db, &info.ctx, id, org_id).await?;
    Ok(Redirect::to(&format!("/bundles/{id}")).into_response())
}

pub async fn upload_agreement(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    // Check visibility and rights before accepting bytes.
    let view = bundles::get(&st.db, &info.ctx, id).await?;
    if !view.can_manage {
        return Err(AppError(Error::forbidden(
            "協定書を登録できるのは幹事団体または事務局の管理者です",
            "Only the lead or secretariat administrators may upload the agreement",
        )));
    }
    let (name, bytes, _) = super::orgs::read_upload(mp).await?;
    let f = files::store(&st.db, &st.files, &info.ctx, &name, &bytes, Some(id)).await?;
    bundles::set_agreement(&st.db, &info.ctx, id, f.id).await?;
    Ok(Redirect::to(&format!("/bundles/{id}")).into_response())
}
