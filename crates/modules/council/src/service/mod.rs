//! 協議会の業務 (the council's services). Every finder takes `&Ctx` first and goes through
//! `access::term`, which says on which side of the term the actor stands.

pub mod access;
pub mod cases;
pub mod hearings;
pub mod liaison;
pub mod meetings;
pub mod proposals;
pub mod publication;
pub mod reports;
pub mod terms;
