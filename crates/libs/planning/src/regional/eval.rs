//! Evaluation of each [`Rule`] into a [`Check`] with a Japanese message that
//! states the shortfall.

use super::{Check, CheckKind, Firm, Locality, Position, Quorum, Rule, Shortfall, Task};

fn members(firms: &[Firm]) -> impl Iterator<Item = &Firm> {
    firms.iter().filter(|f| f.position == Position::Member)
}

pub(super) fn evaluate_rule(firms: &[Firm], rule: &Rule) -> Check {
    match rule {
        Rule::Location { local, quorum, consultant_exception } => {
            let ok = |f: &Firm| {
                local.is_local(f) || (f.is_consultant && consultant_exception.as_ref().is_some_and(|c| c.is_local(f)))
            };
            let mut what = local.label();
            if let Some(c) = consultant_exception {
                what.push_str(&format!("（コンサルは{}で可）", c.label()));
            }
            let failing = members(firms).filter(|f| !ok(f)).map(|f| (f.name.clone(), vec![what.clone()])).collect();
            quorum_check(CheckKind::Location, "所在地要件", &what, firms, *quorum, failing)
        }
        Rule::Registration { municipalities, quorum } => {
            let failing = members(firms)
                .filter_map(|f| {
                    let missing: Vec<String> =
                        municipalities.iter().filter(|m| !f.registered_in.contains(m)).cloned().collect();
                    (!missing.is_empty()).then(|| (f.name.clone(), missing))
                })
                .collect();
            let what = format!("{}すべてで入札参加資格", municipalities.join("・"));
            quorum_check(CheckKind::Registration, "入札参加資格", &what, firms, *quorum, failing)
        }
        Rule::TrackRecord { area, field, since_year, quorum } => {
            let what = format!(
                "{}{}の{}受注実績",
                since_year.map(|y| format!("{y}年度以降に")).unwrap_or_default(),
                area.label(),
                field.as_deref().map(|f| format!("{f}の")).unwrap_or_default()
            );
            let failing = members(firms)
                .filter(|f| {
                    !f.track_records.iter().any(|t| {
                        area.contains(&t.municipality, &t.prefecture)
                            && field.as_ref().is_none_or(|x| *x == t.field)
                            && since_year.is_none_or(|y| t.year >= y)
                    })
                })
                .map(|f| (f.name.clone(), vec![what.clone()]))
                .collect();
            quorum_check(CheckKind::TrackRecord, "受注実績", &what, firms, *quorum, failing)
        }
        Rule::InvestmentShare { local, min_pct } => investment_check(firms, local, *min_pct),
        Rule::PerformanceShare { local, min_pct, excluded } => performance_check(firms, local, *min_pct, excluded),
    }
}

fn quorum_check(
    kind: CheckKind,
    title: &str,
    what: &str,
    firms: &[Firm],
    quorum: Quorum,
    failing: Vec<(String, Vec<String>)>,
) -> Check {
    let total = members(firms).count();
    let satisfied = total - failing.len();
    match quorum {
        Quorum::All if failing.is_empty() && total > 0 => {
            pass(kind, format!("{title}: 全構成員が{what}を満たしています"))
        }
        Quorum::All if total == 0 => {
            fail(kind, format!("{title}: 構成員がいません"), Shortfall::Count { actual: 0, required: 1 })
        }
        Quorum::All => {
            let list: Vec<String> = failing.iter().map(|(n, m)| format!("{n}（{}）", m.join("・"))).collect();
            fail(
                kind,
                format!("{title}: {} 社が要件を満たしていません: {}", failing.len(), list.join("、")),
                Shortfall::Members(failing),
            )
        }
        Quorum::AtLeast(n) if satisfied >= n => {
            pass(kind, format!("{title}: {what}を満たす構成員が {satisfied} 社（要件 {n} 社以上）"))
        }
        Quorum::AtLeast(n) => fail(
            kind,
            format!("{title}: {what}を満たす構成員が {satisfied} 社で、要件 {n} 社以上に {} 社不足", n - satisfied),
            Shortfall::Count { actual: satisfied, required: n },
        ),
    }
}

/// Investment percentages are entered by hand; allow this much rounding slack.
const PCT_TOLERANCE: f64 = 0.05;

fn investment_check(firms: &[Firm], local: &Locality, min_pct: f64) -> Check {
    let kind = CheckKind::InvestmentShare;
    let total: f64 = members(firms).map(|f| f.investment_pct).sum();
    if (total - 100.0).abs() > PCT_TOLERANCE {
        return fail(
            kind,
            format!("出資比率の合計が {total:.1}% で、100% になっていません"),
            Shortfall::InvestmentTotal { total_pct: total },
        );
    }
    let actual: f64 = members(firms).filter(|f| local.is_local(f)).map(|f| f.investment_pct).sum();
    let note = format!("（地元企業: {}）", local.label());
    points_check(kind, "地元企業の出資比率", actual, min_pct, note)
}

fn performance_check(firms: &[Firm], local: &Locality, min_pct: f64, excluded: &[Task]) -> Check {
    let kind = CheckKind::PerformanceShare;
    let mut base = 0u128;
    let mut by_local = 0u128;
    for f in firms {
        let is_local = local.is_local(f);
        for (task, yen) in &f.performed {
            if excluded.contains(task) {
                continue; // excluded tasks (e.g. 共通業務・巡回業務) are outside the base
            }
            base += u128::from(*yen);
            if is_local {
                by_local += u128::from(*yen);
            }
        }
    }
    let excluded_note = if excluded.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = excluded.iter().map(task_label).collect();
        format!("、{}を除く", names.join("・"))
    };
    let note = format!("（地元企業: {}、対象金額 {} 円{excluded_note}）", local.label(), yen_label(base));
    if base == 0 {
        return fail(
            kind,
            format!("地元企業の履行割合: 対象となる履行金額がありません{note}"),
            Shortfall::Points { actual_pct: 0.0, required_pct: min_pct, short_by: min_pct },
        );
    }
    let actual = by_local as f64 / base as f64 * 100.0;
    points_check(kind, "地元企業の履行割合", actual, min_pct, note)
}

fn points_check(kind: CheckKind, what: &str, actual: f64, required: f64, note: String) -> Check {
    // Compare with a tiny epsilon so that e.g. 25.000000000000004 vs 25 is not a failure.
    if actual + 1e-9 >= required {
        pass(kind, format!("{what}が {actual:.1}% で、要件 {required}% 以上を満たしています{note}"))
    } else {
        let short_by = required - actual;
        fail(
            kind,
            format!("{what}が {actual:.1}% で、要件 {required}% に {short_by:.1} ポイント不足{note}"),
            Shortfall::Points { actual_pct: actual, required_pct: required, short_by },
        )
    }
}

/// 3桁区切り (e.g. 40,000,000).
fn yen_label(v: u128) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn task_label(t: &Task) -> String {
    match t {
        Task::Common => "共通業務".into(),
        Task::Patrol => "巡回業務".into(),
        Task::Maintenance => "維持作業".into(),
        Task::Repair => "補修".into(),
        Task::Inspection => "点検".into(),
        Task::Other(s) => s.clone(),
    }
}

fn pass(kind: CheckKind, message: String) -> Check {
    Check { kind, passed: true, message, shortfall: None }
}

fn fail(kind: CheckKind, message: String, shortfall: Shortfall) -> Check {
    Check { kind, passed: false, message, shortfall: Some(shortfall) }
}
