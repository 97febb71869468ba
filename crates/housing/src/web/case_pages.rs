//! 案件の画面 (case pages): the list, registering a household, the case page with its moves, and
//! every step as an HTML form and as JSON. A refusal re-renders the page with its message.

use crate::domain::{Classification, FormKind, ReceiptMethod};
use crate::legs::{Action, LegStatus};
use crate::service::case_view::{self, CaseDetail};
use crate::service::cases::{self, CaseFilter, CaseRow, NewHousehold};
use crate::service::moves::{self, Receipt, StepInput};
use crate::service::personal::{self, PersonalForm, PersonalView};
use crate::service::temporary::{self, CauseForm, ExtendForm};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::{Ctx, Error};
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

#[derive(Template)]
#[template(path = "housing_cases.html")]
pub struct CasesPage {
    pub chrome: Chrome,
    pub rows: Vec<CaseRow>,
    pub f: CaseFilter,
    pub estates: Vec<(i64, String)>,
    pub campaigns: Vec<(i64, String)>,
    pub error: Option<String>,
}

impl CasesPage {
    pub fn classes(&self) -> &'static [Classification] {
        Classification::ALL
    }
    pub fn statuses(&self) -> &'static [LegStatus] {
        LegStatus::ALL
    }
    pub fn class_label(&self, c: &Option<Classification>) -> &'static str {
        let en = self.chrome.l.is_en();
        c.map(|c| c.label(en)).unwrap_or(if en { "Not classified" } else { "未分類" })
    }
    pub fn export_columns(&self) -> &'static [(&'static str, &'static str, bool)] {
        crate::service::export::COLUMNS
    }
    pub fn sel(&self, v: &Option<String>, key: &str) -> bool {
        v.as_deref() == Some(key)
    }
}

async fn cases_page(st: &Shared, page: &Page, ctx: &Ctx, f: CaseFilter, error: Option<Error>) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(axum::http::StatusCode::OK);
    let rows = cases::list(&st.db, ctx, &f).await?;
    let estates =
        crate::service::estates::list(&st.db, ctx).await?.into_iter().map(|a| (a.estate.id, a.estate.name)).collect();
    let campaigns =
        crate::service::campaigns::list(&st.db, ctx).await?.into_iter().map(|(c, _)| (c.id, c.name)).collect();
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((status, render(&CasesPage { chrome: page.chrome(), rows, f, estates, campaigns, error })).into_response())
}

pub async fn list(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Query(f): Query<CaseFilter>,
) -> AppResult<Response> {
    cases_page(&st, &page, &i.ctx, f, None).await
}

pub async fn api_list(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(f): Query<CaseFilter>,
) -> AppResult<Json<serde_json::Value>> {
    Ok(Json(serde_json::json!({ "cases": cases::list(&st.db, &i.ctx, &f).await? })))
}

