//! 計画ツール (planning tools of the guide): 導入効果試算 (Q2-7, Q2-8, Q2-10) and 費用負担
//! (Q4-1). Stateless: a form in, the result out; each has a JSON POST counterpart calling the
//! same functions. 地域要件 and 現状把握 are in `tools_checks.rs`.

use super::planning_input::{Pairs, from_json, int, lenient, num, yen, yen_u};
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
use tabane_web::error::{AppError, AppResult};
use tabane_web::middleware::Page;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "infra_tools.html")]
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
#[derive(Deserialize, Serialize, Default, Clone)]
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
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct RouteInput {
    #[serde(default, deserialize_with = "lenient")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub length_km: String,
    #[serde(default, deserialize_with = "lenient")]
    pub times_per_year: String,
}

/// 提案1件当たりの作業人工 (as typed).
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct StaffInput {
    #[serde(default, deserialize_with = "lenient")]
    pub role: String,
    #[serde(default, deserialize_with = "lenient")]
    pub person_days: String,
    #[serde(default, deserialize_with = "lenient")]
    pub daily_rate_yen: String,
}

/// 導入効果試算の入力.
#[derive(Deserialize, Serialize, Default, Clone)]
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
#[derive(Serialize, Clone)]
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
#[template(path = "infra_tool_effect.html")]
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
pub async fn effect_api(Json(v): Json<serde_json::Value>) -> AppResult<Json<EffectResult>> {
    Ok(Json(from_json::<EffectInput>(v)?.compute()?))
}

// ---------------------------------------------------------------------------
// 費用負担
// ---------------------------------------------------------------------------

/// 構成団体 (as typed): 業務量, 数量（延長・施設数）, 人口.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct CostMemberInput {
    #[serde(default, deserialize_with = "lenient")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub workload: String,
    #[serde(default, deserialize_with = "lenient")]
    pub quantity: String,
    #[serde(default, deserialize_with = "lenient")]
    pub population: String,
}

/// 費用項目 (as typed). `method`: equal / workload / quantity / population / combined; for
/// combined, the weights (%) of each basis.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct CostItemInput {
    #[serde(default, deserialize_with = "lenient")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient")]
    pub total_yen: String,
    #[serde(default, deserialize_with = "lenient")]
    pub method: String,
    #[serde(default, deserialize_with = "lenient")]
    pub w_equal: String,
    #[serde(default, deserialize_with = "lenient")]
    pub w_workload: String,
    #[serde(default, deserialize_with = "lenient")]
    pub w_quantity: String,
    #[serde(default, deserialize_with = "lenient")]
    pub w_population: String,
}

/// 費用負担の入力.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct CostInput {
    #[serde(default)]
    pub members: Vec<CostMemberInput>,
    #[serde(default)]
    pub items: Vec<CostItemInput>,
    /// "rotating" (持ち回り・事務費なし) or "delegated" (代行・事務費あり).
    #[serde(default, deserialize_with = "lenient")]
    pub leadership: String,
    /// 代表団体 (1-based row number).
    #[serde(default, deserialize_with = "lenient")]
    pub lead: String,
    /// 事務費率 (%).
    #[serde(default, deserialize_with = "lenient")]
    pub admin_fee_percent: String,
}

/// One item's split, with where the remainder yen went.
#[derive(Serialize, Clone)]
pub struct ItemDetail {
    pub name: String,
    pub total_yen: u64,
    pub method_label: String,
    pub shares_yen: Vec<u64>,
    /// 端数として配った円 (total − Σ floor of the exact shares).
    pub remainder_yen: u64,
    /// Members who received one remainder yen each.
    pub remainder_to: Vec<String>,
}

/// 費用負担の結果.
#[derive(Serialize, Clone)]
pub struct CostResult {
    pub sharing: Sharing,
    pub items: Vec<ItemDetail>,
    /// Σ member shares (always equals the total).
    pub sum_of_shares_yen: u64,
    pub rounding_rule: String,
}

pub const ROUNDING_RULE: &str = "各団体の負担額は、按分した正確な金額の円未満を切り捨て、残った円（端数）を円未満の端数が大きい団体から1円ずつ配ります（最大剰余方式、端数が同じなら一覧の上の団体から）。事務費は各団体の負担額×事務費率の円未満切り捨てです。負担額の合計は必ず総額に一致します。";

const METHODS: [(&str, &str); 5] = [
    ("equal", "均等割"),
    ("workload", "業務量割"),
    ("quantity", "数量割（延長・施設数）"),
    ("population", "数量割（人口）"),
    ("combined", "複合配分"),
];

