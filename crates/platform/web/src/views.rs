//! Page view models (askama templates). A page is the layout (`layout.html`) plus its own
//! content block; every page carries a [`Chrome`] with the language, the user and the
//! request id. Askama escapes all output.

use crate::i18n::Lang;
pub use crate::module::{Nav, NavItem};
use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;
use tabane_core::domain::{BundleRole, BundleScheme, OrgKind, Role};
use tabane_core::entities::{audit_entry, bundle, organisation};
use tabane_core::error::FieldProblem;
use tabane_core::service::Page;
use tabane_core::service::accounts::UserRow;
use tabane_core::service::bundles::{BundleForm, BundleView};
use tabane_core::service::org_import::ImportSummary;
use tabane_core::service::orgs::OrgForm;
use tabane_core::service::sessions::SessionInfo;
use tabane_tabular::ImportReport;

/// A rendered page, or the template's failure. A failure answers 500 through the error
/// renderer (with the request id), never a 200 page with the error text in it; the error is
/// carried as a `PendingError`, so a `(StatusCode, Rendered)` tuple cannot turn it into a 200.
pub struct Rendered(Result<String, askama::Error>);

pub fn render<T: Template>(t: &T) -> Rendered {
    Rendered(t.render())
}

impl IntoResponse for Rendered {
    fn into_response(self) -> Response {
        match self.0 {
            Ok(html) => Html(html).into_response(),
            Err(e) => {
                crate::error::AppError(tabane_core::Error::Internal(anyhow::anyhow!("template rendering failed: {e}")))
                    .into_response()
            }
        }
    }
}

/// The frame around every page.
pub struct Chrome {
    pub l: Lang,
    pub user: Option<Arc<SessionInfo>>,
    pub rid: String,
    pub path: String,
    /// The app's modules, for the navigation.
    pub nav: Nav,
    /// 完了のお知らせ: the message of the step that redirected here, shown once by the layout.
    pub flash: Option<String>,
}

impl Chrome {
    pub fn new(l: Lang, user: Option<Arc<SessionInfo>>, rid: String, path: &str, nav: Nav) -> Self {
        Self { l, user, rid, path: path.to_string(), nav, flash: None }
    }
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map(|u| u.csrf_token.as_str()).unwrap_or("")
    }
    pub fn active(&self, prefix: &str) -> bool {
        if prefix == "/" { self.path == "/" } else { self.path.starts_with(prefix) }
    }
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.ctx.system_admin || u.ctx.role == Some(Role::Admin))
    }
    pub fn is_sysadmin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.ctx.system_admin)
    }
    pub fn acting_org(&self) -> Option<i64> {
        self.user.as_ref().and_then(|u| u.ctx.org_id)
    }
    pub fn is_acting_org<T: std::borrow::Borrow<i64>>(&self, id: T) -> bool {
        self.acting_org() == Some(*id.borrow())
    }
    pub fn is_acting_bundle<T: std::borrow::Borrow<i64>>(&self, id: T) -> bool {
        self.acting_bundle() == Some(*id.borrow())
    }
    pub fn role_is<A: std::borrow::Borrow<Option<Role>>>(&self, a: A, b: &&Role) -> bool {
        *a.borrow() == Some(**b)
    }
    pub fn acting_bundle(&self) -> Option<i64> {
        self.user.as_ref().and_then(|u| u.ctx.bundle_id)
    }
    pub fn modules(&self) -> &[NavItem] {
        &self.nav.0
    }
    pub fn kind_label(&self, key: &str) -> String {
        OrgKind::parse(key).map(|k| k.label(self.l.is_en()).to_string()).unwrap_or_else(|| key.to_string())
    }
    pub fn scheme_label(&self, key: &str) -> String {
        BundleScheme::parse(key).map(|k| k.label(self.l.is_en()).to_string()).unwrap_or_else(|| key.to_string())
    }
    pub fn role_label(&self, r: &Role) -> &'static str {
        r.label(self.l.is_en())
    }
    pub fn bundle_role_label(&self, r: &BundleRole) -> &'static str {
        r.label(self.l.is_en())
    }
    pub fn org_kinds(&self) -> &'static [OrgKind] {
        OrgKind::ALL
    }
    pub fn schemes(&self) -> &'static [BundleScheme] {
        BundleScheme::ALL
    }
    pub fn roles(&self) -> &'static [Role] {
        Role::ALL
    }
    pub fn bundle_roles(&self) -> &'static [BundleRole] {
        BundleRole::ALL
    }
    /// 日付を和暦併記で (a date with its 和暦, as officials write it).
    pub fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        match d {
            None => String::new(),
            Some(d) => match tabane_calendar::to_wareki(*d) {
                Some(w) if !self.l.is_en() => format!("{}（{}）", d.format("%Y-%m-%d"), w.format_ja()),
                _ => d.format("%Y-%m-%d").to_string(),
            },
        }
    }
    pub fn datetime(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        // Staff read times in Japan Standard Time.
        tabane_calendar::jst::at(*t).format("%Y-%m-%d %H:%M:%S").to_string()
    }
    pub fn problem_for(&self, problems: &[FieldProblem], field: &str) -> String {
        problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| {
                format!(
                    "{}{}",
                    p.label.get(self.l.is_en()),
                    if self.l.is_en() { format!(" {}", p.message.en) } else { p.message.ja.clone() }
                )
            })
            .collect::<Vec<_>>()
            .join(" / ")
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub next: String,
    pub login: String,
    pub error: Option<String>,
    pub login_csrf: String,
    pub demo_users: Vec<(&'static str, &'static str)>,
    pub demo_password: &'static str,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub chrome: Chrome,
    pub today: String,
    pub today_wareki: String,
    pub fiscal_year: String,
    pub next_holidays: Vec<(String, &'static str)>,
    pub bundles: Vec<bundle::Model>,
    pub org_count: u64,
    pub recent: Vec<audit_entry::Model>,
    /// 期限を過ぎた提出物 (overdue deliverable instances of the user's bundles).
    pub overdue_deliverables: usize,
}

