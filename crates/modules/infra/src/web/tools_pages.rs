//! 計画ツール (planning tools of the guide): 導入効果試算 (Q2-7, Q2-8, Q2-10) and 費用負担
//! (Q4-1). Stateless: a form in, the result out; each has a JSON POST counterpart calling the
//! same functions. 地域要件 and 現状把握 are in `tools_checks.rs`.

use super::planning_input::{Pairs, int, lenient, num, yen, yen_u};
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use tabane_core::Error;
use tabane_core::error::{FieldProblem, Problems};
use tabane_planning::cost_sharing::{self, Basis, CostItem, Leadership, Method, Sharing};
use tabane_planning::effect::{
    self, CoordinationEstimate, Costs, Estimate, Member, PatrolEstimate, PatrolFrequency, PatrolParams, PatrolRoute,
    ProposalEstimate, ProposalStaff,
};
use tabane_web::api::describe::JsonBody;
use tabane_web::error::{AppError, AppResult};
use tabane_web::middleware::Page;
use tabane_web::views::{Chrome, render};

mod cost;
pub use cost::*;

#[derive(Template)]
#[template(path = "infra/tools.html")]
pub struct ToolsPage {
    pub chrome: Chrome,
}

/// GET /infra/tools — the index of the planning tools.
pub async fn index(page: Page) -> tabane_web::views::Rendered {
    render(&ToolsPage { chrome: page.chrome() })
}

