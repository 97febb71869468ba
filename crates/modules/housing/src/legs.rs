//! 移転の手順と関門 (the steps of one move and their gates), pure.
//!
//! A relocation case has one or more legs (仮移転 then 本移転). A leg's status is the furthest
//! milestone it has reached; every step is checked here against the facts of the leg before the
//! service writes anything. The gates are the seed's:
//! - keys only 「入居者から必要な提出書類の確認が出来次第」 (§8(5)ウ(エ)b(d)): every required form received;
//! - the first payment 「本移転契約締結後から移転までの間」, half of 動産移転相当額 (§8(5)ウ(オ));
//! - the remainder 「適正な退去が確認できた場合」, i.e. after vacating is confirmed;
//! - a referred mover's price at most 「県の定める移転料」 (§8(5)ウ(カ)).

use crate::domain::{Classification, FormKind};
use chrono::NaiveDate;
use serde::Serialize;

tabane_core::vocabulary! {
    /// 進捗 (status of a leg), in the seed's order of events.
    LegStatus {
        Planned = ("planned", "分類済み", "Classified"),
        FormsIssued = ("forms_issued", "書類配布済み", "Forms issued"),
        FormsComplete = ("forms_complete", "書類受領完了", "Forms complete"),
        Contracted = ("contracted", "契約締結", "Contract signed"),
        FirstPaid = ("first_paid", "1回目支払済み", "First payment made"),
        KeysHanded = ("keys_handed", "鍵渡し済み", "Keys handed over"),
        MoveScheduled = ("move_scheduled", "移転日決定", "Moving date fixed"),
        Moved = ("moved", "移転済み", "Moved"),
        Vacated = ("vacated", "退去確認済み", "Vacating confirmed"),
        RemainderPaid = ("remainder_paid", "残額支払済み", "Remainder paid"),
        Closed = ("closed", "完了", "Closed"),
        Cancelled = ("cancelled", "取消", "Cancelled"),
    }
}

tabane_core::vocabulary! {
    /// 操作 (a step on a leg).
    #[schemars(rename = "LegAction")]
    Action {
        IssueForms = ("issue_forms", "書類の配布", "Issue forms"),
        SignContract = ("sign_contract", "移転料の契約", "Sign the moving-fee contract"),
        PayFirst = ("pay_first", "1回目の支払", "Pay the first half"),
        HandKeys = ("hand_keys", "鍵渡し", "Hand over keys"),
        ScheduleMove = ("schedule_move", "移転日の決定", "Fix the moving date"),
        RecordMove = ("record_move", "移転の記録", "Record the move"),
        ConfirmVacated = ("confirm_vacated", "適正な退去の確認", "Confirm vacating"),
        PayRemainder = ("pay_remainder", "残額の支払", "Pay the remainder"),
        Close = ("close", "完了", "Close"),
        Cancel = ("cancel", "取消", "Cancel"),
    }
}

/// One form item of the leg as the gates see it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FormFact {
    pub kind: FormKind,
    pub received: bool,
    pub defect_open: bool,
}

/// What the gates need to know about a leg.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct LegFacts {
    pub kind: Option<Classification>,
    /// 移転先が決まっている (a unit for 本移転・仮移転, an address for 住宅替).
    pub has_destination: bool,
    pub forms: Vec<FormFact>,
    pub forms_issued: bool,
    pub contracted: bool,
    pub first_paid: bool,
    pub keys_handed: bool,
    pub move_scheduled: bool,
    pub moved: bool,
    pub vacated: bool,
    pub remainder_paid: bool,
    pub closed: bool,
    pub cancelled: bool,
    /// 申請口座 registered (the payments go to the household's own account).
    pub has_bank_account: bool,
    /// 移転料 and 動産移転相当額 configured for this leg.
    pub fees_set: bool,
}

/// A refusal in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub ja: String,
    pub en: String,
}

fn no(ja: impl Into<String>, en: impl Into<String>) -> Result<(), Refusal> {
    Err(Refusal { ja: ja.into(), en: en.into() })
}

