//! 手引きの事例 (the guide's examples, Q3-7, Q4-3, Q4-4) as rule sets.
//!
//! These are starting points for a 発注者 drafting its own 地域要件; every
//! threshold stays editable because the result is plain data.

use super::{Area, Locality, OfficeKind, Quorum, Rule, Task};

use OfficeKind::{Branch, HeadOffice, SalesOffice};

fn city(name: &str, kinds: &[OfficeKind]) -> Locality {
    Locality { area: Area::Municipalities(vec![name.to_string()]), kinds: kinds.to_vec() }
}

fn pref(name: &str, kinds: &[OfficeKind]) -> Locality {
    Locality { area: Area::Prefecture(name.to_string()), kinds: kinds.to_vec() }
}

/// 新潟県三条市: 「構成企業は市内企業（本店又は営業所）※ただし、コンサルは県内業者
/// （本社、本店又は営業所）」 (Q4-3; Q3-7 writes 本社、本店又は営業所 for both).
pub fn sanjo() -> Vec<Rule> {
    vec![Rule::Location {
        local: city("三条市", &[HeadOffice, SalesOffice]),
        quorum: Quorum::All,
        consultant_exception: Some(pref("新潟県", &[HeadOffice, SalesOffice])),
    }]
}

/// 秋田県大館市: 「構成企業等は市内企業（本社、本店又は営業所）」 (Q4-3).
pub fn odate() -> Vec<Rule> {
    vec![Rule::Location {
        local: city("大館市", &[HeadOffice, SalesOffice]),
        quorum: Quorum::All,
        consultant_exception: None,
    }]
}

/// 東京都府中市: 「構成企業等は都内企業（本店又は支店）」「１社以上は市内企業（本店）」
/// 「市内企業の合計出資比率は25％以上」 (Q4-3).
pub fn fuchu() -> Vec<Rule> {
    vec![
        Rule::Location {
            local: pref("東京都", &[HeadOffice, Branch]),
            quorum: Quorum::All,
            consultant_exception: None,
        },
        Rule::Location {
            local: city("府中市", &[HeadOffice]), quorum: Quorum::AtLeast(1), consultant_exception: None
        },
        Rule::InvestmentShare { local: city("府中市", &[HeadOffice]), min_pct: 25.0 },
    ]
}

/// 三重県明和町: 「50％以上の金額に該当する業務を町内企業が履行（本店）」
/// 「※対象とする契約金額は、共通業務、巡回業務を除く」 (Q4-3), 「再委託含む」 (Q3-7).
/// There is no location rule: 「参加資格要件としての地域要件は無し」.
pub fn meiwa() -> Vec<Rule> {
    vec![Rule::PerformanceShare {
        local: city("明和町", &[HeadOffice]),
        min_pct: 50.0,
        excluded: vec![Task::Common, Task::Patrol],
    }]
}

/// 奈良県 橿原市・大和高田市・明日香村: 「すべてで入札参加資格を有すること」 (Q4-4).
pub fn kashihara_yamatotakada_asuka() -> Vec<Rule> {
    vec![Rule::Registration {
        municipalities: ["橿原市", "大和高田市", "明日香村"].map(String::from).to_vec(),
        quorum: Quorum::All,
    }]
}

/// 島根県益田市ほか: 「構成企業は域内業者（本店）※JVの場合は１者以上」
/// 「過去10年で、域内いずれかの自治体で橋梁点検の受注実績 ※JVの場合は１者以上」 (Q4-4).
///
/// The guide does not name the other municipalities, so the area is a parameter;
/// `this_year` fixes the 10-year window (records from `this_year − 10` count).
pub fn masuda_area(municipalities: Vec<String>, this_year: i32) -> Vec<Rule> {
    let area = Area::Municipalities(municipalities);
    vec![
        Rule::Location {
            local: Locality { area: area.clone(), kinds: vec![HeadOffice] },
            quorum: Quorum::AtLeast(1),
            consultant_exception: None,
        },
        Rule::TrackRecord {
            area,
            field: Some("橋梁点検".into()),
            since_year: Some(this_year - 10),
            quorum: Quorum::AtLeast(1),
        },
    ]
}

/// 長崎県 波佐見町・東彼杵町: 「両町へ指名願いを提出していること」「県内の実績を有すること」 (Q4-4).
/// The guide does not say whether every JV member needs the record; one suffices here.
pub fn hasami_higashisonogi() -> Vec<Rule> {
    vec![
        Rule::Registration { municipalities: vec!["波佐見町".into(), "東彼杵町".into()], quorum: Quorum::All },
        Rule::TrackRecord {
            area: Area::Prefecture("長崎県".into()),
            field: None,
            since_year: None,
            quorum: Quorum::AtLeast(1),
        },
    ]
}