impl CostInput {
    fn from_pairs(q: &Pairs) -> Self {
        let members = (0..q.all("m_name").len())
            .map(|i| CostMemberInput {
                name: q.nth("m_name", i),
                workload: q.nth("m_workload", i),
                quantity: q.nth("m_quantity", i),
                population: q.nth("m_population", i),
            })
            .collect();
        let items = (0..q.all("i_name").len())
            .map(|i| CostItemInput {
                name: q.nth("i_name", i),
                total_yen: q.nth("i_total", i),
                method: q.nth("i_method", i),
                w_equal: q.nth("i_w_equal", i),
                w_workload: q.nth("i_w_workload", i),
                w_quantity: q.nth("i_w_quantity", i),
                w_population: q.nth("i_w_population", i),
            })
            .collect();
        Self {
            members,
            items,
            leadership: q.get("leadership"),
            lead: q.get("lead"),
            admin_fee_percent: q.get("admin_fee_percent"),
        }
    }

    /// Checks every field and shares the costs.
    pub fn compute(&self) -> Result<CostResult, Error> {
        let mut p = Problems::default();
        let (mut names, mut workload, mut quantity, mut population) = (vec![], vec![], vec![], vec![]);
        for (i, m) in self.members.iter().enumerate() {
            if [&m.name, &m.workload, &m.quantity, &m.population].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let f = format!("members[{i}]");
            if m.name.trim().is_empty() {
                let (j, e) = label(i, "団体名", "Name");
                p.push(&format!("{f}.name"), &j, &e, "を入力してください", "is required");
            }
            names.push(m.name.trim().to_string());
            let (j, e) = label(i, "業務量", "Workload");
            workload.push(num(&mut p, &format!("{f}.workload"), &j, &e, &m.workload, Some(0.0), 0.0, f64::MAX));
            let (j, e) = label(i, "数量（延長・施設数）", "Quantity");
            quantity.push(num(&mut p, &format!("{f}.quantity"), &j, &e, &m.quantity, Some(0.0), 0.0, f64::MAX));
            let (j, e) = label(i, "人口", "Population");
            population.push(num(&mut p, &format!("{f}.population"), &j, &e, &m.population, Some(0.0), 0.0, f64::MAX));
        }
        if names.is_empty() {
            p.push("members", "構成団体", "Members", "を1つ以上入力してください", "need at least one row");
        }
        let mut items = Vec::new();
        let mut labels = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            if [&it.name, &it.total_yen].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let f = format!("items[{i}]");
            let (j, e) = label(i, "費用項目の金額", "Item amount");
            let total = yen(&mut p, &format!("{f}.total_yen"), &j, &e, &it.total_yen, None);
            let m = it.method.trim();
            let method = match m {
                "" | "equal" | "均等割" => Method::equal(),
                "workload" | "業務量割" => Method::workload(workload.clone()),
                "quantity" | "数量割" => Method::quantity(quantity.clone()),
                "population" | "人口割" => Method::quantity(population.clone()),
                "combined" | "複合配分" => {
                    let w = |p: &mut Problems, key: &str, ja: &str, v: &str| {
                        let (j, e) = label(i, &format!("{ja}の比率（%）"), "Weight (%)");
                        num(p, &format!("{f}.{key}"), &j, &e, v, Some(0.0), 0.0, 100.0)
                    };
                    let parts = [
                        (w(&mut p, "w_equal", "均等割", &it.w_equal), Basis::Equal),
                        (w(&mut p, "w_workload", "業務量割", &it.w_workload), Basis::Workload(workload.clone())),
                        (w(&mut p, "w_quantity", "数量割", &it.w_quantity), Basis::Quantity(quantity.clone())),
                        (w(&mut p, "w_population", "人口割", &it.w_population), Basis::Quantity(population.clone())),
                    ];
                    Method::combined(parts.into_iter().filter(|(w, _)| *w > 0.0))
                }
                _ => {
                    let (j, e) = label(i, "分担方法", "Method");
                    p.push(
                        &format!("{f}.method"),
                        &j,
                        &e,
                        "は均等割・業務量割・数量割・人口割・複合配分のいずれかを選んでください",
                        "must be equal, workload, quantity, population or combined",
                    );
                    Method::equal()
                }
            };
            let name =
                if it.name.trim().is_empty() { format!("費用項目{}", i + 1) } else { it.name.trim().to_string() };
            labels
                .push(METHODS.iter().find(|(k, ja)| *k == m || *ja == m).map(|x| x.1).unwrap_or("均等割").to_string());
            items.push(CostItem { name, total_yen: total, method });
        }
        if items.is_empty() {
            p.push("items", "費用項目", "Cost items", "を1つ以上入力してください", "need at least one item");
        }
        let leadership = match self.leadership.trim() {
            "" | "rotating" | "持ち回り" => Leadership::Rotating,
            "delegated" | "代行" => {
                let lead = int(
                    &mut p,
                    "lead",
                    "代表団体（行番号）",
                    "Lead (row number)",
                    &self.lead,
                    None,
                    1,
                    names.len().max(1) as i64,
                ) as usize
                    - 1;
                let pct = num(
                    &mut p,
                    "admin_fee_percent",
                    "事務費率（%）",
                    "Admin fee (%)",
                    &self.admin_fee_percent,
                    None,
                    0.0,
                    100.0,
                );
                Leadership::Delegated { lead, fee_basis_points: (pct * 100.0).round() as u32 }
            }
            _ => {
                p.push(
                    "leadership",
                    "発注事務の分担",
                    "Who orders",
                    "は持ち回り（rotating）か代行（delegated）を選んでください",
                    "must be rotating or delegated",
                );
                Leadership::Rotating
            }
        };
        p.into_result()?;
        let sharing = cost_sharing::share_costs(&names, &items, leadership)
            .map_err(|e| Error::invalid("items", "費用負担", "Cost sharing", e.to_string(), "cannot be shared"))?;
        let details = items
            .iter()
            .zip(labels)
            .enumerate()
            .map(|(k, (it, method_label))| {
                let shares: Vec<u64> = sharing.members.iter().map(|m| m.item_shares_yen[k]).collect();
                let exact = exact_shares(it, names.len());
                let floors: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
                let remainder_to = names
                    .iter()
                    .zip(shares.iter().zip(&floors))
                    .filter(|(_, (s, f))| s > f)
                    .map(|(n, _)| n.clone())
                    .collect();
                ItemDetail {
                    name: it.name.clone(),
                    total_yen: it.total_yen,
                    method_label,
                    remainder_yen: it.total_yen.saturating_sub(floors.iter().sum()),
                    shares_yen: shares,
                    remainder_to,
                }
            })
            .collect();
        Ok(CostResult {
            sum_of_shares_yen: sharing.members.iter().map(|m| m.share_yen).sum(),
            sharing,
            items: details,
            rounding_rule: ROUNDING_RULE.into(),
        })
    }
}

