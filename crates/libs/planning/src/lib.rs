//! 群マネ (地域インフラ群再生戦略マネジメント) planning tools, following the MLIT
//! guide 「群マネの手引き」.
//!
//! * [`effect`] — 導入効果試算 (effect estimate; Q2-7, Q2-8, Q2-10)
//! * [`cost_sharing`] — 費用負担 (cost sharing between members; Q4-1)
//! * [`regional`] — 地域要件 (regional requirements for JVs / 事業協同組合; Q4-3, Q4-4)
//! * [`repair_plan`] — 予算制約下の補修計画 (budget-constrained repair plan, MILP)
//! * [`lcc`] — ライフサイクルコスト比較 (preventive vs corrective maintenance)

pub mod cost_sharing;
pub mod effect;
pub mod lcc;
pub mod regional;
pub mod repair_plan;
