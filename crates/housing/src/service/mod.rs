//! Housing services. Every function takes the database, then the acting context, then its
//! arguments; writes run in one transaction together with their audit entry.
pub mod access;
pub mod campaigns;
pub mod deadlines;
pub mod cases;
pub mod estates;
pub mod incidents;
pub mod moves;
pub mod case_view;
pub mod units;
pub mod personal;
pub mod lotteries;
pub mod questionnaire;
pub mod erase;
pub mod export;
pub mod costs;
pub mod chosho;
pub mod register;
pub mod reports;
pub mod temporary;
pub mod business_report;