#[derive(Deserialize)]
pub struct HouseholdForm {
    pub estate_id: i64,
    #[serde(flatten)]
    pub h: NewHousehold,
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Form(f): Form<HouseholdForm>,
) -> AppResult<Response> {
    match cases::create_household(&st.db, &i.ctx, f.estate_id, &f.h).await {
        Ok(c) => Ok(Redirect::to(&format!("/housing/cases/{}", c.id)).into_response()),
        Err(e) if super::recoverable(&e) => cases_page(&st, &page, &i.ctx, CaseFilter::default(), Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_create(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Json(f): Json<HouseholdForm>,
) -> AppResult<Json<serde_json::Value>> {
    let c = cases::create_household(&st.db, &i.ctx, f.estate_id, &f.h).await?;
    Ok(Json(serde_json::json!({ "id": c.id, "household_id": c.household_id })))
}

#[derive(Template)]
#[template(path = "housing_case.html")]
pub struct CasePage {
    pub chrome: Chrome,
    pub c: CaseDetail,
    pub personal: Option<crate::service::personal::PersonalView>,
    pub message: Option<String>,
    pub error: Option<String>,
}

impl CasePage {
    pub fn classes(&self) -> &'static [Classification] {
        Classification::ALL
    }
    pub fn methods(&self) -> &'static [ReceiptMethod] {
        ReceiptMethod::ALL
    }
    pub fn class_label(&self, c: &Option<Classification>) -> &'static str {
        let en = self.chrome.l.is_en();
        c.map(|c| c.label(en)).unwrap_or(if en { "Not classified" } else { "未分類" })
    }
    pub fn form_label(&self, k: &str) -> &'static str {
        FormKind::parse(k).map(|k| k.label_ja()).unwrap_or("書類")
    }
    pub fn method_label(&self, m: &Option<String>) -> &'static str {
        m.as_deref().and_then(ReceiptMethod::parse).map(|m| m.label_ja()).unwrap_or("")
    }
    pub fn yen_opt(&self, v: &Option<i64>) -> String {
        v.map(crate::domain::format_yen).unwrap_or_else(|| "—".into())
    }
    pub fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| d.to_string()).unwrap_or_default()
    }
    pub fn reasons(&self) -> &'static [crate::domain::ExtensionReason] {
        crate::domain::ExtensionReason::ALL
    }
    pub fn causes(&self) -> &'static [crate::domain::DelayCause] {
        crate::domain::DelayCause::ALL
    }
    pub fn reason_label(&self, k: &Option<String>) -> &'static str {
        k.as_deref().and_then(crate::domain::ExtensionReason::parse).map(|r| r.label_ja()).unwrap_or("")
    }
    pub fn cause_label(&self, k: &Option<String>) -> &'static str {
        k.as_deref().and_then(crate::domain::DelayCause::parse).map(|r| r.label_ja()).unwrap_or("")
    }
    pub fn is_temporary(&self, k: &Option<Classification>) -> bool {
        *k == Some(Classification::Temporary)
    }
    pub fn payment_label(&self, k: &str) -> &'static str {
        crate::domain::PaymentKind::parse(k).map(|k| k.label_ja()).unwrap_or("")
    }
    pub fn action_label(&self, a: &str) -> String {
        Action::parse(a).map(|a| a.label_ja().to_string()).unwrap_or_else(|| match a {
            "classify" => "分類".into(),
            "open_case" => "案件の登録".into(),
            "contact" => "架電・訪問（回答収集）".into(),
            "open_leg" => "次の移転".into(),
            "assign_unit" => "移転先の決定".into(),
            "receive_form" => "書類の受領".into(),
            "refer_mover" => "引越業者の斡旋".into(),
            "set_transfer_address" => "住宅替え先の登録".into(),
            "reveal_personal" => "個人情報の表示".into(),
            "update_personal" => "個人情報の更新".into(),
            "temp_briefing" => "仮移転説明会（入居可能日と期間）".into(),
            "extend" => "仮移転の延長".into(),
            "delay_cause" => "遅延の原因".into(),
            other => other.into(),
        })
    }
    /// Steps that need a date input labelled differently.
    pub fn date_label(&self, a: &Action) -> &'static str {
        match a {
            Action::ScheduleMove => "移転予定日",
            Action::RecordMove => "移転日",
            Action::IssueForms => "配布日",
            Action::SignContract => "契約日",
            Action::PayFirst | Action::PayRemainder => "支払日",
            Action::HandKeys => "鍵渡し日",
            Action::ConfirmVacated => "確認日",
            _ => "日付",
        }
    }
}

async fn case_page(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    message: Option<String>,
    error: Option<Error>,
) -> AppResult<Response> {
    case_page_with(st, page, ctx, id, message, error, None).await
}

async fn case_page_with(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    id: i64,
    message: Option<String>,
    error: Option<Error>,
    personal: Option<PersonalView>,
) -> AppResult<Response> {
    let status = error.as_ref().map(status_of).unwrap_or(axum::http::StatusCode::OK);
    let c = case_view::detail(&st.db, ctx, id).await?;
    let error = error.map(|e| e.message(page.lang.is_en()));
    Ok((status, render(&CasePage { chrome: page.chrome(), c, personal, message, error })).into_response())
}

