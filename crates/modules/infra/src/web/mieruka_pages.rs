//! 見える化 pages: the dashboard (table, SVG charts, map coloured by grade, exports), the
//! municipality's figures (form and import), and the JSON counterparts.

use crate::analytics::mieruka::{Comparison, Figures, Measure, REFERENCE};
use crate::analytics::mieruka_data::{self, Dashboard, ProfileForm, Query as MQuery, Scope};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::Error;
use tabane_core::error::FieldProblem;
use tabane_tabular::{Cell, ImportReport};
use tabane_web::api::answers::Imported;
use tabane_web::chart::{Anchor, Chart};
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra/mieruka.html")]
pub struct MierukaPage {
    pub chrome: Chrome,
    pub d: Dashboard,
    pub tile_url: String,
    pub profile: ProfileForm,
    pub problems: Vec<FieldProblem>,
    pub report: Option<ImportReport>,
    pub message: Option<String>,
    pub error: Option<String>,
}

const GRADE_COLOURS: [&str; 4] = ["#2e7d32", "#f9a825", "#ef6c00", "#b71c1c"];

fn num(v: Option<f64>, digits: usize) -> String {
    v.map(|x| format!("{x:.digits$}")).unwrap_or_else(|| "—".into())
}

impl MierukaPage {
    pub fn scope_is(&self, s: &str) -> bool {
        self.d.scope.key() == s
    }
    pub fn n(&self, v: &Option<i64>) -> String {
        v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
    }
    pub fn n32(&self, v: &Option<i32>) -> String {
        v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
    }
    pub fn p(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{x:.1}%")).unwrap_or_else(|| "—".into())
    }
    /// "平均 64 ・ 上位25%" under a figure.
    pub fn beside(&self, c: &[Comparison], m: &str) -> String {
        let Some(c) = c.iter().find(|c| c.measure.key() == m) else { return String::new() };
        let mut parts = vec![];
        if let Some(r) = c.reference {
            parts.push(format!("類型平均 {}", num(Some(r), if r.fract() == 0.0 { 0 } else { 1 })));
        }
        if let Some(q) = c.quartile_label {
            parts.push(format!("{q}（{}団体中）", c.peers));
        }
        parts.join(" ・ ")
    }

    /// Bridges 50 years or older per organisation, with the class average as a tick.
    pub fn chart_old(&self) -> Chart {
        let rows: Vec<&Figures> = self.d.rows.iter().map(|r| &r.figures).collect();
        let max = rows
            .iter()
            .map(|f| f.bridges_50y as f64)
            .chain(rows.iter().filter_map(|f| f.class.and_then(|c| c.reference()).map(|r| r.bridges_50y)))
            .fold(1.0, f64::max);
        let lh = 26.0;
        let mut c =
            Chart::new("old", "建設後50年以上の橋梁数（線は人口規模の平均）", 640.0, lh * rows.len() as f64 + 30.0);
        for (k, f) in rows.iter().enumerate() {
            let y = 10.0 + k as f64 * lh;
            let bw = f.bridges_50y as f64 / max * 380.0;
            c.text(150.0, y + 12.0, 12, Anchor::End, f.name.clone())
                .rect(160.0, y, bw, 16.0, "#0b5cad", Some(format!("{} {}橋", f.name, f.bridges_50y)))
                .text(166.0 + bw, y + 12.0, 12, Anchor::Start, f.bridges_50y.to_string());
            if let Some(r) = f.class.and_then(|c| c.reference()) {
                let x = 160.0 + r.bridges_50y / max * 380.0;
                let tip = format!("{}の平均 {}橋", r.class_label, r.bridges_50y);
                c.line((x, y - 2.0), (x, y + 18.0), "#b00020", 2.0, false, Some(tip));
            }
        }
        c
    }

