//! 希望住戸アンケート (the unit-preference questionnaire, §8(5)ウ(ア)(イ)), built on the platform's
//! survey component: one survey per campaign, one recipient per case (labelled by building and
//! room, never by name), answers entered by staff from the paper form (A4 one sheet), follow-up
//! of non-respondents by 架電/訪問 in the survey pages. The lottery reads the ranked wishes.

use super::campaigns;
use super::cases::{self, CaseFilter};
use super::units;
use crate::domain::Classification;
use crate::entities::campaign;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, TransactionTrait};
use serde::Serialize;
use tabane_core::service::surveys::{self, Choice, NewQuestion, NewRecipient};
use tabane_core::{Ctx, Error, Result};

pub const Q_CLASS: &str = "class";
pub const Q_WISHES: &str = "wishes";
pub const Q_SIZE: &str = "size";
pub const Q_AGED65: &str = "aged65";
pub const Q_CARE: &str = "care";
pub const Q_PARKING: &str = "parking";
pub const Q_MOVER: &str = "mover";

pub fn subject(case_id: i64) -> String {
    format!("housing_case:{case_id}")
}

pub fn case_of_subject(s: &str) -> Option<i64> {
    s.strip_prefix("housing_case:")?.parse().ok()
}

fn q(code: &str, kind: &str, label: &str, required: bool, options: Vec<Choice>) -> NewQuestion {
    NewQuestion {
        code: code.into(),
        kind: kind.into(),
        label: label.into(),
        required,
        options,
        min: None,
        max: None,
        rank_depth: None,
        personal: false,
    }
}

fn choice(key: &str, label: &str) -> Choice {
    Choice { key: key.into(), label: label.into() }
}

/// Creates, fills and opens the campaign's questionnaire: the questions (≤ 10, so the paper form
/// stays one A4 sheet), the free units of the estate as ranked options, every case of the
/// campaign as a recipient. Only the prefecture's staff; once per campaign.
pub async fn open<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    campaign_id: i64,
    depth: u32,
) -> Result<i64> {
    let (c, acc) = campaigns::get(db, ctx, campaign_id).await?;
    acc.require_owner_staff()?;
    if c.survey_id.is_some() {
        return Err(Error::conflict("この事業のアンケートはすでに作成しています", "The questionnaire already exists"));
    }
    let offered: Vec<Choice> = units::list(db, ctx, c.estate_id, true)
        .await?
        .into_iter()
        .map(|u| choice(&u.unit.id.to_string(), &format!("{}（{}）", u.unit.number, u.unit.layout.unwrap_or_default())))
        .collect();
    if offered.is_empty() {
        return Err(Error::conflict(
            "希望を聞ける空き住戸がありません。先に移転先の棟と住戸を登録してください",
            "No free units to offer; register the destination building first",
        ));
    }
    let depth = depth.clamp(1, 5).min(offered.len() as u32);
    let survey = surveys::create(db, ctx, &surveys::SurveyForm {
        title: format!("希望住戸アンケート（{}）", c.name),
        description: "提出〆切を明記し、A4 1枚で配布。返信用封筒または団地内の臨時ポストで回収。未回答の世帯には架電・訪問で回答を集める。".into(),
        module: "housing".into(),
        bundle_id: acc.estate.bundle_id.to_string(),
        due_on: String::new(),
    })
    .await?;
    // The PFI contractor types in the paper answers: it is the survey's 代理入力.
    if let Some(pfi) = tabane_core::service::bundle_access::contractor_of(db, acc.estate.bundle_id).await? {
        surveys::set_proxies(db, ctx, survey.id, &[pfi]).await?;
    }
    let classes = Classification::ALL.iter().map(|k| choice(k.key(), k.label_ja())).collect();
    let mut wishes = q(Q_WISHES, "ranked", "希望住戸（第1希望から）", false, offered);
    wishes.rank_depth = Some(depth);
    let mut size = q(Q_SIZE, "number", "世帯人員", true, vec![]);
    size.min = Some(1.0);
    size.max = Some(20.0);
    let mut aged = q(Q_AGED65, "number", "65歳以上の人数", false, vec![]);
    aged.min = Some(0.0);
    aged.max = Some(20.0);
    for question in [
        q(Q_CLASS, "single", "移転の意向", true, classes),
        wishes,
        size,
        aged,
        // 配慮事項 (health and care) are personal data: they are not asked here but written on the
        // paper form's free field and entered into the case's encrypted care note; the survey only
        // asks whether a low floor is wanted, which the lottery plan can read.
        q(Q_CARE, "yes_no", "低層階を希望する", false, vec![]),
        q(Q_PARKING, "yes_no", "駐車場の利用", false, vec![]),
        q(Q_MOVER, "yes_no", "引越業者の斡旋を希望する", false, vec![]),
    ] {
        surveys::add_question(db, ctx, survey.id, &question).await?;
    }
    let rows = cases::list(db, ctx, &CaseFilter { estate: Some(c.estate_id), ..Default::default() }).await?;
    let recipients: Vec<NewRecipient> = rows
        .iter()
        .map(|r| NewRecipient {
            subject_ref: subject(r.id),
            label: format!("{}棟 {}号室", r.building, r.room),
            channel: "paper".into(),
            sent_on: String::new(),
        })
        .collect();
    let recipients = filter_campaign(db, &c, recipients).await?;
    if !recipients.is_empty() {
        surveys::add_recipients(db, ctx, survey.id, recipients).await?;
    }
    surveys::publish(db, ctx, survey.id).await?;
    let tx = db.begin().await?;
    let mut am: campaign::ActiveModel = c.into();
    am.survey_id = Set(Some(survey.id));
    am.update(&tx).await?;
    tx.commit().await?;
    Ok(survey.id)
}

