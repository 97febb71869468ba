//! 補修計画 (repair plan) and LCC 比較 pages and JSON: a form of unit costs and budgets, the plan
//! per year, server-rendered SVG charts (spend vs budget; cumulative LCC), xlsx/CSV export.

use super::planning_input::{Pairs, int, lenient, num, yen, yen_f, yen_short, yen_u};
use crate::service::repair_planning::{self as rp, LccOutcome, LccParams, PlanOutcome, PlanParams};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tabane_core::error::{FieldProblem, Problems};
use tabane_core::{Ctx, Error};
use tabane_tabular::Cell;
use tabane_web::api::describe::{JsonBody, QueryPairs};
use tabane_web::chart::{Anchor, Chart};
use tabane_web::error::{AppError, AppResult};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

/// 補修計画の入力 as typed (form or JSON; numbers may be strings).
#[derive(Deserialize, Default, Clone, schemars::JsonSchema)]
pub struct PlanInput {
    #[serde(default, deserialize_with = "lenient")]
    pub years: String,
    #[serde(default, deserialize_with = "lenient")]
    pub cost_ii: String,
    #[serde(default, deserialize_with = "lenient")]
    pub cost_iii: String,
    #[serde(default, deserialize_with = "lenient")]
    pub cost_iv: String,
    #[serde(default, deserialize_with = "lenient")]
    pub loss_iv: String,
    #[serde(default, deserialize_with = "lenient")]
    pub deadline: String,
    #[serde(default)]
    pub budgets: Vec<BudgetInput>,
    /// LCC: 試算期間, 点検間隔, 割引率 (%).
    #[serde(default, deserialize_with = "lenient")]
    pub lcc_years: String,
    #[serde(default, deserialize_with = "lenient")]
    pub interval: String,
    #[serde(default, deserialize_with = "lenient")]
    pub discount: String,
}

/// 管理者ごとの年間予算.
#[derive(Deserialize, Default, Clone, schemars::JsonSchema)]
pub struct BudgetInput {
    #[serde(default, deserialize_with = "lenient")]
    pub owner_org_id: String,
    #[serde(default, deserialize_with = "lenient")]
    pub annual_budget_yen: String,
}

