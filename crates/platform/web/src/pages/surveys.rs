//! アンケート pages: list and create, a survey's questions and recipients, the proxy-entry form
//! (代理入力) generated from the question kinds, the follow-up list (督促リスト), results and
//! export. Every handler calls `service::surveys`; the page structs live here with the handlers.

use crate::error::{AppError, AppResult};
use crate::export::{Export, attachment};
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{self, Chrome};
use askama::Template;
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use tabane_core::Error;
use tabane_core::entities::{bundle, survey};
use tabane_core::error::FieldProblem;
use tabane_core::service::bundles;
use tabane_core::service::sessions::SessionInfo;
use tabane_core::service::surveys::{
    self, Answers, Choice, ExportFormat, NewFollowup, NewQuestion, NewRecipient, NonRespondent, Question, QuestionKind,
    QuestionSummary, ResponseView, SurveyForm, SurveyRow, SurveyView,
};

#[derive(Template)]
#[template(path = "surveys_list.html")]
pub struct SurveysListPage {
    pub chrome: Chrome,
    pub rows: Vec<SurveyRow>,
    pub bundles: Vec<bundle::Model>,
    pub form: SurveyForm,
    pub problems: Vec<FieldProblem>,
}

#[derive(Template)]
#[template(path = "survey_show.html")]
pub struct SurveyShowPage {
    pub chrome: Chrome,
    pub view: SurveyView,
    pub qform: QuestionFields,
    pub rform: RecipientFields,
    pub problems: Vec<FieldProblem>,
    /// The bundle's organisations the owner may name as proxies: (id, name, named).
    pub proxy_choices: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "survey_response.html")]
pub struct ResponsePage {
    pub chrome: Chrome,
    pub view: SurveyView,
    pub resp: ResponseView,
    /// What the form shows per question code (typed values after an error, else the stored answer).
    pub values: HashMap<String, Vec<String>>,
    pub source: String,
    pub problems: Vec<FieldProblem>,
}

#[derive(Template)]
#[template(path = "survey_non_respondents.html")]
pub struct NonRespondentsPage {
    pub chrome: Chrome,
    pub survey: survey::Model,
    pub rows: Vec<NonRespondent>,
}

#[derive(Template)]
#[template(path = "survey_results.html")]
pub struct ResultsPage {
    pub chrome: Chrome,
    pub survey: survey::Model,
    pub summaries: Vec<QuestionSummary>,
    pub columns: Vec<(String, String, bool)>,
}

impl Chrome {
    pub fn survey_status_label(&self, key: &str) -> String {
        surveys::SurveyStatus::parse(key)
            .map(|s| s.label(self.l.is_en()).to_string())
            .unwrap_or_else(|| key.to_string())
    }
    pub fn recipient_status_label(&self, key: &str) -> String {
        surveys::RecipientStatus::parse(key)
            .map(|s| s.label(self.l.is_en()).to_string())
            .unwrap_or_else(|| key.to_string())
    }
    pub fn channel_label(&self, key: &str) -> String {
        surveys::Channel::parse(key).map(|s| s.label(self.l.is_en()).to_string()).unwrap_or_else(|| key.to_string())
    }
    pub fn source_label(&self, key: &Option<String>) -> String {
        key.as_deref()
            .and_then(surveys::EntrySource::parse)
            .map(|s| s.label(self.l.is_en()).to_string())
            .unwrap_or_default()
    }
    pub fn followup_method_label(&self, key: &str) -> String {
        surveys::FollowupMethod::parse(key)
            .map(|s| s.label(self.l.is_en()).to_string())
            .unwrap_or_else(|| key.to_string())
    }
    pub fn question_kinds(&self) -> &'static [QuestionKind] {
        QuestionKind::ALL
    }
    pub fn channels(&self) -> &'static [surveys::Channel] {
        surveys::Channel::ALL
    }
    pub fn followup_methods(&self) -> &'static [surveys::FollowupMethod] {
        surveys::FollowupMethod::ALL
    }
    pub fn problems_text(&self, problems: &[FieldProblem]) -> Vec<String> {
        let en = self.l.is_en();
        problems
            .iter()
            .map(|p| {
                if en {
                    format!("\"{}\" {}", p.label.en, p.message.en)
                } else {
                    format!("「{}」{}", p.label.ja, p.message.ja)
                }
            })
            .collect()
    }
}

