//! 案件の画面 (case pages): the list, registering a household, the case page with its moves, and
//! every step as an HTML form and as JSON. A refusal re-renders the page with its message.

use crate::domain::{Classification, FormKind, ReceiptMethod};
use crate::legs::{Action, LegStatus};
use crate::service::case_view::{self, CaseDetail};
use crate::service::cases::{self, CaseFilter, CaseRow, NewHousehold};
use crate::service::moves::{self, Receipt, StepInput};
use crate::service::personal::{self, PersonalForm, PersonalView};
use crate::service::temporary::{self, CauseForm, ExtendForm};
use crate::web::answers::{CaseCreated, Cases};
use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tabane_core::{Ctx, Error};
use tabane_web::api::answers::Done;
use tabane_web::error::{AppError, AppResult, status_of};
use tabane_web::export::{Export, ExportFormat, file_response};
use tabane_web::filters;
use tabane_web::flash::see_other;
use tabane_web::middleware::{Auth, Page};
use tabane_web::state::Shared;
use tabane_web::views::{Chrome, render};

mod temporary_moves;
pub use temporary_moves::*;

mod steps;
pub use steps::*;

#[derive(Template)]
#[template(path = "housing/cases.html")]
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
) -> AppResult<Json<Cases>> {
    Ok(Json(Cases { cases: cases::list(&st.db, &i.ctx, &f).await? }))
}

#[derive(Deserialize, schemars::JsonSchema)]
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
) -> AppResult<Json<CaseCreated>> {
    let c = cases::create_household(&st.db, &i.ctx, f.estate_id, &f.h).await?;
    Ok(Json(CaseCreated { id: c.id, household_id: c.household_id }))
}

#[derive(Template)]
#[template(path = "housing/case.html")]
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
) -> AppResult<Json<Done>> {
    personal::update(&st.db, &i.ctx, id, &f).await?;
    Ok(Json(Done::OK))
}

pub async fn show(State(st): State<Shared>, page: Page, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    case_page(&st, &page, &i.ctx, id, None, None).await
}

pub async fn api_get(State(st): State<Shared>, Auth(i, _): Auth, Path(id): Path<i64>) -> AppResult<Json<CaseDetail>> {
    Ok(Json(case_view::detail(&st.db, &i.ctx, id).await?))
}

/// The move as the actor may use it (the access proof; 404 for anyone else), found once per
/// request: the step takes it, and its case is where the answer goes.
async fn leg_of(st: &Shared, ctx: &Ctx, leg_id: i64) -> AppResult<(moves::LegCtx, i64)> {
    let lc = moves::load(&st.db, ctx, leg_id).await?;
    let case_id = lc.case.id;
    Ok((lc, case_id))
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

#[derive(Deserialize, schemars::JsonSchema)]
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
) -> AppResult<Json<Done>> {
    personal::set_transfer_address(&st.db, &i.ctx, leg_id, &f.address).await?;
    Ok(Json(Done::OK))
}