fn status(problems: &[FieldProblem]) -> StatusCode {
    if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

fn label(i: usize, ja: &str, en: &str) -> (String, String) {
    (format!("{}行目の{ja}", i + 1), format!("{en} in row {}", i + 1))
}

/// Pads a table to at least `n` rows so the form has blank rows to fill.
fn pad<T: Default + Clone>(mut v: Vec<T>, n: usize) -> Vec<T> {
    while v.len() < n {
        v.push(T::default());
    }
    v
}

// ---------------------------------------------------------------------------
// 導入効果試算
// ---------------------------------------------------------------------------

/// 構成自治体の現状と導入後 (as typed).
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct EffectMemberInput {
    #[serde(default, deserialize_with = "lenient")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub before_hours: String,
    #[serde(default, deserialize_with = "lenient")]
    pub after_hours: String,
    #[serde(default, deserialize_with = "lenient")]
    pub before_outsourcing_yen: String,
    #[serde(default, deserialize_with = "lenient")]
    pub after_outsourcing_yen: String,
    #[serde(default, deserialize_with = "lenient")]
    pub new_costs_yen: String,
}

/// 巡回路線 (as typed); `times_per_year` accepts 週1・月2・月1・年2 or a number.
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct RouteInput {
    #[serde(default, deserialize_with = "lenient")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub length_km: String,
    #[serde(default, deserialize_with = "lenient")]
    pub times_per_year: String,
}

/// 提案1件当たりの作業人工 (as typed).
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct StaffInput {
    #[serde(default, deserialize_with = "lenient")]
    pub role: String,
    #[serde(default, deserialize_with = "lenient")]
    pub person_days: String,
    #[serde(default, deserialize_with = "lenient")]
    pub daily_rate_yen: String,
}

/// 導入効果試算の入力.
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct EffectInput {
    /// 人件費単価 (yen per hour).
    #[serde(default, deserialize_with = "lenient")]
    pub labour_rate_yen_per_hour: String,
    #[serde(default)]
    pub members: Vec<EffectMemberInput>,
    /// 三条市: 過去3ヵ年の維持管理業務委託件数 and 土木一般世話役の単価.
    #[serde(default, deserialize_with = "lenient")]
    pub contracts_past_3_years: String,
    #[serde(default, deserialize_with = "lenient")]
    pub sewayaku_rate_yen_per_hour: String,
    #[serde(default)]
    pub routes: Vec<RouteInput>,
    #[serde(default, deserialize_with = "lenient")]
    pub worker_rate_yen_per_hour: String,
    #[serde(default, deserialize_with = "lenient")]
    pub vehicle_yen_per_hour: String,
    #[serde(default, deserialize_with = "lenient")]
    pub contract_years: String,
    #[serde(default)]
    pub proposal_staff: Vec<StaffInput>,
}

/// 導入効果試算の結果.
#[derive(Serialize, Clone, schemars::JsonSchema)]
pub struct EffectResult {
    pub estimate: Estimate,
    /// 全体業務調整 (三条市の積算).
    pub coordination: Option<CoordinationEstimate>,
    /// 巡回作業.
    pub patrol: Option<PatrolEstimate>,
    /// 改善提案の検討費用.
    pub proposals: Option<ProposalEstimate>,
}

impl EffectInput {
    /// 手引き Q2-8 の例: A市がB町・C村の発注作業を代行 (100+100+100 → 120+50+50 時間).
    pub fn guide_example() -> Self {
        let m = |name: &str, before: &str, after: &str| EffectMemberInput {
            name: name.into(),
            before_hours: before.into(),
            after_hours: after.into(),
            ..Default::default()
        };
        Self {
            labour_rate_yen_per_hour: "3000".into(),
            members: vec![m("A市", "100", "120"), m("B町", "100", "50"), m("C村", "100", "50")],
            ..Default::default()
        }
    }

    fn from_pairs(q: &Pairs) -> Self {
        let members = (0..q.all("m_name").len())
            .map(|i| EffectMemberInput {
                name: q.nth("m_name", i),
                before_hours: q.nth("m_before_hours", i),
                after_hours: q.nth("m_after_hours", i),
                before_outsourcing_yen: q.nth("m_before_out", i),
                after_outsourcing_yen: q.nth("m_after_out", i),
                new_costs_yen: q.nth("m_new", i),
            })
            .collect();
        let routes = (0..q.all("r_name").len())
            .map(|i| RouteInput {
                name: q.nth("r_name", i),
                length_km: q.nth("r_km", i),
                times_per_year: q.nth("r_times", i),
            })
            .collect();
        let proposal_staff = (0..q.all("s_role").len())
            .map(|i| StaffInput {
                role: q.nth("s_role", i),
                person_days: q.nth("s_days", i),
                daily_rate_yen: q.nth("s_rate", i),
            })
            .collect();
        Self {
            labour_rate_yen_per_hour: q.get("labour_rate_yen_per_hour"),
            members,
            contracts_past_3_years: q.get("contracts_past_3_years"),
            sewayaku_rate_yen_per_hour: q.get("sewayaku_rate_yen_per_hour"),
            routes,
            worker_rate_yen_per_hour: q.get("worker_rate_yen_per_hour"),
            vehicle_yen_per_hour: q.get("vehicle_yen_per_hour"),
            contract_years: q.get("contract_years"),
            proposal_staff,
        }
    }

    /// Checks every field and computes the estimate.
    pub fn compute(&self) -> Result<EffectResult, Error> {
        let mut p = Problems::default();
        let rate = num(
            &mut p,
            "labour_rate_yen_per_hour",
            "人件費単価（円／時間）",
            "Labour rate (yen/hour)",
            &self.labour_rate_yen_per_hour,
            None,
            0.0,
            1e7,
        );
        let mut members = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            let blank = [
                &m.name,
                &m.before_hours,
                &m.after_hours,
                &m.before_outsourcing_yen,
                &m.after_outsourcing_yen,
                &m.new_costs_yen,
            ]
            .iter()
            .all(|v| v.trim().is_empty());
            if blank {
                continue;
            }
            let f = format!("members[{i}]");
            let l = |ja: &str, en: &str| label(i, ja, en);
            if m.name.trim().is_empty() {
                let (j, e) = l("自治体名", "Name");
                p.push(&format!("{f}.name"), &j, &e, "を入力してください", "is required");
            }
            let (j, e) = l("現状の直営対応時間", "Staff hours before");
            let bh = num(&mut p, &format!("{f}.before_hours"), &j, &e, &m.before_hours, Some(0.0), 0.0, 1e7);
            let (j, e) = l("導入後の直営対応時間", "Staff hours after");
            let ah = num(&mut p, &format!("{f}.after_hours"), &j, &e, &m.after_hours, Some(0.0), 0.0, 1e7);
            let (j, e) = l("現状の委託金額", "Outsourcing before");
            let bo = yen(&mut p, &format!("{f}.before_outsourcing_yen"), &j, &e, &m.before_outsourcing_yen, Some(0));
            let (j, e) = l("導入後の委託金額", "Outsourcing after");
            let ao = yen(&mut p, &format!("{f}.after_outsourcing_yen"), &j, &e, &m.after_outsourcing_yen, Some(0));
            let (j, e) = l("新たに必要となる経費", "New costs");
            let nc = yen(&mut p, &format!("{f}.new_costs_yen"), &j, &e, &m.new_costs_yen, Some(0));
            members.push(Member {
                name: m.name.trim().to_string(),
                before: Costs {
                    staff_hours: bh,
                    labour_rate_yen_per_hour: rate,
                    outsourcing_yen: bo,
                    new_costs_yen: 0,
                },
                after: Costs {
                    staff_hours: ah,
                    labour_rate_yen_per_hour: rate,
                    outsourcing_yen: ao,
                    new_costs_yen: nc,
                },
            });
        }
        if members.is_empty() {
            p.push("members", "構成自治体", "Members", "を1つ以上入力してください", "need at least one row");
        }
        // 三条市の積算 (optional sections).
        let coordination_in = (!self.contracts_past_3_years.trim().is_empty()).then(|| {
            let n = int(
                &mut p,
                "contracts_past_3_years",
                "過去3ヵ年の維持管理業務委託件数",
                "Contracts in the past 3 years",
                &self.contracts_past_3_years,
                None,
                0,
                1_000_000,
            ) as u32;
            let r = num(
                &mut p,
                "sewayaku_rate_yen_per_hour",
                "土木一般世話役の単価（円／時間）",
                "Foreman rate (yen/hour)",
                &self.sewayaku_rate_yen_per_hour,
                None,
                0.0,
                1e7,
            );
            (n, r)
        });
        let mut routes = Vec::new();
        for (i, r) in self.routes.iter().enumerate() {
            if [&r.name, &r.length_km, &r.times_per_year].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let (j, e) = label(i, "延長（km）", "Length (km)");
            let km = num(&mut p, &format!("routes[{i}].length_km"), &j, &e, &r.length_km, None, 0.0, 1e6);
            let frequency = match r.times_per_year.trim() {
                "週1" | "週1回" | "weekly" => PatrolFrequency::Weekly,
                "月2" | "月2回" | "twice_monthly" => PatrolFrequency::TwiceMonthly,
                "月1" | "月1回" | "monthly" => PatrolFrequency::Monthly,
                "年2" | "年2回" | "twice_yearly" => PatrolFrequency::TwiceYearly,
                other => {
                    let (j, e) = label(i, "巡回頻度（年間回数）", "Patrols per year");
                    PatrolFrequency::PerYear(int(
                        &mut p,
                        &format!("routes[{i}].times_per_year"),
                        &j,
                        &e,
                        other,
                        None,
                        0,
                        366,
                    ) as u32)
                }
            };
            routes.push(PatrolRoute {
                name: if r.name.trim().is_empty() { format!("路線{}", i + 1) } else { r.name.trim().into() },
                length_km: km,
                frequency,
            });
        }
        let patrol_params = (!routes.is_empty()).then(|| {
            let w = num(
                &mut p,
                "worker_rate_yen_per_hour",
                "軽作業員の労務単価（円／時間）",
                "Worker rate (yen/hour)",
                &self.worker_rate_yen_per_hour,
                None,
                0.0,
                1e7,
            );
            let v = num(
                &mut p,
                "vehicle_yen_per_hour",
                "燃料費・車両損料（円／時間）",
                "Fuel and vehicle (yen/hour)",
                &self.vehicle_yen_per_hour,
                Some(0.0),
                0.0,
                1e7,
            );
            PatrolParams::sanjo(w, v)
        });
        let mut staff = Vec::new();
        for (i, s) in self.proposal_staff.iter().enumerate() {
            if [&s.role, &s.person_days, &s.daily_rate_yen].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let (j, e) = label(i, "作業人工（人日）", "Person-days");
            let d = num(&mut p, &format!("proposal_staff[{i}].person_days"), &j, &e, &s.person_days, None, 0.0, 1e5);
            let (j, e) = label(i, "日額単価（円）", "Daily rate (yen)");
            let r =
                num(&mut p, &format!("proposal_staff[{i}].daily_rate_yen"), &j, &e, &s.daily_rate_yen, None, 0.0, 1e8);
            staff.push(ProposalStaff {
                role: if s.role.trim().is_empty() { format!("技術者{}", i + 1) } else { s.role.trim().into() },
                person_days: d,
                daily_rate_yen: r,
            });
        }
        let proposal_years = (!staff.is_empty()).then(|| {
            int(
                &mut p,
                "contract_years",
                "契約年数（提案は年1件）",
                "Contract years (one proposal a year)",
                &self.contract_years,
                Some(3),
                1,
                30,
            ) as u32
        });
        p.into_result()?;
        let invalid = |e: effect::EffectError| {
            Error::invalid("members", "導入効果試算", "Effect estimate", e.to_string(), "invalid input")
        };
        Ok(EffectResult {
            estimate: effect::estimate(&members).map_err(invalid)?,
            coordination: coordination_in
                .map(|(n, r)| effect::sanjo_coordination(n, r))
                .transpose()
                .map_err(invalid)?,
            patrol: patrol_params.map(|pp| effect::patrol_cost(&routes, &pp)).transpose().map_err(invalid)?,
            proposals: proposal_years.map(|y| effect::improvement_proposals(y, &staff)).transpose().map_err(invalid)?,
        })
    }
}