/// The exact (fractional) shares of an item, for showing where the remainder yen went.
fn exact_shares(it: &CostItem, n: usize) -> Vec<f64> {
    let total_w: f64 = it.method.components.iter().map(|c| c.weight).sum();
    let mut p = vec![0.0; n];
    for c in &it.method.components {
        let values = match &c.basis {
            Basis::Equal => None,
            Basis::Workload(v) | Basis::Quantity(v) => Some(v),
        };
        match values {
            None => p.iter_mut().for_each(|x| *x += c.weight / total_w / n as f64),
            Some(v) => {
                let sum: f64 = v.iter().sum();
                if sum > 0.0 {
                    p.iter_mut().zip(v).for_each(|(x, v)| *x += c.weight / total_w * v / sum);
                }
            }
        }
    }
    p.iter().map(|x| x * it.total_yen as f64 + 1e-7).collect()
}

#[derive(Template)]
#[template(path = "infra_tool_cost.html")]
pub struct CostPage {
    pub chrome: Chrome,
    pub input: CostInput,
    pub problems: Vec<FieldProblem>,
    pub result: Option<CostResult>,
    pub methods: &'static [(&'static str, &'static str)],
}

impl CostPage {
    pub fn en(&self) -> bool {
        self.chrome.l.is_en()
    }
    pub fn yen(&self, v: &u64) -> String {
        yen_u(*v)
    }
    pub fn yen_i(&self, v: &i64) -> String {
        super::views::yen(*v)
    }
}

fn cost_page(page: &Page, mut input: CostInput, problems: Vec<FieldProblem>, result: Option<CostResult>) -> Response {
    input.members = pad(input.members, 4);
    input.items = pad(input.items, 3);
    (status(&problems), render(&CostPage { chrome: page.chrome(), input, problems, result, methods: &METHODS }))
        .into_response()
}

/// GET /infra/tools/cost-sharing — the form.
pub async fn cost_form(page: Page) -> Response {
    cost_page(
        &page,
        CostInput { leadership: "rotating".into(), admin_fee_percent: "3".into(), ..Default::default() },
        vec![],
        None,
    )
}

/// POST /infra/tools/cost-sharing — the form submitted.
pub async fn cost_submit(page: Page, Form(f): Form<Vec<(String, String)>>) -> Response {
    let input = CostInput::from_pairs(&Pairs(f));
    match input.compute() {
        Ok(r) => cost_page(&page, input, vec![], Some(r)),
        Err(Error::Invalid(p)) => cost_page(&page, input, p, None),
        Err(e) => AppError(e).into_response(),
    }
}

/// POST /api/infra/tools/cost-sharing — JSON in, JSON out.
pub async fn cost_api(Json(v): Json<serde_json::Value>) -> AppResult<Json<CostResult>> {
    Ok(Json(from_json::<CostInput>(v)?.compute()?))
}
