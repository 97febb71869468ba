//! 状態遷移 (lifecycles) that carry rules: the 自治体DXアクセラレータ status (spec §2.3, line 129,
//! 170, 471–474) and the recruitment pipeline (spec §2.6 and R13, line 347–349, 384–388).

use crate::accelerator::Verdict;
use crate::error::TalentRuleError;
use serde::Serialize;

/// アクセラレータの状態 (spec §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AcceleratorStatus {
    /// 未確認
    Unchecked,
    /// 要件充足
    Met,
    /// 要判断
    NeedsJudgement,
    /// 要件不充足
    NotMet,
    /// 推薦済 (by the prefecture, line 471)
    Recommended,
    /// 任命済 (by 総務省, line 170, 473)
    Appointed,
    /// 任命終了
    AppointmentEnded,
}

impl AcceleratorStatus {
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Unchecked => "未確認",
            Self::Met => "要件充足",
            Self::NeedsJudgement => "要判断",
            Self::NotMet => "要件不充足",
            Self::Recommended => "推薦済",
            Self::Appointed => "任命済",
            Self::AppointmentEnded => "任命終了",
        }
    }

    fn from_verdict(v: Verdict) -> Self {
        match v {
            Verdict::Met => Self::Met,
            Verdict::NeedsJudgement => Self::NeedsJudgement,
            Verdict::NotMet => Self::NotMet,
        }
    }
}

/// アクセラレータの操作.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AcceleratorEvent {
    /// 要件確認 with its verdict ([`crate::accelerator::check`]).
    Checked(Verdict),
    /// ①ウの判断を記録 and the verdict of the check that follows.
    JudgementRecorded(Verdict),
    /// 県が推薦
    Recommend,
    /// 総務省が任命
    Appoint,
    /// 任命終了
    EndAppointment,
}

impl AcceleratorEvent {
    fn name_ja(self) -> &'static str {
        match self {
            Self::Checked(_) => "要件確認",
            Self::JudgementRecorded(_) => "①ウの判断の記録",
            Self::Recommend => "推薦",
            Self::Appoint => "任命",
            Self::EndAppointment => "任命終了",
        }
    }
}

/// The next accelerator status. A recommendation needs the latest check to be 要件充足 and is
/// refused with 「要件を満たしていないため推薦できません」 otherwise (spec §2.3, acceptance check 1).
pub fn next_accelerator_status(
    from: AcceleratorStatus,
    event: AcceleratorEvent,
) -> Result<AcceleratorStatus, TalentRuleError> {
    use AcceleratorEvent as E;
    use AcceleratorStatus as S;
    let refused = Err(TalentRuleError::InvalidTransition { from: from.name_ja(), action: event.name_ja() });
    match (from, event) {
        // Checks may be repeated until the person is recommended (e.g. more months of experience).
        (S::Unchecked | S::Met | S::NeedsJudgement | S::NotMet, E::Checked(v)) => Ok(S::from_verdict(v)),
        // A judgement of ウ settles ①, so it cannot leave the person in 要判断.
        (S::NeedsJudgement, E::JudgementRecorded(v)) if v != Verdict::NeedsJudgement => Ok(S::from_verdict(v)),
        (S::Met, E::Recommend) => Ok(S::Recommended),
        (S::Unchecked | S::NeedsJudgement | S::NotMet, E::Recommend) => {
            Err(TalentRuleError::NotEligibleForRecommendation)
        }
        (S::Recommended, E::Appoint) => Ok(S::Appointed),
        (S::Appointed, E::EndAppointment) => Ok(S::AppointmentEnded),
        _ => refused,
    }
}

/// 選考段階 (spec §2.6), in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Stage {
    /// 応募
    Applied,
    /// 書類選考
    DocumentScreening,
    /// 面接
    Interview,
    /// 内定
    Offer,
    /// 採用
    Hired,
    /// 行政研修（自治大学校等, line 359–363）
    AdminTraining,
    /// 配置（プール）
    Placed,
    /// 不採用
    Rejected,
    /// 辞退
    Declined,
}

impl Stage {
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Applied => "応募",
            Self::DocumentScreening => "書類選考",
            Self::Interview => "面接",
            Self::Offer => "内定",
            Self::Hired => "採用",
            Self::AdminTraining => "行政研修",
            Self::Placed => "配置",
            Self::Rejected => "不採用",
            Self::Declined => "辞退",
        }
    }

    fn is_final(self) -> bool {
        matches!(self, Self::Placed | Self::Rejected | Self::Declined)
    }
}

/// How a missing 面接 is treated (spec R13: default warning, setting refuse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum InterviewPolicy {
    #[default]
    Warn,
    Refuse,
}

