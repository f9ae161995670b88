//! `ebm-lab latent`: the latent-variable lessons without a window: train a
//! plane preset (or settings over it) and write its metrics, F over the
//! plane as CSV, and a 3D picture; or measure the presets' promises.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;

use crate::console::{note, out};
use crate::files;
use crate::model::plane::model_file::{plane_model_from_json, plane_model_to_json};
use crate::model::plane::presets::{measure, plane_preset, plane_presets};
use crate::model::plane::settings::apply_all;
use crate::model::plane::view::{plane_view, PlaneView};
use crate::model::plane::{parse_plane_csv, PlaneRun};
use crate::render::gif::GifRecorder;
use crate::render::headless::Headless;
use crate::render::overlay;
use crate::render::pictures::{caption, parse_size, png_bytes};
use crate::scene::{OrbitCamera, SceneOptions};

#[derive(Args, Debug, Clone)]
pub struct LatentArgs {
    /// The plane preset to start from (`--list` names them; default
    /// ellipse-zero-t, density-cd for `ebm-lab density`). With --measure:
    /// measure these only (names separated by commas).
    #[arg(long)]
    pub preset: Option<String>,
    /// Set by `ebm-lab density`: its default preset is density-cd.
    #[arg(skip)]
    pub density: bool,
    /// Override one setting, e.g. --set latent_beta=0.5 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Optimiser steps (default: the preset's).
    #[arg(long)]
    pub steps: Option<u64>,
    /// The x the plane is drawn and written at (a conditional set; default:
    /// the middle of its x range).
    #[arg(long, allow_negative_numbers = true)]
    pub x: Option<f64>,
    /// Train on these points: a CSV of `y1,y2` or `x,y1,y2`.
    #[arg(long, value_name = "PATH")]
    pub points: Option<PathBuf>,
    #[arg(long, value_name = "PATH")]
    pub metrics_json: Option<PathBuf>,
    /// F over the plane: `y1,y2,F` (or `x,y1,y2,F`).
    #[arg(long, value_name = "PATH")]
    pub surface_csv: Option<PathBuf>,
    /// The trained model (decoder and weights) as JSON.
    #[arg(long, value_name = "PATH")]
    pub save_model: Option<PathBuf>,
    /// Start from these weights (a --save-model file); its architecture, z
    /// grid, β and hidden width replace the preset's.
    #[arg(long, value_name = "PATH")]
    pub load_model: Option<PathBuf>,
    /// A 3D picture of F over the plane at the end.
    #[arg(long, value_name = "PATH")]
    pub png: Option<PathBuf>,
    #[arg(long, default_value = "960x640", value_name = "WxH")]
    pub size: String,
    /// An animated GIF of the run: a frame every --gif-every steps (default:
    /// 60 frames over the run), at --gif-size, 10 frames a second.
    #[arg(long, value_name = "PATH")]
    pub gif: Option<PathBuf>,
    #[arg(long, value_name = "K")]
    pub gif_every: Option<u64>,
    #[arg(long, default_value = "480x320", value_name = "WxH")]
    pub gif_size: String,
    /// Open the window on the preset instead (Lessons menu in the window).
    #[arg(long)]
    pub window: bool,
    /// List the plane presets, their stories and promises.
    #[arg(long)]
    pub list: bool,
    /// Train every plane preset on seeds 0 ..= SEEDS − 1 and print on how
    /// many its promise holds.
    #[arg(long)]
    pub measure: bool,
    #[arg(long, default_value_t = 100)]
    pub seeds: u64,
}

impl LatentArgs {
    /// The preset asked for, or the command's default.
    pub fn preset_name(&self) -> &str {
        match (&self.preset, self.density) {
            (Some(p), _) => p,
            (None, true) => "density-cd",
            (None, false) => "ellipse-zero-t",
        }
    }
}

/// Cells per axis of the CSV and the picture.
const VIEW_GRID: usize = 96;
/// Cells per axis of a GIF's frames.
const GIF_GRID: usize = 64;

