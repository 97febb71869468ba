//! 提出物 pages: the register with overdue flags and the register form (approver staff), one
//! deliverable with its instances, revisions and decisions, and the submit / decide / reopen /
//! anchor forms.

use crate::error::{AppError, AppResult};
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{self, Chrome};
use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::entities::{bundle, organisation};
use tabane_core::error::FieldProblem;
use tabane_core::service::deliverables::{
    self as dv, AnchorForm, DecisionForm, DeliverableFilter, DeliverableForm, DeliverableRow, DeliverableView,
    Recurrence, Status, SubmitForm,
};
use tabane_core::service::{bundles, files, orgs};

#[derive(Template)]
#[template(path = "deliverables_list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub rows: Vec<DeliverableRow>,
    pub overdue: Vec<dv::OverdueItem>,
    pub bundles: Vec<bundle::Model>,
    pub orgs: Vec<organisation::Model>,
    pub can_register: bool,
    pub form: DeliverableForm,
    pub problems: Vec<FieldProblem>,
}

#[derive(Template)]
#[template(path = "deliverable_show.html")]
pub struct ShowPage {
    pub chrome: Chrome,
    pub view: DeliverableView,
    pub period: String,
    pub problems: Vec<FieldProblem>,
}

impl Chrome {
    pub fn status_label(&self, s: &Status) -> &'static str {
        s.label(self.l.is_en())
    }
    pub fn opt_status_label(&self, s: &Option<Status>) -> &'static str {
        s.map(|s| s.label(self.l.is_en())).unwrap_or("—")
    }
    pub fn decision_label(&self, key: &Option<String>) -> &'static str {
        key.as_deref().and_then(Status::parse).map(|s| s.label(self.l.is_en())).unwrap_or("")
    }
    pub fn recurrence_label(&self, key: &str) -> &'static str {
        Recurrence::parse(key).map(|r| r.label(self.l.is_en())).unwrap_or("")
    }
    pub fn recurrences(&self) -> &'static [Recurrence] {
        Recurrence::ALL
    }
}

async fn render_list(
    st: &Shared,
    page: &Page,
    ctx: &tabane_core::Ctx,
    form: DeliverableForm,
    problems: Vec<FieldProblem>,
    f: &DeliverableFilter,
) -> AppResult<Response> {
    let today = dv::today_jst();
    let bundles = bundles::list(&st.db, ctx).await?;
    let can_register = tabane_core::policy::can_register_deliverable(ctx).is_ok() && !bundles.is_empty();
    let orgs = if can_register {
        orgs::list(&st.db, ctx, &Default::default(), 5000)
            .await?
            .items
            .into_iter()
            .filter(|o| o.kind != "department")
            .collect()
    } else {
        vec![]
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let p = ListPage {
        chrome: page.chrome(),
        rows: dv::list(&st.db, ctx, f, today).await?,
        overdue: dv::overdue(&st.db, ctx, today).await?,
        bundles,
        orgs,
        can_register,
        form,
        problems,
    };
    Ok((status, views::render(&p)).into_response())
}

pub async fn list(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Query(f): Query<DeliverableFilter>,
    fmt: crate::export::Export,
    print: crate::export::Print,
) -> AppResult<Response> {
    if fmt.0.is_some() || print.0 {
        return register_table(&st, &page, &info.ctx, &f, fmt, print).await;
    }
    let form = DeliverableForm {
        needs_approval: true,
        recurrence: "once".into(),
        module: "platform".into(),
        ..Default::default()
    };
    render_list(&st, &page, &info.ctx, form, vec![], &f).await
}

/// 成果品一覧 (the register) as a file (CSV, CP932, xlsx) or a print view, with the same
/// filter as the page: due date, status, 版 and the latest decision per deliverable.
async fn register_table(
    st: &Shared,
    page: &Page,
    ctx: &tabane_core::Ctx,
    f: &DeliverableFilter,
    fmt: crate::export::Export,
    print: crate::export::Print,
) -> AppResult<Response> {
    use tabane_tabular::Cell;
    let rows = dv::list(&st.db, ctx, f, dv::today_jst()).await?;
    let text = |s: Option<String>| s.map(Cell::Text).unwrap_or(Cell::Empty);
    let table: Vec<Vec<Cell>> = rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::Text(r.bundle_name),
                Cell::Text(r.deliverable.code),
                Cell::Text(r.deliverable.title),
                text(r.deliverable.section_ref),
                Cell::Text(r.submitter_name),
                Cell::Text(r.owner_name),
                r.next_due.map(Cell::Date).unwrap_or(Cell::Empty),
                text(r.status.map(|s| s.label_ja().to_string())),
                Cell::Int(i64::from(r.versions)),
                text(r.last_decision.map(|s| s.label_ja().to_string())),
                Cell::Int(r.overdue as i64),
            ]
        })
        .collect();
    let headers =
        ["束", "コード", "成果品", "根拠", "提出者", "承諾者", "次の提出期限", "状況", "版", "最新の判断", "期限超過"];
    if let crate::export::Export(Some(format)) = fmt {
        return crate::export::file_response(format, "deliverables", "成果品一覧", &headers, table);
    }
    debug_assert!(print.0);
    let title = page.lang.t("成果品一覧", "Deliverables register");
    Ok(crate::export::print_response(page.lang, title, "", "/deliverables", &headers, table))
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Form(form): Form<DeliverableForm>,
) -> AppResult<Response> {
    match dv::register(&st.db, &info.ctx, &form).await {
        Ok(d) => Ok(Redirect::to(&format!("/deliverables/{}", d.id)).into_response()),
        Err(Error::Invalid(problems)) => render_list(&st, &page, &info.ctx, form, problems, &Default::default()).await,
        Err(e) => Err(AppError(e)),
    }
}