#[derive(Template)]
#[template(path = "infra/tool_effect.html")]
pub struct EffectPage {
    pub chrome: Chrome,
    pub input: EffectInput,
    pub problems: Vec<FieldProblem>,
    pub result: Option<EffectResult>,
}

impl EffectPage {
    pub fn en(&self) -> bool {
        self.chrome.l.is_en()
    }
    pub fn yen(&self, v: &u64) -> String {
        yen_u(*v)
    }
    pub fn yen_i(&self, v: &i64) -> String {
        super::views::yen(*v)
    }
    pub fn h(&self, v: &f64) -> String {
        format!("{}", (v * 100.0).round() / 100.0)
    }
    pub fn pct(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "—".into())
    }
}

fn effect_page(
    page: &Page,
    mut input: EffectInput,
    problems: Vec<FieldProblem>,
    result: Option<EffectResult>,
) -> Response {
    input.members = pad(input.members, 5);
    input.routes = pad(input.routes, 3);
    input.proposal_staff = pad(input.proposal_staff, 3);
    (status(&problems), render(&EffectPage { chrome: page.chrome(), input, problems, result })).into_response()
}

/// GET /infra/tools/effect — the form; `?example=1` fills the guide's A市・B町・C村 example.
pub async fn effect_form(page: Page, Query(q): Query<Vec<(String, String)>>) -> Response {
    if Pairs(q).has("example") {
        let input = EffectInput::guide_example();
        let result = input.compute().ok();
        return effect_page(&page, input, vec![], result);
    }
    effect_page(
        &page,
        EffectInput { labour_rate_yen_per_hour: "3000".into(), contract_years: "3".into(), ..Default::default() },
        vec![],
        None,
    )
}

