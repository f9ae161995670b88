//! The command line of DESIGN §6: the window's flags, `train`, `presets`, `bench`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};

mod compare;
mod latent;
mod lecture;
mod pictures;
mod sample;

pub use latent::{latent, plane_png, LatentArgs};
pub use lecture::{export_lecture, lecture_from_args, LectureArgs};
pub use sample::{sample, SampleArgs};

use pictures::{picture_plan, progress_bar};

use crate::console::{note, out};
use crate::export;
use crate::files;
use crate::model::model_file::{model_from_json, model_to_json};
use crate::model::{Metrics, Model, Run};
use crate::presets::{preset_from, PRESETS};
use crate::render::pictures::{PicturePlan, Pictures};
use crate::settings::Settings;

#[derive(Parser, Debug)]
#[command(
    name = "ebm-lab",
    version,
    about = "Watch loss functions carve the energy surface of an energy-based model"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub window: WindowArgs,
}

/// What the window opens on, and the scripted screenshot.
#[derive(Args, Debug, Default, Clone)]
pub struct WindowArgs {
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

/// `ebm-lab compare`: the window in compare mode.
#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub window: WindowArgs,
    /// A run beside the preset's, differing in these live settings (same data,
    /// same initial weights), e.g. --with loss=nll; repeatable (up to 3).
    #[arg(long = "with", value_name = "KEY=VALUE[,KEY=VALUE]", required = true)]
    pub with: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train without a window and write what is asked.
    Train(Box<TrainArgs>),
    /// Open the window with runs side by side (compare mode).
    Compare(CompareArgs),
    /// Play a lecture in the window (default: the paper, built in), or
    /// export it as a handout with --export DIR.
    Lecture(LectureArgs),
    /// List the presets, their stories and promises (or re-measure them).
    Presets(PresetsArgs),
    /// The latent-variable lessons: answers in the plane, the free energy F
    /// over (y1, y2); train a plane preset headless, or list and measure them.
    Latent(LatentArgs),
    /// The same as `latent` (the plane's lessons include the energy-based
    /// densities: `--preset density-cd`).
    Density(LatentArgs),
    /// Draw samples from a saved density model's Gibbs distribution as CSV.
    Sample(SampleArgs),
    /// Time the standard step (DESIGN §8) on this machine.
    Bench {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct PresetsArgs {
    /// Train every preset its steps on seeds 0 ..= SEEDS − 1 and print on how
    /// many each promise holds, against the rate it states (minutes).
    #[arg(long)]
    pub measure: bool,
    /// How many seeds --measure trains (from 0).
    #[arg(long, default_value_t = 100, requires = "measure")]
    pub seeds: u64,
    /// Only these presets (repeatable); default: all.
    #[arg(long = "only", value_name = "PRESET", requires = "measure")]
    pub only: Vec<String>,
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
    #[arg(long, allow_negative_numbers = true)]
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
    /// Train a partner beside the run, differing in these live settings (same
    /// data, same initial weights), e.g. --compare loss=nll; repeatable (up to
    /// 3). --png and --gif then draw the runs side by side.
    #[arg(long, value_name = "KEY=VALUE[,KEY=VALUE]")]
    pub compare: Vec<String>,
    #[command(flatten)]
    pub pictures: PictureArgs,
}

/// Pictures of the run, drawn offscreen (EGL) exactly as the window's 3D view.
#[derive(Args, Debug, Default)]
pub struct PictureArgs {
    /// Render the final surface to this PNG.
    #[arg(long, value_name = "PATH")]
    pub png: Option<PathBuf>,
    /// Size of the PNG still and frames.
    #[arg(
        long,
        value_name = "WxH",
        default_value = "1280x800",
        allow_negative_numbers = true
    )]
    pub size: String,
    /// Camera azimuth and elevation in degrees, e.g. --view=-32,38.
    #[arg(long, value_name = "AZIMUTH,ELEVATION", allow_hyphen_values = true)]
    pub view: Option<String>,
    /// Write DIR/frame_00000.png, frame_00001.png, … every K steps (step 0 and the last step included).
    #[arg(long, num_args = 2, value_names = ["K", "DIR"], allow_negative_numbers = true)]
    pub png_every: Option<Vec<String>>,
    /// Record an animated GIF of the run.
    #[arg(long, value_name = "PATH")]
    pub gif: Option<PathBuf>,
    /// Steps between GIF frames (default: steps / 100, at least 1).
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    pub gif_every: Option<u64>,
    /// GIF frames per second.
    #[arg(
        long,
        value_name = "F",
        default_value_t = 10.0,
        allow_negative_numbers = true
    )]
    pub fps: f32,
    /// Size of the GIF frames.
    #[arg(
        long,
        value_name = "WxH",
        default_value = "640x400",
        allow_negative_numbers = true
    )]
    pub gif_size: String,
    /// Hide the step-0 ghost surface in the pictures.
    #[arg(long)]
    pub no_ghost: bool,
}

