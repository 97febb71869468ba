//! 定期点検 pages and JSON.

use super::views::L;
use crate::service::inspections::{self, InspectionForm, InspectionView, MemberForm};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use tabane_core::error::FieldProblem;
use tabane_core::{Ctx, Error};
use tabane_web::api::answers::Imported;
use tabane_web::api::describe::{Created, JsonBody};
use tabane_web::error::{AppError, AppResult};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra/inspections.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub l: L,
    pub rows: Vec<(crate::entities::inspection::Model, String)>,
    pub overdue: Vec<(crate::entities::asset::Model, Option<chrono::NaiveDate>)>,
    pub problems: Vec<FieldProblem>,
    pub form: FlatForm,
}

#[derive(Template)]
#[template(path = "infra/inspection.html")]
pub struct ShowPage {
    pub chrome: Chrome,
    pub v: InspectionView,
}

impl ShowPage {
    pub fn grade(&self, g: &Option<i32>) -> &'static str {
        g.map(|g| crate::domain::grade_label(g as u8)).unwrap_or("—")
    }
    pub fn suggested(&self, g: &Option<u8>) -> &'static str {
        g.map(crate::domain::grade_label).unwrap_or("")
    }
}

/// The HTML form: the inspection plus at most one member row.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct FlatForm {
    pub asset_id: String,
    pub inspected_on: String,
    #[serde(default)]
    pub inspector: String,
    #[serde(default)]
    pub firm: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub member: String,
    #[serde(default)]
    pub judgement: String,
    #[serde(default)]
    pub defect: String,
    #[serde(default)]
    pub measure: String,
}

impl FlatForm {
    fn to_form(&self) -> InspectionForm {
        let members = if self.member.trim().is_empty() {
            vec![]
        } else {
            vec![MemberForm {
                member: self.member.clone(),
                judgement: self.judgement.clone(),
                defect: self.defect.clone(),
                measure: self.measure.clone(),
                photo_file_id: String::new(),
            }]
        };
        InspectionForm {
            asset_id: self.asset_id.clone(),
            inspected_on: self.inspected_on.clone(),
            inspector: self.inspector.clone(),
            firm: self.firm.clone(),
            grade: self.grade.clone(),
            members,
            ..Default::default()
        }
    }
}

