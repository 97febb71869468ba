//! 住戸抽選会の記録 (lottery sessions): the inputs are read from the questionnaire, drawn with a
//! recorded seed, stored with the result and audited; anyone can re-run (`verify`) the draw
//! from the stored inputs and seed. The prefecture confirms a result, which assigns the units.

use super::campaigns;
use super::cases;
use super::questionnaire;
use super::units;
use crate::domain::Classification;
use crate::entities::{case, leg, lottery};
use crate::lottery::{self as algo, Inputs, Outcome, Participant, Rules, Unit};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use tabane_core::service::audit;
use tabane_core::{Ctx, Error, Result};

#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
pub struct DrawForm {
    pub name: String,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub session_date: Option<NaiveDate>,
    /// The number announced at the venue (e.g. drawn by a resident witness). Empty: a random seed.
    #[serde(default)]
    pub announced: String,
    #[serde(default = "yes", deserialize_with = "crate::forms::checkbox")]
    pub direct_uncontested: bool,
    #[serde(default, deserialize_with = "crate::forms::empty_as_none")]
    pub depth: Option<u8>,
}

fn yes() -> bool {
    true
}

/// The inputs of a new session: 本移転 cases of the campaign without a destination, with their
/// wishes for units still free; units already won in an earlier session are excluded.
pub async fn inputs<D: ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    campaign_id: i64,
    name: &str,
    rules: Rules,
) -> Result<Inputs> {
    let (c, _) = campaigns::get(db, ctx, campaign_id).await?;
    let Some(survey) = c.survey_id else {
        return Err(Error::conflict(
            "先に希望住戸アンケートを作成し、回答を入力してください",
            "Open the questionnaire and enter answers first",
        ));
    };
    let free = units::list(db, ctx, c.estate_id, true).await?;
    let wishes = questionnaire::wishes(db, ctx, survey).await?;
    let campaign_cases = case::Entity::find()
        .filter(case::Column::CampaignId.eq(campaign_id))
        .filter(case::Column::Classification.eq(Classification::Main.key()))
        .all(db)
        .await?;
    let rows = cases::list(db, ctx, &cases::CaseFilter { estate: Some(c.estate_id), ..Default::default() }).await?;
    let mut participants = Vec::new();
    for cs in campaign_cases {
        let Some(w) = wishes.iter().find(|w| w.case_id == cs.id) else { continue };
        let Some(l) = cases::current_leg(db, cs.id).await? else { continue };
        if l.to_unit_id.is_some() {
            continue;
        }
        let Some(row) = rows.iter().find(|r| r.id == cs.id) else { continue };
        let label = format!("{}棟 {}号室", row.building, row.room);
        let wished: Vec<i64> = w
            .units
            .iter()
            .copied()
            .filter(|u| free.iter().any(|f| f.unit.id == *u))
            .take(rules.depth as usize)
            .collect();
        if wished.is_empty() {
            continue;
        }
        participants.push(Participant { case_id: cs.id, label, household_size: row.size, wishes: wished });
    }
    let wanted: Vec<i64> = participants.iter().flat_map(|p| p.wishes.iter().copied()).collect();
    let units = free
        .into_iter()
        .filter(|u| wanted.contains(&u.unit.id))
        .map(|u| Unit {
            id: u.unit.id,
            label: u.unit.number,
            layout: u.unit.layout.unwrap_or_default(),
            std_min: u.unit.std_min,
            std_max: u.unit.std_max,
        })
        .collect();
    Ok(Inputs { name: name.trim().into(), rules, units, participants }.canonical())
}

/// The view of a stored session.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct LotteryView {
    pub lottery: lottery::Model,
    pub inputs: Inputs,
    pub outcome: Outcome,
    pub plan: Vec<algo::PlanRow>,
    pub plan_warnings: Vec<algo::Warning>,
    pub may_confirm: bool,
}

fn view(l: lottery::Model, may_confirm: bool) -> Result<LotteryView> {
    let inputs: Inputs = serde_json::from_str(&l.inputs).map_err(|e| Error::Internal(e.into()))?;
    let outcome: Outcome = serde_json::from_str(&l.result).map_err(|e| Error::Internal(e.into()))?;
    let (plan, plan_warnings) = algo::plan(&inputs);
    Ok(LotteryView {
        may_confirm: may_confirm && l.confirmed_at.is_none(),
        lottery: l,
        inputs,
        outcome,
        plan,
        plan_warnings,
    })
}

