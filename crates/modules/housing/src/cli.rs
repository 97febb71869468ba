//! `tabane housing …`: the module's command-line tools.

use anyhow::Result;
use clap::{FromArgMatches, Subcommand};
use tabane_core::Ctx;
use tabane_web::module::{BoxFuture, CliEnv, ModuleCli};

#[derive(Subcommand)]
enum HousingAction {
    /// Erase the personal data of cases closed before a date (保存期間経過後の消去). The cases,
    /// payments and statistics stay; each erased case is audited.
    Erase {
        /// Cut-off (YYYY-MM-DD or 和暦). Default: today minus --retention-years.
        #[arg(long)]
        closed_before: Option<String>,
        /// Retention period in years when --closed-before is not given.
        #[arg(long, default_value_t = 5)]
        retention_years: i32,
        /// Count only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub(crate) fn cli() -> ModuleCli {
    ModuleCli {
        command: || {
            HousingAction::augment_subcommands(
                clap::Command::new("housing").about("団地建替・移転 tools.").subcommand_required(true),
            )
        },
        run,
    }
}

fn run<'a>(m: &'a clap::ArgMatches, env: &'a CliEnv) -> BoxFuture<'a, Result<()>> {
    Box::pin(async move {
        match HousingAction::from_arg_matches(m)? {
            HousingAction::Erase { closed_before, retention_years, dry_run } => {
                let before = match closed_before {
                    Some(s) => tabane_calendar::parse_date(&s).map_err(|e| anyhow::anyhow!("--closed-before: {e}"))?,
                    None => tabane_calendar::add_months(chrono::Local::now().date_naive(), -12 * retention_years),
                };
                let conn = (env.open)().await?;
                let r = crate::service::erase::closed(&conn, &Ctx::cli(), before, dry_run).await?;
                println!(
                    "{}{} 件（{} より前に完了した案件の個人情報）",
                    if dry_run { "消去の対象（試行、書き込みなし）: " } else { "消去しました: " },
                    r.cases,
                    before
                );
                Ok(())
            }
        }
    })
}
