//! 目標の設定と達成判定 (targets as settings; the figure, its numerator and denominator, 達成／未達).
//! Spec §3 preamble: rates unrounded, compared unrounded, shown to one decimal half up; §5: each
//! dashboard figure with its formula, numerator and denominator.

use crate::error::{Field, PartnershipRuleError};
use crate::kpi::{CATALOGUE, Direction, KpiId, MonthBasis, Unit, definition};
use crate::quantity::{Decimal, Ratio};
use crate::text::grouped;
use serde::Serialize;
use tabane_calendar::FiscalYear;

/// どちらの読み方を値とするか (which reading of an ambiguous formula is the value; spec §9.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Reading {
    /// (a): the first formula of the spec's table.
    #[default]
    A,
    /// (b): the alternative.
    B,
}

/// 指標の設定 (one KPI's target for a municipality and 年度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KpiSetting {
    pub kpi: KpiId,
    /// 目標値 in the KPI's unit (% as 40, not 0.4; 倍 as 2.5; カ月 as 2.5; 円 as yen).
    pub target: Decimal,
    pub direction: Direction,
    pub reading: Reading,
}

/// 年度の指標設定 (every KPI's setting for one 年度, plus how days become months).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiSettings {
    pub fiscal_year: FiscalYear,
    pub month_basis: MonthBasis,
    pub items: Vec<KpiSetting>,
}

const TARGET: Field = Field::new("目標値", "target");

impl KpiSettings {
    /// The seed's target sheet as the default settings of `fiscal_year` (spec §4, last item).
    pub fn seed_defaults(fiscal_year: FiscalYear) -> Self {
        let items = CATALOGUE
            .iter()
            .map(|k| KpiSetting { kpi: k.id, target: k.default_target, direction: k.direction, reading: Reading::A })
            .collect();
        Self { fiscal_year, month_basis: MonthBasis::default(), items }
    }

    /// The setting of `kpi`; one missing from `items` (settings saved before the KPI was added)
    /// is the seed's default rather than an error, so an old settings row never breaks a dashboard.
    pub fn get(&self, kpi: KpiId) -> KpiSetting {
        self.items.iter().copied().find(|s| s.kpi == kpi).unwrap_or_else(|| {
            let k = definition(kpi);
            KpiSetting { kpi, target: k.default_target, direction: k.direction, reading: Reading::A }
        })
    }

    /// Sets a target from typed text; 「abc」 → 「目標値：数値を入力してください」 (acceptance check 5).
    /// A percentage above 100 or any negative target is refused: no KPI here can reach it.
    pub fn set_target(&mut self, kpi: KpiId, typed: &str) -> Result<(), PartnershipRuleError> {
        let target = Decimal::parse(TARGET, typed)?;
        if target.is_negative() {
            return Err(PartnershipRuleError::Negative { field: TARGET, value: target.display() });
        }
        if definition(kpi).unit == Unit::Percent && target.as_ratio() > Ratio::integer(100) {
            return Err(PartnershipRuleError::OutOfRange {
                field: TARGET,
                value: target.display(),
                min: "0".into(),
                max: "100".into(),
            });
        }
        let current = self.get(kpi);
        self.items.retain(|s| s.kpi != kpi);
        self.items.push(KpiSetting { target, ..current });
        Ok(())
    }

    pub fn set_reading(&mut self, kpi: KpiId, reading: Reading) {
        let current = self.get(kpi);
        self.items.retain(|s| s.kpi != kpi);
        self.items.push(KpiSetting { reading, ..current });
    }
}

/// 実績 (what was measured, before the unit is applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Measurement {
    /// 件数・人数 (or a yen sum for 円 KPIs).
    Count(i64),
    /// 割合: part ÷ whole, shown in %.
    Share { part: i64, whole: i64 },
    /// 平均期間: Σ days ÷ number of items, shown in months.
    MeanDays { total_days: i64, items: i64 },
    /// 倍率: value ÷ investment (SROI).
    Times { value_yen: i64, investment_yen: i64 },
    /// 平均倍率: an already averaged ratio (mean of per-project SROI), kept exact.
    MeanTimes { num: i128, den: i128 },
}

impl Measurement {
    fn value(self, basis: MonthBasis) -> Option<Ratio> {
        match self {
            Self::Count(n) => Some(Ratio::integer(i128::from(n))),
            Self::Share { part, whole } => Ratio::new(i128::from(part) * 100, i128::from(whole)),
            Self::MeanDays { total_days, items } => {
                let (dn, dd) = basis.days_per_month();
                Ratio::new(i128::from(total_days) * dd, i128::from(items) * dn)
            }
            Self::Times { value_yen, investment_yen } => Ratio::new(i128::from(value_yen), i128::from(investment_yen)),
            Self::MeanTimes { num, den } => Ratio::new(num, den),
        }
    }

