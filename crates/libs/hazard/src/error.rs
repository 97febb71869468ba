//! エラー (errors). Messages are in Japanese because they are shown to 職員 (staff) as is.

use thiserror::Error;

/// ハザードモデルのエラー (errors of the hazard model). Pair indices are 0-based positions in
/// the slice passed to [`crate::fit`], the same numbering as
/// [`crate::Fit::improved_without_repair`].
#[derive(Debug, Clone, PartialEq, Error)]
pub enum HazardError {
    /// 健全性の段階数が少なすぎる (fewer than two grades).
    #[error("健全性の段階数が{0}です（2段階以上が必要です）")]
    TooFewGrades(usize),

    /// 健全性が範囲外 (a grade outside 1..=J).
    #[error("組[{index}]の健全性{grade}は範囲外です（1〜{grades}で指定してください）")]
    BadGrade { index: usize, grade: usize, grades: usize },

    /// 点検間隔が正でない (a non-positive or non-finite interval).
    #[error("組[{index}]の点検間隔が正ではありません（{years}年）")]
    NonPositiveInterval { index: usize, years: f64 },

    /// 共変量の数が違う (wrong number of covariates).
    #[error("組[{index}]の共変量が{got}個です（{expected}個必要です）")]
    CovariateCount { index: usize, expected: usize, got: usize },

    /// 共変量が有限でない (NaN or infinite covariate).
    #[error("組[{index}]の共変量「{name}」が数値ではありません")]
    NonFiniteCovariate { index: usize, name: String },

    /// 共変量が一定 (a covariate with no variation cannot be separated from the constant).
    #[error("共変量「{0}」が推定に使う全ての組で同じ値のため、係数を推定できません")]
    ConstantCovariate(String),

    /// 利用できる組がない (nothing left after the exclusions).
    #[error(
        "推定に使える点検結果の組がありません（補修あり・補修なしでの健全性の改善・最も悪い健全性からの組は除外されます）"
    )]
    NoUsablePairs,

    /// 不正なハザード (a hazard that is negative or not finite).
    #[error("健全性{}のハザード{value}が不正です（0以上の有限な値が必要です）", label(.grade))]
    InvalidHazard { grade: usize, value: f64 },

    /// 不正な期間 (a negative or non-finite forecasting interval).
    #[error("期間{0}年が不正です（0以上の有限な値が必要です）")]
    InvalidInterval(f64),

    /// ハザードがほぼ等しい (closed form divides by nearly zero).
    #[error(
        "健全性{}と{}のハザードがほぼ等しく（相対差{relative_gap:.1e}）、閉形式では計算できません",
        label(.a),
        label(.b)
    )]
    NearEqualHazards { a: usize, b: usize, relative_gap: f64 },

    /// 桁落ち (the closed form would lose too many digits for this interval).
    #[error("閉形式では桁落ちが大きすぎます（誤差の増幅{amplification:.1e}倍）")]
    IllConditioned { amplification: f64 },

    /// 収束しない (Newton–Raphson did not converge).
    #[error("最尤推定が{0}回の反復で収束しませんでした")]
    NotConverged(usize),

    /// 推定値の発散 (an estimate ran off to an implausible value).
    #[error(
        "健全性{}のハザードの推定値が発散しました（{value:.3e}/年）。データに偏りがないか確認してください",
        label(.grade)
    )]
    Diverged { grade: usize, value: f64 },

    /// 情報行列が特異 (the observed information is not positive definite).
    #[error("情報行列が正則でないため標準誤差を計算できません（共変量どうしが従属していないか確認してください）")]
    SingularInformation,
}

/// Grade fields are stored as numbers (for callers) but shown as I, II, ... (for people).
fn label(grade: &usize) -> String {
    crate::grade_label(*grade)
}