pub fn latent(args: &LatentArgs) -> Result<()> {
    if args.list {
        for p in plane_presets() {
            let density = p
                .density
                .map_or(String::new(), |d| format!(", {}", d.describe()));
            out(&format!(
                "{:<26} {}{density} by {} steps (seeds 0-99: {}/100)\n    {}\n",
                p.name,
                p.expect.name(),
                p.steps,
                p.kept,
                p.story
            ))?;
        }
        return Ok(());
    }
    if args.measure {
        for p in plane_presets().into_iter().filter(|p| {
            args.preset
                .as_deref()
                .is_none_or(|n| n.split(',').any(|one| one == p.name))
        }) {
            let kept = measure(&p, args.seeds);
            out(&format!(
                "{:<26} {} by {}: {kept}/{} (states {}/100)\n",
                p.name,
                p.expect.name(),
                p.steps,
                args.seeds,
                p.kept
            ))?;
        }
        return Ok(());
    }
    let preset = plane_preset(args.preset_name()).ok_or_else(|| {
        let names: Vec<&str> = plane_presets().iter().map(|p| p.name).collect();
        anyhow!(
            "--preset {}: not a plane preset; known: {}",
            args.preset_name(),
            names.join(", ")
        )
    })?;
    let spec = apply_all(&preset.spec, &args.set).map_err(|e| anyhow!("{e}"))?;
    let steps = args.steps.unwrap_or(preset.steps);
    if steps > crate::settings::MAX_STEPS {
        bail!(
            "--steps {steps}: allowed 0 ..= {}",
            crate::settings::MAX_STEPS
        );
    }
    let size = parse_size(&args.size, "--size", 4096)?;
    for p in [&args.metrics_json, &args.surface_csv, &args.png]
        .into_iter()
        .flatten()
    {
        files::check_writable(p)?;
    }
    let points = match &args.points {
        Some(p) => {
            let text = files::read_text(p, "points", files::caps::DATA)?;
            Some(parse_plane_csv(&text).map_err(|e| anyhow!("{}: {e}", p.display()))?)
        }
        None => None,
    };
    let mut run = match &args.load_model {
        Some(p) => {
            let text = files::read_text(p, "model", files::caps::MODEL)?;
            let model =
                plane_model_from_json(&text).map_err(|e| anyhow!("{}: {e}", p.display()))?;
            PlaneRun::from_model(spec, points.as_deref(), model)
        }
        None => PlaneRun::new(spec, points.as_deref()),
    };
    let x = args
        .x
        .unwrap_or(0.5 * (run.data.x_range.0 + run.data.x_range.1));
    let mut gif = match &args.gif {
        Some(path) => Some(PlaneGif::start(
            path,
            &args.gif_size,
            steps,
            args.gif_every,
        )?),
        None => None,
    };
    let mut failure = None;
    for _ in 0..steps {
        if let Some(g) = &mut gif {
            g.after_step(&run, x, args.preset_name())?;
        }
        if let Err(e) = run.train_step() {
            failure = Some(e);
            break;
        }
    }
    if let Some(mut g) = gif {
        g.after_step(&run, x, args.preset_name())?;
        g.finish()?;
    }
    write_outputs(args, &mut run, x, size)?;
    if let Some(e) = failure {
        bail!("{e}");
    }
    let m = run.metrics();
    let tail = match m.off_data_mass {
        Some(off) => format!("mass away from the data {off:.3}"),
        None => format!("distance to the manifold {:.3}", m.manifold_distance),
    };
    note(&format!(
        "step {}: {} (loss {:.4}, rank {:.3}, spread ratio {:.3}, {tail})",
        run.step(),
        m.state.name(),
        m.loss,
        m.rank,
        m.spread_ratio.unwrap_or(f64::NAN),
    ));
    Ok(())
}