/// An accepted stage change with its warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageMove {
    pub to: Stage,
    pub warnings: Vec<String>,
}

/// Moves an application whose stages so far are `history` (oldest first; empty = not yet 応募)
/// to `to`. Forward moves may skip steps, but reaching 内定 or later without 面接 recorded breaks
/// 「面接等による選考」 (line 385–387): a warning by default, refused under [`InterviewPolicy::Refuse`].
pub fn advance_application(
    history: &[Stage],
    to: Stage,
    policy: InterviewPolicy,
) -> Result<StageMove, TalentRuleError> {
    let current = history.last().copied();
    let refused = |from: Option<Stage>| TalentRuleError::InvalidTransition {
        from: from.map_or("未応募", Stage::name_ja),
        action: to.name_ja(),
    };
    match current {
        None if to != Stage::Applied => return Err(refused(None)),
        Some(c) if c.is_final() => return Err(refused(Some(c))),
        // 不採用・辞退 may end any open application.
        Some(_) if matches!(to, Stage::Rejected | Stage::Declined) => {
            return Ok(StageMove { to, warnings: Vec::new() });
        }
        Some(c) if to <= c => return Err(refused(Some(c))),
        _ => {}
    }
    let mut warnings = Vec::new();
    if to >= Stage::Offer && !history.contains(&Stage::Interview) {
        if policy == InterviewPolicy::Refuse {
            return Err(TalentRuleError::InterviewMissing);
        }
        warnings.push(TalentRuleError::InterviewMissing.to_string());
    }
    Ok(StageMove { to, warnings })
}

/// 募集を「採用」で終了 (R13, line 348): only with a ジョブディスクリプション.
pub fn ensure_position_can_close_as_hired(job_description: &str) -> Result<(), TalentRuleError> {
    if job_description.trim().is_empty() { Err(TalentRuleError::JobDescriptionMissing) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AcceleratorEvent as E;
    use AcceleratorStatus as S;

    /// Spec §2.3 and acceptance check 1: E3 (要判断) cannot be recommended; after ウ it can.
    #[test]
    fn accelerator_lifecycle() {
        let s = next_accelerator_status(S::Unchecked, E::Checked(Verdict::NeedsJudgement)).unwrap();
        assert_eq!(s, S::NeedsJudgement);
        let e = next_accelerator_status(s, E::Recommend).unwrap_err();
        assert_eq!(e.to_string(), "要件を満たしていないため推薦できません");
        assert!(next_accelerator_status(s, E::JudgementRecorded(Verdict::NeedsJudgement)).is_err());
        let s = next_accelerator_status(s, E::JudgementRecorded(Verdict::Met)).unwrap();
        let s = next_accelerator_status(s, E::Recommend).unwrap();
        assert_eq!(s, S::Recommended);
        let s = next_accelerator_status(s, E::Appoint).unwrap();
        assert_eq!(next_accelerator_status(s, E::EndAppointment).unwrap(), S::AppointmentEnded);
        let e = next_accelerator_status(S::Met, E::Appoint).unwrap_err();
        assert_eq!(e.to_string(), "「要件充足」の状態では「任命」はできません");
    }

    /// Spec R13: 応募 → 採用 without 面接 warns (default) or is refused (setting).
    #[test]
    fn recruitment_needs_an_interview() {
        let history = [Stage::Applied];
        let warned = advance_application(&history, Stage::Hired, InterviewPolicy::Warn).unwrap();
        assert_eq!(warned.warnings, ["面接等による選考が記録されていません"]);
        let refused = advance_application(&history, Stage::Hired, InterviewPolicy::Refuse).unwrap_err();
        assert_eq!(refused, TalentRuleError::InterviewMissing);
        let with = [Stage::Applied, Stage::DocumentScreening, Stage::Interview];
        assert!(advance_application(&with, Stage::Offer, InterviewPolicy::Refuse).unwrap().warnings.is_empty());
        assert!(advance_application(&with, Stage::Applied, InterviewPolicy::Warn).is_err());
        assert!(advance_application(&with, Stage::Declined, InterviewPolicy::Refuse).is_ok());
        assert!(
            advance_application(&[Stage::Applied, Stage::Rejected], Stage::Interview, InterviewPolicy::Warn).is_err()
        );
        assert!(advance_application(&[], Stage::Interview, InterviewPolicy::Warn).is_err());
        assert!(advance_application(&[], Stage::Applied, InterviewPolicy::Warn).is_ok());
    }

    #[test]
    fn position_needs_a_job_description() {
        let e = ensure_position_can_close_as_hired(" ").unwrap_err();
        assert_eq!(e.to_string(), "ジョブディスクリプションを作成してください");
        assert!(ensure_position_can_close_as_hired("管内市町村の標準化移行を支援する").is_ok());
    }
}
