//! ライフサイクルコスト (LCC) 比較 — 予防保全 (preventive: repair at 判定区分II) versus
//! 事後保全 (corrective: repair only at III/IV), computed from a one-year transition
//! matrix of the deterioration model (e.g. the exponential Markov hazard model fitted
//! from inspection pairs).
//!
//! Model: a population of assets described by the expected number in each grade
//! (I..J). Every year the distribution moves by the one-year matrix `P`. In an
//! inspection year (every `inspection_interval_years`, counting the start as year 0)
//! every asset found at or above the policy's threshold grade is repaired back to
//! grade I, costing `repair_cost_yen[grade]` each. Costs are expected values
//! (fractional yen); the present value uses the 社会的割引率 (discount rate).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// LCC の入力エラー.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LccError {
    /// The matrix is not square, too small, or its rows are not probabilities.
    #[error("推移確率行列が不正です: {0}")]
    Matrix(String),
    /// A vector has the wrong length.
    #[error("{field} の要素数 {got} が健全性の区分数 {expected} と一致しません")]
    Length {
        /// Field name.
        field: &'static str,
        /// Number of grades.
        expected: usize,
        /// Number given.
        got: usize,
    },
    /// A number is out of range.
    #[error("{field} が不正な値です（{value}）")]
    Invalid {
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
}

/// LCC 試算の条件.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LccInput {
    /// 1年後の推移確率 (rows: from grade I..J; each row sums to 1).
    pub one_year: Vec<Vec<f64>>,
    /// 現在の施設数の分布 (expected count per grade I..J).
    pub start: Vec<f64>,
    /// 健全性Iへ戻す補修の単価 per grade I..J (the I entry is normally 0).
    pub repair_cost_yen: Vec<u64>,
    /// 試算期間 (years, e.g. 50).
    pub years: u32,
    /// 点検間隔 (years; repairs are decided at inspections, e.g. 5 for 定期点検).
    pub inspection_interval_years: u32,
    /// 割引率 (e.g. 0.04 = 4%).
    pub discount_rate: f64,
}

/// 1つの管理方針の試算結果.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Series {
    /// 補修する健全性の下限 (1-based: 2 = II 以上を補修).
    pub repair_from_grade: usize,
    /// 年ごとの期待補修費 (index = year 0..=years).
    pub annual_cost_yen: Vec<f64>,
    /// 累積費用 (index = year 0..=years).
    pub cumulative_cost_yen: Vec<f64>,
    /// 期間合計 (nominal).
    pub total_yen: f64,
    /// 現在価値の合計 (discounted).
    pub present_value_yen: f64,
    /// 年ごとの期待補修件数.
    pub annual_repairs: Vec<f64>,
    /// 期間末の分布.
    pub final_distribution: Vec<f64>,
}

/// 予防保全と事後保全の比較.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "LccComparison")]
pub struct Comparison {
    /// 予防保全 (II 以上を補修).
    pub preventive: Series,
    /// 事後保全 (III 以上を補修).
    pub corrective: Series,
    /// 事後保全 − 予防保全 (nominal; positive when preventive is cheaper).
    pub saving_yen: f64,
    /// 同 (present value).
    pub saving_present_value_yen: f64,
}

