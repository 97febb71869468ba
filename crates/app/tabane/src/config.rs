//! 設定 (configuration): compiled defaults → optional TOML file → `TABANE_*` environment
//! variables → command-line flags. A secret may be given as a file: `TABANE_DATABASE_URL_FILE`.
//! Unknown `TABANE_*` variables are reported, because a typo there silently does nothing.

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tabane_core::service::files::Storage;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// Where the SQLite file and uploaded files live.
    pub data_dir: PathBuf,
    /// Database URL; empty means the embedded SQLite file `<data_dir>/tabane.sqlite`.
    pub database_url: String,
    /// Address to listen on.
    pub listen: String,
    /// Largest accepted upload, in megabytes.
    pub max_upload_mb: u64,
    /// Where uploaded files' bytes go: `disk` (`<data_dir>/files`, one app server) or
    /// `database` (several app servers on one database).
    pub file_storage: Storage,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// Mark cookies Secure (turn on behind HTTPS).
    pub secure_cookies: bool,
    /// Map tile URL template (default: 地理院タイル 標準地図).
    pub tile_url: String,
    /// Log filter, e.g. "info" or "tabane=debug".
    pub log: String,
    /// 個人情報の暗号鍵 (personal-data keys), `"<key_id>:<base64 of 32 bytes>"`; several while
    /// rotating. Also `TABANE_PERSONAL_DATA_KEYS` (comma-separated) or `…_KEYS_FILE`. When no
    /// key is configured, `<data_dir>/personal-data.keys` is used (generated on first start).
    pub personal_data_keys: Vec<Secret>,
    /// The key id new values are encrypted with (may be empty when there is one key).
    pub personal_data_active_key: String,
    /// 検索用索引の鍵 (blind-index key), `"<key_id>:<base64>"`. Never changes once data exists.
    pub personal_data_index_key: Secret,
    /// Set true when a reverse proxy in front sets `X-Forwarded-For`; only then is the header
    /// believed for rate limits (otherwise a client could choose its own address).
    pub behind_proxy: bool,
    /// Every other key: the modules' sections (`[infra]` …), checked against the modules in
    /// `load` (a key that is neither the platform's nor a module's is refused there).
    #[serde(flatten)]
    pub sections: std::collections::BTreeMap<String, serde_json::Value>,
}

/// A secret configuration value: read like a string, never shown by `Debug`.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "***" })
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            listen: "127.0.0.1:8080".into(),
            max_upload_mb: 20,
            file_storage: Storage::Disk,
            session_hours: 12,
            secure_cookies: false,
            tile_url: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png".into(),
            log: "info".into(),
            personal_data_keys: Vec::new(),
            personal_data_active_key: String::new(),
            personal_data_index_key: Secret::default(),
            behind_proxy: false,
            sections: Default::default(),
        }
    }
}

const KEYS: &[&str] = &[
    "DATA_DIR",
    "DATABASE_URL",
    "LISTEN",
    "MAX_UPLOAD_MB",
    "FILE_STORAGE",
    "SESSION_HOURS",
    "SECURE_COOKIES",
    "TILE_URL",
    "LOG",
    "CONFIG",
    "PERSONAL_DATA_KEYS",
    "PERSONAL_DATA_ACTIVE_KEY",
    "PERSONAL_DATA_INDEX_KEY",
    "BEHIND_PROXY",
];