impl ResponsePage {
    pub fn first(&self, code: &str) -> String {
        self.values.get(code).and_then(|v| v.first()).cloned().unwrap_or_default()
    }
    pub fn has(&self, code: &str, key: &str) -> bool {
        self.values.get(code).is_some_and(|v| v.iter().any(|x| x == key))
    }
    pub fn rank_at(&self, code: &str, i: &usize) -> String {
        self.values.get(code).and_then(|v| v.get(*i)).cloned().unwrap_or_default()
    }
    pub fn ranks(&self, q: &Question) -> Vec<usize> {
        (0..q.rank_depth.unwrap_or(1) as usize).collect()
    }
}

impl ResultsPage {
    /// Bar width in percent of the largest count of the question.
    pub fn pct(&self, count: &usize, s: &QuestionSummary) -> usize {
        let max = s.options.iter().map(|o| o.count).max().unwrap_or(0).max(1);
        count * 100 / max
    }
}

/// The add-question form as typed.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct QuestionFields {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub required: String,
    /// One option a line: `key=label`, or just the label (then it is also the key).
    #[serde(default)]
    pub options: String,
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    #[serde(default)]
    pub rank_depth: String,
    #[serde(default)]
    pub personal: String,
}

impl QuestionFields {
    fn to_new(&self) -> Result<NewQuestion, Error> {
        let mut problems = Vec::new();
        let mut num = |field: &str, ja: &str, en: &str, v: &str| -> Option<f64> {
            let t = tabane_tabular::to_halfwidth_ascii(v.trim()).into_owned();
            if t.is_empty() {
                return None;
            }
            t.parse()
                .map_err(|_| {
                    problems.push(FieldProblem::new(field, ja, en, "は数値で入力してください", "must be a number"))
                })
                .ok()
        };
        let min = num("min", "最小値", "Min", &self.min);
        let max = num("max", "最大値", "Max", &self.max);
        let depth = num("rank_depth", "希望順位の数", "Rank depth", &self.rank_depth).map(|d| d.max(0.0) as u32);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let options = self
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| match l.split_once('=') {
                Some((k, v)) => Choice { key: k.trim().into(), label: v.trim().into() },
                None => Choice { key: l.into(), label: l.into() },
            })
            .collect();
        Ok(NewQuestion {
            code: self.code.clone(),
            kind: self.kind.clone(),
            label: self.label.clone(),
            required: !self.required.is_empty(),
            options,
            min,
            max,
            rank_depth: depth,
            personal: !self.personal.is_empty(),
        })
    }
}

/// The add-recipients form: one recipient a line, `subject,label` (tab also separates).
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct RecipientFields {
    #[serde(default)]
    pub lines: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub sent_on: String,
}

pub async fn list(State(st): State<Shared>, page: Page, Auth(info, _): Auth) -> AppResult<views::Rendered> {
    render_list(&st, &page, &info, SurveyForm::default(), vec![]).await.map(|(_, h)| h)
}

async fn render_list(
    st: &Shared,
    page: &Page,
    info: &SessionInfo,
    form: SurveyForm,
    problems: Vec<FieldProblem>,
) -> AppResult<(StatusCode, views::Rendered)> {
    let rows = surveys::list(&st.db, &info.ctx).await?;
    let bundles = bundles::list(&st.db, &info.ctx).await?;
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, views::render(&SurveysListPage { chrome: page.chrome(), rows, bundles, form, problems })))
}

pub async fn create(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Form(form): Form<SurveyForm>,
) -> AppResult<Response> {
    match surveys::create(&st.db, &info.ctx, &form).await {
        Ok(s) => Ok(Redirect::to(&format!("/surveys/{}", s.id)).into_response()),
        Err(Error::Invalid(problems)) => Ok(render_list(&st, &page, &info, form, problems).await?.into_response()),
        Err(e) => Err(AppError(e)),
    }
}