    /// 健全性 of the newest inspection per organisation, as 100% stacked bars.
    pub fn chart_grades(&self) -> Chart {
        let rows: Vec<&Figures> = self.d.rows.iter().map(|r| &r.figures).collect();
        let lh = 26.0;
        let h = lh * rows.len() as f64 + 40.0;
        let mut c = Chart::new("grade", "橋梁の健全性の内訳（最新の点検）", 640.0, h);
        for (k, f) in rows.iter().enumerate() {
            let y = 10.0 + k as f64 * lh;
            c.text(150.0, y + 12.0, 12, Anchor::End, f.name.clone());
            let mut x = 160.0;
            for (g, n) in f.latest.iter().enumerate() {
                if f.graded == 0 {
                    break;
                }
                let bw = *n as f64 / f.graded as f64 * 440.0;
                let share = *n as f64 * 100.0 / f.graded as f64;
                let tip = format!("{} {} {}橋（{share:.1}%）", f.name, ["I", "II", "III", "IV"][g], n);
                c.rect(x, y, bw, 16.0, GRADE_COLOURS[g], Some(tip));
                x += bw;
            }
        }
        let ly = h - 14.0;
        for (g, colour) in GRADE_COLOURS.iter().enumerate() {
            c.swatch(160.0 + g as f64 * 70.0, ly - 9.0, colour, ["I", "II", "III", "IV"][g]);
        }
        c
    }

    pub fn transition_rows(&self) -> Vec<(String, Vec<i64>)> {
        self.d
            .total
            .transition
            .iter()
            .enumerate()
            .map(|(i, r)| (["I", "II", "III", "IV"][i].to_string(), r.to_vec()))
            .collect()
    }
}

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct PageQuery {
    #[serde(default)]
    pub scope: Option<Scope>,
    pub year: Option<i32>,
    pub round: Option<i32>,
    /// figures (default) / transition / reference.
    #[serde(default)]
    pub table: String,
}

impl PageQuery {
    fn query(&self) -> MQuery {
        MQuery { scope: self.scope.unwrap_or_default(), year: self.year, round: self.round }
    }
}

/// What a form or an upload left to show on the page.
#[derive(Default)]
struct Outcome {
    profile: Option<ProfileForm>,
    problems: Vec<FieldProblem>,
    report: Option<ImportReport>,
    message: Option<String>,
    error: Option<String>,
}

async fn show(st: &Shared, page: &Page, ctx: &tabane_core::Ctx, q: &MQuery, o: Outcome) -> AppResult<Response> {
    let Outcome { profile, problems, report, message, error } = o;
    let d = mieruka_data::dashboard(&st.db, ctx, q).await?;
    let profile = match profile {
        Some(p) => p,
        None => match mieruka_data::own_profile(&st.db, ctx).await? {
            Some(m) => ProfileForm {
                org_id: String::new(),
                as_of: m.as_of.to_string(),
                population: m.population.map(|x| x.to_string()).unwrap_or_default(),
                decline_pct: m.decline_pct.map(|x| x.to_string()).unwrap_or_default(),
                civil_staff: m.civil_staff.map(|x| x.to_string()).unwrap_or_default(),
                technical_staff: m.technical_staff.map(|x| x.to_string()).unwrap_or_default(),
                construction_workers: m.construction_workers.map(|x| x.to_string()).unwrap_or_default(),
            },
            None => ProfileForm::default(),
        },
    };
    let failed = !problems.is_empty() || report.is_some() || error.is_some();
    let html = render(&MierukaPage {
        chrome: page.chrome(),
        d,
        tile_url: st.cfg.tile_url.clone(),
        profile,
        problems,
        report,
        message,
        error,
    });
    Ok(if failed { (StatusCode::UNPROCESSABLE_ENTITY, html).into_response() } else { html.into_response() })
}

pub async fn page(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    // `?format=csv|cp932|xlsx`: the tables as a file instead of the page.
    if let Export(Some(format)) = fmt {
        let d = mieruka_data::dashboard(&st.db, &i.ctx, &q.query()).await?;
        return export(&d, format, &q.table);
    }
    show(&st, &page, &i.ctx, &q.query(), Outcome::default()).await
}

