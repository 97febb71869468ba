//! 計画ツール: 地域要件の確認 (Q4-3, Q4-4) and 現状把握 (STEP0 Q0-1, 付録【現状把握ツール】).
//! Stateless forms with JSON counterparts, like `tools_pages.rs`.

use super::planning_input::{Pairs, int, lenient, lenient_list, num, yen};
use super::tools_current::{CurrentInput, CurrentResult};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use tabane_core::Error;
use tabane_core::error::{FieldProblem, Problems};
use tabane_planning::regional::{
    self, Area, Check, Firm, Locality, Office, OfficeKind, Position, Quorum, Rule, Task, presets,
};
use tabane_web::api::describe::JsonBody;
use tabane_web::error::{AppError, AppResult};
use tabane_web::middleware::Page;
use tabane_web::views::{Chrome, render};

fn status(problems: &[FieldProblem]) -> StatusCode {
    if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

fn pad<T: Default + Clone>(mut v: Vec<T>, n: usize) -> Vec<T> {
    while v.len() < n {
        v.push(T::default());
    }
    v
}

// ---------------------------------------------------------------------------
// 地域要件
// ---------------------------------------------------------------------------

/// 構成員・再委託先 (as typed).
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct FirmInput {
    #[serde(default, deserialize_with = "lenient")]
    pub name: String,
    /// "member" (構成員) or "subcontractor" (再委託先).
    #[serde(default, deserialize_with = "lenient")]
    pub position: String,
    /// "yes"/"on"/"true" when the firm is a consultant.
    #[serde(default, deserialize_with = "lenient")]
    pub consultant: String,
    /// 事業所の種別: 本店 / 支店 / 営業所 (head / branch / sales).
    #[serde(default, deserialize_with = "lenient")]
    pub office_kind: String,
    #[serde(default, deserialize_with = "lenient")]
    pub municipality: String,
    #[serde(default, deserialize_with = "lenient")]
    pub prefecture: String,
    /// 出資比率 (%).
    #[serde(default, deserialize_with = "lenient")]
    pub investment_pct: String,
    /// 履行金額 (対象業務, yen).
    #[serde(default, deserialize_with = "lenient")]
    pub performed_yen: String,
    /// 履行金額のうち共通業務・巡回業務 (yen).
    #[serde(default, deserialize_with = "lenient")]
    pub performed_common_yen: String,
    /// 入札参加資格（指名業者登録）のある市区町村.
    #[serde(default, deserialize_with = "lenient_list")]
    pub registered_in: Vec<String>,
}

/// 地域要件の入力: a preset of the guide, or the rule fields.
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
pub struct RegionalInput {
    /// sanjo / odate / fuchu / meiwa / nara / hasami, or "" / "custom" for the fields below.
    #[serde(default, deserialize_with = "lenient")]
    pub preset: String,
    /// 地元の市区町村 (comma-separated).
    #[serde(default, deserialize_with = "lenient")]
    pub local_municipalities: String,
    /// 地元と認める事業所: 本店のみ ("head") / 本店・営業所 ("head_sales") / すべて ("any").
    #[serde(default, deserialize_with = "lenient")]
    pub local_offices: String,
    /// 所在地要件: "all" (すべての構成員) / "at_least" / "" (なし).
    #[serde(default, deserialize_with = "lenient")]
    pub location_rule: String,
    #[serde(default, deserialize_with = "lenient")]
    pub min_local_members: String,
    /// コンサルは県内企業で可 (the prefecture), optional.
    #[serde(default, deserialize_with = "lenient")]
    pub consultant_prefecture: String,
    /// 地元企業の合計出資比率の下限 (%), optional.
    #[serde(default, deserialize_with = "lenient")]
    pub min_investment_pct: String,
    /// 地元企業の履行割合の下限 (%), optional; 共通業務・巡回業務は除く.
    #[serde(default, deserialize_with = "lenient")]
    pub min_performance_pct: String,
    /// 入札参加資格が必要な市区町村 (comma-separated), optional.
    #[serde(default, deserialize_with = "lenient")]
    pub registration_municipalities: String,
    #[serde(default)]
    pub firms: Vec<FirmInput>,
}

/// 地域要件の結果.
#[derive(Serialize, Clone, schemars::JsonSchema)]
pub struct RegionalResult {
    pub checks: Vec<Check>,
    pub all_passed: bool,
    /// Failed checks' messages (Japanese), for a quick read.
    pub failures: Vec<String>,
}

pub const PRESETS: [(&str, &str); 7] = [
    ("custom", "条件を入力する"),
    ("sanjo", "新潟県三条市（構成企業は市内企業、コンサルは県内可）"),
    ("odate", "秋田県大館市（構成企業等は市内企業）"),
    ("fuchu", "東京都府中市（都内企業・1社以上は市内本店・市内企業の出資25％以上）"),
    ("meiwa", "三重県明和町（50％以上を町内企業が履行、共通・巡回を除く）"),
    ("nara", "橿原市・大和高田市・明日香村（すべてで入札参加資格）"),
    ("hasami", "波佐見町・東彼杵町（両町へ指名願い・県内の実績）"),
];

fn split_list(s: &str) -> Vec<String> {
    s.split([',', '、', '・', ' ', '　']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
}

fn yes(s: &str) -> bool {
    matches!(s.trim(), "yes" | "on" | "true" | "1" | "はい")
}

impl RegionalInput {
    fn from_pairs(q: &Pairs) -> Self {
        let firms = (0..q.all("f_name").len())
            .map(|i| FirmInput {
                name: q.nth("f_name", i),
                position: q.nth("f_position", i),
                consultant: q.nth("f_consultant", i),
                office_kind: q.nth("f_office", i),
                municipality: q.nth("f_municipality", i),
                prefecture: q.nth("f_prefecture", i),
                investment_pct: q.nth("f_investment", i),
                performed_yen: q.nth("f_performed", i),
                performed_common_yen: q.nth("f_common", i),
                registered_in: split_list(&q.nth("f_registered", i)),
            })
            .collect();
        Self {
            preset: q.get("preset"),
            local_municipalities: q.get("local_municipalities"),
            local_offices: q.get("local_offices"),
            location_rule: q.get("location_rule"),
            min_local_members: q.get("min_local_members"),
            consultant_prefecture: q.get("consultant_prefecture"),
            min_investment_pct: q.get("min_investment_pct"),
            min_performance_pct: q.get("min_performance_pct"),
            registration_municipalities: q.get("registration_municipalities"),
            firms,
        }
    }

    fn rules(&self, p: &mut Problems) -> Vec<Rule> {
        match self.preset.trim() {
            "sanjo" => return presets::sanjo(),
            "odate" => return presets::odate(),
            "fuchu" => return presets::fuchu(),
            "meiwa" => return presets::meiwa(),
            "nara" => return presets::kashihara_yamatotakada_asuka(),
            "hasami" => return presets::hasami_higashisonogi(),
            "" | "custom" => {}
            _ => {
                p.push(
                    "preset",
                    "手引きの事例",
                    "Preset",
                    "が不明です（sanjo・odate・fuchu・meiwa・nara・hasami・custom）",
                    "is unknown",
                );
                return vec![];
            }
        }
        let kinds = match self.local_offices.trim() {
            "head" => vec![OfficeKind::HeadOffice],
            "head_sales" => vec![OfficeKind::HeadOffice, OfficeKind::SalesOffice],
            _ => vec![OfficeKind::HeadOffice, OfficeKind::Branch, OfficeKind::SalesOffice],
        };
        let towns = split_list(&self.local_municipalities);
        let local = Locality { area: Area::Municipalities(towns.clone()), kinds };
        let mut rules = Vec::new();
        let needs_local = !self.location_rule.trim().is_empty()
            || !self.min_investment_pct.trim().is_empty()
            || !self.min_performance_pct.trim().is_empty();
        if needs_local && towns.is_empty() {
            p.push(
                "local_municipalities",
                "地元の市区町村",
                "Local municipalities",
                "を入力してください（例: 三条市）",
                "is required",
            );
        }
        match self.location_rule.trim() {
            "" => {}
            r @ ("all" | "at_least") => {
                let quorum = if r == "all" {
                    Quorum::All
                } else {
                    Quorum::AtLeast(int(
                        p,
                        "min_local_members",
                        "地元企業の必要社数",
                        "Local firms required",
                        &self.min_local_members,
                        Some(1),
                        1,
                        100,
                    ) as usize)
                };
                let consultant_exception = (!self.consultant_prefecture.trim().is_empty()).then(|| Locality {
                    area: Area::Prefecture(self.consultant_prefecture.trim().into()),
                    kinds: vec![OfficeKind::HeadOffice, OfficeKind::Branch, OfficeKind::SalesOffice],
                });
                rules.push(Rule::Location { local: local.clone(), quorum, consultant_exception });
            }
            _ => p.push(
                "location_rule",
                "所在地要件",
                "Location rule",
                "は all（すべての構成員）か at_least（n社以上）を選んでください",
                "must be all or at_least",
            ),
        }
        if !self.min_investment_pct.trim().is_empty() {
            let min_pct = num(
                p,
                "min_investment_pct",
                "地元企業の合計出資比率の下限（%）",
                "Minimum local investment (%)",
                &self.min_investment_pct,
                None,
                0.0,
                100.0,
            );
            rules.push(Rule::InvestmentShare { local: local.clone(), min_pct });
        }
        if !self.min_performance_pct.trim().is_empty() {
            let min_pct = num(
                p,
                "min_performance_pct",
                "地元企業の履行割合の下限（%）",
                "Minimum local performance (%)",
                &self.min_performance_pct,
                None,
                0.0,
                100.0,
            );
            rules.push(Rule::PerformanceShare { local, min_pct, excluded: vec![Task::Common, Task::Patrol] });
        }
        let reg = split_list(&self.registration_municipalities);
        if !reg.is_empty() {
            rules.push(Rule::Registration { municipalities: reg, quorum: Quorum::All });
        }
        if rules.is_empty() && p.0.is_empty() {
            p.push(
                "preset",
                "地域要件",
                "Rules",
                "を1つ以上設定するか、手引きの事例を選んでください",
                "need at least one rule or a preset",
            );
        }
        rules
    }

    /// Checks every field and evaluates the rules.
    pub fn compute(&self) -> Result<RegionalResult, Error> {
        let mut p = Problems::default();
        let rules = self.rules(&mut p);
        let mut firms = Vec::new();
        for (i, f) in self.firms.iter().enumerate() {
            if [&f.name, &f.municipality, &f.prefecture, &f.investment_pct, &f.performed_yen]
                .iter()
                .all(|v| v.trim().is_empty())
            {
                continue;
            }
            let key = |k: &str| format!("firms[{i}].{k}");
            let lab = |ja: &str| format!("{}行目の{ja}", i + 1);
            let en = |e: &str| format!("{e} in row {}", i + 1);
            if f.name.trim().is_empty() {
                p.push(&key("name"), &lab("商号"), &en("Name"), "を入力してください", "is required");
            }
            if f.municipality.trim().is_empty() {
                p.push(
                    &key("municipality"),
                    &lab("事業所の市区町村"),
                    &en("Municipality"),
                    "を入力してください",
                    "is required",
                );
            }
            let position = match f.position.trim() {
                "" | "member" | "構成員" => Position::Member,
                "subcontractor" | "再委託先" => Position::Subcontractor,
                _ => {
                    p.push(
                        &key("position"),
                        &lab("立場"),
                        &en("Position"),
                        "は構成員（member）か再委託先（subcontractor）を選んでください",
                        "must be member or subcontractor",
                    );
                    Position::Member
                }
            };
            let kind = match f.office_kind.trim() {
                "" | "head" | "本店" | "本社" => OfficeKind::HeadOffice,
                "branch" | "支店" => OfficeKind::Branch,
                "sales" | "営業所" => OfficeKind::SalesOffice,
                _ => {
                    p.push(
                        &key("office_kind"),
                        &lab("事業所の種別"),
                        &en("Office kind"),
                        "は本店・支店・営業所のいずれかを選んでください",
                        "must be head, branch or sales",
                    );
                    OfficeKind::HeadOffice
                }
            };
            let investment_pct = num(
                &mut p,
                &key("investment_pct"),
                &lab("出資比率（%）"),
                &en("Investment (%)"),
                &f.investment_pct,
                Some(0.0),
                0.0,
                100.0,
            );
            let performed = yen(
                &mut p,
                &key("performed_yen"),
                &lab("履行金額"),
                &en("Amount performed"),
                &f.performed_yen,
                Some(0),
            );
            let common = yen(
                &mut p,
                &key("performed_common_yen"),
                &lab("履行金額（共通・巡回）"),
                &en("Amount performed (common, patrol)"),
                &f.performed_common_yen,
                Some(0),
            );
            firms.push(Firm {
                name: f.name.trim().into(),
                position,
                is_consultant: yes(&f.consultant),
                offices: vec![Office {
                    kind,
                    municipality: f.municipality.trim().into(),
                    prefecture: f.prefecture.trim().into(),
                }],
                investment_pct: if position == Position::Member { investment_pct } else { 0.0 },
                performed: vec![(Task::Repair, performed), (Task::Common, common)],
                registered_in: f.registered_in.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
                track_records: vec![],
            });
        }
        if firms.is_empty() {
            p.push("firms", "構成員", "Firms", "を1社以上入力してください", "need at least one firm");
        }
        p.into_result()?;
        let checks = regional::evaluate(&firms, &rules);
        Ok(RegionalResult {
            all_passed: regional::all_passed(&checks),
            failures: checks.iter().filter(|c| !c.passed).map(|c| c.message.clone()).collect(),
            checks,
        })
    }
}

#[derive(Template)]
#[template(path = "infra/tool_regional.html")]
pub struct RegionalPage {
    pub chrome: Chrome,
    pub input: RegionalInput,
    pub problems: Vec<FieldProblem>,
    pub result: Option<RegionalResult>,
    pub presets: &'static [(&'static str, &'static str)],
}

impl RegionalPage {
    pub fn en(&self) -> bool {
        self.chrome.l.is_en()
    }
}

fn regional_page(
    page: &Page,
    mut input: RegionalInput,
    problems: Vec<FieldProblem>,
    result: Option<RegionalResult>,
) -> Response {
    input.firms = pad(input.firms, 4);
    (status(&problems), render(&RegionalPage { chrome: page.chrome(), input, problems, result, presets: &PRESETS }))
        .into_response()
}

/// GET /infra/tools/regional — the form.
pub async fn regional_form(page: Page) -> Response {
    regional_page(
        &page,
        RegionalInput { preset: "custom".into(), location_rule: "all".into(), ..Default::default() },
        vec![],
        None,
    )
}

/// POST /infra/tools/regional — the form submitted.
pub async fn regional_submit(page: Page, Form(f): Form<Vec<(String, String)>>) -> Response {
    let input = RegionalInput::from_pairs(&Pairs(f));
    match input.compute() {
        Ok(r) => regional_page(&page, input, vec![], Some(r)),
        Err(Error::Invalid(p)) => regional_page(&page, input, p, None),
        Err(e) => AppError(e).into_response(),
    }
}

/// POST /api/infra/tools/regional — JSON in, JSON out.
pub async fn regional_api(JsonBody(input): JsonBody<RegionalInput>) -> AppResult<Json<RegionalResult>> {
    Ok(Json(input.compute()?))
}

// ---------------------------------------------------------------------------
// 現状把握
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "infra/tool_current.html")]
pub struct CurrentPage {
    pub chrome: Chrome,
    pub input: CurrentInput,
    pub problems: Vec<FieldProblem>,
    pub result: Option<CurrentResult>,
}

