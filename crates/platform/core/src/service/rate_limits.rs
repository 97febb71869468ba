//! 回数制限 (rate limits) for requests from outside: at most so many per window for a key (an
//! API key, a client address). Counted in the database, so the limit holds however many app
//! servers share it. A request over any of its limits writes nothing and is refused with
//! [`Error::RateLimited`] (HTTP 429).

use crate::entities::rate_event;
use crate::error::{Error, Result};
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// One limit: at most `max` requests under `key` within `window`.
#[derive(Clone, Debug)]
pub struct Limit {
    pub key: String,
    pub max: u64,
    pub window: Duration,
}

/// Counts one request under every key, or refuses it (counting nothing) when any key is full.
/// A `max` of 0 turns that limit off.
pub async fn take<C: ConnectionTrait>(db: &C, limits: &[Limit]) -> Result<()> {
    let now = Utc::now();
    // Rows of keys never seen again (a one-off address, a made-up key) go after a day.
    rate_event::Entity::delete_many().filter(rate_event::Column::At.lt(now - Duration::days(1))).exec(db).await?;
    for l in limits.iter().filter(|l| l.max > 0) {
        let since = now - l.window;
        // Old rows of this key are of no further use.
        rate_event::Entity::delete_many()
            .filter(rate_event::Column::Key.eq(&l.key))
            .filter(rate_event::Column::At.lt(since))
            .exec(db)
            .await?;
        let used = rate_event::Entity::find()
            .filter(rate_event::Column::Key.eq(&l.key))
            .filter(rate_event::Column::At.gte(since))
            .count(db)
            .await?;
        if used >= l.max {
            return Err(Error::RateLimited);
        }
    }
    let rows: Vec<rate_event::ActiveModel> = limits
        .iter()
        .filter(|l| l.max > 0)
        .map(|l| rate_event::ActiveModel { key: Set(l.key.clone()), at: Set(now), ..Default::default() })
        .collect();
    if !rows.is_empty() {
        rate_event::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}
