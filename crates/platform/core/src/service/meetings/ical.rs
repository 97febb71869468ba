//! iCalendar (RFC 5545) of a meeting and of a series, so staff see meetings in Outlook or
//! Google Calendar. Times carry `TZID=Asia/Tokyo` with its `VTIMEZONE` (JST has no daylight
//! time), so a calendar in any zone shows them right. A series is also a subscribable feed at a
//! per-user secret URL: only the token's hash is stored, and each fetch checks that the user
//! still belongs to the organisation and that it still sees the series.

use super::load_series;
use crate::context::Ctx;
use crate::entities::{calendar_feed, meeting, meeting_agenda_item, meeting_series, membership, user};
use crate::error::{Error, Result};
use crate::service::audit;
use chrono::Utc;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use sha2::{Digest, Sha256};

const TZID: &str = "Asia/Tokyo";

/// The one time zone every Tabane calendar uses.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

fn jst(t: chrono::DateTime<Utc>) -> CalendarDateTime {
    CalendarDateTime::WithTimezone { date_time: tabane_calendar::jst::at(t).naive_local(), tzid: TZID.into() }
}

fn event(m: &meeting::Model, series: &meeting_series::Model, agenda: &[meeting_agenda_item::Model]) -> Event {
    let mut e = Event::new();
    e.uid(&format!("meeting-{}@tabane", m.id))
        .timestamp(m.updated_at)
        .summary(&m.title)
        .starts(jst(m.starts_at))
        .ends(jst(m.ends_at))
        .append_property(icalendar::Property::new("CATEGORIES", &series.kind));
    if let Some(p) = m.place.as_deref().or(m.online_url.as_deref()) {
        e.location(p);
    }
    if let Some(u) = &m.online_url {
        e.url(u);
    }
    let mut desc = String::new();
    if !agenda.is_empty() {
        desc.push_str("議題:\n");
        for a in agenda {
            desc.push_str(&format!("{}. {}\n", a.position, a.title));
        }
    }
    if let Some(r) = &m.cancel_reason {
        desc.push_str(&format!("中止: {r}\n"));
    }
    if !desc.is_empty() {
        e.description(desc.trim_end());
    }
    e.status(if m.status == "cancelled" { EventStatus::Cancelled } else { EventStatus::Confirmed });
    e.done()
}

/// The calendar text with the JST `VTIMEZONE` placed before the first event (the builder has no
/// time-zone component of its own).
fn render(name: &str, events: Vec<Event>) -> String {
    let mut cal = Calendar::new();
    cal.name(name).timezone(TZID);
    for e in events {
        cal.push(e);
    }
    let text = cal.done().to_string();
    match text.find("BEGIN:VEVENT") {
        Some(i) => format!("{}{VTIMEZONE}{}", &text[..i], &text[i..]),
        None => text.replace("END:VCALENDAR", &format!("{VTIMEZONE}END:VCALENDAR")),
    }
}

async fn agenda_of<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<Vec<meeting_agenda_item::Model>> {
    Ok(meeting_agenda_item::Entity::find()
        .filter(meeting_agenda_item::Column::MeetingId.is_in(ids.to_vec()))
        .order_by_asc(meeting_agenda_item::Column::Position)
        .all(db)
        .await?)
}

/// One meeting as an `.ics` file.
pub async fn meeting_ics<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<String> {
    let (m, s, _) = super::load_meeting(db, ctx, id).await?;
    let agenda = agenda_of(db, &[m.id]).await?;
    Ok(render(&m.title, vec![event(&m, &s, &agenda)]))
}

/// Every meeting of a series as one calendar.
pub async fn series_ics<C: ConnectionTrait>(db: &C, ctx: &Ctx, id: i64) -> Result<String> {
    let (s, _) = load_series(db, ctx, id).await?;
    let ms = meeting::Entity::find()
        .filter(meeting::Column::SeriesId.eq(s.id))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let agenda = agenda_of(db, &ms.iter().map(|m| m.id).collect::<Vec<_>>()).await?;
    let events = ms
        .iter()
        .map(|m| {
            let items: Vec<_> = agenda.iter().filter(|a| a.meeting_id == m.id).cloned().collect();
            event(m, &s, &items)
        })
        .collect();
    Ok(render(&s.title, events))
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 購読用URLの発行: a new secret for the actor and this series (replacing an earlier one, which
/// stops working). Returns the token; only its hash is kept.
pub async fn create_feed<D: TransactionTrait + ConnectionTrait>(db: &D, ctx: &Ctx, series_id: i64) -> Result<String> {
    let (s, _) = load_series(db, ctx, series_id).await?;
    let (Some(user_id), Some(org_id)) = (ctx.user_id, ctx.org_id) else {
        return Err(Error::forbidden("組織を選んでから発行してください", "Choose an organisation first"));
    };
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let txn = db.begin().await?;
    calendar_feed::Entity::delete_many()
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .filter(calendar_feed::Column::SeriesId.eq(s.id))
        .exec(&txn)
        .await?;
    let f = calendar_feed::ActiveModel {
        user_id: Set(user_id),
        org_id: Set(org_id),
        series_id: Set(s.id),
        token_hash: Set(hash(&token)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        ctx,
        audit::Change {
            org_id: Some(org_id),
            bundle_id: s.bundle_id,
            action: "create",
            entity: "calendar_feed",
            entity_id: f.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "series_id": s.id })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// The feed behind a secret token, as its user would see it now; `NotFound` for an unknown
/// token, an inactive user, a membership that ended or a series no longer visible.
pub async fn feed<C: ConnectionTrait>(db: &C, token: &str) -> Result<String> {
    let f = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(hash(token.trim())))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let u = user::Entity::find_by_id(f.user_id).one(db).await?.filter(|u| u.active).ok_or(Error::NotFound)?;
    let m = membership::Entity::find()
        .filter(membership::Column::UserId.eq(u.id))
        .filter(membership::Column::OrgId.eq(f.org_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let ctx = Ctx {
        user_id: Some(u.id),
        actor: u.login,
        system_admin: false,
        org_id: Some(f.org_id),
        role: crate::domain::Role::parse(&m.role),
        bundle_id: None,
        request_id: None,
    };
    series_ics(db, &ctx, f.series_id).await
}