async fn render_show(
    st: &Shared,
    page: &Page,
    info: &SessionInfo,
    id: i64,
    qform: QuestionFields,
    rform: RecipientFields,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let view = surveys::get(&st.db, &info.ctx, id).await?;
    let proxy_choices = match (view.can_manage, view.survey.bundle_id) {
        (true, Some(b)) => tabane_core::service::bundles::get(&st.db, &info.ctx, b)
            .await?
            .members
            .into_iter()
            .filter(|m| m.in_force && m.org_id != view.survey.owner_org_id)
            .map(|m| (m.org_id, m.org_name, view.proxies.contains(&m.org_id)))
            .collect(),
        _ => vec![],
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let p = SurveyShowPage { chrome: page.chrome(), view, qform, rform, problems, proxy_choices };
    Ok((status, views::render(&p)).into_response())
}

pub async fn show(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let qform = QuestionFields { kind: "single".into(), ..Default::default() };
    render_show(&st, &page, &info, id, qform, RecipientFields::default(), vec![]).await
}

pub async fn add_question(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<QuestionFields>,
) -> AppResult<Response> {
    let result = match f.to_new() {
        Ok(q) => surveys::add_question(&st.db, &info.ctx, id, &q).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/surveys/{id}")).into_response()),
        Err(Error::Invalid(problems)) => {
            render_show(&st, &page, &info, id, f, RecipientFields::default(), problems).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn add_recipients(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    Form(f): Form<RecipientFields>,
) -> AppResult<Response> {
    let items: Vec<NewRecipient> = f
        .lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (subject, label) = l.split_once(['\t', ',']).unwrap_or((l, ""));
            NewRecipient {
                subject_ref: subject.trim().into(),
                label: label.trim().into(),
                channel: f.channel.clone(),
                sent_on: f.sent_on.clone(),
            }
        })
        .collect();
    match surveys::add_recipients(&st.db, &info.ctx, id, items).await {
        Ok(_) => Ok(Redirect::to(&format!("/surveys/{id}")).into_response()),
        Err(Error::Invalid(problems)) => {
            render_show(
                &st,
                &page,
                &info,
                id,
                QuestionFields { kind: "single".into(), ..Default::default() },
                f,
                problems,
            )
            .await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn publish(State(st): State<Shared>, Auth(info, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    surveys::publish(&st.db, &info.ctx, id).await?;
    Ok(Redirect::to(&format!("/surveys/{id}")).into_response())
}

pub async fn close(State(st): State<Shared>, Auth(info, _): Auth, Path(id): Path<i64>) -> AppResult<Response> {
    surveys::close(&st.db, &info.ctx, id).await?;
    Ok(Redirect::to(&format!("/surveys/{id}")).into_response())
}

/// Stored answers as the form's strings (yes/no as `yes`/`no`, lists element by element).
fn form_values(a: &Answers) -> HashMap<String, Vec<String>> {
    let one = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => {
            if *b {
                "yes".into()
            } else {
                "no".into()
            }
        }
        other => other.to_string(),
    };
    a.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                match v {
                    Value::Array(items) => items.iter().map(one).collect(),
                    other => vec![one(other)],
                },
            )
        })
        .collect()
}

async fn render_response(
    st: &Shared,
    page: &Page,
    info: &SessionInfo,
    id: i64,
    rid: i64,
    typed: Option<(HashMap<String, Vec<String>>, String)>,
    problems: Vec<FieldProblem>,
) -> AppResult<Response> {
    let view = surveys::get(&st.db, &info.ctx, id).await?;
    let resp = surveys::response(&st.db, &info.ctx, id, rid).await?;
    let (values, source) = typed.unwrap_or_else(|| {
        (form_values(&resp.answers), resp.recipient.entry_source.clone().unwrap_or_else(|| "proxy".into()))
    });
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, views::render(&ResponsePage { chrome: page.chrome(), view, resp, values, source, problems }))
        .into_response())
}

pub async fn response_form(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path((id, rid)): Path<(i64, i64)>,
) -> AppResult<Response> {
    render_response(&st, &page, &info, id, rid, None, vec![]).await
}

