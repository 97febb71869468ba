//! 連携事業のKPI (a project's own KPIs: baseline, target, actual, 達成), spec §2.6, R5, R6; seed lines
//! 326–331 (アウトカム／アウトプット), 434 (KPI mandatory from the planning stage), 438.
//!
//! These feed [`crate::kpi_counts::success_rate`] (成功率) and the R6 gate; the platform-wide KPIs
//! of [`crate::kpi`] are a different thing (the municipality's own targets).

use crate::error::{Field, PartnershipRuleError, required};
use crate::kpi::Direction;
use crate::kpi_counts::EvaluatedKpis;
use crate::quantity::Decimal;
use serde::Serialize;

/// 指標の種類 (line 326, 331).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProjectKpiKind {
    /// アウトカム
    Outcome,
    /// アウトプット
    Output,
}

/// 事業のKPI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectKpi {
    pub name: String,
    pub kind: ProjectKpiKind,
    pub unit: String,
    pub baseline: Option<Decimal>,
    /// 目標値: `None` until set; a project needs one set to be signed (R6).
    pub target: Option<Decimal>,
    pub direction: Direction,
    /// 実績 of the evaluated 年度.
    pub actual: Option<Decimal>,
}

const NAME: Field = Field::new("KPI名", "KPI name");
const TARGET: Field = Field::new("目標値", "target");
const ACTUAL: Field = Field::new("実績値", "actual");

impl ProjectKpi {
    /// A KPI as entered on the plan form: name required, target and actual typed as text (blank =
    /// not yet), 「abc」 → 「目標値：数値を入力してください」 (acceptance check 5).
    pub fn from_form(
        name: &str,
        kind: ProjectKpiKind,
        unit: &str,
        direction: Direction,
        target: &str,
        actual: &str,
    ) -> Result<Self, PartnershipRuleError> {
        required(NAME, name)?;
        let optional = |field: Field, typed: &str| -> Result<Option<Decimal>, PartnershipRuleError> {
            if typed.trim().is_empty() { Ok(None) } else { Decimal::parse(field, typed).map(Some) }
        };
        Ok(Self {
            name: name.trim().to_owned(),
            kind,
            unit: unit.trim().to_owned(),
            baseline: None,
            target: optional(TARGET, target)?,
            direction,
            actual: optional(ACTUAL, actual)?,
        })
    }

    /// 達成 (computed, §2.6): `None` until both target and actual exist.
    pub fn achieved(&self) -> Option<bool> {
        Some(self.direction.met(self.actual?.as_ratio(), self.target?.as_ratio()))
    }
}

/// 当初目標の評価 (one project's KPIs summed up for 成功率): only KPIs with a target and an actual
/// count as evaluated, so a KPI never measured neither passes nor fails the project silently.
pub fn evaluated(kpis: &[ProjectKpi]) -> EvaluatedKpis {
    let results: Vec<bool> = kpis.iter().filter_map(ProjectKpi::achieved).collect();
    EvaluatedKpis { met: results.iter().filter(|m| **m).count() as u32, evaluated: results.len() as u32 }
}

/// 当初目標をすべて達成 (initial_goals_met, §2.9): every KPI with a target was measured and met.
/// A KPI with a target but no actual means the goals are not shown to be met.
pub fn initial_goals_met(kpis: &[ProjectKpi]) -> bool {
    let with_target: Vec<_> = kpis.iter().filter(|k| k.target.is_some()).collect();
    !with_target.is_empty() && with_target.iter().all(|k| k.achieved() == Some(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::governance::{ProjectStage, ensure_can_sign};

    fn kpi(target: &str, actual: &str, direction: Direction) -> ProjectKpi {
        ProjectKpi::from_form("見守り対象世帯数", ProjectKpiKind::Output, "世帯", direction, target, actual).unwrap()
    }

    #[test]
    fn achievement_and_goals() {
        assert_eq!(kpi("100", "100", Direction::AtLeast).achieved(), Some(true));
        assert_eq!(kpi("100", "99.9", Direction::AtLeast).achieved(), Some(false));
        assert_eq!(kpi("10", "10", Direction::AtMost).achieved(), Some(true));
        assert_eq!(kpi("100", "", Direction::AtLeast).achieved(), None);
        let ks =
            [kpi("100", "120", Direction::AtLeast), kpi("5", "7", Direction::AtMost), kpi("", "", Direction::AtLeast)];
        assert_eq!(evaluated(&ks), EvaluatedKpis { met: 1, evaluated: 2 });
        assert!(!initial_goals_met(&ks));
        assert!(initial_goals_met(&ks[..1]));
        assert!(!initial_goals_met(&[kpi("100", "", Direction::AtLeast)]));
        assert!(!initial_goals_met(&[]));
    }

    /// Acceptance check 5 and the R6 gate fed from the form.
    #[test]
    fn form_errors_and_gate() {
        let e = ProjectKpi::from_form("利用者数", ProjectKpiKind::Outcome, "人", Direction::AtLeast, "abc", "")
            .unwrap_err();
        assert_eq!(e.to_string(), "目標値：数値を入力してください");
        assert_eq!(e.message_en(), "target: enter a number (\"abc\")");
        let e = ProjectKpi::from_form(" ", ProjectKpiKind::Outcome, "人", Direction::AtLeast, "1", "").unwrap_err();
        assert_eq!(e.to_string(), "「KPI名」が入力されていません");
        let ks = [kpi("", "", Direction::AtLeast)];
        let targets: Vec<_> = ks.iter().map(|k| k.target).collect();
        assert!(ensure_can_sign(ProjectStage::Planning, &targets).is_err());
    }
}
