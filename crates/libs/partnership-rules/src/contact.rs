//! 窓口受付の流れ (the one-stop window's reception lifecycle), spec §2.1 and R1; seed lines 283–290.
//!
//! 受付 → 回付済 → 検討中 → 回答済 → 成約 → 事業化, with 取下げ from anything before 成約. Only the window
//! answers, so the proposer hears one voice (line 285); answering needs an answer text, and 不採択
//! needs a reason, because a company that took the trouble to propose is owed one (spec §6).

use crate::error::{Field, PartnershipRuleError, required};
use serde::Serialize;

/// 受付の状態.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ContactStatus {
    /// 受付
    Received,
    /// 回付済
    Routed,
    /// 検討中
    UnderReview,
    /// 回答済
    Answered(Answer),
    /// 成約
    Agreed,
    /// 事業化
    Launched,
    /// 取下げ
    Withdrawn,
}

/// 回答区分 (spec §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Answer {
    /// 採択
    Adopted,
    /// 不採択
    Rejected,
    /// 継続協議
    ContinuedTalks,
    /// 情報提供のみ
    InformationOnly,
}

impl Answer {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Adopted => "採択",
            Self::Rejected => "不採択",
            Self::ContinuedTalks => "継続協議",
            Self::InformationOnly => "情報提供のみ",
        }
    }
}

impl ContactStatus {
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Received => "受付",
            Self::Routed => "回付済",
            Self::UnderReview => "検討中",
            Self::Answered(_) => "回答済",
            Self::Agreed => "成約",
            Self::Launched => "事業化",
            Self::Withdrawn => "取下げ",
        }
    }
}

/// 操作 (what someone does to a reception).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactAction {
    /// 回付 [窓口]: to one or more departments; the record stays one (R1).
    Route { departments: usize },
    /// 検討開始 (a routed department starts)
    StartReview,
    /// 回答 [窓口]
    Answer { answer: Answer, text: String, reason: String },
    /// 協定締結 (only after 採択)
    Agree,
    /// 事業開始
    Launch,
    /// 取下げ [提案者 or 窓口]
    Withdraw,
}

/// 操作する人の立場.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// 窓口（官民連携推進室）
    Window,
    /// 回付先の部署 (adds 所見 only)
    RoutedDepartment,
    /// 提案者
    Proposer,
}

/// The next status, or why not. A department may start its review but never answer (line 285).
pub fn transition(
    status: ContactStatus,
    action: &ContactAction,
    actor: Actor,
) -> Result<ContactStatus, PartnershipRuleError> {
    use ContactStatus as S;
    let refuse = |action: &'static str| PartnershipRuleError::InvalidTransition { from: status.label_ja(), action };
    match action {
        ContactAction::Route { departments } => {
            if actor != Actor::Window {
                return Err(refuse("回付"));
            }
            if *departments == 0 {
                return Err(PartnershipRuleError::Missing { field: Field::new("回付先", "departments routed to") });
            }
            match status {
                S::Received | S::Routed | S::UnderReview => Ok(if status == S::Received { S::Routed } else { status }),
                _ => Err(refuse("回付")),
            }
        }
        ContactAction::StartReview => match (status, actor) {
            (S::Routed, Actor::RoutedDepartment | Actor::Window) => Ok(S::UnderReview),
            _ => Err(refuse("検討開始")),
        },
        ContactAction::Answer { answer, text, reason } => {
            if actor != Actor::Window {
                return Err(refuse("回答"));
            }
            if !matches!(status, S::Routed | S::UnderReview | S::Answered(Answer::ContinuedTalks)) {
                return Err(refuse("回答"));
            }
            required(Field::new("回答内容", "answer text"), text)?;
            if *answer == Answer::Rejected {
                required(Field::new("不採択の理由", "reason for rejection"), reason)?;
            }
            Ok(S::Answered(*answer))
        }
        ContactAction::Agree => match status {
            S::Answered(Answer::Adopted) if actor == Actor::Window => Ok(S::Agreed),
            _ => Err(refuse("成約")),
        },
        ContactAction::Launch => match status {
            S::Agreed if actor == Actor::Window => Ok(S::Launched),
            _ => Err(refuse("事業化")),
        },
        ContactAction::Withdraw => match (status, actor) {
            (_, Actor::RoutedDepartment) => Err(refuse("取下げ")),
            (S::Agreed | S::Launched | S::Withdrawn, _) => Err(refuse("取下げ")),
            _ => Ok(S::Withdrawn),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(answer: Answer, reason: &str) -> ContactAction {
        ContactAction::Answer {
            answer, text: "ご提案ありがとうございました。".into(), reason: reason.into()
        }
    }

    #[test]
    fn the_happy_path() {
        let mut s = ContactStatus::Received;
        s = transition(s, &ContactAction::Route { departments: 2 }, Actor::Window).unwrap();
        assert_eq!(s, ContactStatus::Routed);
        s = transition(s, &ContactAction::StartReview, Actor::RoutedDepartment).unwrap();
        s = transition(s, &answer(Answer::Adopted, ""), Actor::Window).unwrap();
        s = transition(s, &ContactAction::Agree, Actor::Window).unwrap();
        s = transition(s, &ContactAction::Launch, Actor::Window).unwrap();
        assert_eq!(s, ContactStatus::Launched);
        let e = transition(s, &ContactAction::Withdraw, Actor::Proposer).unwrap_err();
        assert_eq!(e.to_string(), "「事業化」の状態では「取下げ」はできません");
    }

    #[test]
    fn only_the_window_answers_and_rejections_need_a_reason() {
        let s = ContactStatus::UnderReview;
        let e = transition(s, &answer(Answer::Adopted, ""), Actor::RoutedDepartment).unwrap_err();
        assert_eq!(e.to_string(), "「検討中」の状態では「回答」はできません");
        let e = transition(s, &answer(Answer::Rejected, " "), Actor::Window).unwrap_err();
        assert_eq!(e.to_string(), "「不採択の理由」が入力されていません");
        let empty = ContactAction::Answer { answer: Answer::Adopted, text: "".into(), reason: "".into() };
        assert_eq!(transition(s, &empty, Actor::Window).unwrap_err().to_string(), "「回答内容」が入力されていません");
        assert!(transition(s, &answer(Answer::Rejected, "予算の見込みがないため"), Actor::Window).is_ok());
        // 継続協議 may be answered again; 成約 needs 採択.
        let talks = ContactStatus::Answered(Answer::ContinuedTalks);
        assert!(transition(talks, &answer(Answer::Adopted, ""), Actor::Window).is_ok());
        assert!(transition(talks, &ContactAction::Agree, Actor::Window).is_err());
        assert!(transition(ContactStatus::Received, &ContactAction::Route { departments: 0 }, Actor::Window).is_err());
        assert!(transition(ContactStatus::Received, &ContactAction::Withdraw, Actor::Proposer).is_ok());
    }
}