/// The proxy-entry form posts `q_<code>` once per value: several for multiple choice
/// (checkboxes) and one per rank for ranked questions (第1希望, 第2希望 … in order).
pub async fn response_submit(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path((id, rid)): Path<(i64, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    let mut typed: HashMap<String, Vec<String>> = HashMap::new();
    let mut source = String::new();
    for (k, v) in form_urlencoded::parse(&body) {
        if let Some(code) = k.strip_prefix("q_") {
            typed.entry(code.to_string()).or_default().push(v.into_owned());
        } else if k == "source" {
            source = v.into_owned();
        }
    }
    let view = surveys::get(&st.db, &info.ctx, id).await?;
    let mut answers = Answers::new();
    for q in &view.questions {
        let given = typed.get(&q.code).cloned().unwrap_or_default();
        let v = match q.kind {
            QuestionKind::Multiple => {
                Value::from(given.into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>())
            }
            QuestionKind::Ranked => Value::from(given),
            _ => Value::from(given.into_iter().next().unwrap_or_default()),
        };
        answers.insert(q.code.clone(), v);
    }
    let result = match crate::api::surveys::parse_source(&source) {
        Ok(src) => surveys::record_response(&st.db, &info.ctx, id, rid, &answers, src).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/surveys/{id}")).into_response()),
        Err(Error::Invalid(problems)) => {
            render_response(&st, &page, &info, id, rid, Some((typed, source)), problems).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn add_followup(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path((id, rid)): Path<(i64, i64)>,
    Form(f): Form<NewFollowup>,
) -> AppResult<Response> {
    match surveys::record_followup(&st.db, &info.ctx, id, rid, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/surveys/{id}/responses/{rid}")).into_response()),
        Err(Error::Invalid(problems)) => render_response(&st, &page, &info, id, rid, None, problems).await,
        Err(e) => Err(AppError(e)),
    }
}

pub async fn non_respondents(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<views::Rendered> {
    let survey = surveys::get(&st.db, &info.ctx, id).await?.survey;
    let rows = surveys::non_respondents(&st.db, &info.ctx, id).await?;
    Ok(views::render(&NonRespondentsPage { chrome: page.chrome(), survey, rows }))
}

pub async fn results(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
) -> AppResult<views::Rendered> {
    let survey = surveys::get(&st.db, &info.ctx, id).await?.survey;
    let summaries = surveys::aggregate(&st.db, &info.ctx, id).await?;
    let columns = surveys::export_columns(&st.db, &info.ctx, id).await?;
    Ok(views::render(&ResultsPage { chrome: page.chrome(), survey, summaries, columns }))
}

#[derive(Deserialize, Default, schemars::JsonSchema)]
pub struct ExportQuery {
    /// Comma-separated column keys (the checkboxes of the results page send one `columns` each).
    #[serde(default)]
    columns: String,
}

pub async fn export(
    State(st): State<Shared>,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    fmt: Export,
    Query(q): Query<ExportQuery>,
    uri: axum::http::Uri,
) -> AppResult<Response> {
    let format = fmt.or(ExportFormat::CsvUtf8);
    // Repeated `columns=` (checkboxes) and comma lists are both accepted.
    let mut columns: Vec<String> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "columns")
        .flat_map(|(_, v)| v.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    if columns.is_empty() {
        columns = q.columns.split(',').map(str::to_string).collect();
    }
    let file = surveys::export(&st.db, &info.ctx, id, &columns, format).await?;
    Ok(attachment(file.bytes, file.content_type, &file.file_name))
}

/// 代理入力の団体の指定 (checkboxes `org_ids`, repeated).
pub async fn set_proxies(
    State(st): State<Shared>,
    page: Page,
    Auth(info, _): Auth,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> AppResult<Response> {
    let ids: Vec<i64> = form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "org_ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    match surveys::set_proxies(&st.db, &info.ctx, id, &ids).await {
        Ok(_) => Ok(crate::flash::see_other(&format!("/surveys/{id}"), "代理入力の団体を保存しました")),
        Err(Error::Invalid(p)) => {
            render_show(&st, &page, &info, id, QuestionFields::default(), RecipientFields::default(), p).await
        }
        Err(e) => Err(AppError(e)),
    }
}
