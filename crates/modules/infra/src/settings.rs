//! 設定 `[infra]` (the module's configuration section): the Open311 limits. Each key can also be
//! set as `TABANE_INFRA__<KEY>` (e.g. `TABANE_INFRA__OPEN311_REPORTS_PER_HOUR=0`).

use serde::Deserialize;
use std::any::Any;

#[derive(Clone, Debug, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct InfraSettings {
    /// Open311 reports accepted per API key and hour (0: no limit).
    pub open311_reports_per_hour: u64,
    /// Open311 posts without a valid API key accepted per client address and hour, so keys
    /// cannot be guessed (0: no limit).
    pub open311_unkeyed_posts_per_hour: u64,
    /// Public (signed-out) Open311 reads per client address and minute on each server (0: none).
    pub public_reads_per_minute: u32,
}

impl Default for InfraSettings {
    fn default() -> Self {
        Self { open311_reports_per_hour: 300, open311_unkeyed_posts_per_hour: 20, public_reads_per_minute: 600 }
    }
}

impl InfraSettings {
    /// The settings of this app (the defaults when it was built without them).
    pub fn of(st: &tabane_web::AppState) -> InfraSettings {
        st.settings.get::<InfraSettings>().cloned().unwrap_or_default()
    }
}

pub(crate) fn parse(section: &serde_json::Value) -> anyhow::Result<Box<dyn Any + Send + Sync>> {
    Ok(Box::new(serde_json::from_value::<InfraSettings>(section.clone())?))
}

pub(crate) fn default_toml() -> String {
    let d = InfraSettings::default();
    format!(
        "[infra]\n\
         # Open311 (住民通報): reports accepted per API key and hour; posts without a valid key per client address and hour (0: no limit).\n\
         open311_reports_per_hour = {}\nopen311_unkeyed_posts_per_hour = {}\n\
         # Public Open311 reads per client address and minute, on each server (0: no limit).\npublic_reads_per_minute = {}\n",
        d.open311_reports_per_hour, d.open311_unkeyed_posts_per_hour, d.public_reads_per_minute
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_section_keeps_the_other_defaults_and_typos_are_refused() {
        let s = serde_json::from_value::<InfraSettings>(serde_json::json!({ "open311_reports_per_hour": 0 })).unwrap();
        assert_eq!(s, InfraSettings { open311_reports_per_hour: 0, ..Default::default() });
        assert!(parse(&serde_json::json!({ "open311_reports_per_houre": 1 })).is_err());
    }
}
