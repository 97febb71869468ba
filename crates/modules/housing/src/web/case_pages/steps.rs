//! 案件の手続 (the steps of a case): classification, the move's gates, the unit, forms received, the mover referral — each as a form that redirects back to the case, and as JSON.

use super::*;
use crate::web::answers::{Classified, FormReceived, Referred, StepDone};
use tabane_web::api::answers::Done;

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ClassifyForm {
    pub class: String,
    #[serde(default)]
    pub reason: String,
}

fn parse_class(s: &str) -> tabane_core::Result<Classification> {
    Classification::parse(s).ok_or_else(|| {
        Error::invalid(
            "class",
            "分類",
            "Classification",
            format!("は{}のいずれかです", Classification::choices_ja()),
            "is not a classification",
        )
    })
}

pub async fn classify(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<ClassifyForm>,
) -> AppResult<Response> {
    let r = async {
        cases::classify(&st.db, &i.ctx, id, parse_class(&f.class)?, &f.reason).await.map(|_| "分類しました".to_string())
    }
    .await;
    after(&st, &page, &i.ctx, id, r).await
}

pub async fn api_classify(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<ClassifyForm>,
) -> AppResult<Json<Classified>> {
    let c = cases::classify(&st.db, &i.ctx, id, parse_class(&f.class)?, &f.reason).await?;
    Ok(Json(Classified { id: c.id, classification: c.classification }))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[schemars(rename = "LegStepForm")]
pub struct StepForm {
    pub action: String,
    #[serde(flatten)]
    pub input: StepInput,
}

fn parse_action(s: &str) -> tabane_core::Result<Action> {
    Action::parse(s).ok_or_else(|| Error::invalid("action", "操作", "Action", "が分かりません", "is not a known step"))
}

pub async fn step(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r = async {
        let a = parse_action(&f.action)?;
        moves::step_on(&st.db, &i.ctx, lc, a, &f.input).await.map(|s| format!("{}：{}", a.label_ja(), s.label_ja()))
    }
    .await;
    after(&st, &page, &i.ctx, case_id, r).await
}

pub async fn api_step(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<StepForm>,
) -> AppResult<Json<StepDone>> {
    let s = moves::step(&st.db, &i.ctx, leg_id, parse_action(&f.action)?, &f.input).await?;
    Ok(Json(StepDone { status: s.key(), status_label: s.label_ja() }))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct UnitForm {
    pub unit_id: i64,
}

pub async fn assign_unit(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r = moves::assign_unit_on(&st.db, &i.ctx, lc, f.unit_id).await.map(|_| "移転先を決めました".to_string());
    after(&st, &page, &i.ctx, case_id, r).await
}

pub async fn api_assign_unit(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<UnitForm>,
) -> AppResult<Json<Done>> {
    moves::assign_unit(&st.db, &i.ctx, leg_id, f.unit_id).await?;
    Ok(Json(Done::OK))
}

pub async fn receive(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<Receipt>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r =
        moves::receive_form_on(&st.db, &i.ctx, lc, &f).await.map(|m| format!("発行番号 {} を受領しました", m.issue_no));
    after(&st, &page, &i.ctx, case_id, r).await
}

pub async fn api_receive(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<Receipt>,
) -> AppResult<Json<FormReceived>> {
    let m = moves::receive_form(&st.db, &i.ctx, leg_id, &f).await?;
    Ok(Json(FormReceived { issue_no: m.issue_no, received_on: m.received_on, defect_open: m.defect_open }))
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ReferralForm {
    pub company: String,
    #[serde(deserialize_with = "crate::forms::empty_as_none", default)]
    pub quote: Option<i64>,
    #[serde(deserialize_with = "crate::forms::empty_as_none", default)]
    pub move_on: Option<chrono::NaiveDate>,
}

fn quote_of(f: &ReferralForm) -> tabane_core::Result<i64> {
    f.quote.ok_or_else(|| Error::invalid("quote", "見積額", "Quote", "を円で入力してください", "is required (yen)"))
}

pub async fn referral(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<ReferralForm>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r = async { moves::refer_mover_on(&st.db, &i.ctx, lc, &f.company, quote_of(&f)?, f.move_on).await }
        .await
        .map(|m| format!("{} を斡旋として記録しました", m.company));
    after(&st, &page, &i.ctx, case_id, r).await
}

pub async fn api_referral(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<ReferralForm>,
) -> AppResult<Json<Referred>> {
    let m = moves::refer_mover(&st.db, &i.ctx, leg_id, &f.company, quote_of(&f)?, f.move_on).await?;
    Ok(Json(Referred { id: m.id, fee_cap: m.fee_cap }))
}
