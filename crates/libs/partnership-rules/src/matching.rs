//! マッチング候補 (matching a local issue to resources, proposals or partners), spec §2.4, seed
//! lines 362–365 (スマートマッチング), 516–519 (江東区: 施設・人材・資金 with a coordinator).
//!
//! The seed's 「AIを活用」「学習」 is left for later (spec §2.4); what is built is a transparent score
//! a coordinator can question: text similarity ([`crate::similarity`]) plus same 分野, same 地域 and
//! the provider's past 成立 rate, each line with its reason. The weights are a setting; the
//! defaults are a starting point, not from the seed.

use crate::error::PartnershipRuleError;
use crate::similarity::{Document, SimilarityIndex};
use serde::Serialize;

/// 重み (points out of 100 for each part of the score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MatchWeights {
    /// 内容の類似 (text)
    pub text: u32,
    /// 分野が同じ
    pub field: u32,
    /// 地域が同じ
    pub area: u32,
    /// 提供者の過去の成立率
    pub track_record: u32,
}

impl Default for MatchWeights {
    fn default() -> Self {
        Self { text: 60, field: 20, area: 10, track_record: 10 }
    }
}

impl MatchWeights {
    /// The weights must add up to 100 so that a score reads as points out of 100.
    pub fn validate(&self) -> Result<(), PartnershipRuleError> {
        let total = self.text + self.field + self.area + self.track_record;
        if total == 100 { Ok(()) } else { Err(PartnershipRuleError::WeightsNot100 { total }) }
    }
}

/// マッチングの対象 (an issue, or a candidate resource / proposal / partner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchSubject {
    pub id: String,
    /// 件名と内容
    pub text: String,
    /// 分野 (子育て・防災・観光 …; line 372, 486, 552)
    pub field: Option<String>,
    /// 地域
    pub area: Option<String>,
    /// 提供者の過去の（成立件数, マッチング件数）; candidates only.
    pub past_matches: Option<(u32, u32)>,
}

/// マッチング候補 (one candidate with its score out of 100 and every reason).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchCandidate {
    pub id: String,
    /// 0–100, one decimal is enough for ordering on screen.
    pub score: f64,
    pub reasons_ja: Vec<String>,
}

/// 候補の一覧 for `issue`, best first, ties by id; candidates with no reason at all are left out.
pub fn match_candidates(
    issue: &MatchSubject,
    candidates: &[MatchSubject],
    weights: &MatchWeights,
    limit: usize,
) -> Result<Vec<MatchCandidate>, PartnershipRuleError> {
    weights.validate()?;
    let docs: Vec<Document> = candidates.iter().map(|c| Document { id: c.id.clone(), text: c.text.clone() }).collect();
    let text_hits = SimilarityIndex::new(&docs).search(&issue.text, Some(&issue.id), 0.0, usize::MAX);
    let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(x), Some(y)) => !x.trim().is_empty() && x.trim() == y.trim(),
        _ => false,
    };
    let mut out = Vec::new();
    for c in candidates.iter().filter(|c| c.id != issue.id) {
        let mut score = 0.0;
        let mut reasons = Vec::new();
        if let Some(h) = text_hits.iter().find(|h| h.id == c.id) {
            score += f64::from(weights.text) * h.score;
            reasons.push(h.reason_ja.clone());
        }
        if same(&issue.field, &c.field) {
            score += f64::from(weights.field);
            reasons.push(format!("分野が同じ（{}）", c.field.as_deref().unwrap_or_default().trim()));
        }
        if same(&issue.area, &c.area) {
            score += f64::from(weights.area);
            reasons.push(format!("地域が同じ（{}）", c.area.as_deref().unwrap_or_default().trim()));
        }
        if let Some((done, all)) = c.past_matches.filter(|(d, a)| *a > 0 && d <= a) {
            score += f64::from(weights.track_record) * f64::from(done) / f64::from(all);
            reasons.push(format!("過去のマッチング成立 {done}件／{all}件"));
        }
        if !reasons.is_empty() {
            out.push(MatchCandidate { id: c.id.clone(), score: (score * 10.0).round() / 10.0, reasons_ja: reasons });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    out.truncate(limit);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(id: &str, text: &str, field: &str, area: &str, past: Option<(u32, u32)>) -> MatchSubject {
        MatchSubject {
            id: id.into(),
            text: text.into(),
            field: Some(field.into()),
            area: Some(area.into()),
            past_matches: past,
        }
    }

    #[test]
    fn issue_to_resources_with_reasons() {
        let issue = subject("I-1", "子ども食堂の会場が足りない", "子育て", "北部", None);
        let resources = [
            subject("R-1", "会議室・イベントスペースの提供（子ども食堂の会場に）", "子育て", "北部", Some((3, 4))),
            subject("R-2", "専門家ボランティアの派遣", "福祉", "北部", None),
            subject("R-3", "社会貢献活動支援金", "産業振興", "南部", Some((0, 2))),
        ];
        let got = match_candidates(&issue, &resources, &MatchWeights::default(), 10).unwrap();
        assert_eq!(got[0].id, "R-1");
        assert_eq!(
            got[0].reasons_ja[1..],
            [
                "分野が同じ（子育て）".to_owned(),
                "地域が同じ（北部）".to_owned(),
                "過去のマッチング成立 3件／4件".to_owned()
            ]
        );
        assert!(got[0].reasons_ja[0].starts_with("共通する語：子ども食堂"), "{:?}", got[0].reasons_ja);
        assert_eq!((got[1].id.as_str(), got[1].score), ("R-2", 10.0));
        // R-3 shares nothing but a 0/2 record: still listed, with score 0, so the coordinator sees it.
        assert_eq!((got[2].id.as_str(), got[2].score), ("R-3", 0.0));
    }

    #[test]
    fn weights_must_sum_to_100() {
        let w = MatchWeights { text: 50, ..Default::default() };
        let e = match_candidates(&subject("I", "a", "", "", None), &[], &w, 5).unwrap_err();
        assert_eq!(e.to_string(), "マッチングの重みの合計が100になりません（現在90）");
    }
}
