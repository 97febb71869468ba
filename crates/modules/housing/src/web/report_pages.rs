//! 県への月報 and 建替一時転出報告書: printable (print CSS, A4) and xlsx, plus JSON.

use crate::service::reports::{self, MonthlyReport, TemporaryMoves};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tabane_tabular::Cell;
use tabane_web::error::AppResult;
use tabane_web::export::{Export, file_response};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct Q {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub estate: Option<i64>,
    #[serde(default)]
    pub month: String,
}

fn month(q: &Q) -> String {
    if q.month.trim().is_empty() {
        crate::service::deadlines::today().format("%Y-%m").to_string()
    } else {
        q.month.trim().to_string()
    }
}

#[derive(Template)]
#[template(path = "housing/report_monthly.html")]
pub struct MonthlyPage {
    pub chrome: Chrome,
    pub r: MonthlyReport,
    pub estates: Vec<(i64, String)>,
    /// Staff may open the personal 建替一時転出報告書; a viewer is not shown the link.
    pub personal: bool,
}

impl MonthlyPage {
    pub fn d(&self, v: &Option<chrono::NaiveDate>) -> String {
        v.map(|d| d.to_string()).unwrap_or_default()
    }
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn monthly_rows(r: &MonthlyReport) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let place = |c: &reports::CaseRef| format!("No.{} {}棟 {}", c.case_id, c.building, c.room);
    for s in &r.subs {
        rows.push(vec![
            t(s.label),
            t("書類の受取状況（受領／不備／未提出）"),
            t(""),
            t(format!("{}／{}／{}", s.received, s.defects, s.missing)),
        ]);
        for f in &s.forms {
            for (k, v) in s.form_kinds.iter().zip(&f.cells) {
                rows.push(vec![t(s.label), t("書類"), t(format!("{} {}", place(&f.case), k)), t(*v)]);
            }
        }
        for (what, list) in
            [("移転完了（当月）", &s.moved), ("移転日決定", &s.move_fixed), ("申出（当月の分類）", &s.requests)]
        {
            rows.push(vec![t(s.label), t(what), t(""), Cell::Int(list.len() as i64)]);
            for c in list {
                rows.push(vec![t(s.label), t(what), t(place(c)), t(c.date.map(|d| d.to_string()).unwrap_or_default())]);
            }
        }
    }
    for a in &r.at_risk {
        rows.push(vec![
            t("本移転"),
            t("支援期間内に終わらないおそれ"),
            t(format!("No.{} {}棟 {}", a.case_id, a.building, a.room)),
            t(a.reason.clone()),
        ]);
    }
    for i in &r.incidents {
        let told = i.m.pref_told_on.map(|d| format!("県へ報告 {d}")).unwrap_or_else(|| "県へ未報告".into());
        rows.push(vec![t("苦情・要望等"), t(i.kind_label), t(format!("{} {}", i.m.received_on, i.m.summary)), t(told)]);
    }
    rows
}

pub async fn monthly(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<Q>,
) -> AppResult<Response> {
    let r = reports::monthly(&st.db, &i.ctx, q.estate, &month(&q)).await?;
    if let Export(Some(format)) = fmt {
        return file_response(
            format,
            &format!("housing-monthly-{}-{}", r.estate_id, r.month),
            "月報",
            &["業務", "項目", "対象", "値"],
            monthly_rows(&r),
        );
    }
    let estates = crate::service::estates::list(&st.db, &i.ctx)
        .await?
        .into_iter()
        .map(|a| (a.estate.id, a.estate.name))
        .collect();
    let personal = i.ctx.system_admin || i.ctx.role.is_some_and(|r| r >= tabane_core::domain::Role::Staff);
    Ok(render(&MonthlyPage { chrome: page.chrome(), r, estates, personal }).into_response())
}

pub async fn api_monthly(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<Q>,
) -> AppResult<Json<MonthlyReport>> {
    Ok(Json(reports::monthly(&st.db, &i.ctx, q.estate, &month(&q)).await?))
}

#[derive(Template)]
#[template(path = "housing/report_temporary.html")]
pub struct TemporaryPage {
    pub chrome: Chrome,
    pub r: TemporaryMoves,
}

impl TemporaryPage {
    pub fn d(&self, v: &Option<chrono::NaiveDate>) -> String {
        v.map(|d| d.to_string()).unwrap_or_default()
    }
    pub fn s(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

pub async fn temporary(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<Q>,
) -> AppResult<Response> {
    let r = reports::temporary_moves(&st.db, &i.ctx, q.estate).await?;
    if let Export(Some(format)) = fmt {
        let s = |v: &Option<String>| t(v.clone().unwrap_or_default());
        let d = |v: &Option<chrono::NaiveDate>| t(v.map(|d| d.to_string()).unwrap_or_default());
        let rows = r
            .rows
            .iter()
            .map(|x| {
                vec![
                    Cell::Int(x.case_id),
                    t(format!("{}棟 {}", x.building, x.room)),
                    s(&x.name),
                    s(&x.temp_unit),
                    s(&x.temp_address),
                    d(&x.temp_from),
                    d(&x.temp_until),
                    d(&x.extension_until),
                    d(&x.moved_on),
                ]
            })
            .collect();
        return file_response(
            format,
            &format!("temporary-moves-{}", r.estate_id),
            "建替一時転出報告書",
            &["案件", "現住居", "氏名", "仮住居", "仮移転先の住所", "入居可能日", "期間の終わり", "延長後", "仮移転日"],
            rows,
        );
    }
    Ok(render(&TemporaryPage { chrome: page.chrome(), r }).into_response())
}

pub async fn api_temporary(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<Q>,
) -> AppResult<Json<TemporaryMoves>> {
    Ok(Json(reports::temporary_moves(&st.db, &i.ctx, q.estate).await?))
}

/// This page's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(
            get,
            "/housing/reports/monthly",
            Tenant,
            "housing",
            "県への月報（?estate&month=2027-05&format=xlsx、個人情報なし、印刷用）",
            monthly
        ),
        api_route!(get, "/api/housing/reports/monthly", Tenant, "housing", "県への月報（?estate&month）", api_monthly),
        route!(
            get,
            "/housing/reports/temporary-moves",
            Tenant,
            "housing",
            "建替一時転出報告書（氏名・仮移転先の住所、表示は記録、?format=xlsx）",
            temporary
        ),
        api_route!(
            get,
            "/api/housing/reports/temporary-moves",
            Tenant,
            "housing",
            "建替一時転出報告書（個人情報、表示は記録）",
            api_temporary
        ),
    ]
}
