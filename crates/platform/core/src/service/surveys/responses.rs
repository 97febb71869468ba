//! 回答の入力と督促 (entering responses and following up non-respondents).

use super::{
    Answers, EntrySource, FollowupMethod, Loaded, RecipientStatus, SurveyStatus, check_answers, load, personal,
    questions_of, recipient_in, recipients_of, to_json,
};
use crate::context::Ctx;
use crate::entities::{survey_answer, survey_followup, survey_recipient};
use crate::error::{Error, Problems, Result};
use crate::policy;
use crate::service::audit;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Responses and follow-ups need an open survey (who may enter them is checked per recipient).
fn require_open(l: &Loaded) -> Result<()> {
    match l.status() {
        SurveyStatus::Open => Ok(()),
        SurveyStatus::Draft => {
            Err(Error::conflict("公開前のアンケートには回答を入力できません", "The survey is not open yet"))
        }
        SurveyStatus::Closed => {
            Err(Error::conflict("締切後のアンケートには回答を入力できません", "The survey is closed"))
        }
    }
}

/// Whether the recipient is the actor (so the answer may be marked 本人): `user:<own id>` or
/// `org:<acting organisation>`.
fn is_actor(ctx: &Ctx, subject_ref: &str) -> bool {
    match subject_ref.split_once(':') {
        Some(("user", id)) => ctx.user_id.is_some_and(|u| u.to_string() == id),
        Some(("org", id)) => ctx.org_id.is_some_and(|o| o.to_string() == id),
        _ => false,
    }
}

