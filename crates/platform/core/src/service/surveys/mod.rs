//! アンケート (surveys): a reusable questionnaire component. Housing uses it for the
//! 希望住戸アンケート (class, ranked unit preferences, household size …, with staff typing paper
//! answers as 代理入力 and following up 未回答者 by 架電/訪問); infra, council and partnership
//! later. The core never reads module tables: a recipient is a `subject_ref` (`housing_case:123`,
//! `org:5`, `user:7`) with a non-personal display label, and modules look recipients up with
//! [`recipient_by_subject`].
//!
//! Access (`policy`): staff of the owner organisation manage a survey; staff of the owner or of
//! a member of the survey's bundle enter responses and follow-ups; both (any role) read results;
//! everyone else gets `NotFound`.
//!
//! Personal answers (`personal` questions) are sealed with the platform's field encryption
//! (`personal.rs`), masked in the audit log, left out of exports unless asked for, and each read of
//! them by a person is audited.

mod kinds;
pub mod personal;
mod responses;
mod results;
mod validate;

pub use kinds::{Channel, EntrySource, FollowupMethod, QuestionKind, RecipientStatus, SurveyStatus};
pub use responses::{
    NewFollowup, NonRespondent, RecipientAnswers, ResponseView, answers, non_respondents, record_followup,
    record_response, response,
};
pub use results::{
    Clash, Export, ExportFormat, NumberStats, OptionCount, QuestionSummary, RankRow, aggregate, export, export_columns,
};
pub use validate::{
    Answers, Choice, MAX_RANK_DEPTH, NewQuestion, Question, check_answers, check_question, check_value,
};

use crate::context::Ctx;
use crate::entities::{bundle_member, organisation, survey, survey_question, survey_recipient};
use crate::error::{Error, FieldProblem, Problems, Result};
use crate::policy;
use crate::service::audit;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// アンケートの作成 (a new survey). Text fields as a form sends them; dates accept 和暦.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct SurveyForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Module using the survey (`housing`, `infra` …); `general` when empty.
    #[serde(default)]
    pub module: String,
    /// Share with this bundle (the acting organisation must be a member); empty = not shared.
    #[serde(default)]
    pub bundle_id: String,
    #[serde(default)]
    pub due_on: String,
}

/// 回答対象の追加 (a recipient to add).
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct NewRecipient {
    pub subject_ref: String,
    /// Non-personal display label (「A棟 101号室」); never a name or phone number.
    pub label: String,
    /// `paper|email|screen` (紙/メール/画面); paper when empty.
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub sent_on: String,
}

/// Recipients by status (回答状況の集計).
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct StatusCounts {
    pub total: usize,
    pub pending: usize,
    pub answered: usize,
    pub declined: usize,
    pub unreachable: usize,
}

impl StatusCounts {
    fn add(&mut self, status: &str) {
        self.total += 1;
        match RecipientStatus::parse(status) {
            Some(RecipientStatus::Answered) => self.answered += 1,
            Some(RecipientStatus::Declined) => self.declined += 1,
            Some(RecipientStatus::Unreachable) => self.unreachable += 1,
            _ => self.pending += 1,
        }
    }
}

/// One survey in a list.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SurveyRow {
    pub survey: survey::Model,
    pub owner_name: String,
    pub counts: StatusCounts,
}

/// One survey as the actor sees it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SurveyView {
    pub survey: survey::Model,
    pub status: SurveyStatus,
    pub owner_name: String,
    pub questions: Vec<Question>,
    pub recipients: Vec<survey_recipient::Model>,
    pub counts: StatusCounts,
    /// Whether the actor may change questions, recipients and status.
    pub can_manage: bool,
    /// Whether the actor may enter responses (for some recipients) and follow-ups.
    pub can_enter: bool,
    /// 代理入力の団体 the owner named.
    pub proxies: Vec<i64>,
}

/// A survey the actor may see, with the org ids of its bundle's members.
pub(crate) struct Loaded {
    pub survey: survey::Model,
    pub members: Vec<i64>,
    /// 代理入力の団体 the owner named.
    pub proxies: Vec<i64>,
}

impl Loaded {
    pub fn status(&self) -> SurveyStatus {
        SurveyStatus::parse(&self.survey.status).unwrap_or(SurveyStatus::Draft)
    }
    pub fn change<'a>(
        &self,
        action: &'a str,
        entity: &'a str,
        id: i64,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> audit::Change<'a> {
        audit::Change {
            org_id: Some(self.survey.owner_org_id),
            bundle_id: self.survey.bundle_id,
            action,
            entity,
            entity_id: id.to_string(),
            before,
            after,
        }
    }
}