impl LegFacts {
    pub fn status(&self) -> LegStatus {
        use LegStatus::*;
        if self.cancelled {
            Cancelled
        } else if self.closed {
            Closed
        } else if self.remainder_paid {
            RemainderPaid
        } else if self.vacated {
            Vacated
        } else if self.moved {
            Moved
        } else if self.move_scheduled {
            MoveScheduled
        } else if self.keys_handed {
            KeysHanded
        } else if self.first_paid {
            FirstPaid
        } else if self.contracted {
            Contracted
        } else if self.forms_issued && self.missing_forms().is_empty() {
            FormsComplete
        } else if self.forms_issued {
            FormsIssued
        } else {
            Planned
        }
    }

    /// Required forms not yet received, or received with an open defect (不備).
    pub fn missing_forms(&self) -> Vec<FormKind> {
        let Some(kind) = self.kind else { return vec![] };
        FormKind::required_for(kind)
            .iter()
            .copied()
            .filter(|k| !self.forms.iter().any(|f| f.kind == *k && f.received && !f.defect_open))
            .collect()
    }

    /// Whether the step may be taken now; the refusal says why and what is needed.
    pub fn check(&self, action: Action) -> Result<(), Refusal> {
        use Action::*;
        let kind = self.kind.unwrap_or(Classification::Main);
        if self.cancelled {
            return no("この移転は取り消されています", "This move has been cancelled");
        }
        if self.closed {
            return no("この移転は完了しています（完了した移転は取り消せません）", "This move is closed");
        }
        match action {
            IssueForms => {
                if self.forms_issued {
                    return no("書類はすでに配布しています", "Forms have already been issued");
                }
                if !self.has_destination && kind != Classification::Leave {
                    return match kind {
                        Classification::Transfer => no(
                            "住宅替え先（他の県営住宅の住所）が未登録です",
                            "The destination of the transfer is not entered",
                        ),
                        _ => no(
                            "移転先の住戸が決まっていません（抽選結果を確定するか、住戸を割り当ててください）",
                            "No destination unit yet (confirm the lottery or assign a unit)",
                        ),
                    };
                }
                Ok(())
            }
            SignContract => {
                if self.contracted {
                    return no("契約はすでに締結しています", "The contract is already signed");
                }
                if !self.forms_issued {
                    return no("先に書類を配布してください", "Issue the forms first");
                }
                if !self.fees_set {
                    return no(
                        "移転料・動産移転相当額（県が定める金額）が未設定です。事業の設定で金額を登録してください",
                        "The moving fee (set by the prefecture) is not configured",
                    );
                }
                Ok(())
            }
            PayFirst => {
                if self.first_paid {
                    return no("1回目の支払はすでに記録されています", "The first payment is already recorded");
                }
                if !self.contracted {
                    return no(
                        "1回目の支払は移転料の契約締結後に限られます（契約が未締結です）",
                        "The first payment is only allowed after the contract is signed",
                    );
                }
                if self.moved {
                    return no(
                        "1回目の支払は契約後、移転前に限られます（すでに移転済みです）",
                        "The first payment is only allowed between the contract and the move (already moved)",
                    );
                }
                if !self.has_bank_account {
                    return no(
                        "申請口座が未登録です（移転費支払いに関する書類から登録してください）",
                        "No bank account registered for the payment",
                    );
                }
                Ok(())
            }
            HandKeys => {
                if matches!(kind, Classification::Leave) {
                    return no(
                        "退去では鍵渡しはありません（鍵は退去確認で返還を受けます）",
                        "A household leaving receives no keys",
                    );
                }
                if self.keys_handed {
                    return no("鍵はすでに渡しています", "Keys have already been handed over");
                }
                let missing = self.missing_forms();
                if !missing.is_empty() {
                    let list = missing.iter().map(|k| k.label_ja()).collect::<Vec<_>>().join("、");
                    let list_en = missing.iter().map(|k| k.label_en()).collect::<Vec<_>>().join(", ");
                    return no(
                        format!("鍵を渡すには次の書類の受領が必要です：{list}"),
                        format!("Keys need these forms first: {list_en}"),
                    );
                }
                Ok(())
            }
            ScheduleMove => {
                if self.moved {
                    return no("すでに移転済みです", "Already moved");
                }
                Ok(())
            }
            RecordMove => {
                if self.moved {
                    return no("移転はすでに記録されています", "The move is already recorded");
                }
                match kind {
                    Classification::Main | Classification::Transfer if !self.contracted => {
                        no("移転の記録は移転料の契約の後です", "Record the move after the moving-fee contract")
                    }
                    Classification::Main | Classification::Transfer if !self.keys_handed => {
                        no("移転の記録は鍵渡しの後です", "Record the move after handing over the keys")
                    }
                    Classification::Temporary if !self.has_destination => {
                        no("仮住居が決まっていません", "No temporary unit decided")
                    }
                    Classification::Leave if !self.contracted => {
                        no("退去の記録は支払の契約締結後です", "Record leaving after the payment contract")
                    }
                    _ => Ok(()),
                }
            }
            ConfirmVacated => {
                if self.vacated {
                    return no("退去確認はすでに記録されています", "Vacating is already confirmed");
                }
                if !self.moved {
                    return no("退去確認は移転（退去）の後です", "Confirm vacating after the move");
                }
                Ok(())
            }
            PayRemainder => {
                if self.remainder_paid {
                    return no("残額の支払はすでに記録されています", "The remainder is already paid");
                }
                if !self.vacated {
                    return no(
                        "残額は適正な退去（残置物なし・鍵の返還）の確認後に支払えます",
                        "The remainder may be paid only after vacating is confirmed",
                    );
                }
                if !self.contracted {
                    return no("契約が未締結です", "No contract");
                }
                if !self.has_bank_account {
                    return no("申請口座が未登録です", "No bank account registered");
                }
                Ok(())
            }
            Close => {
                if !self.vacated {
                    return no("完了にするには退去確認が必要です", "Closing needs vacating confirmed");
                }
                if self.contracted && !self.remainder_paid {
                    return no("完了にするには残額の支払が必要です", "Closing needs the remainder paid");
                }
                Ok(())
            }
            Cancel => Ok(()),
        }
    }
}