impl PlanInput {
    /// From a query string: `budget_<org id>=<yen>` per owner.
    pub fn from_pairs(q: &Pairs) -> Self {
        let budgets =
            q.0.iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("budget_")
                        .map(|id| BudgetInput { owner_org_id: id.to_string(), annual_budget_yen: v.clone() })
                })
                .collect();
        Self {
            years: q.get("years"),
            cost_ii: q.get("cost_ii"),
            cost_iii: q.get("cost_iii"),
            cost_iv: q.get("cost_iv"),
            loss_iv: q.get("loss_iv"),
            deadline: q.get("deadline"),
            budgets,
            lcc_years: q.get("lcc_years"),
            interval: q.get("interval"),
            discount: q.get("discount"),
        }
    }

    /// Checks every field; problems name the field.
    pub fn parse(&self, ctx: &Ctx) -> Result<(PlanParams, LccParams), Error> {
        let mut p = Problems::default();
        let years =
            int(&mut p, "years", "計画期間（年）", "Planning horizon (years)", &self.years, Some(5), 1, 20) as u32;
        let d = rp::DEFAULT_UNIT_COSTS;
        let unit_costs = [
            yen(&mut p, "cost_ii", "補修単価（健全性II）", "Unit cost (II)", &self.cost_ii, Some(d[0])),
            yen(&mut p, "cost_iii", "補修単価（健全性III）", "Unit cost (III)", &self.cost_iii, Some(d[1])),
            yen(&mut p, "cost_iv", "補修単価（健全性IV）", "Unit cost (IV)", &self.cost_iv, Some(d[2])),
        ];
        let loss_iv_yen =
            yen(&mut p, "loss_iv", "健全性IVの年間損失", "Annual loss in IV", &self.loss_iv, Some(rp::DEFAULT_LOSS_IV));
        let deadline = int(
            &mut p,
            "deadline",
            "緊急措置の期限（年目）",
            "Emergency deadline (year)",
            &self.deadline,
            Some(1),
            1,
            i64::from(years.max(1)),
        ) as u32;
        let mut budgets: Vec<(i64, u64)> = Vec::new();
        let mut any_field = false;
        for (i, b) in self.budgets.iter().enumerate() {
            any_field = true;
            if b.annual_budget_yen.trim().is_empty() {
                continue; // an owner left blank is not planned
            }
            let field = format!("budgets[{i}]");
            let Ok(owner) = b.owner_org_id.trim().parse::<i64>() else {
                p.push(
                    &field,
                    &format!("{}行目の管理者", i + 1),
                    &format!("Owner in row {}", i + 1),
                    "の団体IDが数字ではありません",
                    "is not an organisation id",
                );
                continue;
            };
            let amount = yen(
                &mut p,
                &field,
                &format!("{}行目の年間予算", i + 1),
                &format!("Annual budget in row {}", i + 1),
                &b.annual_budget_yen,
                None,
            );
            if budgets.iter().any(|x| x.0 == owner) {
                p.push(
                    &field,
                    &format!("{}行目の管理者", i + 1),
                    &format!("Owner in row {}", i + 1),
                    "が重複しています",
                    "appears twice",
                );
            }
            budgets.push((owner, amount));
        }
        if budgets.is_empty() {
            if any_field {
                p.push(
                    "budgets",
                    "管理者の年間予算",
                    "Annual budgets",
                    "を1つ以上入力してください",
                    "need at least one owner",
                );
            } else if let Some(me) = ctx.org_id {
                budgets.push((me, rp::DEFAULT_BUDGET));
            } else {
                p.push(
                    "budgets",
                    "管理者の年間予算",
                    "Annual budgets",
                    "を1つ以上入力してください（所属団体がありません）",
                    "need at least one owner",
                );
            }
        }
        let lcc_years =
            int(&mut p, "lcc_years", "LCCの試算期間（年）", "LCC horizon (years)", &self.lcc_years, Some(50), 1, 100)
                as u32;
        let interval = int(
            &mut p,
            "interval",
            "点検間隔（年）",
            "Inspection interval (years)",
            &self.interval,
            Some(5),
            1,
            i64::from(lcc_years.max(1)),
        ) as u32;
        let discount =
            num(&mut p, "discount", "割引率（%）", "Discount rate (%)", &self.discount, Some(4.0), 0.0, 50.0);
        p.into_result()?;
        let owners = budgets.iter().map(|b| b.0).collect();
        Ok((
            PlanParams { years, unit_costs, loss_iv_yen, emergency_deadline_year: deadline, budgets },
            LccParams {
                unit_costs,
                years: lcc_years,
                inspection_interval_years: interval,
                discount_rate: discount / 100.0,
                owners,
            },
        ))
    }
}

#[derive(Template)]
#[template(path = "infra/plan.html")]
pub struct PlanPage {
    pub chrome: Chrome,
    pub input: PlanInput,
    /// (owner id, name, budget as typed).
    pub owner_fields: Vec<(i64, String, String)>,
    pub problems: Vec<FieldProblem>,
    pub outcome: Option<PlanOutcome>,
    pub lcc: Option<LccOutcome>,
    pub query: String,
}

const GRADES: [&str; 5] = ["", "I", "II", "III", "IV"];