/// 抽選の実施. Same name with the same inputs and seed → the stored result (recomputed to prove
/// it); same name with other inputs → refused, so a draw cannot be quietly redone.
pub async fn draw<D: TransactionTrait + ConnectionTrait>(
    db: &D,
    ctx: &Ctx,
    campaign_id: i64,
    f: &DrawForm,
) -> Result<LotteryView> {
    let (c, acc) = campaigns::get(db, ctx, campaign_id).await?;
    acc.require_staff()?;
    if f.name.trim().is_empty() {
        return Err(Error::invalid(
            "name",
            "抽選の名前",
            "Name",
            "を入力してください（例：第1回 住戸抽選会）",
            "is required",
        ));
    }
    let rules = Rules { direct_uncontested: f.direct_uncontested, depth: f.depth.unwrap_or(3).clamp(1, 5) };
    let existing = lottery::Entity::find()
        .filter(lottery::Column::CampaignId.eq(campaign_id))
        .filter(lottery::Column::Name.eq(f.name.trim()))
        .one(db)
        .await?;
    let inputs = match &existing {
        // A re-run under the same name uses the stored inputs unless the caller's would differ.
        Some(l) => {
            let stored: Inputs = serde_json::from_str(&l.inputs).map_err(|e| Error::Internal(e.into()))?;
            let fresh = inputs(db, ctx, campaign_id, f.name.trim(), rules.clone()).await?;
            if l.confirmed_at.is_none() && fresh.hash() != l.inputs_hash {
                return Err(Error::conflict(
                    "同じ名前の抽選がすでに別の条件（参加世帯・希望・住戸・ルール）で実施されています。新しい名前で実施してください",
                    "A lottery with this name was already drawn with other inputs; use a new name",
                ));
            }
            stored
        }
        None => inputs(db, ctx, campaign_id, f.name.trim(), rules.clone()).await?,
    };
    let problems = inputs.problems();
    if !problems.is_empty() {
        return Err(Error::conflict(problems.join(" / "), "The lottery inputs are not usable"));
    }
    if inputs.participants.is_empty() {
        return Err(Error::conflict(
            "抽選に参加する世帯がありません（本移転に分類され、希望住戸を回答し、移転先が未定の世帯）",
            "No households to draw for",
        ));
    }
    let seed = if f.announced.trim().is_empty() {
        use rand::Rng;
        rand::rng().random::<[u8; 32]>()
    } else {
        algo::seed_from_text(f.name.trim(), &f.announced)
    };
    let seed_hex = hex::encode(seed);
    if let Some(l) = existing {
        if l.seed_hex != seed_hex {
            return Err(Error::conflict(
                "同じ名前の抽選がすでに別の乱数の種で実施されています。結果を変えることはできません",
                "A lottery with this name was already drawn with another seed",
            ));
        }
        let recomputed = algo::draw(&inputs, seed);
        if recomputed.hash() != l.result_hash {
            return Err(Error::Internal(anyhow::anyhow!("stored lottery {} does not reproduce", l.id)));
        }
        return view(l, acc.require_owner_staff().is_ok());
    }
    let outcome = algo::draw(&inputs, seed);
    let tx = db.begin().await?;
    let l = lottery::ActiveModel {
        campaign_id: Set(campaign_id),
        name: Set(f.name.trim().into()),
        session_date: Set(f.session_date),
        algorithm: Set(algo::ALGORITHM.into()),
        inputs: Set(inputs.canonical_json()),
        inputs_hash: Set(inputs.hash()),
        seed_hex: Set(seed_hex.clone()),
        seed_text: Set(Some(f.announced.trim().to_string()).filter(|s| !s.is_empty())),
        result: Set(serde_json::to_string(&outcome).expect("json")),
        result_hash: Set(outcome.hash()),
        drawn_by: Set(ctx.actor.clone()),
        drawn_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(&tx, ctx, acc.change("lottery_draw", "housing_lottery", l.id, None, Some(serde_json::json!({ "campaign": c.name, "name": l.name, "algorithm": algo::ALGORITHM, "inputs_hash": l.inputs_hash, "inputs": inputs, "seed": seed_hex, "seed_text": l.seed_text, "result": outcome, "result_hash": l.result_hash }))))
    .await?;
    tx.commit().await?;
    view(l, acc.require_owner_staff().is_ok())
}

pub async fn get<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<LotteryView> {
    let Some(l) = lottery::Entity::find_by_id(id).one(db).await? else { return Err(Error::NotFound) };
    let (_, acc) = campaigns::get(db, ctx, l.campaign_id).await?;
    view(l, acc.require_owner_staff().is_ok())
}

pub async fn list<D: ConnectionTrait>(db: &D, ctx: &Ctx, campaign_id: i64) -> Result<Vec<lottery::Model>> {
    campaigns::get(db, ctx, campaign_id).await?;
    Ok(lottery::Entity::find()
        .filter(lottery::Column::CampaignId.eq(campaign_id))
        .order_by_asc(lottery::Column::Id)
        .all(db)
        .await?)
}

/// 再現の確認: recomputes the draw from the stored inputs and seed.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Verification {
    pub matches: bool,
    pub algorithm: String,
    pub inputs_hash: String,
    pub seed: String,
    pub stored_result_hash: String,
    pub recomputed_result_hash: String,
}