/// POST /infra/tools/effect — the form submitted.
pub async fn effect_submit(page: Page, Form(f): Form<Vec<(String, String)>>) -> Response {
    let input = EffectInput::from_pairs(&Pairs(f));
    match input.compute() {
        Ok(r) => effect_page(&page, input, vec![], Some(r)),
        Err(Error::Invalid(p)) => effect_page(&page, input, p, None),
        Err(e) => AppError(e).into_response(),
    }
}

/// POST /api/infra/tools/effect — JSON in, JSON out.
pub async fn effect_api(JsonBody(input): JsonBody<EffectInput>) -> AppResult<Json<EffectResult>> {
    Ok(Json(input.compute()?))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/tools", SignedIn, "infra", "計画ツールの一覧", index),
        route!(get, "/infra/tools/effect", SignedIn, "infra", "導入効果試算（?example=1 で手引きの例）", effect_form),
        route!(post, "/infra/tools/effect", SignedIn, "infra", "導入効果試算の計算", effect_submit),
        api_route!(
            post,
            "/api/infra/tools/effect",
            SignedIn,
            "infra",
            "導入効果試算（members・人件費単価・三条市の積算）",
            effect_api
        ),
        route!(
            get,
            "/infra/tools/cost-sharing",
            SignedIn,
            "infra",
            "費用負担（業務量割・数量割・均等割・複合配分、事務費）",
            cost_form
        ),
        route!(post, "/infra/tools/cost-sharing", SignedIn, "infra", "費用負担の計算", cost_submit),
        api_route!(
            post,
            "/api/infra/tools/cost-sharing",
            SignedIn,
            "infra",
            "費用負担（最大剰余方式で合計が一致）",
            cost_api
        ),
    ]
}