/// 個人情報を表示 (POST, so it is CSRF-protected and never cached): audited before showing.
pub async fn reveal(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match personal::reveal(&st.db, &i.ctx, id).await {
        Ok(v) => {
            case_page_with(
                &st,
                &page,
                &i.ctx,
                id,
                Some("個人情報を表示しました（表示は記録されます）".into()),
                None,
                Some(v),
            )
            .await
        }
        Err(e @ Error::Forbidden(_)) => case_page(&st, &page, &i.ctx, id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn api_reveal(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Json<PersonalView>> {
    Ok(Json(personal::reveal(&st.db, &i.ctx, id).await?))
}

fn form_fields(m: &std::collections::HashMap<String, String>) -> PersonalForm {
    // An empty input leaves the stored value as it is, so a partly filled form never erases.
    let g = |k: &str| m.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    PersonalForm {
        name: g("name"),
        kana: g("kana"),
        phone: g("phone"),
        address: g("address"),
        care_note: g("care_note"),
        bank_account: g("bank_account"),
    }
}

pub async fn edit_personal(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Form(m): Form<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    let r = personal::update(&st.db, &i.ctx, id, &form_fields(&m)).await.map(|_| "個人情報を保存しました".to_string());
    after(&st, &page, &i.ctx, id, r).await
}

pub async fn api_edit_personal(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(id): Path<i64>,
    Json(f): Json<PersonalForm>,
) -> AppResult<Json<serde_json::Value>> {
    personal::update(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(serde_json::json!({ "ok": true })))
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    case_page(&st, &page, &i.ctx, id, None, None).await
}

pub async fn api_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Json<CaseDetail>> {
    Ok(Json(case_view::detail(&st.db, &i.ctx, id).await?))
}

/// After a step: on success, back to the case page with the message (Post/Redirect/Get, so a
/// refresh never repeats the step); a refusal shows the case page again with its message.
async fn after(
    st: &Shared,
    page: &Page,
    ctx: &Ctx,
    case_id: i64,
    r: tabane_core::Result<String>,
) -> AppResult<Response> {
    match r {
        Ok(m) => Ok(see_other(&format!("/housing/cases/{case_id}"), &m)),
        Err(e) if super::recoverable(&e) => case_page(st, page, ctx, case_id, None, Some(e)).await,
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize)]
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
) -> AppResult<Json<serde_json::Value>> {
    let c = cases::classify(&st.db, &i.ctx, id, parse_class(&f.class)?, &f.reason).await?;
    Ok(Json(serde_json::json!({ "id": c.id, "classification": c.classification })))
}

#[derive(Deserialize)]
pub struct StepForm {
    pub action: String,
    #[serde(flatten)]
    pub input: StepInput,
}

fn parse_action(s: &str) -> tabane_core::Result<Action> {
    Action::parse(s).ok_or_else(|| Error::invalid("action", "操作", "Action", "が分かりません", "is not a known step"))
}

/// The move as the actor may use it (the access proof; 404 for anyone else), found once per
/// request: the step takes it, and its case is where the answer goes.
async fn leg_of(st: &Shared, ctx: &Ctx, leg_id: i64) -> AppResult<(moves::LegCtx, i64)> {
    let lc = moves::load(&st.db, ctx, leg_id).await?;
    let case_id = lc.case.id;
    Ok((lc, case_id))
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
) -> AppResult<Json<serde_json::Value>> {
    let s = moves::step(&st.db, &i.ctx, leg_id, parse_action(&f.action)?, &f.input).await?;
    Ok(Json(serde_json::json!({ "status": s.key(), "status_label": s.label_ja() })))
}

#[derive(Deserialize)]
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
) -> AppResult<Json<serde_json::Value>> {
    moves::assign_unit(&st.db, &i.ctx, leg_id, f.unit_id).await?;
    Ok(Json(serde_json::json!({ "ok": true })))
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
) -> AppResult<Json<serde_json::Value>> {
    let m = moves::receive_form(&st.db, &i.ctx, leg_id, &f).await?;
    Ok(Json(serde_json::json!({ "issue_no": m.issue_no, "received_on": m.received_on, "defect_open": m.defect_open })))
}

#[derive(Deserialize)]
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
) -> AppResult<Json<serde_json::Value>> {
    let m = moves::refer_mover(&st.db, &i.ctx, leg_id, &f.company, quote_of(&f)?, f.move_on).await?;
    Ok(Json(serde_json::json!({ "id": m.id, "fee_cap": m.fee_cap })))
}

/// 書き出し (CSV UTF-8 / CP932 / xlsx) with the chosen columns: `columns=a,b` (API) or one
/// `col_<key>=1` per ticked box (the page). Personal columns are audited.
pub async fn export(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    let estate: i64 = q
        .get("estate")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::invalid("estate", "団地", "Estate", "を選んでください", "is required"))?;
    let mut cols: Vec<String> = q
        .get("columns")
        .map(|c| c.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    for (key, _, _) in crate::service::export::COLUMNS {
        if q.get(&format!("col_{key}")).is_some_and(|v| !v.is_empty()) && !cols.iter().any(|c| c == key) {
            cols.push(key.to_string());
        }
    }
    let format = Export::parse(q.get("format").map(String::as_str))?.or(ExportFormat::CsvUtf8);
    let (headers, rows) = crate::service::export::cases(&st.db, &i.ctx, estate, &cols, format.key()).await?;
    file_response(format, "housing-cases", "案件", &headers, rows)
}

#[derive(Deserialize)]
pub struct AddressForm {
    pub address: String,
}

pub async fn transfer_address(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<AddressForm>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r = personal::set_transfer_address_on(&st.db, &i.ctx, lc, &f.address)
        .await
        .map(|_| "住宅替え先を登録しました".to_string());
    after(&st, &page, &i.ctx, case_id, r).await
}

pub async fn api_transfer_address(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<AddressForm>,
) -> AppResult<Json<serde_json::Value>> {
    personal::set_transfer_address(&st.db, &i.ctx, leg_id, &f.address).await?;
    Ok(Json(serde_json::json!({ "ok": true })))
}

#[derive(Deserialize)]
pub struct BriefingForm {
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub briefing_on: Option<chrono::NaiveDate>,
}

fn briefing_on(f: &BriefingForm) -> tabane_core::Result<chrono::NaiveDate> {
    f.briefing_on.ok_or_else(|| {
        Error::invalid("briefing_on", "仮移転説明会の日", "Briefing date", "を入力してください", "is required")
    })
}

pub async fn briefing(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<BriefingForm>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r = async { temporary::set_briefing_on(&st.db, &i.ctx, lc, briefing_on(&f)?).await }.await.map(|l| {
        format!(
            "入居可能日 {}、仮移転期間 {} まで",
            l.temp_from.map(|d| d.to_string()).unwrap_or_default(),
            l.temp_until.map(|d| d.to_string()).unwrap_or_default()
        )
    });
    after(&st, &page, &i.ctx, case_id, r).await
}

fn window(l: &crate::entities::leg::Model) -> serde_json::Value {
    serde_json::json!({ "briefing_on": l.temp_briefing_on, "temp_from": l.temp_from, "temp_until": l.temp_until, "extension_reason": l.extension_reason, "extension_until": l.extension_until, "delay_cause": l.delay_cause })
}

pub async fn api_briefing(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<BriefingForm>,
) -> AppResult<Json<serde_json::Value>> {
    Ok(Json(window(&temporary::set_briefing(&st.db, &i.ctx, leg_id, briefing_on(&f)?).await?)))
}

pub async fn extend(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<ExtendForm>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r = temporary::extend_on(&st.db, &i.ctx, lc, &f).await.map(|l| {
        format!("仮移転期間を {} まで延長しました", l.extension_until.map(|d| d.to_string()).unwrap_or_default())
    });
    after(&st, &page, &i.ctx, case_id, r).await
}

pub async fn api_extend(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<ExtendForm>,
) -> AppResult<Json<serde_json::Value>> {
    Ok(Json(window(&temporary::extend(&st.db, &i.ctx, leg_id, &f).await?)))
}

pub async fn delay_cause(
    State(st): State<Shared>,
    page: Page,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Form(f): Form<CauseForm>,
) -> AppResult<Response> {
    let (lc, case_id) = leg_of(&st, &i.ctx, leg_id).await?;
    let r = temporary::set_delay_cause_on(&st.db, &i.ctx, lc, &f).await.map(|_| "遅延の原因を記録しました".to_string());
    after(&st, &page, &i.ctx, case_id, r).await
}

pub async fn api_delay_cause(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<CauseForm>,
) -> AppResult<Json<serde_json::Value>> {
    Ok(Json(window(&temporary::set_delay_cause(&st.db, &i.ctx, leg_id, &f).await?)))
}