async fn list_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    form: FlatForm,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let rows = inspections::list(&st.db, ctx, 200).await?;
    let overdue = inspections::overdue(&st.db, ctx, crate::service::work_orders::today_jst()).await.unwrap_or_default();
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        render(&ListPage { chrome: page.chrome(), l: L { en: page.lang.is_en() }, rows, overdue, problems, form }),
    )
        .into_response())
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(i, _): Auth) -> AppResult<Response> {
    list_page(&st, &page, &i.ctx, FlatForm::default(), vec![]).await
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<FlatForm>,
) -> AppResult<Response> {
    match inspections::create(&st.db, &i.ctx, &f.to_form()).await {
        Ok(x) => Ok(Redirect::to(&format!("/infra/inspections/{}", x.id)).into_response()),
        Err(Error::Invalid(p)) => list_page(&st, &page, &i.ctx, f, p).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    let v = inspections::view(&st.db, &i.ctx, id).await?;
    Ok(render(&ShowPage { chrome: page.chrome(), v }).into_response())
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct ConfirmForm {
    #[serde(default)]
    pub grade: String,
}

pub async fn confirm(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    inspections::confirm(&st.db, &i.ctx, id, &f.grade).await?;
    Ok(Redirect::to(&format!("/infra/inspections/{id}")).into_response())
}

/// An inspection with the name of its asset.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct InspectionRow {
    pub inspection: crate::entities::inspection::Model,
    pub asset_name: String,
}

pub async fn api_list(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Vec<InspectionRow>>> {
    let rows = inspections::list(&st.db, &i.ctx, 1000).await?;
    Ok(Json(rows.into_iter().map(|(inspection, asset_name)| InspectionRow { inspection, asset_name }).collect()))
}
pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<InspectionForm>,
) -> AppResult<Created<crate::entities::inspection::Model>> {
    Ok(Created(inspections::create(&st.db, &i.ctx, &f).await?))
}
pub async fn api_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<InspectionView>> {
    Ok(Json(inspections::view(&st.db, &i.ctx, id).await?))
}
pub async fn api_confirm(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    JsonBody(f): JsonBody<GradeBody>,
) -> AppResult<Json<crate::entities::inspection::Model>> {
    Ok(Json(inspections::confirm(&st.db, &i.ctx, id, &f.grade).await?))
}

/// The grade to confirm (健全性 I–IV).
#[derive(Deserialize, schemars::JsonSchema)]
pub struct GradeBody {
    #[serde(default)]
    pub grade: String,
}

/// An asset whose periodic inspection is due.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct OverdueAsset {
    pub asset_id: i64,
    pub name: String,
    pub kind: String,
    pub next_due: Option<chrono::NaiveDate>,
}
pub async fn api_overdue(State(st): State<Shared>, Auth(i, _): Auth) -> AppResult<Json<Vec<OverdueAsset>>> {
    let rows = inspections::overdue(&st.db, &i.ctx, crate::service::work_orders::today_jst()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(a, next_due)| OverdueAsset { asset_id: a.id, name: a.name, kind: a.kind, next_due })
            .collect(),
    ))
}
#[derive(Deserialize, schemars::JsonSchema)]
pub struct RepairBody {
    pub repair_status: String,
    pub work_order_id: Option<i64>,
}
pub async fn api_repair_status(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(b): Json<RepairBody>,
) -> AppResult<Json<crate::entities::inspection_member::Model>> {
    Ok(Json(inspections::set_repair_status(&st.db, &i.ctx, id, &b.repair_status, b.work_order_id).await?))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ImportQuery {
    pub filename: String,
    #[serde(default)]
    pub encoding: String,
}

/// Body: the file (CSV UTF-8/CP932 or xlsx). `?filename=results.csv`.
pub async fn api_import(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    axum::extract::Query(q): axum::extract::Query<ImportQuery>,
    body: axum::body::Bytes,
) -> AppResult<Json<Imported>> {
    let enc = tabane_tabular::InputEncoding::from_name(&q.encoding);
    let source = tabane_tabular::Source::upload(&q.filename, &body, enc).map_err(|e| Error::file(&e))?;
    let n = crate::service::inspection_import::import(&st.db, &i.ctx, &source).await?;
    Ok(Json(Imported { imported: n }))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/inspections", Tenant, "infra", "定期点検の一覧・期限超過・入力", list),
        route!(
            post,
            "/infra/inspections",
            Tenant,
            "infra",
            "定期点検の入力（管理者は確定、受注者・コンサルは提案）",
            create
        ),
        route!(get, "/infra/inspections/{id}", Tenant, "infra", "定期点検の詳細（部材・警告）", show),
        route!(post, "/infra/inspections/{id}/confirm", Tenant, "infra", "健全性の確定（管理者）", confirm),
        api_route!(get, "/api/infra/inspections", Tenant, "infra", "定期点検の一覧", api_list),
        api_route!(
            post,
            "/api/infra/inspections",
            Tenant,
            "infra",
            "定期点検の入力（部材ごとの判定区分・対策区分を含む）",
            api_create
        ),
        api_route!(
            post,
            "/api/infra/inspections/import",
            Tenant,
            "infra",
            "点検結果の取り込み（CSV・Excel、全行検査、自団体の施設のみ）",
            api_import
        ),
        api_route!(
            get,
            "/api/infra/inspections/overdue",
            Tenant,
            "infra",
            "点検期限超過の施設（橋梁・トンネル）",
            api_overdue
        ),
        api_route!(
            get,
            "/api/infra/inspections/{id}",
            Tenant,
            "infra",
            "定期点検の詳細（部材・提案される健全性・写真の警告）",
            api_get
        ),
        api_route!(post, "/api/infra/inspections/{id}/confirm", Tenant, "infra", "健全性の確定（管理者）", api_confirm),
        api_route!(
            put,
            "/api/infra/inspection-members/{id}/repair-status",
            Tenant,
            "infra",
            "部材の補修状況（未着手・着手・完了、作業との紐付け）",
            api_repair_status
        ),
    ]
}
