use super::*;
use proptest::prelude::*;

fn doc(id: &str, text: &str) -> Document {
    Document { id: id.into(), text: text.into() }
}

fn corpus() -> Vec<Document> {
    vec![
        doc("2024-0031", "保育施設のマッチングシステム導入提案"),
        doc("2024-0045", "高齢者見守りIoTの実証"),
        doc("2024-0050", "公園の清掃ボランティア募集"),
        doc("2024-0061", "観光案内アプリの開発"),
        doc("2024-0072", "子ども食堂への食品提供（フードバンク）"),
        doc("2024-0080", "AI配車システムによるデマンド交通の導入"),
    ]
}

/// Acceptance check 10.
#[test]
fn acceptance_10_similar_proposal() {
    let index = SimilarityIndex::new(&corpus());
    let hits = index.search("保育施設マッチングシステムの導入", None, 0.1, 5);
    assert_eq!(hits[0].id, "2024-0031");
    assert_eq!(hits[0].shared_terms, ["保育施設", "マッチングシステム", "導入"]);
    assert_eq!(hits[0].reason_ja, "共通する語：保育施設、マッチングシステム、導入");
    assert!(hits[0].score > 0.5, "{}", hits[0].score);
    // The only other record sharing text shares 「システム」「導入」 and ranks below.
    assert!(hits.iter().skip(1).all(|h| h.score < hits[0].score));
    assert!(hits.iter().all(|h| h.id != "2024-0050"));
}

#[test]
fn widths_are_folded() {
    assert_eq!(normalize("ＩｏＴ　ｼｽﾃﾑ ﾃﾞｰﾀ ﾊﾟｰｸ"), "iot システム データ パーク");
    assert_eq!(normalize("ｳﾞｧ"), "ヴァ");
    assert_eq!(normalize("ﾞｶ"), "゛カ");
    let index = SimilarityIndex::new(&corpus());
    let hits = index.search("高齢者見守りＩｏＴ", None, 0.1, 5);
    assert_eq!(hits[0].id, "2024-0045");
    assert_eq!(hits[0].shared_terms, ["高齢者見守りiot"]);
    let hits = index.search("ﾏｯﾁﾝｸﾞ", None, 0.0, 5);
    assert_eq!(hits[0].shared_terms, ["マッチング"]);
}

#[test]
fn punctuation_breaks_terms_and_self_is_excluded() {
    let index = SimilarityIndex::new(&corpus());
    let hits = index.search("子ども食堂への食品提供（フードバンク）", Some("2024-0072"), 0.0, 10);
    assert!(hits.iter().all(|h| h.id != "2024-0072"));
    let t = terms("食堂、提供");
    assert!(!t.contains_key("堂、") && !t.contains_key("堂提"));
    assert!(index.search("", None, 0.0, 10).is_empty());
    assert!(index.search("。、", None, 0.0, 10).is_empty());
    assert!(SimilarityIndex::new(&[]).search("保育", None, 0.0, 10).is_empty());
}

#[test]
fn ties_are_ordered_by_id() {
    let docs = [doc("b", "防災訓練"), doc("a", "防災訓練"), doc("c", "防災訓練")];
    let hits = SimilarityIndex::new(&docs).search("防災訓練", None, 0.0, 10);
    let ids: Vec<_> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert!((hits[0].score - 1.0).abs() < 1e-9);
}

proptest! {
    #[test]
    fn scores_are_bounded_and_sorted(texts in proptest::collection::vec("[保育施設防災観光アイウ子どもIoT、 ]{0,12}", 0..8), q in "[保育施設防災観光アイウ子どもIoT ]{0,12}") {
        let docs: Vec<_> = texts.iter().enumerate().map(|(i, t)| doc(&format!("{i:02}"), t)).collect();
        let index = SimilarityIndex::new(&docs);
        let hits = index.search(&q, None, 0.0, 100);
        for w in hits.windows(2) {
            prop_assert!(w[0].score > w[1].score || (w[0].score == w[1].score && w[0].id < w[1].id));
        }
        for h in &hits {
            prop_assert!(h.score > 0.0 && h.score <= 1.0);
            prop_assert!(!h.shared_terms.is_empty());
        }
        prop_assert_eq!(hits, index.search(&q, None, 0.0, 100));
    }

    #[test]
    fn normalize_is_idempotent(s in "\\PC{0,20}") {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn a_text_is_most_similar_to_itself(t in "[保育施設防災観光子ども]{2,10}") {
        let docs = [doc("self", &t), doc("other", "まったく関係のない文章")];
        let hits = SimilarityIndex::new(&docs).search(&t, None, 0.0, 10);
        prop_assert_eq!(hits[0].id.as_str(), "self");
        prop_assert!((hits[0].score - 1.0).abs() < 1e-9);
    }
}
