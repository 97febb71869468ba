//! デモ：ひと月分の業務 (demo: a month of work on top of the households): the 希望住戸アンケート
//! with paper answers entered by the contractor and 架電 follow-ups of non-respondents, the first
//! 住戸抽選会 drawn and confirmed, a 仮移転 extended for 入院中, a complaint and an unreported
//! unexpected event, and the first year's 実費 reported. Kept small: every black-box test loads it.

use crate::domain::Classification;
use crate::entities::case;
use crate::service::costs::{self, ClaimStepInput, NewItem};
use crate::service::incidents::{self, IncidentForm};
use crate::service::lotteries::{self, DrawForm};
use crate::service::{cases, questionnaire, temporary, units};
use chrono::NaiveDate;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use tabane_core::service::surveys::{self, EntrySource, NewFollowup};
use tabane_core::{Ctx, Result};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// How many 本移転 households answered with unit wishes (the rest are answered on paper later).
const ANSWERED: usize = 24;

pub async fn run<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    pref: &Ctx,
    pfi: &Ctx,
    estate_id: i64,
    campaign_id: i64,
) -> Result<()> {
    let survey = questionnaire::open(db, pref, campaign_id, 3).await?;
    let view = surveys::get(db, pfi, survey).await?;
    let recipient =
        |case_id: i64| view.recipients.iter().find(|r| r.subject_ref == questionnaire::subject(case_id)).map(|r| r.id);
    let cases_of = case::Entity::find()
        .filter(case::Column::CampaignId.eq(campaign_id))
        .order_by_asc(case::Column::Id)
        .all(db)
        .await?;
    let free: Vec<i64> = units::list(db, pfi, estate_id, true).await?.into_iter().map(|u| u.unit.id).take(14).collect();
    let mut rng = ChaCha20Rng::seed_from_u64(20_270_301);
    let mut answered = 0;
    for c in cases_of.iter().filter(|c| c.classification.as_deref() == Some(Classification::Main.key())) {
        if answered == ANSWERED {
            break;
        }
        let Some(leg) = cases::current_leg(db, c.id).await? else { continue };
        if leg.to_unit_id.is_some() || leg.forms_issued_on.is_some() {
            continue;
        }
        let Some(rid) = recipient(c.id) else { continue };
        // Three distinct wishes among the first units, so some units are wished by several households.
        let mut wishes: Vec<String> = Vec::new();
        while wishes.len() < 3 {
            let u = free[(rng.next_u32() as usize) % free.len()].to_string();
            if !wishes.contains(&u) {
                wishes.push(u);
            }
        }
        let (_, h, _) = cases::load(db, pfi, c.id).await?;
        let answers = [
            ("class", serde_json::json!("main")),
            ("wishes", serde_json::json!(wishes)),
            ("size", serde_json::json!(h.size)),
            ("aged65", serde_json::json!(h.aged65)),
            ("parking", serde_json::json!(rng.next_u32() % 2 == 0)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        surveys::record_response(db, pfi, survey, rid, &answers, EntrySource::Proxy).await?;
        answered += 1;
    }
    // Households not yet answering: a phone call, a visit.
    let pending: Vec<i64> =
        cases_of.iter().filter(|c| c.classification.is_none()).filter_map(|c| recipient(c.id)).take(3).collect();
    for (k, rid) in pending.into_iter().enumerate() {
        let (method, outcome) = if k == 2 {
            ("visit", "訪問したが不在。不在票を投函")
        } else {
            ("phone", "不在。翌週に再架電する")
        };
        surveys::record_followup(
            db,
            pfi,
            survey,
            rid,
            &NewFollowup {
                method: method.into(),
                outcome: outcome.into(),
                note: String::new(),
                at: None,
                mark: String::new(),
            },
        )
        .await?;
    }
    let l = lotteries::draw(
        db,
        pfi,
        campaign_id,
        &DrawForm {
            name: "第1回 住戸抽選会".into(),
            session_date: Some(date(2027, 3, 15)),
            announced: "4721".into(),
            direct_uncontested: true,
            depth: Some(3),
        },
    )
    .await?;
    lotteries::confirm(db, pref, l.lottery.id).await?;

    // A 仮移転 household in hospital: the window from the briefing, then the one extension.
    for c in cases_of
        .iter()
        .filter(|c| c.classification.as_deref() == Some(Classification::Temporary.key()))
        .take(2)
        .enumerate()
    {
        let Some(leg) = cases::current_leg(db, c.1.id).await? else { continue };
        temporary::set_briefing(db, pfi, leg.id, date(2027, 4, 20)).await?;
        if c.0 == 0 {
            temporary::extend(
                db,
                pfi,
                leg.id,
                &temporary::ExtendForm {
                    reason: "hospital".into(), note: Some("入院中（退院予定は未定）".into())
                },
            )
            .await?;
        }
    }

    let incident =
        |kind: &str, urgent: bool, received: NaiveDate, summary: &str, told: Option<NaiveDate>| IncidentForm {
            estate_id: Some(estate_id),
            case_id: None,
            kind: kind.into(),
            urgent,
            in_scope: true,
            received_on: Some(received),
            summary: summary.into(),
            action: Some("訂正の案内を全戸に配布".into()).filter(|_| told.is_some()),
            pref_told_on: told,
            pref_told_how: told.map(|_| "電話".into()),
            pref_instruction: None,
            closed_on: None,
        };
    incidents::create(
        db,
        pfi,
        &incident(
            "complaint",
            true,
            date(2027, 2, 8),
            "アンケート説明会の案内の開始時刻が誤っていたとの苦情",
            Some(date(2027, 2, 8)),
        ),
    )
    .await?;
    incidents::create(
        db,
        pfi,
        &incident("unexpected", true, date(2027, 4, 22), "仮住居予定の住戸で漏水が見つかった", None),
    )
    .await?;

    for (item, amount, on, payee) in [
        ("アンケート説明会 会場使用料", 18_000, date(2026, 11, 20), "西諫早地区公民館"),
        ("返信用封筒（料金受取人払い）", 42_350, date(2027, 1, 25), "諫早郵便局"),
        ("抽選会 会場使用料", 18_000, date(2027, 3, 15), "西諫早地区公民館"),
    ] {
        costs::add_item(
            db,
            pfi,
            estate_id,
            &NewItem {
                item: item.into(),
                amount: Some(amount),
                payee: payee.into(),
                paid_on: Some(on),
                evidence_note: Some("領収書".into()),
                evidence_file_id: None,
                interest: None,
            },
        )
        .await?;
    }
    let claim = costs::claim(db, pfi, estate_id, 2026, false).await?;
    costs::claim_step(
        db,
        pfi,
        claim.id,
        &ClaimStepInput { step: "report".into(), on: Some(date(2027, 4, 20)), amount: None },
    )
    .await?;
    Ok(())
}