/// Loads a survey scoped by the actor: one they may not see is `NotFound`.
pub(crate) async fn load<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<Loaded> {
    let s = survey::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?;
    let members = match s.bundle_id {
        Some(b) => crate::service::bundle_access::in_force()
            .filter(bundle_member::Column::BundleId.eq(b))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.org_id)
            .collect(),
        None => vec![],
    };
    if !policy::survey_visible(ctx, &s, &members) {
        return Err(Error::NotFound);
    }
    let proxies = crate::entities::survey_proxy::Entity::find()
        .filter(crate::entities::survey_proxy::Column::SurveyId.eq(s.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.org_id)
        .collect();
    Ok(Loaded { survey: s, members, proxies })
}

pub(crate) async fn questions_of<C: ConnectionTrait>(db: &C, survey_id: i64) -> Result<Vec<Question>> {
    Ok(survey_question::Entity::find()
        .filter(survey_question::Column::SurveyId.eq(survey_id))
        .order_by_asc(survey_question::Column::Position)
        .order_by_asc(survey_question::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Question::from_model)
        .collect())
}

pub(crate) async fn recipients_of<C: ConnectionTrait>(db: &C, survey_id: i64) -> Result<Vec<survey_recipient::Model>> {
    Ok(survey_recipient::Entity::find()
        .filter(survey_recipient::Column::SurveyId.eq(survey_id))
        .order_by_asc(survey_recipient::Column::Id)
        .all(db)
        .await?)
}

