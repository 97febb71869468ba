//! `tabane infra …`: the module's command-line tools.

use anyhow::{Context, Result, bail};
use clap::{FromArgMatches, Subcommand};
use std::path::{Path, PathBuf};
use tabane_tabular::InputEncoding;
use tabane_web::module::{BoxFuture, CliEnv, ModuleCli};

#[derive(Subcommand)]
enum InfraAction {
    /// Deterioration model (exponential Markov hazard model).
    Hazard {
        #[command(subcommand)]
        action: HazardAction,
    },
}

#[derive(Subcommand)]
enum HazardAction {
    /// Fit hazards from pairs of consecutive inspections (CSV UTF-8/CP932 or xlsx) and print
    /// θ (and β), standard errors and the log-likelihood.
    Fit {
        /// File with columns 前回健全性, 今回健全性, 間隔（年）or 前回点検日/今回点検日, 補修, covariates.
        #[arg(long)]
        pairs: PathBuf,
        /// Covariate columns, comma-separated (e.g. 塩害,交通量).
        #[arg(long, value_delimiter = ',')]
        covariates: Vec<String>,
        /// Grades with fewer pairs starting in them are not estimated.
        #[arg(long, default_value_t = 10)]
        min_pairs: usize,
        /// Print JSON (otherwise a short table).
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn cli() -> ModuleCli {
    ModuleCli {
        command: || {
            InfraAction::augment_subcommands(
                clap::Command::new("infra").about("群マネ tools.").subcommand_required(true),
            )
        },
        run,
    }
}

fn run<'a>(m: &'a clap::ArgMatches, _env: &'a CliEnv) -> BoxFuture<'a, Result<()>> {
    Box::pin(async move {
        match InfraAction::from_arg_matches(m)? {
            InfraAction::Hazard { action: HazardAction::Fit { pairs, covariates, min_pairs, json } } => {
                hazard_fit(&pairs, &covariates, min_pairs, json)
            }
        }
    })
}

fn hazard_fit(file: &Path, covariates: &[String], min_pairs: usize, json: bool) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("pairs.csv");
    let table = tabane_tabular::read_file(name, &bytes, InputEncoding::Auto).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pairs = match crate::analytics::pairs::read_pairs(&table, covariates) {
        Ok(p) => p,
        Err(report) => {
            eprintln!("{}", report.render_ja());
            bail!("{} 件の誤りがあります。推定しませんでした。", report.errors.len());
        }
    };
    let opts = tabane_hazard::FitOptions {
        covariate_names: covariates.to_vec(),
        min_pairs_per_grade: min_pairs,
        ..Default::default()
    };
    let fit = tabane_hazard::fit(&pairs, &opts).map_err(|e| anyhow::anyhow!("{e}"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&fit)?);
    } else {
        println!(
            "組: {}（補修あり除外 {}、補修なしで改善 {}）  対数尤度: {:.3}",
            fit.pairs_used,
            fit.excluded_repaired,
            fit.improved_without_repair.len(),
            fit.log_likelihood
        );
        for (i, t) in fit.theta.iter().enumerate() {
            let se = fit.theta_std_err.get(i).copied().flatten();
            match t {
                Some(t) => println!(
                    "健全性{}: θ = {t:.5}/年（標準誤差 {}）  期待滞在 {:.1} 年",
                    tabane_hazard::grade_label(i + 1),
                    se.map(|s| format!("{s:.5}")).unwrap_or_else(|| "—".into()),
                    1.0 / t
                ),
                None => println!("健全性{}: 推定できません", tabane_hazard::grade_label(i + 1)),
            }
        }
        for (g, why) in &fit.not_estimated {
            println!("  健全性{}: {why}", tabane_hazard::grade_label(*g));
        }
    }
    Ok(())
}