/// Only the campaign's own cases are asked.
async fn filter_campaign<D: ConnectionTrait>(
    db: &D,
    c: &campaign::Model,
    items: Vec<NewRecipient>,
) -> Result<Vec<NewRecipient>> {
    use crate::entities::case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ids: Vec<i64> = case::Entity::find()
        .filter(case::Column::CampaignId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    Ok(items.into_iter().filter(|r| case_of_subject(&r.subject_ref).is_some_and(|id| ids.contains(&id))).collect())
}

/// One household's answers as the lottery and the classification read them.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Wish {
    pub case_id: i64,
    pub class: Option<Classification>,
    /// Unit ids, first wish first.
    pub units: Vec<i64>,
}

pub async fn wishes<D: ConnectionTrait>(db: &D, ctx: &Ctx, survey_id: i64) -> Result<Vec<Wish>> {
    Ok(surveys::answers(db, ctx, survey_id)
        .await?
        .into_iter()
        .filter_map(|ra| {
            let case_id = case_of_subject(&ra.recipient.subject_ref)?;
            let class = ra.answers.get(Q_CLASS).and_then(|v| v.as_str()).and_then(Classification::parse);
            let units = ra
                .answers
                .get(Q_WISHES)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|k| k.as_str()?.parse().ok()).collect())
                .unwrap_or_default();
            Some(Wish { case_id, class, units })
        })
        .collect())
}

/// アンケート結果による分類: every answered, not yet classified case gets the class it chose.
/// Returns how many were classified.
pub async fn apply_classes<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    campaign_id: i64,
) -> Result<usize> {
    let (c, acc) = campaigns::get(db, ctx, campaign_id).await?;
    acc.require_staff()?;
    let Some(survey) = c.survey_id else {
        return Err(Error::conflict("この事業のアンケートがまだありません", "No questionnaire yet"));
    };
    let mut n = 0;
    for w in wishes(db, ctx, survey).await? {
        let Some(class) = w.class else { continue };
        let (case, _, _) = cases::load(db, ctx, w.case_id).await?;
        if case.classification.is_none() {
            cases::classify(db, ctx, w.case_id, class, "希望住戸アンケートの回答による").await?;
            n += 1;
        }
    }
    Ok(n)
}