/// A recipient of this survey; one of another survey is `NotFound`.
pub(crate) async fn recipient_in<C: ConnectionTrait>(
    db: &C,
    survey_id: i64,
    recipient_id: i64,
) -> Result<survey_recipient::Model> {
    survey_recipient::Entity::find()
        .filter(survey_recipient::Column::SurveyId.eq(survey_id))
        .filter(survey_recipient::Column::Id.eq(recipient_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<serde_json::Value> {
    Ok(serde_json::to_value(v).map_err(anyhow::Error::from)?)
}

fn optional_date(p: &mut Problems, field: &str, ja: &str, en: &str, v: &str) -> Option<NaiveDate> {
    p.date(field, ja, en, v)
}

/// Surveys the acting organisation owns or shares through one of its bundles (all for a
/// system administrator), newest first.
pub async fn list<C: ConnectionTrait>(db: &C, ctx: &Ctx) -> Result<Vec<SurveyRow>> {
    let mut q = survey::Entity::find().order_by_desc(survey::Column::Id);
    if !ctx.system_admin {
        let Some(org) = ctx.org_id else { return Ok(vec![]) };
        let bundles: Vec<i64> = crate::service::bundle_access::in_force()
            .filter(bundle_member::Column::OrgId.eq(org))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.bundle_id)
            .collect();
        q = q.filter(
            Condition::any().add(survey::Column::OwnerOrgId.eq(org)).add(survey::Column::BundleId.is_in(bundles)),
        );
    }
    let surveys = q.all(db).await?;
    let ids: Vec<i64> = surveys.iter().map(|s| s.id).collect();
    let statuses: Vec<(i64, String)> = survey_recipient::Entity::find()
        .select_only()
        .column(survey_recipient::Column::SurveyId)
        .column(survey_recipient::Column::Status)
        .filter(survey_recipient::Column::SurveyId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let owners: Vec<i64> = surveys.iter().map(|s| s.owner_org_id).collect::<HashSet<_>>().into_iter().collect();
    let orgs = organisation::Entity::find().filter(organisation::Column::Id.is_in(owners)).all(db).await?;
    Ok(surveys
        .into_iter()
        .map(|s| {
            let mut counts = StatusCounts::default();
            statuses.iter().filter(|(id, _)| *id == s.id).for_each(|(_, st)| counts.add(st));
            let owner_name = orgs.iter().find(|o| o.id == s.owner_org_id).map(|o| o.name.clone()).unwrap_or_default();
            SurveyRow { survey: s, owner_name, counts }
        })
        .collect())
}

/// One survey with its questions and recipients.
pub async fn get<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<SurveyView> {
    let l = load(db, ctx, id).await?;
    let questions = questions_of(db, id).await?;
    let recipients = recipients_of(db, id).await?;
    let mut counts = StatusCounts::default();
    recipients.iter().for_each(|r| counts.add(&r.status));
    let owner_name =
        organisation::Entity::find_by_id(l.survey.owner_org_id).one(db).await?.map(|o| o.name).unwrap_or_default();
    Ok(SurveyView {
        status: l.status(),
        can_manage: policy::can_manage_survey(ctx, &l.survey).is_ok(),
        // Forms for entering answers: for the owner and its proxies (every recipient), or for a
        // recipient organisation (its own answer only; `response` checks each recipient).
        can_enter: policy::can_follow_up(ctx, &l.survey, &l.proxies).is_ok()
            || recipients
                .iter()
                .any(|r| policy::can_answer_for(ctx, &l.survey, &l.proxies, &r.subject_ref, "", "").is_ok()),
        proxies: l.proxies.clone(),
        survey: l.survey,
        owner_name,
        questions,
        recipients,
        counts,
    })
}

/// 代理入力の団体の指定: the owner names the organisations of the survey's bundle that may enter
/// answers for its recipients (e.g. the PFI contractor typing in paper answers). Replaces the
/// list; audited.
pub async fn set_proxies<C: TransactionTrait>(db: &C, ctx: &Ctx, survey_id: i64, org_ids: &[i64]) -> Result<Vec<i64>> {
    let txn = db.begin().await?;
    let l = load(&txn, ctx, survey_id).await?;
    policy::can_manage_survey(ctx, &l.survey)?;
    if let Some(bad) = org_ids.iter().find(|o| !l.members.contains(o)) {
        return Err(Error::invalid(
            "org_ids",
            "代理入力の団体",
            "Proxies",
            format!("はアンケートを共有する束の構成団体から選んでください（団体ID {bad}）"),
            format!("must be members of the survey's bundle (organisation {bad})"),
        ));
    }
    let mut ids = org_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    use crate::entities::survey_proxy;
    survey_proxy::Entity::delete_many().filter(survey_proxy::Column::SurveyId.eq(survey_id)).exec(&txn).await?;
    for o in &ids {
        survey_proxy::ActiveModel {
            survey_id: sea_orm::ActiveValue::Set(survey_id),
            org_id: sea_orm::ActiveValue::Set(*o),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        ctx,
        l.change(
            "set_proxies",
            "survey",
            survey_id,
            Some(serde_json::json!({ "proxies": l.proxies })),
            Some(serde_json::json!({ "proxies": ids })),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(ids)
}

/// Creates a draft survey owned by the acting organisation (its staff).
pub async fn create<C: TransactionTrait + ConnectionTrait>(db: &C, ctx: &Ctx, f: &SurveyForm) -> Result<survey::Model> {
    let org = ctx
        .org_id
        .ok_or_else(|| Error::forbidden("組織を選んでから作成してください", "Choose an organisation first"))?;
    if !(ctx.system_admin || ctx.has_role_in(org, crate::domain::Role::Staff)) {
        return Err(Error::forbidden("アンケートを作成できるのは担当者以上です", "Only staff may create a survey"));
    }
    let mut p = Problems::default();
    p.required("title", "表題", "Title", &f.title);
    let module = if f.module.trim().is_empty() { "general".to_string() } else { f.module.trim().to_string() };
    if module.len() > 30 || !module.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        p.push(
            "module",
            "利用モジュール",
            "Module",
            "は半角英小文字と _ です（例: housing）",
            "must be lowercase ASCII letters or _ (e.g. housing)",
        );
    }
    let due_on = optional_date(&mut p, "due_on", "提出締切", "Due date", &f.due_on);
    let bundle_id = match f.bundle_id.trim() {
        "" => None,
        b => match b.parse::<i64>() {
            Ok(b) if crate::service::bundles::member_role(db, b, org).await?.is_some() => Some(b),
            _ => {
                p.push(
                    "bundle_id",
                    "共有する束",
                    "Bundle",
                    "は所属組織が構成団体である束を選んでください",
                    "must be a bundle your organisation belongs to",
                );
                None
            }
        },
    };
    p.into_result()?;
    let txn = db.begin().await?;
    let s = survey::ActiveModel {
        owner_org_id: Set(org),
        bundle_id: Set(bundle_id),
        module: Set(module),
        title: Set(f.title.trim().into()),
        description: Set(Some(f.description.trim().to_string()).filter(|d| !d.is_empty())),
        status: Set(SurveyStatus::Draft.key().into()),
        due_on: Set(due_on),
        created_by: Set(ctx.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org),
            bundle_id,
            action: "create",
            entity: "survey",
            entity_id: s.id.to_string(),
            before: None,
            after: Some(to_json(&s)?),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(s)
}

/// Adds a question at the end. Only while the survey is a draft: once published the questions
/// are frozen, because answers already given refer to them.
pub async fn add_question<C: TransactionTrait>(db: &C, ctx: &Ctx, survey_id: i64, q: &NewQuestion) -> Result<Question> {
    let txn = db.begin().await?;
    let l = load(&txn, ctx, survey_id).await?;
    policy::can_manage_survey(ctx, &l.survey)?;
    if l.status() != SurveyStatus::Draft {
        return Err(Error::conflict(
            "公開後は設問を変更できません（設問は公開時に確定します）",
            "Questions are frozen once the survey is published",
        ));
    }
    let existing = questions_of(&txn, survey_id).await?;
    let codes: Vec<String> = existing.iter().map(|q| q.code.clone()).collect();
    let (kind, v) = check_question(q, &codes)?;
    let row = survey_question::ActiveModel {
        survey_id: Set(survey_id),
        position: Set(existing.iter().map(|q| q.position).max().unwrap_or(0) + 1),
        code: Set(v.code),
        kind: Set(kind.key().into()),
        label: Set(v.label),
        required: Set(v.required),
        options_json: Set(serde_json::to_string(&v.options).map_err(anyhow::Error::from)?),
        min_value: Set(v.min),
        max_value: Set(v.max),
        rank_depth: Set(v.rank_depth.map(|d| d as i32)),
        personal: Set(v.personal),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, ctx, l.change("add_question", "survey_question", row.id, None, Some(to_json(&row)?))).await?;
    txn.commit().await?;
    Ok(Question::from_model(row))
}

async fn set_status<C: TransactionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
    from: SurveyStatus,
    to: SurveyStatus,
) -> Result<survey::Model> {
    let txn = db.begin().await?;
    let l = load(&txn, ctx, survey_id).await?;
    policy::can_manage_survey(ctx, &l.survey)?;
    if l.status() != from {
        return Err(Error::conflict(
            format!(
                "{}のアンケートは{}にできません（現在: {}）",
                from.label_ja(),
                to.label_ja(),
                l.status().label_ja()
            ),
            format!("Only a {} survey can become {} (it is {})", from.label_en(), to.label_en(), l.status().label_en()),
        ));
    }
    if to == SurveyStatus::Open && questions_of(&txn, survey_id).await?.is_empty() {
        return Err(Error::conflict(
            "設問が1つもないアンケートは公開できません",
            "A survey without questions cannot be published",
        ));
    }
    let before = l.survey.status.clone();
    let mut am: survey::ActiveModel = l.survey.clone().into();
    am.status = Set(to.key().into());
    let after = am.update(&txn).await?;
    let action = if to == SurveyStatus::Open { "publish" } else { "close" };
    audit::record(
        &txn,
        ctx,
        l.change(
            action,
            "survey",
            survey_id,
            Some(serde_json::json!({ "status": before })),
            Some(serde_json::json!({ "status": to.key() })),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// 公開 (draft → open): questions are frozen from now on.
pub async fn publish<C: TransactionTrait>(db: &C, ctx: &Ctx, survey_id: i64) -> Result<survey::Model> {
    set_status(db, ctx, survey_id, SurveyStatus::Draft, SurveyStatus::Open).await
}

/// 締切 (open → closed): no more responses.
pub async fn close<C: TransactionTrait>(db: &C, ctx: &Ctx, survey_id: i64) -> Result<survey::Model> {
    set_status(db, ctx, survey_id, SurveyStatus::Open, SurveyStatus::Closed).await
}

/// Adds recipients in one transaction. Every problem (bad subject, missing label, a subject
/// twice in the list or already a recipient) is reported at once, naming the subject, and
/// nothing is written.
pub async fn add_recipients<C: TransactionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
    items: Vec<NewRecipient>,
) -> Result<Vec<survey_recipient::Model>> {
    let txn = db.begin().await?;
    let l = load(&txn, ctx, survey_id).await?;
    policy::can_manage_survey(ctx, &l.survey)?;
    if l.status() == SurveyStatus::Closed {
        return Err(Error::conflict(
            "締切後は対象者を追加できません",
            "Recipients cannot be added after the survey is closed",
        ));
    }
    if items.is_empty() {
        return Err(Error::invalid(
            "recipients",
            "回答対象",
            "Recipients",
            "を1件以上入力してください",
            "need at least one entry",
        ));
    }
    let existing: HashSet<String> = recipients_of(&txn, survey_id).await?.into_iter().map(|r| r.subject_ref).collect();
    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (i, r) in items.iter().enumerate() {
        let field = format!("recipients.{i}");
        let subject = r.subject_ref.trim();
        let name = format!("{}件目（{}）", i + 1, if subject.is_empty() { "対象未入力" } else { subject });
        let mut bad = |ja: String, en: String| problems.push(FieldProblem::new(&field, &name, &name, ja, en));
        if !valid_subject(subject) {
            bad(
                "の対象は「種類:番号」の形で入力してください（例: housing_case:123）".into(),
                "subject must look like kind:ref (e.g. housing_case:123)".into(),
            );
        } else if existing.contains(subject) {
            bad(format!("：{subject} は既に回答対象です"), format!(": {subject} is already a recipient"));
        } else if !seen.insert(subject.to_string()) {
            bad(format!("：{subject} が一覧の中で重複しています"), format!(": {subject} appears twice in the list"));
        }
        if r.label.trim().is_empty() {
            bad(
                "の表示名（例: A棟 101号室）を入力してください".into(),
                "label (e.g. building A room 101) is required".into(),
            );
        }
        let channel = if r.channel.trim().is_empty() { Some(Channel::Paper) } else { Channel::parse(&r.channel) };
        if channel.is_none() {
            bad(
                format!("の配布方法は次のいずれかです: {}", Channel::choices_ja()),
                "channel must be paper, email or screen".into(),
            );
        }
        let mut p = Problems::default();
        let sent_on = optional_date(&mut p, &field, &name, &name, &r.sent_on);
        problems.extend(p.0);
        rows.push(survey_recipient::ActiveModel {
            survey_id: Set(survey_id),
            subject_ref: Set(subject.to_string()),
            label: Set(r.label.trim().to_string()),
            channel: Set(channel.unwrap_or(Channel::Paper).key().into()),
            sent_on: Set(sent_on),
            status: Set(RecipientStatus::Pending.key().into()),
            answered_at: Set(None),
            entered_by: Set(None),
            entry_source: Set(None),
            ..Default::default()
        });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    for chunk in rows.chunks(1000) {
        survey_recipient::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    let subjects: Vec<&str> = items.iter().map(|r| r.subject_ref.trim()).collect();
    audit::record(
        &txn,
        ctx,
        l.change(
            "add_recipients",
            "survey",
            survey_id,
            None,
            Some(serde_json::json!({ "count": subjects.len(), "subjects": subjects })),
        ),
    )
    .await?;
    let added: HashSet<&str> = subjects.iter().copied().collect();
    let out =
        recipients_of(&txn, survey_id).await?.into_iter().filter(|r| added.contains(r.subject_ref.as_str())).collect();
    txn.commit().await?;
    Ok(out)
}

/// `kind:ref` with a lowercase ASCII kind and a non-blank reference without spaces.
fn valid_subject(s: &str) -> bool {
    match s.split_once(':') {
        Some((kind, r)) => {
            !kind.is_empty()
                && kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && !r.is_empty()
                && !r.chars().any(char::is_whitespace)
                && s.len() <= 200
        }
        None => false,
    }
}

/// The recipient for a module's subject (e.g. the household `housing_case:123`) in a survey the
/// actor may see; `None` if the subject was not asked.
pub async fn recipient_by_subject<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
    subject_ref: &str,
) -> Result<Option<survey_recipient::Model>> {
    load(db, ctx, survey_id).await?;
    Ok(survey_recipient::Entity::find()
        .filter(survey_recipient::Column::SurveyId.eq(survey_id))
        .filter(survey_recipient::Column::SubjectRef.eq(subject_ref.trim()))
        .one(db)
        .await?)
}

/// Every survey of `module` the actor may see in which `subject_ref` is a recipient, with its
/// recipient row (a case page lists the household's questionnaires with this).
pub async fn survey_for_subject<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    module: &str,
    subject_ref: &str,
) -> Result<Vec<(survey::Model, survey_recipient::Model)>> {
    let recipients = survey_recipient::Entity::find()
        .filter(survey_recipient::Column::SubjectRef.eq(subject_ref.trim()))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in recipients {
        match load(db, ctx, r.survey_id).await {
            Ok(l) if l.survey.module == module => out.push((l.survey, r)),
            Ok(_) | Err(Error::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