/// 1回目の支払額: half of 動産移転相当額, odd yen rounded down (the seed does not say; §3 default).
pub fn first_payment(movables_yen: i64) -> i64 {
    movables_yen / 2
}

/// 残額: 移転料 − the first payment.
pub fn remainder(moving_fee_yen: i64, first_paid_yen: i64) -> i64 {
    moving_fee_yen - first_paid_yen
}

/// 引越業者の斡旋: the quote may not exceed the prefecture's fee.
pub fn check_referral(quote_yen: i64, fee_cap_yen: i64) -> Result<(), Refusal> {
    if quote_yen > fee_cap_yen {
        return no(
            format!(
                "斡旋する引越業者の料金（{}）は県の定める移転料（{}）以下でなければなりません",
                crate::domain::format_yen(quote_yen),
                crate::domain::format_yen(fee_cap_yen)
            ),
            format!(
                "The referred mover's price ({quote_yen} yen) must not exceed the prefecture's fee ({fee_cap_yen} yen)"
            ),
        );
    }
    Ok(())
}

/// 仮移転の期間 (§8(6)ア(ア)): available from the first day of the month after the 仮移転説明会,
/// for 6 months (the last day is the day before the same date 6 months on: 6/1 → 11/30).
pub fn temporary_window(briefing: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = tabane_calendar::first_of_next_month(briefing);
    let until = tabane_calendar::add_months(from, 6).pred_opt().expect("date");
    (from, until)
}

