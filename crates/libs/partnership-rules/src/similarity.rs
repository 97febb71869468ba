//! 類似案件の検索 (Japanese similarity search), spec R1 (line 286: 「類似案件の処理効率化」), §2.4
//! (matching shown as a transparent score with reasons, line 362–365), §7.4, acceptance check 10.
//!
//! Japanese has no spaces between words, so text is cut into character bigrams (the same shape
//! as the bigram index table the spec plans for SQLite and PostgreSQL alike), weighted by TF-IDF
//! over the records searched, and compared by cosine. The reason shown is the shared text itself:
//! consecutive shared bigrams of the query are joined back into runs such as 「保育施設」, which a
//! person can check at a glance. Everything iterates in sorted order, so equal inputs give equal
//! scores and ties fall back to the record id.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// 文字の正規化 (NFKC-like width folding by hand, no crate): 全角英数記号 → 半角, 半角カナ → 全角
/// (with ﾞ ﾟ composed), 全角スペース → space, ASCII lower-cased. Staff and residents mix widths
/// freely (「ＩｏＴ」「IoT」「ｼｽﾃﾑ」), and without this they would never match.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FF61}'..='\u{FF9F}' => {
                let full = halfwidth_kana(c);
                if let Some(prev) = out.pop() {
                    match compose(prev, full) {
                        Some(composed) => {
                            out.push(composed);
                            continue;
                        }
                        None => out.push(prev),
                    }
                }
                full
            }
            c => c,
        };
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// 半角カナ → 全角 (U+FF61–U+FF9F, in JIS X 0201 order).
fn halfwidth_kana(c: char) -> char {
    const TABLE: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";
    let i = (c as u32 - 0xFF61) as usize;
    TABLE.chars().nth(i).unwrap_or(c)
}

/// カ + ゛ → ガ, ハ + ゜ → パ, ウ + ゛ → ヴ; `None` when the mark does not combine.
fn compose(prev: char, mark: char) -> Option<char> {
    let p = prev as u32;
    match mark {
        '゛' if "カキクケコサシスセソタチツテトハヒフヘホ".contains(prev) => char::from_u32(p + 1),
        '゛' if prev == 'ウ' => Some('ヴ'),
        '゜' if "ハヒフヘホ".contains(prev) => char::from_u32(p + 2),
        _ => None,
    }
}

/// Whitespace and punctuation end a run of text: no bigram spans 「、」 or a space.
fn is_break(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        // 「ー」 is not here: it is part of katakana words (サービス, データ).
        || "、。・「」『』（）【】〔〕［］｛｝〈〉《》…‥〜～－―‐".contains(c)
}

/// The normalised text as runs of characters between breaks.
fn segments(text: &str) -> Vec<Vec<char>> {
    let mut segs = vec![Vec::new()];
    for c in normalize(text).chars() {
        if is_break(c) {
            if segs.last().is_some_and(|s| !s.is_empty()) {
                segs.push(Vec::new());
            }
        } else if let Some(s) = segs.last_mut() {
            s.push(c);
        }
    }
    segs.retain(|s| !s.is_empty());
    segs
}

/// 語（文字bigram） and their counts; a one-character run counts as itself.
fn terms(text: &str) -> BTreeMap<String, u32> {
    let mut tf = BTreeMap::new();
    for seg in segments(text) {
        if seg.len() == 1 {
            *tf.entry(seg[0].to_string()).or_insert(0) += 1;
        }
        for w in seg.windows(2) {
            *tf.entry(w.iter().collect::<String>()).or_insert(0) += 1;
        }
    }
    tf
}

/// 検索対象 (a record: its id and its searchable text, e.g. title + body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub text: String,
}

/// 類似度の索引 (the records to search, with their term counts and document frequencies).
#[derive(Debug, Clone)]
pub struct SimilarityIndex {
    docs: Vec<(String, BTreeMap<String, u32>)>,
    df: BTreeMap<String, u32>,
}

/// 類似案件 (one hit): score 0–1 and the shared text as the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarHit {
    pub id: String,
    /// Cosine of the TF-IDF vectors, 0 (nothing shared) to 1 (same terms).
    pub score: f64,
    /// 共通する語, in the order they appear in the query.
    pub shared_terms: Vec<String>,
    /// 「共通する語：保育施設、マッチングシステム、導入」
    pub reason_ja: String,
}

impl SimilarityIndex {
    pub fn new(docs: &[Document]) -> Self {
        let docs: Vec<(String, BTreeMap<String, u32>)> = docs.iter().map(|d| (d.id.clone(), terms(&d.text))).collect();
        let mut df = BTreeMap::new();
        for (_, tf) in &docs {
            for t in tf.keys() {
                *df.entry(t.clone()).or_insert(0u32) += 1;
            }
        }
        Self { docs, df }
    }

    /// Smoothed IDF: a term in every record still weighs 1, so a corpus of one still matches.
    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64;
        let df = f64::from(self.df.get(term).copied().unwrap_or(0));
        ((1.0 + n) / (1.0 + df)).ln() + 1.0
    }

    fn weights(&self, tf: &BTreeMap<String, u32>) -> (BTreeMap<String, f64>, f64) {
        let w: BTreeMap<String, f64> = tf.iter().map(|(t, n)| (t.clone(), f64::from(*n) * self.idf(t))).collect();
        let norm = w.values().map(|x| x * x).sum::<f64>().sqrt();
        (w, norm)
    }

    /// 類似案件の一覧: records scoring at least `min_score`, best first, ties by id; at most `limit`;
    /// `exclude` leaves out the record being entered itself.
    pub fn search(&self, query: &str, exclude: Option<&str>, min_score: f64, limit: usize) -> Vec<SimilarHit> {
        let (qw, qnorm) = self.weights(&terms(query));
        if qnorm == 0.0 {
            return Vec::new();
        }
        let mut hits: Vec<SimilarHit> = Vec::new();
        for (id, tf) in &self.docs {
            if exclude == Some(id.as_str()) {
                continue;
            }
            let (dw, dnorm) = self.weights(tf);
            if dnorm == 0.0 {
                continue;
            }
            let dot: f64 = qw.iter().filter_map(|(t, w)| dw.get(t).map(|d| w * d)).sum();
            let score = (dot / (qnorm * dnorm)).clamp(0.0, 1.0);
            if score > 0.0 && score >= min_score {
                let shared = shared_terms(query, &tf.keys().cloned().collect());
                let reason_ja = format!("共通する語：{}", shared.join("、"));
                hits.push(SimilarHit { id: id.clone(), score, shared_terms: shared, reason_ja });
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        hits
    }
}

/// Consecutive shared bigrams of the query joined into runs: 「保育施設」「マッチングシステム」「導入」.
pub fn shared_terms(query: &str, other_terms: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for seg in segments(query) {
        if seg.len() == 1 {
            let t = seg[0].to_string();
            if other_terms.contains(&t) && !out.contains(&t) {
                out.push(t);
            }
            continue;
        }
        let shared: Vec<bool> = seg.windows(2).map(|w| other_terms.contains(&w.iter().collect::<String>())).collect();
        let mut i = 0;
        while i < shared.len() {
            if !shared[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < shared.len() && shared[i] {
                i += 1;
            }
            let run: String = seg[start..=i].iter().collect();
            if !out.contains(&run) {
                out.push(run);
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "similarity_tests.rs"]
mod tests;
