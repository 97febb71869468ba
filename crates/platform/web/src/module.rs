//! モジュールの登録 (module registration). A module (infra, housing, …) is a crate that ends in
//! `pub fn module() -> Module`: everything it adds to the platform, in one value. The app keeps
//! one list of them (`tabane::modules()`) and derives the migrator, the router, the OpenAPI
//! document, the navigation, the demo, the encrypted columns, the configuration sections and
//! the command line from it, so the platform crates never name a module. This is Decidim's
//! `register_component`, as a plain Rust value.

use crate::routes::RouteDef;
use sea_orm::DatabaseConnection;
use sea_orm_migration::MigrationTrait;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tabane_core::crypto::EncryptedColumn;
use tabane_core::demo::DemoUser;
use tabane_core::service::files::FileStore;

/// A future a module hands back to the platform (demo seeding, a command).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a module contributes.
pub struct Module {
    /// Stable key: the prefix of its migration names (`infra_0001_…`), its configuration section
    /// (`[infra]`), its command (`tabane infra …`).
    pub key: &'static str,
    /// Its place in the navigation.
    pub nav: NavItem,
    /// Who sees it there (`None`: every signed-in user).
    pub participates: Option<ParticipatesFn>,
    /// Its routes, each with its access class and kind.
    pub routes: fn() -> Vec<RouteDef>,
    /// Its migrations, in the order they were first applied (append only; see `migrations.lock`).
    pub migrations: fn() -> Vec<Box<dyn MigrationTrait>>,
    /// Columns it encrypts, for key rotation and key-use counts.
    pub encrypted_columns: fn() -> Vec<EncryptedColumn>,
    /// Loads its demo data, after the platform's.
    pub demo: Option<DemoFn>,
    /// The users its demo adds (shown on the demo's login page after the platform's).
    pub demo_users: &'static [DemoUser],
    /// Its `[key]` configuration section.
    pub settings: Option<SettingsSection>,
    /// Its `tabane <key> …` subcommand.
    pub cli: Option<ModuleCli>,
    /// 議題の提供: agenda items it contributes to a new meeting of a series in one of its
    /// bundles (e.g. infra's 「① 受付・対応状況 ② 予算執行状況」 with the month's figures).
    pub agenda: Option<AgendaFn>,
}

/// Agenda items for a meeting of a series in `bundle_id` held on `day`, as the actor may see
/// them; an empty list when the module has nothing for that bundle.
pub type AgendaFn = for<'a> fn(
    &'a DatabaseConnection,
    &'a tabane_core::Ctx,
    i64,
    chrono::NaiveDate,
) -> BoxFuture<'a, tabane_core::Result<Vec<String>>>;

/// Every registered module's agenda provider (a request extension for the meeting pages).
#[derive(Clone, Default)]
pub struct AgendaProviders(pub Arc<[AgendaFn]>);

impl AgendaProviders {
    pub fn of(modules: &[Module]) -> AgendaProviders {
        AgendaProviders(modules.iter().filter_map(|m| m.agenda).collect::<Vec<_>>().into())
    }

    /// The items all modules contribute, in module order.
    pub async fn items(
        &self,
        db: &DatabaseConnection,
        ctx: &tabane_core::Ctx,
        bundle_id: Option<i64>,
        day: chrono::NaiveDate,
    ) -> tabane_core::Result<Vec<String>> {
        let mut out = Vec::new();
        if let Some(b) = bundle_id {
            for f in self.0.iter() {
                out.extend(f(db, ctx, b, day).await?);
            }
        }
        Ok(out)
    }
}

/// Seeds a module's demo data (the platform's organisations, users and bundles exist already).
pub type DemoFn = for<'a> fn(&'a DatabaseConnection, &'a FileStore) -> BoxFuture<'a, tabane_core::Result<()>>;

/// A module's place in the navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
}

/// Whether the acting organisation takes part in a module (a bundle where the module has
/// records, or records of its own): only then is the module in its navigation and dashboard.
pub type ParticipatesFn =
    for<'a> fn(&'a DatabaseConnection, &'a tabane_core::Ctx) -> BoxFuture<'a, tabane_core::Result<bool>>;

/// The demo's logins (login, name): the platform's, then each module's; a request extension read
/// by the login page when the demo is loaded.
#[derive(Clone, Debug, Default)]
pub struct DemoLogins(pub Arc<[(&'static str, &'static str)]>);

impl DemoLogins {
    pub fn of(modules: &[Module]) -> DemoLogins {
        let users = tabane_core::demo::DEMO_USERS.iter().chain(modules.iter().flat_map(|m| m.demo_users.iter()));
        DemoLogins(users.map(|u| (u.0, u.1)).collect())
    }
}

/// The navigation of an app: each registered module, in order. A request's own navigation is
/// this list cut to the modules its acting organisation takes part in (`Participation`).
#[derive(Clone, Debug, Default)]
pub struct Nav(pub Arc<[NavItem]>);

impl Nav {
    pub fn of(modules: &[Module]) -> Nav {
        Nav(modules.iter().map(|m| m.nav.clone()).collect())
    }