/// An extension (§8(6)エ(イ), seed line 1703): 6 more months from the current end, to the end
/// of that month. The seed sets a minimum (「6ヶ月間は延長して行い」), not a number of times.
pub fn extended_until(until: NaiveDate) -> NaiveDate {
    tabane_calendar::end_of_month(tabane_calendar::add_months(until, 6))
}

/// 現住居者の移転期限 (§1(5), §2(2)エ(イ)): 令和14年3月末.
pub fn final_move_deadline() -> NaiveDate {
    NaiveDate::from_ymd_opt(2032, 3, 31).expect("date")
}

/// 引渡し日 + at least 3 months for moving must fall by the end of 令和14年3月.
pub fn check_handover(handover: NaiveDate) -> Result<(), Refusal> {
    let end = tabane_calendar::add_months(handover, 3);
    if end > final_move_deadline() {
        return no(
            format!("引渡し日から移転のための3か月（{end}まで）が、移転期限の令和14年3月31日を過ぎます"),
            format!("Handover + 3 months ({end}) is after the moving deadline 2032-03-31"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_forms(kind: Classification) -> Vec<FormFact> {
        FormKind::required_for(kind).iter().map(|k| FormFact { kind: *k, received: true, defect_open: false }).collect()
    }

    fn ready() -> LegFacts {
        LegFacts {
            kind: Some(Classification::Main),
            has_destination: true,
            forms: all_forms(Classification::Main),
            forms_issued: true,
            contracted: true,
            has_bank_account: true,
            fees_set: true,
            ..Default::default()
        }
    }

    #[test]
    fn keys_need_every_form() {
        assert!(ready().check(Action::HandKeys).is_ok());
        for k in FormKind::required_for(Classification::Main) {
            let mut f = ready();
            f.forms.retain(|x| x.kind != *k);
            let e = f.check(Action::HandKeys).unwrap_err();
            assert!(e.ja.contains(k.label_ja()), "{}", e.ja);
            let mut g = ready();
            g.forms.iter_mut().find(|x| x.kind == *k).unwrap().defect_open = true;
            assert!(g.check(Action::HandKeys).is_err());
        }
    }

    #[test]
    fn first_payment_between_contract_and_move() {
        let mut f = ready();
        f.contracted = false;
        assert!(f.check(Action::PayFirst).unwrap_err().ja.contains("契約"));
        let mut g = ready();
        g.moved = true;
        assert!(g.check(Action::PayFirst).unwrap_err().ja.contains("移転済み"));
        assert!(ready().check(Action::PayFirst).is_ok());
        assert_eq!(first_payment(150_001), 75_000);
    }

    #[test]
    fn remainder_only_after_vacating() {
        let mut f = ready();
        f.moved = true;
        assert!(f.check(Action::PayRemainder).unwrap_err().ja.contains("退去"));
        f.vacated = true;
        assert!(f.check(Action::PayRemainder).is_ok());
        assert_eq!(remainder(200_000, 75_000), 125_000);
    }

    #[test]
    fn referral_cap_and_windows() {
        assert!(check_referral(180_000, 180_000).is_ok());
        assert!(check_referral(180_001, 180_000).is_err());
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(temporary_window(d(2027, 5, 20)), (d(2027, 6, 1), d(2027, 11, 30)));
        assert_eq!(extended_until(d(2027, 11, 30)), d(2028, 5, 31));
        assert!(check_handover(d(2031, 12, 31)).is_ok());
        assert!(check_handover(d(2032, 1, 1)).is_err());
    }

    #[test]
    fn status_follows_the_milestones() {
        let mut f = LegFacts { kind: Some(Classification::Main), has_destination: true, ..Default::default() };
        assert_eq!(f.status(), LegStatus::Planned);
        f.forms_issued = true;
        assert_eq!(f.status(), LegStatus::FormsIssued);
        f.forms = all_forms(Classification::Main);
        assert_eq!(f.status(), LegStatus::FormsComplete);
        f.contracted = true;
        f.first_paid = true;
        f.keys_handed = true;
        f.moved = true;
        assert_eq!(f.status(), LegStatus::Moved);
    }
}
