use crate::domain::{Action, AssetKind, Phase, Status, Urgency};
use crate::entities::asset;
use crate::service::ledger::Ledger;
use crate::service::work_orders::{WorkOrderRow, WorkOrderView};
use askama::Template;
use tabane_core::entities::organisation;
use tabane_core::error::FieldProblem;
use tabane_core::service::Page;
use tabane_web::views::Chrome;

/// Labels for the infra vocabulary, in the page's language.
pub struct L {
    pub en: bool,
}
impl L {
    pub fn is_en(&self) -> bool {
        self.en
    }
    pub fn kind(&self, k: &str) -> &'static str {
        AssetKind::parse(k).map(|v| v.label(self.en)).unwrap_or("")
    }
    pub fn status(&self, k: &str) -> &'static str {
        Status::parse(k).map(|v| v.label(self.en)).unwrap_or("")
    }
    pub fn urgency(&self, k: &str) -> &'static str {
        Urgency::parse(k).map(|v| v.label(self.en)).unwrap_or("")
    }
    pub fn kinds(&self) -> &'static [AssetKind] {
        AssetKind::ALL
    }
    pub fn statuses(&self) -> &'static [Status] {
        Status::ALL
    }
    pub fn urgencies(&self) -> &'static [Urgency] {
        Urgency::ALL
    }
    pub fn phases(&self) -> &'static [Phase] {
        Phase::ALL
    }
    pub fn yen(&self, v: &Option<i64>) -> String {
        match v {
            None => "—".into(),
            Some(n) => yen(*n),
        }
    }
    pub fn grade(&self, g: &i32) -> &'static str {
        crate::domain::grade_label(*g as u8)
    }
    pub fn yen_i(&self, v: &i64) -> String {
        yen(*v)
    }
}

pub fn yen(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{}円", if n < 0 { "-" } else { "" }, out)
}

#[derive(Template)]
#[template(path = "infra/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub l: L,
    pub tile_url: String,
    pub open_count: u64,
    pub overdue_count: u64,
    pub asset_count: u64,
    pub owners: Vec<organisation::Model>,
}

#[derive(Template)]
#[template(path = "infra/assets.html")]
pub struct AssetsPage {
    pub chrome: Chrome,
    pub l: L,
    pub page: Page<asset::Model>,
    pub q: String,
    pub kind: String,
    pub problems: Vec<FieldProblem>,
    pub form: crate::service::assets::AssetForm,
}

#[derive(Template)]
#[template(path = "infra/asset.html")]
pub struct AssetPage {
    pub chrome: Chrome,
    pub l: L,
    pub asset: asset::Model,
    pub owner_name: String,
    pub can_edit: bool,
    pub form: crate::service::assets::AssetForm,
    pub problems: Vec<FieldProblem>,
}

#[derive(Template)]
#[template(path = "infra/orders.html")]
pub struct OrdersPage {
    pub chrome: Chrome,
    pub l: L,
    pub page: Page<WorkOrderRow>,
    pub status: String,
    pub overdue: bool,
    pub owners: Vec<organisation::Model>,
    pub problems: Vec<FieldProblem>,
    pub form: crate::service::work_orders::NewWorkOrder,
}

#[derive(Template)]
#[template(path = "infra/order.html")]
pub struct OrderPage {
    pub chrome: Chrome,
    pub l: L,
    pub v: WorkOrderView,
    pub problems: Vec<FieldProblem>,
    pub message: Option<String>,
    pub can_photo: bool,
    /// Other owners of the bundle this job can be split with (empty when it cannot be split).
    pub split_targets: Vec<(i64, String)>,
}

impl OrderPage {
    pub fn can(&self, a: &str) -> bool {
        self.v.allowed.iter().any(|x| x.key() == a)
    }
    pub fn action_label(&self, a: &Action) -> &'static str {
        a.label(self.l.en)
    }
}

#[derive(Template)]
#[template(path = "infra/ledger.html")]
pub struct LedgerPage {
    pub chrome: Chrome,
    pub l: L,
    pub ledger: Ledger,
    pub owner_name: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn yen_has_separators() {
        assert_eq!(super::yen(1234567), "1,234,567円");
        assert_eq!(super::yen(0), "0円");
        assert_eq!(super::yen(500), "500円");
    }
}
