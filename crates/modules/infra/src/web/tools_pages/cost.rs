//! 費用負担 (cost sharing, Q4-1): the form, the exact-yen result and its JSON twin.

use super::*;
use tabane_web::api::describe::JsonBody;

// ---------------------------------------------------------------------------
// 費用負担
// ---------------------------------------------------------------------------

/// 構成団体 (as typed): 業務量, 数量（延長・施設数）, 人口.
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
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
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
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
#[derive(Deserialize, Serialize, Default, Clone, schemars::JsonSchema)]
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
#[derive(Serialize, Clone, schemars::JsonSchema)]
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
#[derive(Serialize, Clone, schemars::JsonSchema)]
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
#[template(path = "infra/tool_cost.html")]
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
        super::super::views::yen(*v)
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
pub async fn cost_api(JsonBody(input): JsonBody<CostInput>) -> AppResult<Json<CostResult>> {
    Ok(Json(input.compute()?))
}