#[derive(Template)]
#[template(path = "orgs_list.html")]
pub struct OrgListPage {
    pub chrome: Chrome,
    pub page: Page<organisation::Model>,
    pub q: String,
    pub kind: String,
    pub query_base: String,
}

#[derive(Template)]
#[template(path = "org_show.html")]
pub struct OrgShowPage {
    pub chrome: Chrome,
    pub org: organisation::Model,
    pub parent: Option<organisation::Model>,
    pub departments: Vec<organisation::Model>,
    pub can_edit: bool,
}

#[derive(Template)]
#[template(path = "org_form.html")]
pub struct OrgFormPage {
    pub chrome: Chrome,
    pub form: OrgForm,
    pub problems: Vec<FieldProblem>,
    pub action: String,
    pub editing: bool,
}

#[derive(Template)]
#[template(path = "org_import.html")]
pub struct OrgImportPage {
    pub chrome: Chrome,
    pub file_name: String,
    pub report: Option<ImportReport>,
    pub summary: Option<ImportSummary>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "bundles_list.html")]
pub struct BundleListPage {
    pub chrome: Chrome,
    pub bundles: Vec<bundle::Model>,
}

#[derive(Template)]
#[template(path = "bundle_show.html")]
pub struct BundleShowPage {
    pub chrome: Chrome,
    pub view: BundleView,
    pub form: BundleForm,
    pub problems: Vec<FieldProblem>,
    pub candidates: Vec<organisation::Model>,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "bundle_new.html")]
pub struct BundleNewPage {
    pub chrome: Chrome,
    pub form: BundleForm,
    pub problems: Vec<FieldProblem>,
}

#[derive(Template)]
#[template(path = "users.html")]
pub struct UsersPage {
    pub chrome: Chrome,
    pub users: Vec<UserRow>,
    pub problems: Vec<FieldProblem>,
    pub login: String,
    pub display_name: String,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub page: Page<audit_entry::Model>,
    pub entity: String,
    pub action: String,
    pub actor: String,
    pub from: String,
    pub to: String,
    pub query_base: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    pub chrome: Chrome,
    pub input: String,
    pub days: String,
    pub rule: String,
    pub result: Option<crate::api::calendar::Conversion>,
    pub error: Option<String>,
}

#[cfg(test)]
mod rendering_tests {
    use super::*;
    use axum::http::StatusCode;

    #[derive(Template)]
    #[template(source = "<p>{{ self.fails()? }}</p>", ext = "html")]
    struct Broken;

    impl Broken {
        fn fails(&self) -> Result<String, std::fmt::Error> {
            Err(std::fmt::Error)
        }
    }

    #[test]
    fn a_template_that_fails_is_a_500_never_a_200_page() {
        let r = render(&Broken).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            r.extensions().get::<crate::error::PendingError>().is_some(),
            "rendered by render_errors, with the request id"
        );
        // Even where a handler sets the status, the pending error decides the answer.
        let r = (StatusCode::OK, render(&Broken)).into_response();
        assert!(r.extensions().get::<crate::error::PendingError>().is_some());
    }
}