/// The README's order (see [`crate::settings::resolve`]), with `--set`
/// pairs given as `KEY=VALUE`.
pub fn resolve_settings(
    preset: Option<&str>,
    file: Option<&Path>,
    sets: &[String],
) -> Result<Settings> {
    let mut pairs = Vec::new();
    for kv in sets {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| anyhow!("--set {kv:?}: expected KEY=VALUE"))?;
        pairs.push((k.trim(), v.trim()));
    }
    crate::settings::resolve::resolve(preset, file, &pairs)
}

/// The settings with a loaded model's architecture, cost, H and d, which
/// must lie in the settings' ranges (named in the error otherwise).
pub fn settings_for_model(
    settings: &Settings,
    m: &Model<f32>,
) -> Result<Settings, crate::settings::SettingsError> {
    let (h, d) = (m.g1.hidden.to_string(), m.g1.out.to_string());
    let mut changes = vec![
        ("architecture", m.architecture.name()),
        ("cost", m.cost.name()),
        ("hidden", h.as_str()),
    ];
    if m.g2.is_some() {
        changes.push(("out_dim", d.as_str()));
    }
    settings.with_changes(changes)
}

/// Reads `--load-model` (every weight must fit f32) and the settings it implies.
pub fn load_model(settings: &Settings, path: &Path) -> Result<(Settings, Model<f32>)> {
    let text = files::read_text(path, "model file", files::caps::MODEL)?;
    let m = model_from_json::<f32>(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let s = settings_for_model(settings, &m).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok((s, m))
}

pub fn train(args: &TrainArgs) -> Result<()> {
    if args.steps > crate::settings::MAX_STEPS {
        bail!(
            "--steps {} is not allowed; allowed: 0 ..= {}",
            args.steps,
            crate::settings::MAX_STEPS
        );
    }
    let mut settings =
        resolve_settings(args.preset.as_deref(), args.settings.as_deref(), &args.set)?;
    if let Some(path) = &args.settings {
        note_promise_lines(path, args.steps);
    }
    let loaded = match &args.load_model {
        Some(p) => {
            let (s, m) = load_model(&settings, p)?;
            settings = s;
            Some(m)
        }
        None => None,
    };
    check_train_paths(args, &settings)?;
    let plan = picture_plan(&args.pictures, args.preset.as_deref(), args.steps)?;
    if !args.compare.is_empty() {
        return train_compare(args, settings, plan);
    }
    let points = files::read_points(&settings)?;
    let mut run = match loaded {
        Some(m) => Run::from_model(&settings, points.as_deref(), m),
        None => Run::new(&settings, points.as_deref()),
    };
    if !run.last_loss().is_finite() {
        bail!(
            "the energies are not finite before the first step: {}",
            crate::settings::divergence_advice(&run.divergence_now())
        );
    }
    let initial = run.initial_metrics().context("no initial metrics")?;
    if let Some((_, dir)) = &plan.png_every {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
    }
    // Without EGL/GL the run goes on and writes its other outputs; the error comes last.
    let mut render_error = None;
    let mut pictures = None;
    if plan.wants_any() {
        match Pictures::start(plan, &mut run) {
            Ok(p) => pictures = Some(p),
            Err(e) => render_error = Some(e),
        }
    }
    let failure = run_steps(&mut run, args.steps, &mut pictures, &mut render_error);
    let last: Metrics = run.metrics();
    write_outputs(args, &settings, &run, &initial, &last)?;
    if let Some(p) = pictures {
        match p.finish(&mut run) {
            Ok((n, ms)) => note(&format!("rendered {n} pictures, {ms:.1} ms each")),
            Err(e) => render_error = Some(e),
        }
    }
    if let Some(e) = render_error {
        return Err(e.context("pictures not written (the other outputs were)"));
    }
    match failure {
        Some(d) => bail!("{}", crate::settings::explain_divergence(&d)),
        None => {
            note(&format!(
                "step {}: {} (loss {:.4}, spread {:.4}, y_spread {:.4}, inference error {:.4})",
                run.step(),
                last.state.name(),
                last.loss,
                last.spread,
                last.y_spread,
                last.inference_error
            ));
            Ok(())
        }
    }
}

/// A settings file's promise lines (`steps`, `expect`, `kept`: a preset's,
/// kept by a saved file) change nothing in `train`: said on stderr, so that
/// `steps = 5000` in a file is not mistaken for the run's length.
fn note_promise_lines(path: &Path, steps: u64) {
    let Ok(text) = files::read_text(path, "settings file", files::caps::SETTINGS) else {
        return;
    };
    let Ok((_, meta)) = Settings::from_toml_meta(&text) else {
        return;
    };
    let lines: Vec<String> = [
        ("steps", &meta.steps),
        ("expect", &meta.expect),
        ("kept", &meta.kept),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} = {v}")))
    .collect();
    if !lines.is_empty() {
        note(&format!(
            "note: {}: {} describe a preset's promise and change nothing here; this run trains --steps {steps}",
            path.display(),
            lines.join(", ")
        ));
    }
}

/// Every output writable, none named twice and none an input (the loaded
/// model may be saved over), before any step is trained.
fn check_train_paths(args: &TrainArgs, settings: &Settings) -> Result<()> {
    let data =
        (settings.dataset == crate::model::DatasetKind::Custom).then(|| Path::new(&settings.data));
    let inputs: Vec<(&str, &Path)> = [
        ("--settings", args.settings.as_deref()),
        ("--load-model", args.load_model.as_deref()),
        ("data", data),
    ]
    .into_iter()
    .filter_map(|(flag, p)| p.map(|p| (flag, p)))
    .collect();
    let outputs: Vec<(&str, &Path)> = [
        ("--metrics-json", args.metrics_json.as_deref()),
        ("--surface-csv", args.surface_csv.as_deref()),
        ("--save-model", args.save_model.as_deref()),
        ("--png", args.pictures.png.as_deref()),
        ("--gif", args.pictures.gif.as_deref()),
    ]
    .into_iter()
    .filter_map(|(flag, p)| p.map(|p| (flag, p)))
    .collect();
    for (_, p) in &outputs {
        files::check_writable(p)?;
    }
    files::check_distinct(&inputs, &outputs, &[("--load-model", "--save-model")])
}

/// `train --compare`: the run and its partners side by side.
fn train_compare(args: &TrainArgs, settings: Settings, plan: PicturePlan) -> Result<()> {
    let partners = compare::partners(&settings, &args.compare)?;
    let alone = [
        ("--load-model", args.load_model.is_some()),
        ("--metrics-json", args.metrics_json.is_some()),
        ("--surface-csv", args.surface_csv.is_some()),
        ("--save-model", args.save_model.is_some()),
        ("--png-every", plan.png_every.is_some()),
    ];
    if let Some((flag, _)) = alone.iter().find(|(_, given)| *given) {
        bail!("{flag} writes one run's outputs; it cannot be combined with --compare");
    }
    let mut runs = vec![(
        args.preset
            .clone()
            .unwrap_or_else(|| format!("loss = {}", settings.loss.name())),
        settings.clone(),
    )];
    runs.extend(partners);
    let done = compare::train_compared(args.steps, runs, plan, &[])?;
    match compare::divergences(&done) {
        Some(why) => bail!("{why}"),
        None => Ok(()),
    }
}

/// Trains `steps` steps (drawing the pictures due); the divergence, if any.
fn run_steps(
    run: &mut Run,
    steps: u64,
    pictures: &mut Option<Pictures>,
    render_error: &mut Option<anyhow::Error>,
) -> Option<crate::model::Divergence> {
    let bar = progress_bar(steps);
    let mut failure = None;
    for i in 0..steps {
        if let Err(d) = run.train_step() {
            failure = Some(d);
            break;
        }
        if let Some(p) = pictures.as_mut() {
            if let Err(e) = p.after_step(run) {
                *render_error = Some(e);
                *pictures = None;
            }
        }
        if i % 256 == 0 {
            bar.set_position(i);
        }
    }
    bar.finish_and_clear();
    failure
}

fn write_outputs(
    args: &TrainArgs,
    settings: &Settings,
    run: &Run,
    initial: &Metrics,
    last: &Metrics,
) -> Result<()> {
    // Every output is attempted; a failed one does not keep the others
    // from being written, and the first failure is reported.
    let mut written: Vec<Result<()>> = Vec::new();
    if let Some(p) = &args.metrics_json {
        let text =
            export::metrics_json(args.preset.as_deref(), run.step(), settings, initial, last);
        written.push(files::write_atomic(p, text.as_bytes()));
    }
    if let Some(p) = &args.surface_csv {
        written.push(files::write_atomic(p, export::surface_csv(run).as_bytes()));
    }
    if let Some(p) = &args.save_model {
        written.push(files::write_atomic(p, model_to_json(&run.model).as_bytes()));
    }
    written.into_iter().collect()
}

/// The presets, their stories and what each promises, on standard output;
/// with `--measure`, each promise re-measured.
pub fn presets(args: &PresetsArgs) -> Result<()> {
    if args.measure {
        return measure_presets(args);
    }
    let mut text = String::new();
    for (name, file) in PRESETS {
        let line = match preset_from(name, file) {
            Ok(p) => format!(
                "{name:<22} {} · {} · {} · {} · {} by step {} on ≥ {}/100 seeds\n{:<22} {}\n",
                p.settings.dataset.name(),
                p.settings.architecture.name(),
                p.settings.cost.name(),
                p.settings.loss.name(),
                p.expect.name(),
                p.steps,
                p.kept,
                "",
                p.story
            ),
            Err(e) => format!("{name:<22} (broken: {e})\n"),
        };
        text.push_str(&line);
    }
    out(&text)
}

/// `presets --measure`: every preset (or those of `--only`) on seeds 0 ..
/// `--seeds`, one line each as it finishes; fails when a promise falls short.
fn measure_presets(args: &PresetsArgs) -> Result<()> {
    let presets = crate::presets::all_presets()?;
    if let Some(bad) = args
        .only
        .iter()
        .find(|o| !presets.iter().any(|p| p.name == *o))
    {
        bail!("--only {bad}: no such preset (see `ebm-lab presets`)");
    }
    if args.seeds == 0 || args.seeds > 10_000 {
        bail!(
            "--seeds {} is not allowed; allowed: 1 ..= 10000",
            args.seeds
        );
    }
    let seeds: Vec<u64> = (0..args.seeds).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut short = Vec::new();
    for p in presets
        .iter()
        .filter(|p| args.only.is_empty() || args.only.iter().any(|o| o == p.name))
    {
        let start = std::time::Instant::now();
        let outcomes = crate::promises::outcomes(p, &seeds, threads);
        let kept = outcomes.iter().filter(|o| o.kept).count();
        let need = (p.kept as u64 * args.seeds).div_ceil(crate::presets::SEEDS) as usize;
        let failed: Vec<String> = outcomes
            .iter()
            .filter(|o| !o.kept)
            .map(|o| format!("{}:{}", o.seed, o.state.name()))
            .collect();
        out(&format!(
            "{:<22} {} by {}: {kept}/{} (promise ≥ {need}) {:.0} s{}{}\n",
            p.name,
            p.expect.name(),
            p.steps,
            args.seeds,
            start.elapsed().as_secs_f64(),
            if failed.is_empty() { "" } else { "; missed: " },
            failed.join(" ")
        ))?;
        if kept < need {
            short.push(format!("{} {kept}/{}", p.name, args.seeds));
        }
    }
    if !short.is_empty() {
        bail!("promises not kept: {}", short.join(", "));
    }
    Ok(())
}