impl PlanPage {
    pub fn g(&self, g: &i32) -> &'static str {
        GRADES.get(*g as usize).copied().unwrap_or("")
    }
    pub fn yen(&self, v: &u64) -> String {
        yen_u(*v)
    }
    pub fn yen_f(&self, v: &f64) -> String {
        yen_f(*v)
    }
    pub fn en(&self) -> bool {
        self.chrome.l.is_en()
    }
    /// LCC rows every 5 years: (year, preventive cumulative, corrective cumulative).
    pub fn lcc_rows(&self) -> Vec<(usize, String, String)> {
        let Some(l) = &self.lcc else { return vec![] };
        let (p, c) = (&l.comparison.preventive.cumulative_cost_yen, &l.comparison.corrective.cumulative_cost_yen);
        (0..p.len()).filter(|t| t % 5 == 0 || *t == p.len() - 1).map(|t| (t, yen_f(p[t]), yen_f(c[t]))).collect()
    }

    /// 年度別の支出と予算 (bars: spend; dashed line: budget).
    pub fn spend_chart(&self) -> Option<Chart> {
        let o = self.outcome.as_ref().filter(|o| !o.years.is_empty())?;
        let l = &self.chrome.l;
        let (w, h, left, top) = (560.0, 200.0, 70.0, 10.0);
        let max = o.years.iter().map(|y| y.spend_yen.max(y.budget_yen)).max().unwrap_or(1).max(1) as f64 * 1.1;
        let slot = (w - left - 10.0) / o.years.len() as f64;
        let y_of = |v: f64| top + h - v / max * h;
        let mut c = Chart::new("spend", l.t("年度別の補修費と予算", "Repair spend and budget per year"), w, h + 50.0);
        grid(&mut c, left, w, max, y_of);
        for (i, y) in o.years.iter().enumerate() {
            let x = left + i as f64 * slot;
            let bh = y.spend_yen as f64 / max * h;
            let by = y_of(y.budget_yen as f64);
            let spend_tip = format!("{} {}", y.fiscal_year_label, yen_u(y.spend_yen));
            let budget_tip = format!("{} {}", l.t("予算", "Budget"), yen_u(y.budget_yen));
            c.rect(x + slot * 0.2, top + h - bh, slot * 0.6, bh, "#1565c0", Some(spend_tip))
                .line((x + 2.0, by), (x + slot - 2.0, by), "#b71c1c", 2.0, true, Some(budget_tip))
                .text(x + slot / 2.0, top + h + 16.0, 11, Anchor::Middle, y.fiscal_year_label.clone());
        }
        let ly = top + h + 33.0;
        c.swatch(left, top + h + 28.0, "#1565c0", l.t("補修費", "Spend"))
            .line((left + 90.0, ly), (left + 110.0, ly), "#b71c1c", 2.0, true, None)
            .text(left + 114.0, top + h + 37.0, 12, Anchor::Start, l.t("予算", "Budget"));
        Some(c)
    }

    /// 累積費用の推移 (preventive vs corrective), a line chart.
    pub fn lcc_chart(&self) -> Option<Chart> {
        let lcc = self.lcc.as_ref()?;
        let l = &self.chrome.l;
        let series = [
            (
                &lcc.comparison.preventive.cumulative_cost_yen,
                "#2e7d32",
                l.t("予防保全（IIで補修）", "Preventive (repair at II)"),
            ),
            (
                &lcc.comparison.corrective.cumulative_cost_yen,
                "#b71c1c",
                l.t("事後保全（III・IVで補修）", "Corrective (repair at III/IV)"),
            ),
        ];
        let (w, h, left, top) = (560.0, 220.0, 70.0, 10.0);
        let years = series[0].0.len().saturating_sub(1).max(1) as f64;
        let max = series.iter().flat_map(|s| s.0.iter()).fold(1.0_f64, |a, b| a.max(*b)) * 1.05;
        let x_of = |t: f64| left + t / years * (w - left - 10.0);
        let y_of = |v: f64| top + h - v / max * h;
        let mut c = Chart::new("lcc", l.t("累積補修費の推移", "Cumulative repair cost"), w, h + 50.0);
        grid(&mut c, left, w, max, y_of);
        let step = if years > 20.0 { 10 } else { 5 };
        for t in (0..=years as usize).step_by(step) {
            c.text(x_of(t as f64), top + h + 16.0, 11, Anchor::Middle, format!("{t}{}", l.t("年", "y")));
        }
        for (k, (data, colour, label)) in series.iter().enumerate() {
            let pts = data.iter().enumerate().map(|(t, v)| (x_of(t as f64), y_of(*v))).collect();
            let lx = left + k as f64 * 230.0;
            c.polyline(pts, colour, 2.5, Some(label.to_string()))
                .line((lx, top + h + 33.0), (lx + 16.0, top + h + 33.0), colour, 3.0, false, None)
                .text(lx + 20.0, top + h + 37.0, 12, Anchor::Start, label.to_string());
        }
        Some(c)
    }
}

