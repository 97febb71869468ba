//! 劣化予測 (deterioration forecasting) for road structures with the 指数ハザードモデル
//! (exponential Markov hazard model) of Tsuda, Kaito, Aoki and Kobayashi (2005,
//! 土木学会論文集 No.801).
//!
//! An asset is in one of the 健全性 (soundness grades) 1..J; grade J is absorbing. For road
//! bridges J = 4: I 健全, II 予防保全段階, III 早期措置段階, IV 緊急措置段階. The time spent
//! in grade i is exponential with ハザード率 (hazard rate) θ_i, so the grade process is a pure
//! birth Markov chain and the 推移確率 (transition probabilities) over an interval z have a
//! closed form.
//!
//! * [`Hazards`]: transition probabilities (closed form, with a matrix-exponential fallback
//!   for near-equal hazards), expected 期待寿命 (expected sojourn / time to the worst grade)
//!   and network forecasts.
//! * [`fit`]: maximum-likelihood estimation from 点検結果の組 (pairs of consecutive
//!   inspections), with covariates θ_i = exp(x·β_i), by Newton–Raphson with analytic
//!   derivatives, and standard errors from the observed Fisher information.
//!
//! ```
//! use tabane_hazard::Hazards;
//!
//! let h = Hazards(vec![0.08, 0.15, 0.25]);
//! let p = h.transition(1.0);
//! assert!((p[(0, 0)] - 0.9231).abs() < 1e-4);
//! assert!((h.expected_time_to_worst(1) - 23.17).abs() < 0.01);
//! ```

mod divdiff;
mod error;
mod fit;
mod newton;
mod transition;

pub use error::HazardError;
pub use fit::{Fit, FitOptions, Pair, fit};
pub use transition::{CLOSED_FORM_MAX_AMPLIFICATION, CLOSED_FORM_MIN_RELATIVE_GAP, Hazards};

/// 推移確率行列 (transition probability matrix): row = grade now, column = grade later.
pub type Matrix = nalgebra::DMatrix<f64>;

/// 健全性の表記 (label of a soundness grade): Roman numerals as used in the 定期点検要領
/// (I, II, III, IV, ...), falling back to Arabic digits beyond X.
pub fn grade_label(grade: usize) -> String {
    const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    match grade {
        1..=10 => ROMAN[grade - 1].to_string(),
        _ => grade.to_string(),
    }
}
