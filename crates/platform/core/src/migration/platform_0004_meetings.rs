//! 会議 (meetings), a platform component: series, meetings, participants, agenda items,
//! decisions and action items, the deliverable instances (materials, minutes) of each meeting,
//! and the per-user secret calendar feeds. Every reference has its foreign key.

use super::schema::{a, fk, fk_cascade, id, index, instant, unique};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "platform_0004_meetings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("meeting_series"))
                .col(id())
                .col(big_integer_null(a("bundle_id")))
                .col(big_integer(a("owner_org_id")))
                .col(string(a("title")))
                .col(string(a("kind")))
                .col(string(a("adjust")))
                .col(string(a("materials_rule")))
                .col(string(a("minutes_rule")))
                .col(big_integer_null(a("materials_deliverable_id")))
                .col(big_integer_null(a("minutes_deliverable_id")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("meeting_series", "bundle_id", "bundles"))
                .foreign_key(&mut fk("meeting_series", "owner_org_id", "organisations"))
                .foreign_key(&mut fk("meeting_series", "materials_deliverable_id", "deliverables"))
                .foreign_key(&mut fk("meeting_series", "minutes_deliverable_id", "deliverables"))
                .take(),
        )
        .await?;
        m.create_index(index("meeting_series", "ix_meeting_series_bundle", &["bundle_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("meetings"))
                .col(id())
                .col(big_integer(a("series_id")))
                .col(integer(a("number")))
                .col(string(a("title")))
                .col(instant("starts_at"))
                .col(instant("ends_at"))
                .col(string_null(a("place")))
                .col(string_null(a("online_url")))
                .col(big_integer(a("organiser_org_id")))
                .col(string(a("status")))
                .col(string_null(a("cancel_reason")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("meetings", "series_id", "meeting_series"))
                .foreign_key(&mut fk("meetings", "organiser_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("meetings", "ix_meetings_series_starts", &["series_id", "starts_at"])).await?;
        m.create_table(
            Table::create()
                .table(a("meeting_participants"))
                .col(id())
                .col(big_integer(a("meeting_id")))
                .col(big_integer_null(a("org_id")))
                .col(big_integer_null(a("user_id")))
                .foreign_key(&mut fk_cascade("meeting_participants", "meeting_id", "meetings"))
                .foreign_key(&mut fk("meeting_participants", "org_id", "organisations"))
                .foreign_key(&mut fk("meeting_participants", "user_id", "users"))
                .take(),
        )
        .await?;
        m.create_index(index("meeting_participants", "ix_meeting_participants_meeting", &["meeting_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("meeting_actions"))
                .col(id())
                .col(big_integer(a("meeting_id")))
                .col(string(a("kind")))
                .col(string(a("text")))
                .col(big_integer_null(a("owner_org_id")))
                .col(date_null(a("due_date")))
                .col(string(a("status")))
                .col(instant("created_at"))
                .col(instant("updated_at"))
                .foreign_key(&mut fk("meeting_actions", "meeting_id", "meetings"))
                .foreign_key(&mut fk("meeting_actions", "owner_org_id", "organisations"))
                .take(),
        )
        .await?;
        m.create_index(index("meeting_actions", "ix_meeting_actions_meeting", &["meeting_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("meeting_agenda_items"))
                .col(id())
                .col(big_integer(a("meeting_id")))
                .col(integer(a("position")))
                .col(string(a("title")))
                .col(string(a("source")))
                .col(big_integer_null(a("carried_action_id")))
                .foreign_key(&mut fk_cascade("meeting_agenda_items", "meeting_id", "meetings"))
                .foreign_key(&mut fk("meeting_agenda_items", "carried_action_id", "meeting_actions"))
                .take(),
        )
        .await?;
        m.create_index(index("meeting_agenda_items", "ix_meeting_agenda_items_meeting", &["meeting_id", "position"]))
            .await?;
        m.create_table(
            Table::create()
                .table(a("meeting_documents"))
                .col(id())
                .col(big_integer(a("meeting_id")))
                .col(big_integer(a("instance_id")))
                .col(string(a("role")))
                .foreign_key(&mut fk("meeting_documents", "meeting_id", "meetings"))
                .foreign_key(&mut fk("meeting_documents", "instance_id", "deliverable_instances"))
                .take(),
        )
        .await?;
        m.create_index(unique("meeting_documents", "ux_meeting_documents_instance", &["instance_id"])).await?;
        m.create_index(index("meeting_documents", "ix_meeting_documents_meeting", &["meeting_id"])).await?;
        m.create_table(
            Table::create()
                .table(a("calendar_feeds"))
                .col(id())
                .col(big_integer(a("user_id")))
                .col(big_integer(a("org_id")))
                .col(big_integer(a("series_id")))
                .col(string(a("token_hash")))
                .col(instant("created_at"))
                .foreign_key(&mut fk("calendar_feeds", "user_id", "users"))
                .foreign_key(&mut fk("calendar_feeds", "org_id", "organisations"))
                .foreign_key(&mut fk("calendar_feeds", "series_id", "meeting_series"))
                .take(),
        )
        .await?;
        m.create_index(unique("calendar_feeds", "ux_calendar_feeds_token", &["token_hash"])).await?;
        m.create_index(unique("calendar_feeds", "ux_calendar_feeds_user_series", &["user_id", "series_id"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "calendar_feeds",
            "meeting_documents",
            "meeting_agenda_items",
            "meeting_actions",
            "meeting_participants",
            "meetings",
            "meeting_series",
        ] {
            m.drop_table(Table::drop().table(a(t)).take()).await?;
        }
        Ok(())
    }
}
