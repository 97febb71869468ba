//! 団地の基本情報 (estate master data): reading the seed's tables and checking them.
pub mod check;
pub mod tables;
