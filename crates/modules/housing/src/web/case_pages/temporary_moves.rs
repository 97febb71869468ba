//! 仮移転の画面 (temporary moves on the case page): the briefing date, an extension, the cause of a delay.

use super::*;
use crate::web::answers::TemporaryWindow;

#[derive(Deserialize, schemars::JsonSchema)]
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

fn window(l: &crate::entities::leg::Model) -> TemporaryWindow {
    TemporaryWindow::from(l)
}

pub async fn api_briefing(
    State(st): State<Shared>,
    Auth(i, _): Auth,
    Path(leg_id): Path<i64>,
    Json(f): Json<BriefingForm>,
) -> AppResult<Json<TemporaryWindow>> {
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
) -> AppResult<Json<TemporaryWindow>> {
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
) -> AppResult<Json<TemporaryWindow>> {
    Ok(Json(window(&temporary::set_delay_cause(&st.db, &i.ctx, leg_id, &f).await?)))
}