async fn render_show(
    st: &Shared,
    page: &Page,
    ctx: &tabane_core::Ctx,
    id: i64,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let view = dv::get(&st.db, ctx, id, dv::today_jst()).await?;
    let period = dv::current_period(view.recurrence, dv::today_jst());
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, views::render(&ShowPage { chrome: page.chrome(), view, period, problems })).into_response())
}

pub async fn show(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    render_show(&st, &page, &info.ctx, id, vec![]).await
}

/// Turns a field error into the page again (with the problems shown), other errors pass.
async fn after(
    st: &Shared,
    page: &Page,
    ctx: &tabane_core::Ctx,
    id: i64,
    r: tabane_core::Result<()>,
) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/deliverables/{id}")).into_response()),
        Err(Error::Invalid(problems)) => render_show(st, page, ctx, id, problems).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Default, Deserialize, schemars::JsonSchema)]
pub struct SubmitFields {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub note: String,
}

/// 提出: a form, or multipart with an optional `file` (stored for the deliverable's bundle).
pub async fn submit(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    let ctx = &info.ctx;
    // Visibility and the submitter's right are checked before any bytes are accepted.
    let view = dv::get(&st.db, ctx, id, dv::today_jst()).await?;
    tabane_core::policy::can_submit_deliverable(ctx, view.deliverable.submitter_org_id)?;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let (fields, file) = if multipart {
        let mut mp = Multipart::from_request(req, &st).await.map_err(|e| {
            Error::invalid(
                "file",
                "ファイル",
                "File",
                format!("を読み取れません: {e}"),
                format!("could not be read: {e}"),
            )
        })?;
        let bad = |e: axum::extract::multipart::MultipartError| {
            Error::invalid(
                "file",
                "ファイル",
                "File",
                format!("を読み取れません: {e}"),
                format!("could not be read: {e}"),
            )
        };
        let (mut f, mut file) = (SubmitFields::default(), None);
        while let Some(field) = mp.next_field().await.map_err(bad)? {
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("upload").to_string();
                    let bytes = field.bytes().await.map_err(bad)?;
                    if !bytes.is_empty() {
                        file = Some((name, bytes));
                    }
                }
                Some("period") => f.period = field.text().await.unwrap_or_default(),
                Some("note") => f.note = field.text().await.unwrap_or_default(),
                _ => {}
            }
        }
        (f, file)
    } else {
        let Form(f) = Form::<SubmitFields>::from_request(req, &st).await.map_err(|e| {
            Error::invalid(
                "note",
                "提出内容",
                "Submission",
                format!("を読み取れません: {e}"),
                format!("could not be read: {e}"),
            )
        })?;
        (f, None)
    };
    let r = async {
        let inst = dv::ensure_instance(&st.db, ctx, id, &fields.period).await?;
        let file_id = match file {
            Some((name, bytes)) => {
                Some(files::store(&st.db, &st.files, ctx, &name, &bytes, Some(view.deliverable.bundle_id)).await?.id)
            }
            None => None,
        };
        dv::submit(&st.db, ctx, inst.id, &SubmitForm { file_id, note: fields.note }).await.map(|_| ())
    }
    .await;
    after(&st, &page, ctx, id, r).await
}

pub async fn decide(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(sid): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    let ctx = &info.ctx;
    let r = dv::decide(&st.db, ctx, sid, &f).await;
    match r {
        Ok(s) => {
            let (d, _) = dv::instance_owner(&st.db, ctx, s.instance_id).await?;
            Ok(Redirect::to(&format!("/deliverables/{d}")).into_response())
        }
        Err(Error::Invalid(problems)) => {
            let d = dv::deliverable_of_submission(&st.db, ctx, sid).await?;
            render_show(&st, &page, ctx, d, problems).await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ReopenFields {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn reopen(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ReopenFields>,
) -> AppResult<Response> {
    let ctx = &info.ctx;
    let r = async {
        let inst = dv::instance_by_period(&st.db, ctx, id, &f.period).await?;
        dv::reopen_for_change(&st.db, ctx, inst.id, &f.reason).await.map(|_| ())
    }
    .await;
    after(&st, &page, ctx, id, r).await
}

/// 提出回の取消 (the owner's staff, with a reason).
pub async fn withdraw(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ReopenFields>,
) -> AppResult<Response> {
    let ctx = &info.ctx;
    let r = async {
        let inst = dv::instance_by_period(&st.db, ctx, id, &f.period).await?;
        dv::withdraw(&st.db, ctx, inst.id, &f.reason).await.map(|_| ())
    }
    .await;
    after(&st, &page, ctx, id, r).await
}

pub async fn set_anchor(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<AnchorForm>,
) -> AppResult<Response> {
    let r = dv::set_anchor(&st.db, &info.ctx, id, &f).await.map(|_| ());
    after(&st, &page, &info.ctx, id, r).await
}