pub async fn verify<D: ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<Verification> {
    let v = get(db, ctx, id).await?;
    let seed =
        algo::parse_seed_hex(&v.lottery.seed_hex).ok_or_else(|| Error::Internal(anyhow::anyhow!("bad stored seed")))?;
    let again = algo::draw(&v.inputs, seed);
    let inputs_ok = v.inputs.hash() == v.lottery.inputs_hash;
    Ok(Verification {
        matches: inputs_ok && again.hash() == v.lottery.result_hash && again == v.outcome,
        algorithm: v.lottery.algorithm,
        inputs_hash: v.lottery.inputs_hash,
        seed: v.lottery.seed_hex,
        stored_result_hash: v.lottery.result_hash,
        recomputed_result_hash: again.hash(),
    })
}

/// 抽選結果の確定 (the prefecture): each winner's current 本移転 leg gets its unit, in one
/// transaction. A unit taken in the meantime stops the whole confirmation.
pub async fn confirm<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, id: i64) -> Result<usize> {
    let v = get(db, ctx, id).await?;
    let (_, acc) = campaigns::get(db, ctx, v.lottery.campaign_id).await?;
    acc.require_owner_staff()?;
    if v.lottery.confirmed_at.is_some() {
        return Err(Error::conflict("この抽選結果はすでに確定しています", "Already confirmed"));
    }
    let tx = db.begin().await?;
    let mut n = 0;
    for d in &v.outcome.draws {
        let Some(l) = cases::current_leg(&tx, d.winner).await? else { continue };
        if l.to_unit_id.is_some() || l.kind != Classification::Main.key() {
            continue;
        }
        let taken = leg::Entity::find()
            .filter(leg::Column::ToUnitId.eq(d.unit_id))
            .filter(leg::Column::CancelledOn.is_null())
            .one(&tx)
            .await?;
        if taken.is_some() {
            return Err(Error::conflict(
                format!("住戸（ID {}）は抽選後に別の世帯の移転先になりました。確定できません", d.unit_id),
                "A unit was assigned elsewhere after the draw",
            ));
        }
        let mut am: leg::ActiveModel = l.clone().into();
        am.to_unit_id = Set(Some(d.unit_id));
        am.update(&tx).await?;
        let unit = units::get(&tx, acc.estate.id, d.unit_id).await?;
        cases::event(
            &tx,
            ctx,
            &acc,
            d.winner,
            Some(l.id),
            "assign_unit",
            None,
            Some(unit.number),
            Some(format!(
                "{}（第{}希望{}）",
                v.lottery.name,
                d.rank,
                if d.draw_index.is_some() { "・抽選" } else { "・単独希望" }
            )),
        )
        .await?;
        n += 1;
    }
    let mut am: lottery::ActiveModel = v.lottery.clone().into();
    am.confirmed_by = Set(Some(ctx.actor.clone()));
    am.confirmed_at = Set(Some(Utc::now()));
    am.update(&tx).await?;
    audit::record(
        &tx,
        ctx,
        acc.change(
            "lottery_confirm",
            "housing_lottery",
            id,
            None,
            Some(serde_json::json!({ "assigned": n, "result_hash": v.lottery.result_hash })),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