    fn parts(self) -> (i128, Option<i128>) {
        match self {
            Self::Count(n) => (i128::from(n), None),
            Self::Share { part, whole } => (i128::from(part), Some(i128::from(whole))),
            Self::MeanDays { total_days, items } => (i128::from(total_days), Some(i128::from(items))),
            Self::Times { value_yen, investment_yen } => (i128::from(value_yen), Some(i128::from(investment_yen))),
            Self::MeanTimes { num, den } => (num, Some(den)),
        }
    }
}

/// 両方の読み方の実績 (both readings measured; `b` is `None` where the KPI has one formula).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Readings {
    pub a: Measurement,
    pub b: Option<Measurement>,
}

impl From<Measurement> for Readings {
    fn from(a: Measurement) -> Self {
        Self { a, b: None }
    }
}

/// 判定結果 (a KPI's figure against its target).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KpiResult {
    pub kpi: KpiId,
    pub measured: Measurement,
    /// The value in the KPI's unit, unrounded; `None` when the denominator is 0.
    pub value: Option<Ratio>,
    pub target: Decimal,
    pub direction: Direction,
    /// 達成 (`None` when there is no value).
    pub met: Option<bool>,
    /// The other reading's value, where there is one.
    pub alt: Option<Ratio>,
    pub alt_met: Option<bool>,
    /// 達成率 in %: 実績 ÷ 目標 for 以上, 目標 ÷ 実績 for 以下 (lower is better, so a smaller
    /// value gives a higher rate). `None` when it cannot be divided (目標0 for 以上, 実績0 for 以下,
    /// where `met` still says whether the target is reached).
    pub achievement: Option<Ratio>,
    /// 「30.0%」「2.5カ月（76日）」「2.67倍」「215件」.
    pub display_ja: String,
}

/// 判定 (the KPI's value from the measured reading the setting picks, against its target).
pub fn evaluate(kpi: KpiId, measured: Readings, settings: &KpiSettings) -> KpiResult {
    let setting = settings.get(kpi);
    let (main, other) = match (setting.reading, measured.b) {
        (Reading::B, Some(b)) => (b, Some(measured.a)),
        (_, b) => (measured.a, b),
    };
    let target = setting.target.as_ratio();
    let value = main.value(settings.month_basis);
    let alt = other.and_then(|o| o.value(settings.month_basis));
    KpiResult {
        kpi,
        measured: main,
        value,
        target: setting.target,
        direction: setting.direction,
        met: value.map(|v| setting.direction.met(v, target)),
        alt,
        alt_met: alt.map(|v| setting.direction.met(v, target)),
        achievement: value.and_then(|v| achievement(setting.direction, v, target)),
        display_ja: display(definition(kpi).unit, main, value),
    }
}

fn achievement(direction: Direction, value: Ratio, target: Ratio) -> Option<Ratio> {
    let (over, under) = match direction {
        Direction::AtLeast => (value, target),
        Direction::AtMost => (target, value),
    };
    // (a/b) ÷ (c/d) = a·d ÷ b·c, in %.
    Ratio::new(over.num().checked_mul(under.den())?.checked_mul(100)?, over.den().checked_mul(under.num())?)
}

fn display(unit: Unit, measured: Measurement, value: Option<Ratio>) -> String {
    let Some(v) = value else { return "—".to_owned() };
    match unit {
        Unit::Count(word) => format!("{}{word}", grouped(v.tenths() / 10)),
        Unit::Yen => format!("{}円", grouped(v.tenths() / 10)),
        Unit::Percent => format!("{}%", v.display_1dp()),
        Unit::Times => format!("{}倍", v.display_2dp()),
        Unit::Months => {
            let (total, items) = measured.parts();
            let days = items.and_then(|n| Ratio::new(total, n)).map(|r| r.display_1dp()).unwrap_or_default();
            format!("{}カ月（{}日）", v.display_1dp(), days.strip_suffix(".0").unwrap_or(&days))
        }
    }
}

/// ダッシュボードの数値 (the JSON figure of acceptance check 2:
/// `{"value":30.0,"numerator":60,"denominator":200,"target":40,"met":false,"alt":35.3}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiFigure {
    pub value: Option<f64>,
    pub numerator: i128,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<i128>,
    pub target: Decimal,
    pub met: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt: Option<f64>,
}

impl KpiResult {
    /// The figure as the API returns it: value and alt rounded to one decimal for display only.
    pub fn figure(&self) -> KpiFigure {
        let (numerator, denominator) = self.measured.parts();
        KpiFigure {
            value: self.value.map(Ratio::as_f64_1dp),
            numerator,
            denominator,
            target: self.target,
            met: self.met,
            alt: self.alt.map(Ratio::as_f64_1dp),
        }
    }

    /// 「達成」「未達」「—」.
    pub fn verdict_ja(&self) -> &'static str {
        match self.met {
            Some(true) => "達成",
            Some(false) => "未達",
            None => "—",
        }
    }
}
