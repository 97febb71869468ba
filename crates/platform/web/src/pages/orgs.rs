//! 組織 pages: list, detail, create/edit forms, import with per-row errors, export.

use crate::error::{AppError, AppResult};
use crate::export::{Export, ExportFormat, file_response};
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{self, OrgFormPage, OrgImportPage, OrgListPage, OrgShowPage};
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use tabane_core::Error;
use tabane_core::service::org_import::{self, EXPORT_HEADERS};
use tabane_core::service::orgs::{self, OrgFilter, OrgForm};
use tabane_tabular::{InputEncoding, Source};

pub const PER_PAGE: u64 = 50;

pub async fn list(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Query(f): Query<OrgFilter>,
) -> AppResult<views::Rendered> {
    let result = orgs::list(&st.db, &info.ctx, &f, PER_PAGE).await?;
    let q = f.q.clone().unwrap_or_default();
    let kind = f.kind.clone().unwrap_or_default();
    let query_base =
        form_urlencoded::Serializer::new(String::new()).append_pair("q", &q).append_pair("kind", &kind).finish();
    Ok(views::render(&OrgListPage { chrome: page.chrome(), page: result, q, kind, query_base }))
}

pub async fn show(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<views::Rendered> {
    let org = orgs::get(&st.db, &info.ctx, id).await?;
    let parent = match org.parent_id {
        Some(p) => orgs::get(&st.db, &info.ctx, p).await.ok(),
        None => None,
    };
    let all = orgs::children(&st.db, &info.ctx, id).await?;
    let can_edit = tabane_core::policy::can_edit_org(&info.ctx, &org).is_ok();
    Ok(views::render(&OrgShowPage { chrome: page.chrome(), org, parent, departments: all, can_edit }))
}

pub async fn new_form(page: Page) -> views::Rendered {
    let form = OrgForm {
        kind: "department".into(),
        parent_id: page.auth.as_ref().and_then(|a| a.ctx.org_id).map(|i| i.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    views::render(&OrgFormPage {
        chrome: page.chrome(),
        form,
        problems: vec![],
        action: "/orgs".into(),
        editing: false,
    })
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    match orgs::create(&st.db, &info.ctx, &form).await {
        Ok(org) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(Error::Invalid(problems)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            views::render(&OrgFormPage {
                chrome: page.chrome(),
                form,
                problems,
                action: "/orgs".into(),
                editing: false,
            }),
        )
            .into_response()),
        Err(e) => Err(AppError(e)),
    }
}

pub async fn edit_form(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<views::Rendered> {
    let o = orgs::get(&st.db, &info.ctx, id).await?;
    tabane_core::policy::can_edit_org(&info.ctx, &o)?;
    let d = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
    let form = OrgForm {
        kind: o.kind.clone(),
        name: o.name.clone(),
        name_kana: o.name_kana.clone().unwrap_or_default(),
        lg_code: o.lg_code.clone().unwrap_or_default(),
        parent_id: o.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        valid_from: d(o.valid_from),
        valid_to: d(o.valid_to),
        address: o.address.clone().unwrap_or_default(),
    };
    Ok(views::render(&OrgFormPage {
        chrome: page.chrome(),
        form,
        problems: vec![],
        action: format!("/orgs/{id}"),
        editing: true,
    }))
}

pub async fn update(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    match orgs::update(&st.db, &info.ctx, id, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}")).into_response()),
        Err(Error::Invalid(problems)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            views::render(&OrgFormPage {
                chrome: page.chrome(),
                form,
                problems,
                action: format!("/orgs/{id}"),
                editing: true,
            }),
        )
            .into_response()),
        Err(e) => Err(AppError(e)),
    }
}

pub async fn import_form(page: Page) -> views::Rendered {
    views::render(&OrgImportPage {
        chrome: page.chrome(),
        file_name: String::new(),
        report: None,
        summary: None,
        error: None,
    })
}

/// Reads an uploaded file and its encoding choice from a multipart form.
pub async fn read_upload(mut mp: Multipart) -> Result<(String, Vec<u8>, InputEncoding), Error> {
    let mut file = None;
    let mut enc = InputEncoding::Auto;
    while let Some(field) = mp.next_field().await.map_err(|e| {
        Error::invalid("file", "ファイル", "File", format!("を読み取れません: {e}"), format!("could not be read: {e}"))
    })? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                let bytes = field.bytes().await.map_err(|e| {
                    Error::invalid(
                        "file",
                        "ファイル",
                        "File",
                        format!("を読み取れません: {e}"),
                        format!("could not be read: {e}"),
                    )
                })?;
                file = Some((name, bytes.to_vec()));
            }
            Some("encoding") => enc = InputEncoding::from_name(&field.text().await.unwrap_or_default()),
            _ => {}
        }
    }
    let (name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| Error::invalid("file", "ファイル", "File", "を選んでください", "is required"))?;
    Ok((name, bytes, enc))
}

pub async fn import_submit(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    mp: Multipart,
) -> AppResult<Response> {
    let render = |file_name: String,
                  report: Option<tabane_tabular::ImportReport>,
                  summary: Option<tabane_core::service::org_import::ImportSummary>,
                  error: Option<String>| {
        let failed = report.is_some() || error.is_some();
        let html = views::render(&OrgImportPage { chrome: page.chrome(), file_name, report, summary, error });
        if failed { (axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response() } else { html.into_response() }
    };
    let (name, bytes, enc) = match read_upload(mp).await {
        Ok(v) => v,
        Err(e) => return Ok(render(String::new(), None, None, Some(e.message(page.lang.is_en())))),
    };
    let source = match Source::upload(&name, &bytes, enc) {
        Ok(s) => s,
        Err(e) => {
            return Ok(render(name, None, None, Some(if page.lang.is_en() { e.message_en() } else { e.to_string() })));
        }
    };
    match org_import::import(&st.db, &info.ctx, &source, &name).await {
        Ok(summary) => Ok(render(name, None, Some(summary), None)),
        Err(Error::Import(report)) => Ok(render(name, Some(report), None, None)),
        Err(e) => match file_problem(&e, page.lang.is_en()) {
            Some(message) => Ok(render(name, None, None, Some(message))),
            None => Err(AppError(e)),
        },
    }
}

/// The message of an upload that could not be read as a table (found while the import streams
/// it), for the import page's error box; `None` for any other error.
pub fn file_problem(e: &Error, en: bool) -> Option<String> {
    match e {
        Error::Invalid(problems) => match problems.as_slice() {
            [p] if p.field == "file" => Some(p.message.get(en).to_string()),
            _ => None,
        },
        _ => None,
    }
}

pub async fn export(State(st): State<Shared>, Auth(info, _): Auth, fmt: Export) -> AppResult<Response> {
    let rows = org_import::export_rows(&st.db, &info.ctx).await?;
    file_response(fmt.or(ExportFormat::CsvUtf8), "organisations", "組織一覧", EXPORT_HEADERS, rows)
}