pub async fn api(State(st): State<Shared>, Auth(i, _): Auth, Query(q): Query<MQuery>) -> AppResult<Json<Dashboard>> {
    Ok(Json(mieruka_data::dashboard(&st.db, &i.ctx, &q).await?))
}

pub async fn set_profile(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<ProfileForm>,
) -> AppResult<Response> {
    match mieruka_data::set_profile(&st.db, &i.ctx, &f).await {
        Ok(_) => Ok(Redirect::to("/infra/mieruka").into_response()),
        Err(Error::Invalid(p)) => {
            show(
                &st,
                &page,
                &i.ctx,
                &MQuery::default(),
                Outcome { profile: Some(f), problems: p, ..Default::default() },
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_set_profile(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<ProfileForm>,
) -> AppResult<Json<crate::entities::municipal_profile::Model>> {
    Ok(Json(mieruka_data::set_profile(&st.db, &i.ctx, &f).await?))
}

pub async fn import(State(st): State<Shared>, page: Page, Auth(i, _): Auth, mp: Multipart) -> AppResult<Response> {
    let fail = |e: Error| e.message(page.lang.is_en());
    let (name, bytes, enc) = match tabane_web::pages::orgs::read_upload(mp).await {
        Ok(v) => v,
        Err(e) => {
            return show(
                &st,
                &page,
                &i.ctx,
                &MQuery::default(),
                Outcome { error: Some(fail(e)), ..Default::default() },
            )
            .await;
        }
    };
    let table = match tabane_tabular::read_file(&name, &bytes, enc) {
        Ok(t) => t,
        Err(e) => {
            return show(
                &st,
                &page,
                &i.ctx,
                &MQuery::default(),
                Outcome { error: Some(e.to_string()), ..Default::default() },
            )
            .await;
        }
    };
    match mieruka_data::import_profiles(&st.db, &i.ctx, &table).await {
        Ok(n) => Ok(tabane_web::flash::see_other("/infra/mieruka", &format!("{name}: {n} 団体の数値を取り込みました"))),
        Err(Error::Import(r)) => {
            show(&st, &page, &i.ctx, &MQuery::default(), Outcome { report: Some(r), ..Default::default() }).await
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ImportQuery {
    #[serde(default = "default_name")]
    pub filename: String,
}
fn default_name() -> String {
    "profiles.csv".into()
}

pub async fn api_import(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> AppResult<Json<Imported>> {
    let table = tabane_tabular::read_file(&q.filename, &body, tabane_tabular::InputEncoding::Auto)
        .map_err(|e| Error::invalid("file", "ファイル", "File", e.to_string(), e.message_en()))?;
    let imported = mieruka_data::import_profiles(&st.db, &i.ctx, &table).await?;
    Ok(Json(Imported { imported }))
}

fn opt_i(v: Option<i64>) -> Cell {
    v.map(Cell::Int).unwrap_or(Cell::Empty)
}
fn opt_f(v: Option<f64>) -> Cell {
    v.map(|x| Cell::Number((x * 10.0).round() / 10.0)).unwrap_or(Cell::Empty)
}

/// Every table of the page as CSV (UTF-8 or Shift_JIS) or xlsx.
fn export(d: &Dashboard, format: ExportFormat, table: &str) -> AppResult<Response> {
    let (name, sheet, headers, rows): (&str, &str, Vec<&str>, Vec<Vec<Cell>>) = match table {
        "reference" => (
            "mieruka-reference",
            "人口規模別平均",
            vec![
                "人口規模",
                "橋梁数（建設後50年以上）",
                "技術者数",
                "人口減少率（%）",
                "修繕完了率（%）",
                "建設業従業者数",
            ],
            REFERENCE
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.class_label.into()),
                        Cell::Number(r.bridges_50y),
                        Cell::Number(r.engineers),
                        Cell::Number(r.decline_pct),
                        Cell::Number(r.completion_pct),
                        Cell::Number(r.construction_workers),
                    ]
                })
                .collect(),
        ),
        "transition" => (
            "mieruka-transition",
            "巡目間の推移",
            vec!["前回", "→I", "→II", "→III", "→IV"],
            d.total
                .transition
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    std::iter::once(Cell::Text(["I", "II", "III", "IV"][i].into()))
                        .chain(r.iter().map(|n| Cell::Int(*n)))
                        .collect()
                })
                .collect(),
        ),
        _ => (
            "mieruka",
            "見える化",
            vec![
                "団体コード",
                "団体",
                "人口",
                "人口規模",
                "人口減少率（%）",
                "土木部門職員数",
                "技術系職員数",
                "橋梁数",
                "建設後50年以上",
                "建設年不明",
                "点検済み",
                "I",
                "II",
                "III",
                "IV",
                "III・IVの割合（%）",
                "巡目",
                "巡目のIII・IV",
                "着手率（%）",
                "完了率（%）",
                "改善",
                "変化なし",
                "悪化",
                "建設業従業者数",
                "技術者数の位置",
                "50年以上の位置",
                "完了率の位置",
            ],
            d.rows
                .iter()
                .map(|r| {
                    let f = &r.figures;
                    let q = |m: Measure| {
                        Cell::Text(
                            r.comparisons
                                .iter()
                                .find(|c| c.measure == m)
                                .and_then(|c| c.quartile_label)
                                .unwrap_or("")
                                .into(),
                        )
                    };
                    vec![
                        Cell::Text(f.lg_code.clone().unwrap_or_default()),
                        Cell::Text(f.name.clone()),
                        opt_i(f.profile.population),
                        Cell::Text(f.class_label.unwrap_or("").into()),
                        opt_f(f.profile.decline_pct),
                        opt_i(f.profile.civil_staff.map(i64::from)),
                        opt_i(f.profile.technical_staff.map(i64::from)),
                        Cell::Int(f.bridges),
                        Cell::Int(f.bridges_50y),
                        Cell::Int(f.bridges_unknown_year),
                        Cell::Int(f.graded),
                        Cell::Int(f.latest[0]),
                        Cell::Int(f.latest[1]),
                        Cell::Int(f.latest[2]),
                        Cell::Int(f.latest[3]),
                        opt_f(f.iii_iv_pct),
                        Cell::Int(i64::from(d.round)),
                        Cell::Int(f.round_iii_iv),
                        opt_f(f.start_pct),
                        opt_f(f.done_pct),
                        Cell::Int(f.improved),
                        Cell::Int(f.same),
                        Cell::Int(f.worsened),
                        opt_i(f.profile.construction_workers.map(i64::from)),
                        q(Measure::Engineers),
                        q(Measure::Bridges50y),
                        q(Measure::Completion),
                    ]
                })
                .collect(),
        ),
    };
    file_response(format, name, sheet, &headers, rows)
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(
            get,
            "/infra/mieruka",
            Tenant,
            "infra",
            "見える化（自団体・群・県内、人口規模別の平均と位置、?format=xlsx|csv）",
            page
        ),
        api_route!(
            get,
            "/api/infra/mieruka",
            Tenant,
            "infra",
            "見える化（?scope=own|bundle|prefecture&year=&round=）",
            api
        ),
        route!(
            post,
            "/infra/mieruka/profile",
            Tenant,
            "infra",
            "見える化の基礎数値（人口・職員数など）の保存",
            set_profile
        ),
        api_route!(
            put,
            "/api/infra/mieruka/profile",
            Tenant,
            "infra",
            "見える化の基礎数値の保存（org_id を省くと自団体）",
            api_set_profile
        ),
        route!(
            post,
            "/infra/mieruka/profiles/import",
            Tenant,
            "infra",
            "基礎数値の取り込み（CSV・Excel、全行検査）",
            import
        ),
        api_route!(
            post,
            "/api/infra/mieruka/profiles/import",
            Tenant,
            "infra",
            "基礎数値の取り込み（本文にファイル、?filename=）",
            api_import
        ),
    ]
}