impl CurrentPage {
    pub fn en(&self) -> bool {
        self.chrome.l.is_en()
    }
    pub fn f1(&self, v: &f64) -> String {
        format!("{:.1}", v)
    }
    pub fn staff_chart(&self) -> Option<tabane_web::chart::Chart> {
        self.result.as_ref().and_then(|r| r.staff_chart(self.en()))
    }
    pub fn tasks_chart(&self) -> Option<tabane_web::chart::Chart> {
        self.result.as_ref().and_then(|r| r.tasks_chart(self.en()))
    }
}

fn current_page(
    page: &Page,
    mut input: CurrentInput,
    problems: Vec<FieldProblem>,
    result: Option<CurrentResult>,
) -> Response {
    input.bands = pad(input.bands, 5);
    input.tasks = pad(input.tasks, 6);
    (status(&problems), render(&CurrentPage { chrome: page.chrome(), input, problems, result })).into_response()
}

/// GET /infra/tools/current-state — the form, with the usual age bands.
pub async fn current_form(page: Page) -> Response {
    current_page(&page, CurrentInput::blank(), vec![], None)
}

/// POST /infra/tools/current-state — the form submitted.
pub async fn current_submit(page: Page, Form(f): Form<Vec<(String, String)>>) -> Response {
    let input = CurrentInput::from_pairs(&Pairs(f));
    match input.compute() {
        Ok(r) => current_page(&page, input, vec![], Some(r)),
        Err(Error::Invalid(p)) => current_page(&page, input, p, None),
        Err(e) => AppError(e).into_response(),
    }
}

/// POST /api/infra/tools/current-state — JSON in, JSON out.
pub async fn current_api(JsonBody(input): JsonBody<CurrentInput>) -> AppResult<Json<CurrentResult>> {
    Ok(Json(input.compute()?))
}

/// This feature's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/infra/tools/regional", SignedIn, "infra", "地域要件の確認（JV・事業協同組合）", regional_form),
        route!(post, "/infra/tools/regional", SignedIn, "infra", "地域要件の確認", regional_submit),
        api_route!(
            post,
            "/api/infra/tools/regional",
            SignedIn,
            "infra",
            "地域要件の確認（不適合の要件と不足分）",
            regional_api
        ),
        route!(
            get,
            "/infra/tools/current-state",
            SignedIn,
            "infra",
            "現状把握（タイムリミット・業務配分・同規模比較）",
            current_form
        ),
        route!(post, "/infra/tools/current-state", SignedIn, "infra", "現状把握の分析", current_submit),
        api_route!(
            post,
            "/api/infra/tools/current-state",
            SignedIn,
            "infra",
            "現状把握（年齢階層・業務配分時間・人口）",
            current_api
        ),
    ]
}