/// A list of keys in one variable or file: separated by commas or lines.
fn key_list(text: &str) -> Vec<String> {
    text.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

impl Config {
    /// Reads the configuration; `sections` are the keys of the modules that have a section.
    pub fn load(file: Option<&Path>, sections: &[&str]) -> Result<(Self, Vec<String>)> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        let file = file.map(Path::to_path_buf).or_else(|| std::env::var_os("TABANE_CONFIG").map(PathBuf::from));
        if let Some(f) = &file {
            anyhow::ensure!(f.exists(), "configuration file {} does not exist", f.display());
            fig = fig.merge(Toml::file(f));
        }
        let mut warnings = Vec::new();
        for (k, v) in std::env::vars() {
            let Some(key) = k.strip_prefix("TABANE_") else { continue };
            // A list in one variable: figment's own parsing would read it as one string.
            if key == "PERSONAL_DATA_KEYS" || key == "PERSONAL_DATA_KEYS_FILE" {
                let text = if key == "PERSONAL_DATA_KEYS" {
                    v.clone()
                } else {
                    std::fs::read_to_string(&v).with_context(|| format!("reading {k}={v}"))?
                };
                fig = fig.merge(Serialized::default("personal_data_keys", key_list(&text)));
                continue;
            }
            if let Some(base) = key.strip_suffix("_FILE")
                && KEYS.contains(&base)
            {
                let secret = std::fs::read_to_string(&v).with_context(|| format!("reading {k}={v}"))?;
                fig = fig.merge(Serialized::default(&base.to_ascii_lowercase(), secret.trim().to_string()));
                continue;
            }
            // A module's key: TABANE_<MODULE>__<KEY> (e.g. TABANE_INFRA__OPEN311_REPORTS_PER_HOUR).
            let module_key = key
                .split_once("__")
                .is_some_and(|(m, rest)| !rest.is_empty() && sections.iter().any(|s| s.eq_ignore_ascii_case(m)));
            if !KEYS.contains(&key) && !module_key && !key.starts_with("TEST_") {
                warnings.push(format!(
                    "unknown environment variable {k} is ignored (known: {}; a module's settings: TABANE_<MODULE>__<KEY>, modules {})",
                    KEYS.iter().map(|k| format!("TABANE_{k}")).collect::<Vec<_>>().join(", "),
                    sections.join(", ")
                ));
            }
        }
        let known: Vec<String> = KEYS
            .iter()
            .filter(|k| **k != "CONFIG" && **k != "PERSONAL_DATA_KEYS")
            .map(|k| k.to_ascii_lowercase())
            .collect();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        fig = fig.merge(Env::prefixed("TABANE_").only(&known));
        let owned: Vec<String> = sections.iter().map(|s| s.to_string()).collect();
        fig = fig.merge(
            Env::prefixed("TABANE_")
                .filter(move |k| {
                    k.as_str().split_once("__").is_some_and(|(m, _)| owned.iter().any(|s| s.eq_ignore_ascii_case(m)))
                })
                .split("__"),
        );
        let cfg: Config = fig.extract().context("reading configuration")?;
        if let Some(bad) = cfg.sections.keys().find(|k| !sections.contains(&k.as_str())) {
            anyhow::bail!(
                "reading configuration: unknown key `{bad}` (a module's settings go in its section: {})",
                sections.iter().map(|s| format!("[{s}]")).collect::<Vec<_>>().join(", ")
            );
        }
        Ok((cfg, warnings))
    }

    pub fn database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("tabane.sqlite").display())
        } else {
            self.database_url.trim().to_string()
        }
    }

    /// The modules' sections as read (key → table), for `ModuleSettings::read`.
    pub fn section_map(&self) -> std::collections::HashMap<String, serde_json::Value> {
        self.sections.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The commented TOML printed by `tabane default-config`, then each module's section.
    pub fn default_toml(module_sections: &[String]) -> String {
        let mut out = Self::platform_toml();
        for section in module_sections {
            out.push('\n');
            out.push_str(section);
        }
        out
    }

    fn platform_toml() -> String {
        let d = Config::default();
        format!(
            "# Tabane configuration. Every key can also be set as TABANE_<KEY> (e.g. TABANE_LISTEN),\n\
             # and secrets as TABANE_<KEY>_FILE pointing at a file (e.g. TABANE_DATABASE_URL_FILE).\n\n\
             # Where the SQLite file and uploaded files live.\ndata_dir = {:?}\n\n\
             # Empty: embedded SQLite at <data_dir>/tabane.sqlite. PostgreSQL: \"postgres://user:pass@host/db\".\ndatabase_url = \"\"\n\n\
             # Address to listen on.\nlisten = {:?}\n\n\
             # Largest accepted upload (MB).\nmax_upload_mb = {}\n\n\
             # Where uploaded files are kept: \"disk\" (<data_dir>/files; one app server) or \"database\"\n\
             # (every app server on the database serves every file; backups of the database carry them).\nfile_storage = {:?}\n\n\
             # Session lifetime (hours).\nsession_hours = {}\n\n\
             # Set true behind HTTPS.\nsecure_cookies = {}\n\n\
             # Map tiles (default 地理院タイル 標準地図). The map still shows features when tiles are unreachable.\ntile_url = {:?}\n\n\
             # Log filter.\nlog = {:?}\n\n\
             # 個人情報の暗号鍵 (personal-data keys) \"<key_id>:<base64 of 32 bytes>\"; make one with `tabane generate-key --id k2026`.\n\
             # Keep them out of this file in production: TABANE_PERSONAL_DATA_KEYS_FILE / TABANE_PERSONAL_DATA_INDEX_KEY_FILE.\n\
             # Empty: <data_dir>/personal-data.keys is generated on first start (for trying Tabane only).\n\
             personal_data_keys = []\n\
             # Key id for new values (needed when several keys are listed, e.g. while rotating).\npersonal_data_active_key = \"\"\n\
             # Blind-index key for exact-match search; it cannot change once personal data exists.\npersonal_data_index_key = \"\"\n\n\
             # True only when a reverse proxy in front sets X-Forwarded-For (rate limits then count the address it reports).\nbehind_proxy = {}\n",
            d.data_dir.display().to_string(),
            d.listen,
            d.max_upload_mb,
            d.file_storage.key(),
            d.session_hours,
            d.secure_cookies,
            d.tile_url,
            d.log,
            d.behind_proxy
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_toml_parses_back_to_defaults() {
        let parsed: Config = toml::from_str(&Config::default_toml(&["[infra]\nx = 1\n".into()])).unwrap();
        assert_eq!(parsed.sections["infra"], serde_json::json!({ "x": 1 }));
        assert_eq!(parsed.listen, Config::default().listen);
        assert_eq!(parsed.max_upload_mb, 20);
        assert_eq!(parsed.file_storage, Storage::Disk);
        assert!(parsed.personal_data_keys.is_empty());
        assert_eq!(parsed.personal_data_active_key, "");
        assert_eq!(parsed.personal_data_index_key, Secret::default());
    }

    #[test]
    fn key_lists_split_on_commas_and_lines_and_secrets_hide() {
        assert_eq!(key_list("a:x, b:y\nc:z\n"), vec!["a:x", "b:y", "c:z"]);
        let c = Config { personal_data_keys: vec![Secret("k1:c2VjcmV0".into())], ..Default::default() };
        assert!(!format!("{c:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn empty_database_url_means_embedded_sqlite() {
        let c = Config { data_dir: "/tmp/x".into(), ..Default::default() };
        assert_eq!(c.database_url(), "sqlite:///tmp/x/tabane.sqlite?mode=rwc");
    }
}