/// Five horizontal grid lines with their yen labels, from 0 to `max`.
fn grid(c: &mut Chart, left: f64, w: f64, max: f64, y_of: impl Fn(f64) -> f64) {
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let y = y_of(v);
        c.line((left, y), (w - 10.0, y), "#ddd", 1.0, false, None).text(
            left - 4.0,
            y + 4.0,
            11,
            Anchor::End,
            yen_short(v),
        );
    }
}

async fn compute(st: &Shared, ctx: &Ctx, input: &PlanInput) -> Result<(PlanOutcome, LccOutcome), Error> {
    let (plan, lcc) = input.parse(ctx)?;
    let outcome = rp::plan(&st.db, ctx, plan).await?;
    let lcc = rp::lcc(&st.db, ctx, lcc).await?;
    Ok((outcome, lcc))
}

/// GET /infra/repair-plan — the form, the plan and the LCC; `?format=xlsx|csv` exports the plan.
pub async fn page(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    fmt: Export,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let q = Pairs(q);
    let input = PlanInput::from_pairs(&q);
    if let Export(Some(format)) = fmt {
        let (outcome, _) = compute(&st, &i.ctx, &input).await?;
        return export(&outcome, format);
    }
    let owners = rp::plannable_owners(&st.db, &i.ctx).await?;
    let mut owner_fields: Vec<(i64, String, String)> = owners
        .into_iter()
        .map(|(id, name)| {
            let typed =
                input.budgets.iter().find(|b| b.owner_org_id == id.to_string()).map(|b| b.annual_budget_yen.clone());
            let default = if input.budgets.is_empty() && Some(id) == i.ctx.org_id {
                rp::DEFAULT_BUDGET.to_string()
            } else {
                String::new()
            };
            (id, name, typed.unwrap_or(default))
        })
        .collect();
    if owner_fields.is_empty()
        && let Some(me) = i.ctx.org_id
    {
        owner_fields.push((me, String::new(), rp::DEFAULT_BUDGET.to_string()));
    }
    let query = url_query(&q);
    let (outcome, lcc, problems, status) = match compute(&st, &i.ctx, &input).await {
        Ok((o, l)) => (Some(o), Some(l), vec![], StatusCode::OK),
        Err(Error::Invalid(p)) => (None, None, p, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(AppError(e)),
    };
    Ok((status, render(&PlanPage { chrome: page.chrome(), input, owner_fields, problems, outcome, lcc, query }))
        .into_response())
}

/// The current query without `format`, for the export links.
fn url_query(q: &Pairs) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in q.0.iter().filter(|(k, _)| k != "format") {
        ser.append_pair(k, v);
    }
    ser.finish()
}

fn export(o: &PlanOutcome, format: ExportFormat) -> AppResult<Response> {
    if !o.feasible {
        return Err(AppError(Error::conflict(
            o.message.clone().unwrap_or_default(),
            "The emergency repairs cannot be funded within the budget; nothing to export",
        )));
    }
    let headers = ["年目", "年度", "施設ID", "施設名", "管理者", "補修前の健全性", "補修後の健全性", "費用（円）"];
    let rows = o
        .actions
        .iter()
        .map(|a| {
            vec![
                Cell::Int(i64::from(a.year)),
                Cell::Text(a.fiscal_year_label.clone()),
                Cell::Int(a.asset_id),
                Cell::Text(a.asset_name.clone()),
                Cell::Text(a.owner_name.clone()),
                Cell::Text(GRADES[a.grade_before as usize].into()),
                Cell::Text(GRADES[a.grade_after as usize].into()),
                Cell::Int(a.cost_yen as i64),
            ]
        })
        .collect();
    file_response(format, "repair-plan", "補修計画", &headers, rows)
}