/// Records one recipient's answers (a paper answer typed by staff is `EntrySource::Proxy`).
/// Every answer is checked against its question first; on any problem the Japanese message
/// names the question and the recipient and nothing is written. Answering again replaces the
/// previous answers; the audit entry keeps both.
pub async fn record_response<C: TransactionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
    recipient_id: i64,
    answers: &Answers,
    source: EntrySource,
) -> Result<survey_recipient::Model> {
    let txn = db.begin().await?;
    let l = load(&txn, ctx, survey_id).await?;
    let r = recipient_in(&txn, survey_id, recipient_id).await?;
    let owner_name = crate::service::orgs::local_government_name(&txn, l.survey.owner_org_id).await?;
    policy::can_answer_for(ctx, &l.survey, &l.proxies, &r.subject_ref, &r.label, &owner_name)?;
    require_open(&l)?;
    if source == EntrySource::Respondent && !is_actor(ctx, &r.subject_ref) {
        return Err(Error::invalid(
            "source",
            "入力者",
            "Entry source",
            format!("：{} の回答を本人入力にはできません。職員が入力する場合は代理入力です", r.label),
            format!(": answers for {} entered by staff are proxy entries", r.label),
        ));
    }
    let questions = questions_of(&txn, survey_id).await?;
    let values = check_answers(&questions, answers, &r.label)?;
    let old = survey_answer::Entity::find().filter(survey_answer::Column::RecipientId.eq(r.id)).all(&txn).await?;
    let code_of = |qid: i64| questions.iter().find(|q| q.id == qid).map(|q| q.code.clone()).unwrap_or_default();
    let is_personal = |qid: i64| questions.iter().any(|q| q.id == qid && q.personal);
    // The audit entry keeps both answers, a personal one masked.
    let shown = |qid: i64, v: Value| if is_personal(qid) { Value::String(personal::MASK.into()) } else { v };
    let before: BTreeMap<String, Value> = old
        .iter()
        .map(|a| {
            (code_of(a.question_id), shown(a.question_id, serde_json::from_str(&a.value_json).unwrap_or(Value::Null)))
        })
        .collect();
    survey_answer::Entity::delete_many().filter(survey_answer::Column::RecipientId.eq(r.id)).exec(&txn).await?;
    let rows: Vec<survey_answer::ActiveModel> = values
        .iter()
        .filter(|(qid, _)| !is_personal(*qid))
        .map(|(qid, v)| survey_answer::ActiveModel {
            survey_id: Set(survey_id),
            recipient_id: Set(r.id),
            question_id: Set(*qid),
            value_json: Set(v.to_string()),
            value_enc: Set(None),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        survey_answer::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    for (qid, v) in values.iter().filter(|(qid, _)| is_personal(*qid)) {
        personal::insert_sealed(&txn, survey_id, r.id, *qid, v).await?;
    }
    let mut am: survey_recipient::ActiveModel = r.clone().into();
    am.status = Set(RecipientStatus::Answered.key().into());
    am.answered_at = Set(Some(Utc::now()));
    am.entered_by = Set(ctx.user_id);
    am.entry_source = Set(Some(source.key().into()));
    let updated = am.update(&txn).await?;
    let after: BTreeMap<String, Value> = values.into_iter().map(|(qid, v)| (code_of(qid), shown(qid, v))).collect();
    let action = if old.is_empty() { "record_response" } else { "replace_response" };
    audit::record(
        &txn,
        ctx,
        l.change(
            action,
            "survey_recipient",
            r.id,
            (!old.is_empty()).then(|| serde_json::json!({ "answers": before, "entry_source": r.entry_source })),
            Some(serde_json::json!({ "answers": after, "entry_source": source.key() })),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// 督促・確認の記録 (a follow-up: 架電/訪問/文書/メール). `mark` optionally records what it found
/// out about a recipient who has not answered: 辞退 (declined), 連絡不能 (unreachable) or back
/// to 未回答.
#[derive(Clone, Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct NewFollowup {
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
    /// When it happened; now when omitted.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub mark: String,
}

pub async fn record_followup<C: TransactionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
    recipient_id: i64,
    f: &NewFollowup,
) -> Result<survey_followup::Model> {
    let txn = db.begin().await?;
    let l = load(&txn, ctx, survey_id).await?;
    policy::can_follow_up(ctx, &l.survey, &l.proxies)?;
    require_open(&l)?;
    let r = recipient_in(&txn, survey_id, recipient_id).await?;
    let mut p = Problems::default();
    let method = FollowupMethod::parse(&f.method);
    if method.is_none() {
        p.push(
            "method",
            "方法",
            "Method",
            format!("は次のいずれかです: {}", FollowupMethod::choices_ja()),
            "must be phone, visit, letter or email",
        );
    }
    p.required("outcome", "結果", "Outcome", &f.outcome);
    let mark = match f.mark.trim() {
        "" => None,
        m => match RecipientStatus::parse(m) {
            Some(s) if s != RecipientStatus::Answered => Some(s),
            _ => {
                p.push(
                    "mark",
                    "回答状況",
                    "Status",
                    "は 未回答・辞退・連絡不能 のいずれかです（回答済は回答の入力で記録されます）",
                    "must be pending, declined or unreachable",
                );
                None
            }
        },
    };
    if mark.is_some() && r.status == RecipientStatus::Answered.key() {
        p.push(
            "mark",
            "回答状況",
            "Status",
            format!("：{} は回答済のため変更できません", r.label),
            format!(": {} has already answered", r.label),
        );
    }
    p.into_result()?;
    let row = survey_followup::ActiveModel {
        survey_id: Set(survey_id),
        recipient_id: Set(r.id),
        at: Set(f.at.unwrap_or_else(Utc::now)),
        method: Set(method.expect("checked").key().into()),
        outcome: Set(f.outcome.trim().into()),
        note: Set(Some(f.note.trim().to_string()).filter(|n| !n.is_empty())),
        by_user_id: Set(ctx.user_id),
        by_actor: Set(ctx.actor.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut after = to_json(&row)?;
    if let Some(s) = mark {
        after["mark"] = Value::from(s.key());
        let mut am: survey_recipient::ActiveModel = r.clone().into();
        am.status = Set(s.key().into());
        am.update(&txn).await?;
    }
    audit::record(
        &txn,
        ctx,
        l.change(
            "record_followup",
            "survey_recipient",
            r.id,
            Some(serde_json::json!({ "status": r.status })),
            Some(after),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// 未回答者 (a recipient still to be followed up) with their latest follow-up.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NonRespondent {
    pub recipient: survey_recipient::Model,
    pub last_followup: Option<survey_followup::Model>,
    pub followups: usize,
}

/// Recipients who have not answered and have not declined (未回答 and 連絡不能), in the order
/// they were added, each with the latest follow-up — the printable 督促リスト.
pub async fn non_respondents<C: ConnectionTrait>(db: &C, ctx: &Ctx, survey_id: i64) -> Result<Vec<NonRespondent>> {
    load(db, ctx, survey_id).await?;
    let recipients = recipients_of(db, survey_id).await?;
    let followups = survey_followup::Entity::find()
        .filter(survey_followup::Column::SurveyId.eq(survey_id))
        .order_by_asc(survey_followup::Column::At)
        .order_by_asc(survey_followup::Column::Id)
        .all(db)
        .await?;
    let waiting = [RecipientStatus::Pending.key(), RecipientStatus::Unreachable.key()];
    Ok(recipients
        .into_iter()
        .filter(|r| waiting.contains(&r.status.as_str()))
        .map(|r| {
            let mine: Vec<&survey_followup::Model> = followups.iter().filter(|f| f.recipient_id == r.id).collect();
            NonRespondent { last_followup: mine.last().map(|f| (*f).clone()), followups: mine.len(), recipient: r }
        })
        .collect())
}

/// One recipient's answers by question code.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RecipientAnswers {
    pub recipient: survey_recipient::Model,
    pub answers: Answers,
}

/// Every recipient with their answers (empty when not answered), for modules that act on
/// them (e.g. the housing lottery plan). Includes personal answers: the caller decides what
/// it shows.
pub async fn answers<C: ConnectionTrait>(db: &C, ctx: &Ctx, survey_id: i64) -> Result<Vec<RecipientAnswers>> {
    let l = load(db, ctx, survey_id).await?;
    let questions = questions_of(db, survey_id).await?;
    let code: std::collections::HashMap<i64, &str> = questions.iter().map(|q| (q.id, q.code.as_str())).collect();
    // Grouped once, so a survey of a few thousand households is one pass over its answers.
    let mut by_recipient: std::collections::HashMap<i64, Answers> = std::collections::HashMap::new();
    let mut opened = 0usize;
    for a in survey_answer::Entity::find().filter(survey_answer::Column::SurveyId.eq(survey_id)).all(db).await? {
        if let Some(c) = code.get(&a.question_id) {
            opened += usize::from(a.value_enc.is_some());
            by_recipient.entry(a.recipient_id).or_default().insert((*c).to_string(), personal::value_of(&a)?);
        }
    }
    if opened > 0 {
        personal::audit_read(
            db,
            ctx,
            l.survey.owner_org_id,
            l.survey.bundle_id,
            survey_id,
            serde_json::json!({ "answers": opened }),
        )
        .await?;
    }
    Ok(recipients_of(db, survey_id)
        .await?
        .into_iter()
        .map(|r| RecipientAnswers { answers: by_recipient.remove(&r.id).unwrap_or_default(), recipient: r })
        .collect())
}

/// One recipient's answers (for the proxy-entry form), with whether a personal one was opened.
pub(crate) async fn answers_of<C: ConnectionTrait>(
    db: &C,
    survey_id: i64,
    recipient_id: i64,
) -> Result<(Answers, bool)> {
    let questions = questions_of(db, survey_id).await?;
    let rows =
        survey_answer::Entity::find().filter(survey_answer::Column::RecipientId.eq(recipient_id)).all(db).await?;
    let opened = rows.iter().any(|a| a.value_enc.is_some());
    let mut out = Answers::new();
    for a in rows {
        if let Some(q) = questions.iter().find(|q| q.id == a.question_id) {
            out.insert(q.code.clone(), personal::value_of(&a)?);
        }
    }
    Ok((out, opened))
}

/// One recipient as the proxy-entry page shows it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ResponseView {
    pub recipient: survey_recipient::Model,
    pub answers: Answers,
    pub followups: Vec<survey_followup::Model>,
}

/// A recipient of a survey the actor may see, with their answers and follow-ups.
pub async fn response<C: ConnectionTrait>(
    db: &C,
    ctx: &Ctx,
    survey_id: i64,
    recipient_id: i64,
) -> Result<ResponseView> {
    let l = load(db, ctx, survey_id).await?;
    let recipient = recipient_in(db, survey_id, recipient_id).await?;
    let followups = survey_followup::Entity::find()
        .filter(survey_followup::Column::RecipientId.eq(recipient_id))
        .order_by_asc(survey_followup::Column::At)
        .order_by_asc(survey_followup::Column::Id)
        .all(db)
        .await?;
    let (answers, opened) = answers_of(db, survey_id, recipient_id).await?;
    if opened {
        let what = serde_json::json!({ "recipient_id": recipient.id, "label": recipient.label });
        personal::audit_read(db, ctx, l.survey.owner_org_id, l.survey.bundle_id, survey_id, what).await?;
    }
    Ok(ResponseView { answers, recipient, followups })
}
