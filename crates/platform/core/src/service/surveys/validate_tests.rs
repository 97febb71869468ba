//! Unit tests of answer and question validation (the service relies on these rules).
use super::*;
use proptest::prelude::*;
use serde_json::json;

fn choices(keys: &[&str]) -> Vec<Choice> {
    keys.iter().map(|k| Choice { key: (*k).into(), label: format!("{k}号室") }).collect()
}

fn q(id: i64, code: &str, kind: QuestionKind, required: bool) -> Question {
    Question {
        id,
        survey_id: 1,
        position: id as i32,
        code: code.into(),
        kind,
        label: format!("設問{code}"),
        required,
        options: if kind.has_options() { choices(&["a", "b", "c", "d"]) } else { vec![] },
        min: None,
        max: None,
        rank_depth: (kind == QuestionKind::Ranked).then_some(3),
        personal: false,
    }
}

fn answers(v: serde_json::Value) -> Answers {
    serde_json::from_value(v).unwrap()
}

fn problems(e: Error) -> Vec<FieldProblem> {
    match e {
        Error::Invalid(ps) => ps,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn choices_and_ranks_are_checked() {
    let qs = vec![
        q(1, "class", QuestionKind::Single, true),
        q(2, "needs", QuestionKind::Multiple, false),
        q(3, "units", QuestionKind::Ranked, true),
    ];
    let ok = check_answers(
        &qs,
        &answers(json!({"class": "a", "needs": ["b", "c"], "units": ["c", "a", ""]})),
        "A棟 101号室",
    )
    .unwrap();
    assert_eq!(ok, vec![(1, json!("a")), (2, json!(["b", "c"])), (3, json!(["c", "a"]))]);

    let e = problems(
        check_answers(
            &qs,
            &answers(json!({"class": "z", "needs": ["b", "b"], "units": ["a", "b", "a"]})),
            "A棟 101号室",
        )
        .unwrap_err(),
    );
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].label.ja, "設問class");
    assert!(
        e[0].message.ja.contains("選択肢にない値です（z）") && e[0].message.ja.contains("A棟 101号室"),
        "{:?}",
        e[0]
    );
    assert!(e[1].message.ja.contains("2回"));
    assert!(e[2].message.ja.contains("第3希望と第1希望が同じ"), "{:?}", e[2]);
}

#[test]
fn ranks_beyond_depth_gaps_and_missing_required_are_refused() {
    let qs = vec![q(3, "units", QuestionKind::Ranked, true)];
    let too_many = problems(check_answers(&qs, &answers(json!({"units": ["a", "b", "c", "d"]})), "x").unwrap_err());
    assert!(too_many[0].message.ja.contains("第3希望まで"));
    let gap = problems(check_answers(&qs, &answers(json!({"units": ["a", "", "c"]})), "x").unwrap_err());
    assert!(gap[0].message.ja.contains("第2希望が空欄"));
    let missing = problems(check_answers(&qs, &answers(json!({"units": ["", ""]})), "x").unwrap_err());
    assert!(missing[0].message.ja.contains("回答が必要です"));
}

#[test]
fn numbers_dates_yes_no_and_unknown_codes() {
    let mut n = q(1, "size", QuestionKind::Number, true);
    n.min = Some(1.0);
    n.max = Some(10.0);
    let qs = vec![n, q(2, "when", QuestionKind::Date, false), q(3, "parking", QuestionKind::YesNo, false)];
    let ok =
        check_answers(&qs, &answers(json!({"size": "３", "when": "令和7年4月1日", "parking": "はい"})), "x").unwrap();
    assert_eq!(ok, vec![(1, json!(3)), (2, json!("2025-04-01")), (3, json!(true))]);
    let e = problems(
        check_answers(&qs, &answers(json!({"size": 11, "when": "昨日", "parking": "たぶん", "extra": 1})), "x")
            .unwrap_err(),
    );
    let fields: Vec<&str> = e.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, vec!["extra", "size", "when", "parking"]);
    assert!(e[1].message.ja.contains("10以下"));
}

#[test]
fn question_definitions_are_checked() {
    let bad = NewQuestion {
        code: "units".into(),
        kind: "ranked".into(),
        label: "希望住戸".into(),
        options: choices(&["a", "a"]),
        rank_depth: Some(5),
        ..Default::default()
    };
    let ps = problems(check_question(&bad, &[]).unwrap_err());
    let fields: Vec<&str> = ps.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, vec!["options", "rank_depth"]);
    let dup = NewQuestion {
        code: "size".into(),
        kind: "number".into(),
        label: "世帯人員".into(),
        min: Some(1.0),
        ..Default::default()
    };
    assert!(check_question(&dup, &["size".into()]).is_err());
    assert!(check_question(&dup, &[]).is_ok());
    let opts_on_text = NewQuestion {
        code: "t".into(),
        kind: "text".into(),
        label: "x".into(),
        options: choices(&["a"]),
        ..Default::default()
    };
    assert!(check_question(&opts_on_text, &[]).is_err());
    assert!(
        check_question(
            &NewQuestion { code: "x".into(), kind: "essay".into(), label: "x".into(), ..Default::default() },
            &[]
        )
        .is_err()
    );
}

proptest! {
    /// A ranked answer naming any option twice is refused, whatever the depth and order.
    #[test]
    fn ranked_answers_with_duplicates_are_always_refused(
        n in 2usize..8,
        picks in proptest::collection::vec(0usize..8, 1..7),
        dup_at in 0usize..7,
        depth_extra in 0u32..3,
    ) {
        let keys: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
        let mut ranked: Vec<String> = picks.iter().map(|p| keys[p % n].clone()).collect();
        let copy = ranked[dup_at % ranked.len()].clone();
        ranked.insert((dup_at + 1).min(ranked.len()), copy);
        let question = Question {
            id: 1, survey_id: 1, position: 1, code: "r".into(), kind: QuestionKind::Ranked, label: "希望".into(), required: false,
            options: keys.iter().map(|k| Choice { key: k.clone(), label: k.clone() }).collect(), min: None, max: None,
            rank_depth: Some((ranked.len() as u32).saturating_sub(depth_extra).max(1)), personal: false,
        };
        prop_assert!(check_value(&question, &serde_json::json!(ranked)).is_err());
    }
}
