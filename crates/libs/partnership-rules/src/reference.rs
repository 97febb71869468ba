//! 参考値（出典未確認） (the seed's figures as data, spec §4 and §9), for the demo dashboard and the
//! 「参考」 column. The seed says it is AI-generated and unchecked (line 9–12), so these are never
//! presented as fact: each row carries the seed's words, the arithmetic that checks them, and
//! whether the arithmetic agrees. Rows that disagree are kept, flagged, not corrected.

use crate::quantity::{Ratio, fixed};
use crate::text::grouped;
use serde::Serialize;

/// 検算の方法.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Check {
    /// part ÷ whole in %.
    Share(i64, i64),
    /// a ÷ b in 倍.
    Times(i64, i64),
    /// a − b in ポイント, both given in tenths of a percent (72.3% → 723).
    PointDiff(i64, i64),
    /// Σ of the parts.
    Sum(&'static [i64]),
}

impl Check {
    /// The checked figure as text: 「21.6%」「2.7倍」「28.6ポイント」「782」.
    pub fn display_ja(self) -> String {
        match self {
            Self::Share(p, w) => {
                Ratio::new(i128::from(p) * 100, i128::from(w)).map_or("—".into(), |r| format!("{}%", r.display_1dp()))
            }
            Self::Times(a, b) => Ratio::new(i128::from(a), i128::from(b)).map_or("—".into(), |r| {
                let two = r.display_2dp();
                format!("{}倍（{two}）", r.display_1dp())
            }),
            Self::PointDiff(a, b) => format!("{}ポイント", fixed(i128::from(a - b), 1)),
            Self::Sum(parts) => grouped(parts.iter().map(|p| i128::from(*p)).sum()),
        }
    }
}

/// 参考値の1行.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeedFigure {
    pub label_ja: &'static str,
    /// `cat -n` line(s) of the seed.
    pub seed_lines: &'static str,
    /// What the seed says, in its words.
    pub stated_ja: &'static str,
    pub check: Check,
    /// Whether the arithmetic gives the seed's figure.
    pub reproduces: bool,
    /// Why not, or what the figure hides (spec §9).
    pub note_ja: &'static str,
}

impl SeedFigure {
    pub const LABEL_JA: &'static str = "参考値（出典未確認）";
}

/// The figures of spec §4 and the arithmetic contradictions of §9.
#[rustfmt::skip]
pub const SEED_FIGURES: [SeedFigure; 16] = [
    SeedFigure { label_ja: "特別区のPPP/PFI累計実施件数の全国比", seed_lines: "109", stated_ja: "累計213件（全国の約21.6%）", check: Check::Share(213, 988), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "官民連携専門部署を設置している区", seed_lines: "201", stated_ja: "23区中9区（39.1%）", check: Check::Share(9, 23), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "専任職員を配置している区", seed_lines: "201", stated_ja: "5区（21.7%）", check: Check::Share(5, 23), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "実証事業から社会実装に至った割合", seed_lines: "189", stated_ja: "378件のうち82件（21.7%）", check: Check::Share(82, 378), reproduces: true, note_ja: "375行目では同じ21.7%を「全国平均」としている" },
    SeedFigure { label_ja: "包括連携協定を締結している市区町村の増加", seed_lines: "121", stated_ja: "72.3%（5年前43.7%）、28.6ポイント増加", check: Check::PointDiff(723, 437), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "地域貢献活動を実施している企業の増加", seed_lines: "124", stated_ja: "78.6%（5年前65.2%）、13.4ポイント増加", check: Check::PointDiff(786, 652), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "世田谷区プラットフォーム経由の成功率の差", seed_lines: "509", stated_ja: "78.3%と52.7%、25.6ポイント高い", check: Check::PointDiff(783, 527), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "スタートアップと実証実験を行う自治体数", seed_lines: "127", stated_ja: "278自治体（5年前103）、約2.7倍", check: Check::Times(278, 103), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "企業版ふるさと納税を活用した団体数", seed_lines: "130", stated_ja: "844団体（令和元年度348）、約2.4倍", check: Check::Times(844, 348), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "企業版ふるさと納税の寄附額", seed_lines: "130", stated_ja: "約42億円から約334億円へ約8倍", check: Check::Times(334, 42), reproduces: true, note_ja: "7.95倍を「約8倍」としている" },
    SeedFigure { label_ja: "江東区のマッチング成立件数", seed_lines: "524", stated_ja: "累計782件（施設392・人材276・資金114）", check: Check::Sum(&[392, 276, 114]), reproduces: true, note_ja: "" },
    SeedFigure { label_ja: "渋谷区S-SAPの実用化率", seed_lines: "494", stated_ja: "52プロジェクトのうち37件が実用化", check: Check::Share(37, 52), reproduces: true, note_ja: "割合は本文になく、検算で求めたもの" },
    SeedFigure { label_ja: "連携プロジェクト数の区間差", seed_lines: "169–171", stated_ja: "最大4.2倍の差（平均42.7件と10.2件）", check: Check::Times(427, 102), reproduces: true, note_ja: "4.19倍は平均どうしの比で、個々の区の「最大」の差ではない" },
    SeedFigure { label_ja: "ワンストップ窓口による検討期間の短縮", seed_lines: "273, 288", stated_ja: "3.7カ月から1.8カ月（288行目）／平均42%短縮（273行目）", check: Check::Share(37 - 18, 37), reproduces: false, note_ja: "3.7→1.8カ月は51.4%の短縮で、42%と一致しない" },
    SeedFigure { label_ja: "中途終了した官民連携事業の割合", seed_lines: "160, 109", stated_ja: "約6.8%（17件）", check: Check::Share(17, 213), reproduces: false, note_ja: "17件÷累計213件は8.0%。6.8%なら母数は約250件で、109行目の213件と合わない" },
    SeedFigure { label_ja: "プラットフォーム経由の新規連携事業の目標", seed_lines: "388, 317", stated_ja: "年間80件以上（連携事業数の目標は年間50件以上）", check: Check::Times(80, 50), reproduces: false, note_ja: "全体（50件）の一部であるはずの目標（80件）が全体の1.6倍になっている" },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_check_as_the_spec_says() {
        let got: Vec<String> = SEED_FIGURES.iter().map(|f| f.check.display_ja()).collect();
        assert_eq!(
            got,
            [
                "21.6%",
                "39.1%",
                "21.7%",
                "21.7%",
                "28.6ポイント",
                "13.4ポイント",
                "25.6ポイント",
                "2.7倍（2.70）",
                "2.4倍（2.43）",
                "8.0倍（7.95）",
                "782",
                "71.2%",
                "4.2倍（4.19）",
                "51.4%",
                "8.0%",
                "1.6倍（1.60）",
            ]
        );
        for f in &SEED_FIGURES {
            assert!(f.reproduces || !f.note_ja.is_empty(), "{}: a figure that does not reproduce says why", f.label_ja);
        }
        assert_eq!(SeedFigure::LABEL_JA, "参考値（出典未確認）");
    }
}