    /// The items whose module `shown` keeps.
    pub fn only(&self, shown: impl Fn(&NavItem) -> bool) -> Nav {
        Nav(self.0.iter().filter(|i| shown(i)).cloned().collect())
    }
}

/// Each module's participation test, by its navigation entry (a request extension).
#[derive(Clone, Default)]
pub struct Participation(pub Arc<[(&'static str, Option<ParticipatesFn>)]>);

impl Participation {
    pub fn of(modules: &[Module]) -> Participation {
        Participation(modules.iter().map(|m| (m.nav.href, m.participates)).collect())
    }

    /// The navigation entries (`href`) the acting organisation is shown. A test that fails
    /// shows the module (navigation is not access control: every page checks its own access).
    pub async fn shown(&self, db: &DatabaseConnection, ctx: &tabane_core::Ctx) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (href, test) in self.0.iter() {
            let yes = match test {
                None => true,
                Some(f) => f(db, ctx).await.unwrap_or(true),
            };
            if yes {
                out.push(*href);
            }
        }
        out
    }
}

/// A module's configuration section `[key]`: `parse` reads the section (an empty table when the
/// file has none) and returns the module's typed settings, which handlers find in
/// `AppState::settings`; `default_toml` is the commented section `tabane default-config` prints.
pub struct SettingsSection {
    pub parse: fn(&serde_json::Value) -> anyhow::Result<Box<dyn Any + Send + Sync>>,
    pub default_toml: fn() -> String,
}

/// Every module's settings, found by type (`st.settings.get::<InfraSettings>()`).
#[derive(Default, Clone)]
pub struct ModuleSettings(Arc<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl ModuleSettings {
    /// Reads each module's section from `sections` (key → table); a missing section is empty.
    pub fn read(modules: &[Module], sections: &HashMap<String, serde_json::Value>) -> anyhow::Result<ModuleSettings> {
        let empty = serde_json::Value::Object(Default::default());
        let mut map: HashMap<TypeId, Arc<dyn Any + Send + Sync>> = HashMap::new();
        for m in modules {
            if let Some(s) = &m.settings {
                let value = (s.parse)(sections.get(m.key).unwrap_or(&empty))
                    .map_err(|e| anyhow::anyhow!("configuration section [{}]: {e:#}", m.key))?;
                map.insert((*value).type_id(), Arc::from(value));
            }
        }
        Ok(ModuleSettings(Arc::new(map)))
    }

    /// Settings given explicitly (tests).
    pub fn with<T: Any + Send + Sync>(mut self, value: T) -> Self {
        Arc::make_mut(&mut self.0).insert(TypeId::of::<T>(), Arc::new(value));
        self
    }

    /// A module's settings; `None` when the app was built without them (then use the defaults).
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.get(&TypeId::of::<T>()).and_then(|v| v.downcast_ref::<T>())
    }
}

/// A module's subcommand: `tabane <key> …`.
pub struct ModuleCli {
    /// The subcommand's arguments (its name is set to the module's key).
    pub command: fn() -> clap::Command,
    /// Runs it. The database is opened (and migrated) only when the command asks for it.
    pub run: for<'a> fn(&'a clap::ArgMatches, &'a CliEnv) -> BoxFuture<'a, anyhow::Result<()>>,
}

/// What a module's command may use.
pub struct CliEnv {
    /// Opens and migrates the configured database.
    pub open: Box<dyn Fn() -> BoxFuture<'static, anyhow::Result<DatabaseConnection>> + Send + Sync>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Default)]
    struct Placeholder {
        n: u32,
    }

    fn parse(v: &serde_json::Value) -> anyhow::Result<Box<dyn Any + Send + Sync>> {
        let n = v.get("n").and_then(|n| n.as_u64()).unwrap_or(7) as u32;
        Ok(Box::new(Placeholder { n }))
    }

    fn placeholder() -> Module {
        Module {
            key: "placeholder",
            nav: NavItem { href: "/placeholder", ja: "試し", en: "Placeholder" },
            participates: None,
            routes: Vec::new,
            migrations: Vec::new,
            encrypted_columns: Vec::new,
            demo: None,
            demo_users: &[],
            settings: Some(SettingsSection { parse, default_toml: String::new }),
            cli: None,
            agenda: None,
        }
    }

    #[test]
    fn settings_are_found_by_type_and_a_missing_section_is_empty() {
        let s = ModuleSettings::read(&[placeholder()], &HashMap::new()).unwrap();
        assert_eq!(s.get::<Placeholder>(), Some(&Placeholder { n: 7 }));
        let sections = HashMap::from([("placeholder".to_string(), serde_json::json!({ "n": 3 }))]);
        assert_eq!(
            ModuleSettings::read(&[placeholder()], &sections).unwrap().get::<Placeholder>(),
            Some(&Placeholder { n: 3 })
        );
        assert_eq!(ModuleSettings::default().get::<Placeholder>(), None);
    }

    #[test]
    fn the_navigation_lists_the_registered_modules_only() {
        let nav = Nav::of(&[placeholder()]);
        assert_eq!(nav.0.iter().map(|i| i.href).collect::<Vec<_>>(), ["/placeholder"]);
        assert!(nav.only(|i| i.href != "/placeholder").0.is_empty());
    }
}