/// This page's routes, HTML and JSON twins together (collected by `super::routes`).
pub(super) fn routes() -> Vec<tabane_web::RouteDef> {
    use tabane_web::{api_route, route};
    vec![
        route!(get, "/housing/cases", Tenant, "housing", "移転支援の案件の一覧（個人情報なし）と世帯の登録", list),
        route!(post, "/housing/cases", Tenant, "housing", "世帯の登録（案件を開く）", create),
        route!(
            get,
            "/housing/cases/export",
            Tenant,
            "housing",
            "案件の書き出し（?estate&columns&format=csv|cp932|xlsx、個人情報の列は記録）",
            export
        ),
        route!(get, "/housing/cases/{id}", Tenant, "housing", "案件（移転・書類・支払・経過）", show),
        route!(
            post,
            "/housing/cases/{id}/personal",
            Tenant,
            "housing",
            "個人情報の表示（表示は監査ログに記録、口座は県のみ）",
            reveal
        ),
        route!(
            post,
            "/housing/cases/{id}/personal/edit",
            Tenant,
            "housing",
            "個人情報の入力（暗号化して保存）",
            edit_personal
        ),
        api_route!(
            post,
            "/api/housing/cases/{id}/personal/reveal",
            Tenant,
            "housing",
            "個人情報の表示（監査ログに記録）",
            api_reveal
        ),
        api_route!(
            put,
            "/api/housing/cases/{id}/personal",
            Tenant,
            "housing",
            "個人情報の入力（name, kana, phone, address, care_note, bank_account）",
            api_edit_personal
        ),
        route!(
            post,
            "/housing/cases/{id}/classify",
            Tenant,
            "housing",
            "分類（本移転・仮移転・住宅替・退去、変更は理由つき）",
            classify
        ),
        route!(
            post,
            "/housing/legs/{id}/step",
            Tenant,
            "housing",
            "移転の手続（書類配布・契約・支払・鍵渡し・移転・退去確認・残額・完了・取消）",
            step
        ),
        route!(post, "/housing/legs/{id}/unit", Tenant, "housing", "移転先の住戸の決定", assign_unit),
        route!(
            post,
            "/housing/legs/{id}/forms/receive",
            Tenant,
            "housing",
            "提出書類の受領（発行番号、原則対面）",
            receive
        ),
        route!(post, "/housing/legs/{id}/address", Tenant, "housing", "住宅替え先の住所（暗号化）", transfer_address),
        api_route!(
            put,
            "/api/housing/legs/{id}/address",
            Tenant,
            "housing",
            "住宅替え先の住所（address、暗号化）",
            api_transfer_address
        ),
        route!(post, "/housing/legs/{id}/referral", Tenant, "housing", "引越業者の斡旋（移転料以下）", referral),
        route!(
            post,
            "/housing/legs/{id}/briefing",
            Tenant,
            "housing",
            "仮移転説明会の日（入居可能日＝翌月1日、期間6か月）",
            briefing
        ),
        route!(
            post,
            "/housing/legs/{id}/extend",
            Tenant,
            "housing",
            "仮移転の延長（6か月、1回、病気・障害／失踪／入院中のみ）",
            extend
        ),
        route!(
            post,
            "/housing/legs/{id}/delay-cause",
            Tenant,
            "housing",
            "仮移転の遅延の原因（県・事業者・入居者・不可抗力・法令変更・その他）",
            delay_cause
        ),
        api_route!(
            get,
            "/api/housing/cases",
            Tenant,
            "housing",
            "案件の一覧（個人情報なし、?class&status&building&estate）",
            api_list
        ),
        api_route!(
            post,
            "/api/housing/cases",
            Tenant,
            "housing",
            "世帯の登録（estate_id, building, room, size, aged65, care, campaign_id）",
            api_create
        ),
        api_route!(
            get,
            "/api/housing/cases/{id}",
            Tenant,
            "housing",
            "案件（移転・書類・支払・可能な操作・経過）",
            api_get
        ),
        api_route!(post, "/api/housing/cases/{id}/classify", Tenant, "housing", "分類（class, reason）", api_classify),
        api_route!(
            post,
            "/api/housing/legs/{id}/step",
            Tenant,
            "housing",
            "移転の手続（action, on, due_on, nothing_left, keys_returned, note）",
            api_step
        ),
        api_route!(
            post,
            "/api/housing/legs/{id}/unit",
            Tenant,
            "housing",
            "移転先の住戸の決定（unit_id）",
            api_assign_unit
        ),
        api_route!(
            post,
            "/api/housing/legs/{id}/forms/receive",
            Tenant,
            "housing",
            "提出書類の受領（issue_no, method, method_reason, guarantors, defect_note）",
            api_receive
        ),
        api_route!(
            post,
            "/api/housing/legs/{id}/referral",
            Tenant,
            "housing",
            "引越業者の斡旋（company, quote）",
            api_referral
        ),
        api_route!(
            post,
            "/api/housing/legs/{id}/briefing",
            Tenant,
            "housing",
            "仮移転説明会の日（briefing_on）",
            api_briefing
        ),
        api_route!(
            post,
            "/api/housing/legs/{id}/extend",
            Tenant,
            "housing",
            "仮移転の延長（reason, note）",
            api_extend
        ),
        api_route!(
            post,
            "/api/housing/legs/{id}/delay-cause",
            Tenant,
            "housing",
            "遅延の原因（cause, note）",
            api_delay_cause
        ),
    ]
}