fn write_outputs(args: &LatentArgs, run: &mut PlaneRun, x: f64, size: (u32, u32)) -> Result<()> {
    if let Some(p) = &args.metrics_json {
        let m = run.metrics();
        let json = serde_json::json!({
            "step": run.step(),
            "preset": args.preset_name(),
            "architecture": run.spec.architecture_name(),
            "latent_beta": if run.spec.latent.beta.is_finite() { serde_json::json!(run.spec.latent.beta) } else { serde_json::json!("inf") },
            "loss_name": run.spec.loss_name(),
            "inference": run.inference_name(),
            "metrics": m,
            "pulled_up": run.pulled_up,
            "efficiency": efficiency_json(run),
        });
        files::write_atomic(p, format!("{json:#}\n").as_bytes())?;
    }
    if let Some(p) = &args.save_model {
        files::write_atomic(p, plane_model_to_json(&run.model).as_bytes())?;
    }
    let view = plane_view(run, x, VIEW_GRID);
    if let Some(p) = &args.surface_csv {
        files::write_atomic(p, view.surface_csv().as_bytes())?;
    }
    if let Some(p) = &args.png {
        let title = if view.conditional {
            format!("{} at x = {x:.2}", args.preset_name())
        } else {
            args.preset_name().to_string()
        };
        files::write_atomic(p, &plane_png(&view, &title, size)?)?;
    }
    Ok(())
}

/// The last step's cost beside what it did (the slides' "how many energies
/// are pulled up for a given amount of computation").
fn efficiency_json(run: &PlaneRun) -> serde_json::Value {
    serde_json::json!({
        "pulled_up_per_step": run.pulled_up,
        "energies_per_step": run.evaluations,
        "pulled_up_per_1000_energies": 1000.0 * run.pulled_up as f64 / run.evaluations.max(1) as f64,
    })
}

/// Draws plane views headless: the 3D surface of F with its labels and a caption.
pub struct PlanePainter {
    headless: Headless,
}

impl PlanePainter {
    pub fn new() -> Result<PlanePainter> {
        Ok(PlanePainter {
            headless: Headless::new().context("the picture needs an EGL device")?,
        })
    }

    /// `size` RGBA pixels, rows top-down.
    pub fn rgba(&mut self, view: &PlaneView, title: &str, size: (u32, u32)) -> Result<Vec<u8>> {
        let surface = view.as_surface();
        let opts = SceneOptions {
            show_ghost: false,
            ..SceneOptions::default()
        };
        let cam = OrbitCamera::default();
        let mut px = self.headless.render(&surface, None, &opts, &cam, size)?;
        overlay::draw_labels(&mut px, size, self.headless.scene(), &cam);
        overlay::draw_caption(&mut px, size, &caption(title, view.step, view.state));
        Ok(px)
    }
}

/// The plane's picture as PNG bytes: F over (y₁, y₂) in 3D with the
/// manifold, the samples and ȳ, axes y1, y2, F, and a caption.
pub fn plane_png(view: &PlaneView, title: &str, size: (u32, u32)) -> Result<Vec<u8>> {
    png_bytes(&PlanePainter::new()?.rgba(view, title, size)?, size)
}

/// A GIF of a plane run being recorded.
struct PlaneGif {
    painter: PlanePainter,
    recorder: GifRecorder,
    every: u64,
    last: Option<u64>,
}

/// Frames of a GIF: about this many over a run unless --gif-every says.
const GIF_FRAMES: u64 = 60;

impl PlaneGif {
    fn start(path: &Path, size: &str, steps: u64, every: Option<u64>) -> Result<PlaneGif> {
        let (w, h) = parse_size(size, "--gif-size", 2048)?;
        if every == Some(0) {
            bail!("--gif-every 0 is not allowed; allowed: 1 or more steps");
        }
        Ok(PlaneGif {
            painter: PlanePainter::new()?,
            recorder: GifRecorder::new(path, w, h, 10.0)?,
            every: every.unwrap_or((steps / GIF_FRAMES).max(1)),
            last: None,
        })
    }

    /// Records a frame when one is due at the run's step.
    fn after_step(&mut self, run: &PlaneRun, x: f64, title: &str) -> Result<()> {
        let step = run.step();
        if self.last == Some(step) || !step.is_multiple_of(self.every) {
            return Ok(());
        }
        self.last = Some(step);
        let view = plane_view(run, x, GIF_GRID);
        let px = self.painter.rgba(&view, title, self.recorder.size())?;
        self.recorder.push_frame(&px)
    }

    fn finish(self) -> Result<()> {
        self.recorder.finish()
    }
}