impl LccInput {
    /// Check shapes and numbers.
    pub fn validate(&self) -> Result<(), LccError> {
        let n = self.one_year.len();
        if n < 2 {
            return Err(LccError::Matrix("2区分以上が必要です".into()));
        }
        for (i, row) in self.one_year.iter().enumerate() {
            if row.len() != n {
                return Err(LccError::Matrix(format!("{}行目の要素数が {} です（{n} のはず）", i + 1, row.len())));
            }
            if row.iter().any(|p| !(p.is_finite() && *p >= 0.0)) {
                return Err(LccError::Matrix(format!("{}行目に負または非数の確率があります", i + 1)));
            }
            let sum: f64 = row.iter().sum();
            if (sum - 1.0).abs() > 1e-6 {
                return Err(LccError::Matrix(format!("{}行目の合計が {sum:.6} です（1 のはず）", i + 1)));
            }
        }
        if self.start.len() != n {
            return Err(LccError::Length { field: "現在の分布", expected: n, got: self.start.len() });
        }
        if self.repair_cost_yen.len() != n {
            return Err(LccError::Length { field: "補修単価", expected: n, got: self.repair_cost_yen.len() });
        }
        if let Some(&bad) = self.start.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
            return Err(LccError::Invalid { field: "現在の分布", value: bad });
        }
        if !(1..=200).contains(&self.years) {
            return Err(LccError::Invalid { field: "試算期間", value: f64::from(self.years) });
        }
        if self.inspection_interval_years == 0 || self.inspection_interval_years > self.years {
            return Err(LccError::Invalid { field: "点検間隔", value: f64::from(self.inspection_interval_years) });
        }
        if !(self.discount_rate.is_finite() && (0.0..1.0).contains(&self.discount_rate)) {
            return Err(LccError::Invalid { field: "割引率", value: self.discount_rate });
        }
        Ok(())
    }
}

/// 管理方針ごとの LCC: repair every asset found at `repair_from_grade` (1-based) or worse.
pub fn simulate(input: &LccInput, repair_from_grade: usize) -> Result<Series, LccError> {
    input.validate()?;
    let n = input.one_year.len();
    if !(2..=n).contains(&repair_from_grade) {
        return Err(LccError::Invalid { field: "補修する健全性", value: repair_from_grade as f64 });
    }
    let years = input.years as usize;
    let mut d = input.start.clone();
    let mut annual = Vec::with_capacity(years + 1);
    let mut repairs = Vec::with_capacity(years + 1);
    for t in 0..=years {
        if t > 0 {
            let mut next = vec![0.0; n];
            for (i, &mass) in d.iter().enumerate() {
                for (j, p) in input.one_year[i].iter().enumerate() {
                    next[j] += mass * p;
                }
            }
            d = next;
        }
        let (mut cost, mut count) = (0.0, 0.0);
        if t % input.inspection_interval_years as usize == 0 {
            for (mass, unit) in d.iter_mut().zip(&input.repair_cost_yen).skip(repair_from_grade - 1) {
                cost += *mass * *unit as f64;
                count += *mass;
                *mass = 0.0;
            }
            d[0] += count;
        }
        annual.push(cost);
        repairs.push(count);
    }
    let mut cumulative = Vec::with_capacity(annual.len());
    let mut acc = 0.0;
    for c in &annual {
        acc += c;
        cumulative.push(acc);
    }
    let present_value_yen =
        annual.iter().enumerate().map(|(t, c)| c / (1.0 + input.discount_rate).powi(t as i32)).sum();
    Ok(Series {
        repair_from_grade,
        total_yen: acc,
        present_value_yen,
        annual_cost_yen: annual,
        cumulative_cost_yen: cumulative,
        annual_repairs: repairs,
        final_distribution: d,
    })
}

