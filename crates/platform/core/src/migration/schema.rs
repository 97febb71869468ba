//! Schema helpers for new migrations (platform and modules). The applied migrations keep their
//! own copies: an applied migration is never edited (`migrations.lock`), so only migrations
//! written from now on use these.
//!
//! Conventions they encode: every table has a `big_integer` `id`; every reference column has a
//! named foreign key (`fk_<table>_<column>`) that refuses to delete a referenced row; instants
//! are `timestamp_with_time_zone`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// A table or column name.
pub fn a(s: &str) -> Alias {
    Alias::new(s)
}

/// The `id` primary key every table has.
pub fn id() -> ColumnDef {
    big_integer(a("id")).auto_increment().primary_key().take()
}

/// An instant (stored with its time zone; shown in JST).
pub fn instant(name: &str) -> ColumnDef {
    timestamp_with_time_zone(a(name))
}

/// An optional instant.
pub fn instant_null(name: &str) -> ColumnDef {
    timestamp_with_time_zone_null(a(name))
}

/// The foreign key of `from.col` to `to.id`, named `fk_<from>_<col>`; deleting the referenced
/// row is refused.
pub fn fk(from: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{col}"))
        .from(a(from), a(col))
        .to(a(to), a("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

/// The same foreign key, deleted with its parent (rows that are parts of the parent, such as a
/// meeting's agenda items).
pub fn fk_cascade(from: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    let mut f = fk(from, col, to);
    f.on_delete(ForeignKeyAction::Cascade);
    f
}

/// An index named `name` on `table(cols)`.
pub fn index(table: &str, name: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    i.take()
}

/// A unique index named `name` on `table(cols)`.
pub fn unique(table: &str, name: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = index(table, name, cols);
    i.unique();
    i
}
