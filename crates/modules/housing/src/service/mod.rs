//! Housing services. Every function takes the database, then the acting context, then its
//! arguments; writes run in one transaction together with their audit entry.
pub mod access;
pub mod business_report;
pub mod campaigns;
pub mod case_view;
pub mod cases;
pub mod chosho;
pub mod costs;
pub mod deadlines;
pub mod erase;
pub mod estates;
pub mod export;
pub mod incidents;
pub mod lotteries;
pub mod moves;
pub mod personal;
pub mod questionnaire;
pub mod register;
pub mod reports;
pub mod temporary;
pub mod units;