/// 予防保全（II で補修）と事後保全（III で補修）を比較する.
pub fn compare(input: &LccInput) -> Result<Comparison, LccError> {
    let preventive = simulate(input, 2)?;
    let corrective = simulate(input, 3.min(input.one_year.len()))?;
    Ok(Comparison {
        saving_yen: corrective.total_yen - preventive.total_yen,
        saving_present_value_yen: corrective.present_value_yen - preventive.present_value_yen,
        preventive,
        corrective,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One-year matrix of θ = (0.08, 0.15, 0.25) to 4 decimals (REFERENCE.md check row),
    /// rows completed so each sums to 1.
    fn matrix() -> Vec<Vec<f64>> {
        vec![
            vec![0.9231, 0.0713, 0.0051, 0.0005],
            vec![0.0, 0.8607, 0.1220, 0.0173],
            vec![0.0, 0.0, 0.7788, 0.2212],
            vec![0.0, 0.0, 0.0, 1.0],
        ]
    }

    fn input() -> LccInput {
        LccInput {
            one_year: matrix(),
            start: vec![60.0, 30.0, 10.0, 0.0],
            repair_cost_yen: vec![0, 2_000_000, 8_000_000, 20_000_000],
            years: 50,
            inspection_interval_years: 5,
            discount_rate: 0.04,
        }
    }

    #[test]
    fn both_series_cover_every_year_and_cumulate() {
        let c = compare(&input()).unwrap();
        for s in [&c.preventive, &c.corrective] {
            assert_eq!(s.annual_cost_yen.len(), 51);
            assert_eq!(s.cumulative_cost_yen.len(), 51);
            assert!(s.cumulative_cost_yen.windows(2).all(|w| w[1] >= w[0]));
            assert!((s.cumulative_cost_yen[50] - s.total_yen).abs() < 1e-6);
            assert!(s.present_value_yen < s.total_yen);
            // Costs only in inspection years.
            assert!(s.annual_cost_yen.iter().enumerate().all(|(t, c)| t % 5 == 0 || *c == 0.0));
            // The population is conserved.
            let total: f64 = s.final_distribution.iter().sum();
            assert!((total - 100.0).abs() < 1e-6, "{total}");
        }
        assert_eq!(c.preventive.repair_from_grade, 2);
        assert_eq!(c.corrective.repair_from_grade, 3);
    }

    #[test]
    fn year_zero_repairs_what_is_found_now() {
        let c = compare(&input()).unwrap();
        assert!((c.preventive.annual_cost_yen[0] - (30.0 * 2e6 + 10.0 * 8e6)).abs() < 1e-3);
        assert!((c.corrective.annual_cost_yen[0] - 10.0 * 8e6).abs() < 1e-3);
    }

    #[test]
    fn preventive_is_cheaper_when_late_repairs_cost_much_more() {
        let c = compare(&input()).unwrap();
        assert!(c.saving_yen > 0.0, "{c:?}");
        // And corrective wins when repairs cost the same at every grade.
        let mut flat = input();
        flat.repair_cost_yen = vec![0, 5_000_000, 5_000_000, 5_000_000];
        let c = compare(&flat).unwrap();
        assert!(c.saving_yen < 0.0);
    }

    #[test]
    fn hand_computed_two_grade_case() {
        // Two grades, 10% a year from I to II, inspected yearly, repair at II costs 100.
        let i = LccInput {
            one_year: vec![vec![0.9, 0.1], vec![0.0, 1.0]],
            start: vec![1.0, 0.0],
            repair_cost_yen: vec![0, 100],
            years: 3,
            inspection_interval_years: 1,
            discount_rate: 0.0,
        };
        let s = simulate(&i, 2).unwrap();
        // Each year 0.1 of the (always fully repaired) asset moves to II: 10 yen a year.
        assert_eq!(
            s.annual_cost_yen.iter().map(|c| (c * 1000.0).round() / 1000.0).collect::<Vec<_>>(),
            vec![0.0, 10.0, 10.0, 10.0]
        );
        assert!((s.total_yen - 30.0).abs() < 1e-9);
    }

    #[test]
    fn bad_input_names_the_problem() {
        let mut i = input();
        i.one_year[1][1] = 0.5;
        assert!(matches!(compare(&i), Err(LccError::Matrix(m)) if m.contains("2行目")));
        let mut i = input();
        i.start.pop();
        assert!(matches!(compare(&i), Err(LccError::Length { field: "現在の分布", .. })));
        let mut i = input();
        i.discount_rate = f64::NAN;
        assert!(matches!(compare(&i), Err(LccError::Invalid { field: "割引率", .. })));
        let mut i = input();
        i.inspection_interval_years = 0;
        assert!(compare(&i).is_err());
        assert!(simulate(&input(), 1).is_err());
    }
}
