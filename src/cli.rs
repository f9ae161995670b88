//! The command line of SPEC §3: the window's flags, `train`, `presets`, `bench`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::export;
use crate::files;
use crate::model::model_file::{model_from_json, model_to_json};
use crate::model::{Metrics, Run};
use crate::presets::{load_preset, PRESETS};
use crate::settings::Settings;

#[derive(Parser, Debug)]
#[command(name = "ebm-lab", version, about = "Watch loss functions carve the energy surface of an energy-based model")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open the window on this preset (default: dual-energy).
    #[arg(long)]
    pub preset: Option<String>,
    /// Open the window on a saved settings file (TOML).
    #[arg(long)]
    pub settings: Option<PathBuf>,
    /// Play this many frames, save a screenshot and exit (needs --screenshot).
    #[arg(long, requires = "screenshot")]
    pub frames: Option<u64>,
    /// Where to save the screenshot taken after --frames.
    #[arg(long, requires = "frames")]
    pub screenshot: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train without a window and write what is asked.
    Train(TrainArgs),
    /// List the presets and their stories.
    Presets,
    /// Time the standard step (SPEC §5) on this machine.
    Bench {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Start from this preset (see `ebm-lab presets`).
    #[arg(long)]
    pub preset: Option<String>,
    /// Start from a settings file (TOML) instead of (or on top of) a preset.
    #[arg(long)]
    pub settings: Option<PathBuf>,
    /// Override one setting, e.g. --set loss=nll (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Number of optimiser steps.
    #[arg(long)]
    pub steps: u64,
    #[arg(long, value_name = "PATH")]
    pub metrics_json: Option<PathBuf>,
    #[arg(long, value_name = "PATH")]
    pub surface_csv: Option<PathBuf>,
    #[arg(long, value_name = "PATH")]
    pub save_model: Option<PathBuf>,
    /// Start from these weights; the file's architecture, cost, H and d replace the settings'.
    #[arg(long, value_name = "PATH")]
    pub load_model: Option<PathBuf>,
}

/// Settings from a preset and/or a file, then `--set` overrides, validated whole.
pub fn resolve_settings(preset: Option<&str>, file: Option<&Path>, sets: &[String]) -> Result<Settings> {
    let mut s = match preset {
        Some(p) => load_preset(p)?.0,
        None if file.is_none() => load_preset(crate::presets::DEFAULT_PRESET)?.0,
        None => Settings::default(),
    };
    if let Some(f) = file {
        s = files::read_settings(f)?;
    }
    let mut pairs = Vec::new();
    for kv in sets {
        let (k, v) = kv.split_once('=').ok_or_else(|| anyhow!("--set {kv:?}: expected KEY=VALUE"))?;
        pairs.push((k.trim(), v.trim()));
    }
    Ok(s.with_changes(pairs)?)
}

pub fn train(args: &TrainArgs) -> Result<()> {
    if args.steps > 1_000_000_000 {
        bail!("--steps {} is not allowed; allowed: 0 ..= 1000000000", args.steps);
    }
    let mut settings = resolve_settings(args.preset.as_deref(), args.settings.as_deref(), &args.set)?;
    let loaded = match &args.load_model {
        Some(p) => {
            let text = files::read_text(p, "model file")?;
            let m = model_from_json::<f32>(&text).map_err(|e| anyhow!("{}: {e}", p.display()))?;
            settings.architecture = m.architecture;
            settings.cost = m.cost;
            settings.hidden = m.g1.hidden;
            if m.g2.is_some() {
                settings.out_dim = m.g1.out;
            }
            Some(m)
        }
        None => None,
    };
    let outputs: Vec<&PathBuf> =
        [&args.metrics_json, &args.surface_csv, &args.save_model].into_iter().flatten().collect();
    for p in &outputs {
        files::check_writable(p)?;
    }
    let points = files::read_points(&settings)?;
    let mut run = match loaded {
        Some(m) => Run::from_model(&settings, points.as_deref(), m),
        None => Run::new(&settings, points.as_deref()),
    };
    let initial = run.initial_metrics().context("no initial metrics")?;
    let bar = progress_bar(args.steps);
    let mut failure = None;
    for i in 0..args.steps {
        if let Err(d) = run.train_step() {
            failure = Some(d);
            break;
        }
        if i % 256 == 0 {
            bar.set_position(i);
        }
    }
    bar.finish_and_clear();
    let last: Metrics = run.metrics();
    if let Some(p) = &args.metrics_json {
        let text = export::metrics_json(args.preset.as_deref(), run.step(), &run, &initial, &last);
        files::write_atomic(p, text.as_bytes())?;
    }
    if let Some(p) = &args.surface_csv {
        files::write_atomic(p, export::surface_csv(&run).as_bytes())?;
    }
    if let Some(p) = &args.save_model {
        files::write_atomic(p, model_to_json(&run.model).as_bytes())?;
    }
    match failure {
        Some(d) => bail!("{d}"),
        None => {
            eprintln!(
                "step {}: {} (loss {:.4}, spread {:.4}, inference error {:.4})",
                run.step(),
                last.state.name(),
                last.loss,
                last.spread,
                last.inference_error
            );
            Ok(())
        }
    }
}

fn progress_bar(steps: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if steps < 20_000 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(steps);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} steps ({per_sec}, {eta})") {
        bar.set_style(style);
    }
    bar
}

pub fn presets() {
    for (name, _) in PRESETS {
        match load_preset(name) {
            Ok((s, story)) => println!(
                "{name:<20} {} · {} · {} · {}\n{:<20} {story}",
                s.dataset.name(),
                s.architecture.name(),
                s.cost.name(),
                s.loss.name(),
                ""
            ),
            Err(e) => println!("{name:<20} (broken: {e})"),
        }
    }
}
