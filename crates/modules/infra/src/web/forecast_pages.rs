//! 劣化予測 page (server-rendered SVG, no chart library from a CDN) and JSON.

use crate::analytics::forecast::{self, Forecast, ForecastQuery};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use tabane_web::chart::{Anchor, Chart};
use tabane_web::error::AppResult;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra/forecast.html")]
pub struct ForecastPage {
    pub chrome: Chrome,
    pub f: Forecast,
    /// (grade, θ, SE, expected sojourn 1/θ, years to IV) as shown.
    pub theta_rows: Vec<(String, String, String, String, String)>,
    /// (from grade, one-year probabilities to I..IV) as shown.
    pub matrix_rows: Vec<(String, Vec<String>)>,
    pub not_estimated: Vec<String>,
    pub summary: Option<String>,
    /// (grade, β per parameter with SE) when covariates were used.
    pub beta_rows: Vec<(String, Vec<String>)>,
    pub beta_headers: Vec<String>,
    pub with_age: bool,
    pub with_length: bool,
}

const COLOURS: [&str; 4] = ["#2e7d32", "#f9a825", "#ef6c00", "#b71c1c"];

impl ForecastPage {
    pub fn pct(&self, v: &f64) -> String {
        format!("{:.1}%", v * 100.0)
    }
    pub fn grade_of(&self, g: &i32) -> String {
        tabane_hazard::grade_label(*g as usize)
    }
    fn grade(&self, i: &usize) -> &'static str {
        ["I", "II", "III", "IV"].get(*i).copied().unwrap_or("")
    }
    /// Stacked bars of the grade distribution every 5 years (0–50).
    pub fn chart(&self) -> Chart {
        let (h, bar) = (220.0, 36.0);
        let mut c = Chart::new("chart", "健全性の分布の予測（0〜50年後）", 560.0, h + 40.0);
        for (k, year) in (0..=50).step_by(5).enumerate() {
            let Some(d) = self.f.distribution.get(year) else { continue };
            let x = 20.0 + k as f64 * 48.0;
            let mut y = h;
            for (g, share) in d.iter().enumerate() {
                let hh = share * h;
                y -= hh;
                let tip = format!("{year}年後 健全性{} {:.1}%", self.grade(&g), share * 100.0);
                c.rect(x, y, bar, hh, COLOURS[g], Some(tip));
            }
            c.text(x + bar / 2.0, h + 16.0, 12, Anchor::Middle, format!("{year}年"));
        }
        for (g, colour) in COLOURS.iter().enumerate() {
            c.swatch(20.0 + g as f64 * 70.0, h + 26.0, colour, self.grade(&g));
        }
        c
    }
}

pub async fn page(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Query(q): Query<ForecastQuery>,
) -> AppResult<tabane_web::views::Rendered> {
    let f = forecast::forecast_with(&st.db, &i.ctx, &q).await?;
    let with_age = f.covariates.contains(&forecast::Covariate::Age);
    let with_length = f.covariates.contains(&forecast::Covariate::Length);
    let beta_headers: Vec<String> =
        std::iter::once("定数".to_string()).chain(f.covariates.iter().map(|c| c.label_ja().to_string())).collect();
    let mut beta_rows = vec![];
    if let Some(fit) = f.fit.as_ref().filter(|_| !f.covariates.is_empty()) {
        for (k, b) in fit.beta.iter().enumerate() {
            let Some(b) = b else { continue };
            let se = fit.std_err.get(k).cloned().flatten().unwrap_or_default();
            beta_rows.push((
                tabane_hazard::grade_label(k + 1),
                b.iter()
                    .enumerate()
                    .map(|(j, v)| match se.get(j) {
                        Some(s) => format!("{v:.4}（{s:.4}）"),
                        None => format!("{v:.4}"),
                    })
                    .collect(),
            ));
        }
    }
    let g = |i: usize| ["I", "II", "III", "IV"].get(i).copied().unwrap_or("").to_string();
    let (mut theta_rows, mut not_estimated, mut summary) = (vec![], vec![], None);
    if let Some(fit) = &f.fit {
        for (k, t) in fit.theta.iter().enumerate() {
            let se = fit.theta_std_err.get(k).copied().flatten();
            let yrs = f.years_to_iv.get(k).copied().flatten();
            theta_rows.push((
                g(k),
                t.map(|x| format!("{x:.4}")).unwrap_or_else(|| "推定できません".into()),
                se.map(|x| format!("{x:.4}")).unwrap_or_default(),
                t.filter(|x| *x > 0.0).map(|x| format!("{:.1} 年", 1.0 / x)).unwrap_or_else(|| "—".into()),
                yrs.map(|y| format!("{y:.1} 年")).unwrap_or_else(|| "—".into()),
            ));
        }
        not_estimated = fit
            .not_estimated
            .iter()
            .map(|(gr, why)| format!("健全性{}: {why}", tabane_hazard::grade_label(*gr)))
            .collect();
        summary = Some(format!(
            "対数尤度 {:.3} ・ 補修あり除外 {} ・ 補修なしで改善（報告・除外）{}",
            fit.log_likelihood,
            fit.excluded_repaired,
            fit.improved_without_repair.len()
        ));
    }
    let matrix_rows = f
        .one_year
        .iter()
        .enumerate()
        .map(|(k, row)| (g(k), row.iter().map(|v| format!("{:.2}%", v * 100.0)).collect()))
        .collect();
    Ok(render(&ForecastPage {
        chrome: page.chrome(),
        f,
        theta_rows,
        matrix_rows,
        not_estimated,
        summary,
        beta_rows,
        beta_headers,
        with_age,
        with_length,
    }))
}

pub async fn api(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<ForecastQuery>,
) -> AppResult<Json<Forecast>> {
    Ok(Json(forecast::forecast_with(&st.db, &i.ctx, &q).await?))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/forecast", Tenant, "infra", "劣化予測（点検結果の組から推定、分布の予測）", page),
        api_route!(
            get,
            "/api/infra/forecast",
            Tenant,
            "infra",
            "劣化予測（θ・標準誤差・1年推移確率・IVまでの期待年数・分布の予測）",
            api
        ),
    ]
}
