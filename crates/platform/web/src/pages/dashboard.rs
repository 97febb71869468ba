//! ダッシュボード: today in 和暦 and 年度, the next holidays, the user's bundles.

use crate::error::AppResult;
use crate::middleware::{Auth, Page};
use crate::state::Shared;
use crate::views::{self, DashboardPage};
use axum::extract::State;
use chrono::Days;
use tabane_calendar::{FiscalYear, holidays_between, to_wareki};
use tabane_core::service::{audit, bundles, deliverables, orgs};

pub async fn show(State(st): State<Shared>, page: Page, Auth(info, _): Auth) -> AppResult<views::Rendered> {
    let ctx = &info.ctx;
    let today = tabane_calendar::jst::today();
    let fy = FiscalYear::of(today);
    let next_holidays = holidays_between(today, today + Days::new(120))
        .into_iter()
        .take(3)
        .map(|(d, n)| (d.format("%Y-%m-%d").to_string(), n))
        .collect();
    let org_count = orgs::list(&st.db, ctx, &Default::default(), 1).await?.total;
    let recent = if ctx.system_admin || ctx.is_admin() {
        audit::list(&st.db, ctx, &Default::default(), 5).await?.items
    } else {
        vec![]
    };
    let view = DashboardPage {
        chrome: page.chrome(),
        today: today.format("%Y-%m-%d").to_string(),
        today_wareki: to_wareki(today).map(|w| w.format_ja()).unwrap_or_default(),
        fiscal_year: if page.lang.is_en() { fy.label_en() } else { fy.label_ja() },
        next_holidays,
        bundles: bundles::list(&st.db, ctx).await?,
        org_count,
        recent,
        overdue_deliverables: deliverables::overdue(&st.db, ctx, today).await?.len(),
    };
    Ok(views::render(&view))
}
