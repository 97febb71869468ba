//! 協議会モジュールの表 (the council module's tables). Meetings' dates, documents and due dates
//! live in the platform's meeting tables; these rows hold what only the council knows.
pub mod case;
pub mod committee;
pub mod hearing;
pub mod liaison;
pub mod meeting;
pub mod proposal;
pub mod publication;
pub mod term;
