//! 設定 (configuration): compiled defaults → optional TOML file → `TABANE_*` environment
//! variables → command-line flags. A secret may be given as a file: `TABANE_DATABASE_URL_FILE`.
//! Unknown `TABANE_*` variables are reported, because a typo there silently does nothing.

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite file and uploaded files live.
    pub data_dir: PathBuf,
    /// Database URL; empty means the embedded SQLite file `<data_dir>/tabane.sqlite`.
    pub database_url: String,
    /// Address to listen on.
    pub listen: String,
    /// Largest accepted upload, in megabytes.
    pub max_upload_mb: u64,
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
    /// Open311 reports accepted per API key and hour (0: no limit).
    pub open311_reports_per_hour: u64,
    /// Open311 posts without a valid API key accepted per client address and hour (0: no limit).
    pub open311_unkeyed_posts_per_hour: u64,
    /// Public (signed-out) Open311 reads per client address and minute, per server (0: no limit).
    pub public_reads_per_minute: u32,
    /// Set true when a reverse proxy in front sets `X-Forwarded-For`; only then is the header
    /// believed for rate limits (otherwise a client could choose its own address).
    pub behind_proxy: bool,
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
            session_hours: 12,
            secure_cookies: false,
            tile_url: "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png".into(),
            log: "info".into(),
            personal_data_keys: Vec::new(),
            personal_data_active_key: String::new(),
            personal_data_index_key: Secret::default(),
            open311_reports_per_hour: 300,
            open311_unkeyed_posts_per_hour: 20,
            public_reads_per_minute: 600,
            behind_proxy: false,
        }
    }
}

const KEYS: &[&str] = &[
    "DATA_DIR", "DATABASE_URL", "LISTEN", "MAX_UPLOAD_MB", "SESSION_HOURS", "SECURE_COOKIES", "TILE_URL", "LOG", "CONFIG",
    "PERSONAL_DATA_KEYS", "PERSONAL_DATA_ACTIVE_KEY", "PERSONAL_DATA_INDEX_KEY",
    "OPEN311_REPORTS_PER_HOUR", "OPEN311_UNKEYED_POSTS_PER_HOUR", "PUBLIC_READS_PER_MINUTE", "BEHIND_PROXY",
];

/// A list of keys in one variable or file: separated by commas or lines.
fn key_list(text: &str) -> Vec<String> {
    text.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

impl Config {
    pub fn load(file: Option<&Path>) -> Result<(Self, Vec<String>)> {
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
                let text = if key == "PERSONAL_DATA_KEYS" { v.clone() } else { std::fs::read_to_string(&v).with_context(|| format!("reading {k}={v}"))? };
                fig = fig.merge(Serialized::default("personal_data_keys", key_list(&text)));
                continue;
            }
            if let Some(base) = key.strip_suffix("_FILE") {
                if KEYS.contains(&base) {
                    let secret = std::fs::read_to_string(&v).with_context(|| format!("reading {k}={v}"))?;
                    fig = fig.merge(Serialized::default(&base.to_ascii_lowercase(), secret.trim().to_string()));
                    continue;
                }
            }
            if !KEYS.contains(&key) && !key.starts_with("TEST_") {
                warnings.push(format!("unknown environment variable {k} is ignored (known: {})", KEYS.iter().map(|k| format!("TABANE_{k}")).collect::<Vec<_>>().join(", ")));
            }
        }
        let known: Vec<String> = KEYS.iter().filter(|k| **k != "CONFIG" && **k != "PERSONAL_DATA_KEYS").map(|k| k.to_ascii_lowercase()).collect();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        fig = fig.merge(Env::prefixed("TABANE_").only(&known));
        let cfg: Config = fig.extract().context("reading configuration")?;
        Ok((cfg, warnings))
    }

    pub fn database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            format!("sqlite://{}?mode=rwc", self.data_dir.join("tabane.sqlite").display())
        } else {
            self.database_url.trim().to_string()
        }
    }

    /// The commented TOML printed by `tabane default-config`.
    pub fn default_toml() -> String {
        let d = Config::default();
        format!(
            "# Tabane configuration. Every key can also be set as TABANE_<KEY> (e.g. TABANE_LISTEN),\n\
             # and secrets as TABANE_<KEY>_FILE pointing at a file (e.g. TABANE_DATABASE_URL_FILE).\n\n\
             # Where the SQLite file and uploaded files live.\ndata_dir = {:?}\n\n\
             # Empty: embedded SQLite at <data_dir>/tabane.sqlite. PostgreSQL: \"postgres://user:pass@host/db\".\ndatabase_url = \"\"\n\n\
             # Address to listen on.\nlisten = {:?}\n\n\
             # Largest accepted upload (MB).\nmax_upload_mb = {}\n\n\
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
             # Open311 (住民通報): reports accepted per API key and hour; posts without a valid key per client address and hour (0: no limit).\n\
             open311_reports_per_hour = {}\nopen311_unkeyed_posts_per_hour = {}\n\n\
             # Public Open311 reads per client address and minute, on each server (0: no limit).\npublic_reads_per_minute = {}\n\n\
             # True only when a reverse proxy in front sets X-Forwarded-For (rate limits then count the address it reports).\nbehind_proxy = {}\n",
            d.data_dir.display().to_string(), d.listen, d.max_upload_mb, d.session_hours, d.secure_cookies, d.tile_url, d.log,
            d.open311_reports_per_hour, d.open311_unkeyed_posts_per_hour, d.public_reads_per_minute, d.behind_proxy
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_toml_parses_back_to_defaults() {
        let parsed: Config = toml::from_str(&Config::default_toml()).unwrap();
        assert_eq!(parsed.listen, Config::default().listen);
        assert_eq!(parsed.max_upload_mb, 20);
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