/// The named query parameters of `GET /api/infra/repair-plan` (as the page's form; each
/// organisation's annual budget is `budget_<org id>=<yen>`), for the API's description.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct PlanQuery {
    /// 計画期間（年）, 1–20 (default 5).
    years: Option<String>,
    /// 補修単価（健全性II・III・IV, 円）.
    cost_ii: Option<String>,
    cost_iii: Option<String>,
    cost_iv: Option<String>,
    /// 健全性IVの年間損失（円）.
    loss_iv: Option<String>,
    /// 緊急措置の期限（年目）.
    deadline: Option<String>,
    /// LCC: 試算期間（年, default 50）, 点検間隔（年, default 5）, 割引率（%, default 4）.
    lcc_years: Option<String>,
    interval: Option<String>,
    discount: Option<String>,
}

/// The query parameters of `GET /api/infra/lcc`, for the API's description.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct LccQuery {
    cost_ii: Option<String>,
    cost_iii: Option<String>,
    cost_iv: Option<String>,
    lcc_years: Option<String>,
    interval: Option<String>,
    discount: Option<String>,
    /// The owners whose assets form the start distribution (repeatable; default the acting
    /// organisation).
    owner: Option<Vec<i64>>,
}

/// GET /api/infra/repair-plan — the same query parameters as the page.
pub async fn api_get(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    QueryPairs(q, _): QueryPairs<PlanQuery>,
) -> AppResult<Json<PlanOutcome>> {
    let (plan, _) = PlanInput::from_pairs(&Pairs(q)).parse(&i.ctx)?;
    Ok(Json(rp::plan(&st.db, &i.ctx, plan).await?))
}

/// POST /api/infra/repair-plan — `{years, cost_ii, cost_iii, cost_iv, loss_iv, deadline,
/// budgets: [{owner_org_id, annual_budget_yen}]}`.
pub async fn api_post(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    JsonBody(input): JsonBody<PlanInput>,
) -> AppResult<Json<PlanOutcome>> {
    let (plan, _) = input.parse(&i.ctx)?;
    Ok(Json(rp::plan(&st.db, &i.ctx, plan).await?))
}

/// GET /api/infra/lcc — `?cost_ii&cost_iii&cost_iv&lcc_years&interval&discount&owner=<id>`
/// (the owners whose assets form the start distribution; default the acting organisation).
pub async fn api_lcc(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    QueryPairs(q, _): QueryPairs<LccQuery>,
) -> AppResult<Json<LccOutcome>> {
    let q = Pairs(q);
    let mut input = PlanInput::from_pairs(&q);
    // `owner=<id>` (repeatable) chooses the owners without giving budgets.
    input
        .budgets
        .extend(q.all("owner").into_iter().map(|o| BudgetInput { owner_org_id: o, annual_budget_yen: "0".into() }));
    let (_, lcc) = input.parse(&i.ctx)?;
    Ok(Json(rp::lcc(&st.db, &i.ctx, lcc).await?))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(
            get,
            "/infra/repair-plan",
            Tenant,
            "infra",
            "補修計画（予算制約下の最適化、LCC比較、?format=xlsx|csv）",
            page
        ),
        api_route!(
            get,
            "/api/infra/repair-plan",
            Tenant,
            "infra",
            "補修計画（?years&cost_ii&cost_iii&cost_iv&loss_iv&deadline&budget_<団体ID>=年間予算）",
            api_get
        ),
        api_route!(
            post,
            "/api/infra/repair-plan",
            Tenant,
            "infra",
            "補修計画（budgets: [{owner_org_id, annual_budget_yen}] ほか）",
            api_post
        ),
        api_route!(
            get,
            "/api/infra/lcc",
            Tenant,
            "infra",
            "LCC比較：予防保全と事後保全（?cost_ii&cost_iii&cost_iv&lcc_years&interval&discount&owner）",
            api_lcc
        ),
    ]
}
