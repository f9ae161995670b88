//! `ebm-lab lecture`: which lecture, which scene, and `--export DIR`, the
//! handout: one picture a scene (trained its `steps`, partners side by side,
//! scripted switches applied) and an index.html with the captions.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};
use clap::Args;

use super::compare::{divergences, partners, train_compared};
use crate::console::note;
use crate::lecture::{Lecture, PlaneScene, Scene};
use crate::model::plane::view::plane_view;
use crate::model::plane::PlaneRun;
use crate::render::pictures::{parse_size, PicturePlan};
use crate::scene::{OrbitCamera, SceneOptions};

#[derive(Args, Debug)]
pub struct LectureArgs {
    /// A lecture file (TOML; see assets/lectures/paper.toml); default: the
    /// built-in lecture of the paper.
    pub file: Option<PathBuf>,
    /// The built-in lecture on latent variables and the free energy
    /// (assets/lectures/latent.toml) instead of the paper's.
    #[arg(long, conflicts_with = "file")]
    pub latent: bool,
    /// The built-in lecture on finding wrong answers by search, descent and
    /// sampling (assets/lectures/sampling.toml).
    #[arg(long, conflicts_with_all = ["file", "latent"])]
    pub sampling: bool,
    /// Open on this scene (1-based).
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub scene: i64,
    /// Write one PNG a scene and an index.html into DIR (no window; every
    /// scene, so --scene, --frames and --screenshot do not apply).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["scene", "frames", "screenshot"])]
    pub export: Option<PathBuf>,
    /// Size of the exported pictures.
    #[arg(
        long,
        value_name = "WxH",
        default_value = "1280x720",
        allow_negative_numbers = true
    )]
    pub size: String,
    /// Play this many frames, save a screenshot and exit (needs --screenshot).
    #[arg(long, requires = "screenshot")]
    pub frames: Option<u64>,
    /// Where to save the screenshot taken after --frames.
    #[arg(long, requires = "frames")]
    pub screenshot: Option<PathBuf>,
}

/// The lecture asked for and the scene to open on (0-based), checked.
pub fn lecture_from_args(args: &LectureArgs) -> Result<(Lecture, usize)> {
    let lecture = match &args.file {
        Some(path) => {
            let text = crate::files::read_text(path, "lecture file", crate::files::caps::LECTURE)?;
            Lecture::from_toml(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?
        }
        None if args.latent => {
            Lecture::latent().map_err(|e| anyhow!("the built-in latent lecture: {e}"))?
        }
        None if args.sampling => {
            Lecture::sampling().map_err(|e| anyhow!("the built-in sampling lecture: {e}"))?
        }
        None => Lecture::paper().map_err(|e| anyhow!("the built-in lecture: {e}"))?,
    };
    let n = lecture.scenes.len();
    if args.scene < 1 || args.scene as usize > n {
        bail!("--scene {} is not allowed; allowed: 1 ..= {n}", args.scene);
    }
    Ok((lecture, args.scene as usize - 1))
}

/// `--export DIR`: scene-01.png, scene-02.png, … and index.html.
pub fn export_lecture(lecture: &Lecture, dir: &Path, size: &str) -> Result<()> {
    let size = parse_size(size, "--size", 4096)?;
    prepare_export_dir(dir, lecture.scenes.len())?;
    let mut pictures = Vec::new();
    let mut failed = Vec::new();
    for (i, scene) in lecture.scenes.iter().enumerate() {
        let name = format!("scene-{:02}.png", i + 1);
        note(&format!(
            "scene {}/{}: {}",
            i + 1,
            lecture.scenes.len(),
            scene.title
        ));
        let (states, diverged) = scene_picture(scene, dir.join(&name), size)?;
        if let Some(why) = diverged {
            failed.push(format!("scene {} diverged: {why}", i + 1));
        }
        pictures.push((name, states));
    }
    let html = index_html(lecture, &pictures);
    crate::files::write_atomic(&dir.join("index.html"), html.as_bytes())?;
    note(&format!(
        "wrote {} pictures and index.html into {}",
        pictures.len(),
        dir.display()
    ));
    match failed.is_empty() {
        true => Ok(()),
        false => bail!("{}", failed.join("; ")),
    }
}

/// Makes `dir` (when missing) and checks, before any scene trains, that it
/// is a directory and that index.html and every scene's picture can be written.
fn prepare_export_dir(dir: &Path, scenes: usize) -> Result<()> {
    let not_dir = |what: &str| {
        anyhow!(
            "--export {}: {what}; give a directory (it is made when missing)",
            dir.display()
        )
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(not_dir("exists and is not a directory")),
        Err(_) if std::fs::symlink_metadata(dir).is_ok() => {
            return Err(not_dir("a symlink to nothing"))
        }
        Err(_) => std::fs::create_dir_all(dir)
            .map_err(|e| anyhow!("--export {}: cannot make it: {e}", dir.display()))?,
    }
    crate::files::check_writable(&dir.join("index.html"))?;
    for i in 1..=scenes {
        crate::files::check_writable(&dir.join(format!("scene-{i:02}.png")))?;
    }
    Ok(())
}

/// Trains the scene's runs and draws them; each run's caption and final
/// state, and the runs that diverged (one line), if any did.
fn scene_picture(
    scene: &Scene,
    png: PathBuf,
    size: (u32, u32),
) -> Result<(Vec<String>, Option<String>)> {
    if let Some(p) = &scene.plane {
        return plane_scene_picture(scene, p, png, size);
    }
    let mut runs = vec![(
        if scene.compare.is_empty() {
            scene.title.clone()
        } else {
            format!("loss = {}", scene.settings.loss.name())
        },
        scene.settings.clone(),
    )];
    runs.extend(partners(&scene.settings, &scene.compare)?);
    let plan = PicturePlan {
        title: String::new(),
        png: Some(png),
        png_every: None,
        size,
        gif: None,
        gif_every: scene.steps.max(1),
        gif_size: size,
        fps: 10.0,
        camera: OrbitCamera::default(),
        options: SceneOptions::default(),
    };
    let done = train_compared(scene.steps, runs, plan, &scene.events)?;
    let states = done
        .iter()
        .map(|(label, m, _)| format!("{label}: {}", m.state.name()))
        .collect();
    Ok((states, divergences(&done)))
}

/// A plane scene's picture: its run trained `steps`, drawn at its x.
fn plane_scene_picture(
    scene: &Scene,
    p: &PlaneScene,
    png: PathBuf,
    size: (u32, u32),
) -> Result<(Vec<String>, Option<String>)> {
    let mut run = PlaneRun::new(p.spec.clone(), None);
    let mut diverged = None;
    for _ in 0..scene.steps {
        if let Err(e) = run.train_step() {
            diverged = Some(e);
            break;
        }
    }
    let (lo, hi) = run.data.x_range;
    let x = p.x.unwrap_or(0.5 * (lo + hi));
    let view = plane_view(&run, x, 96);
    crate::files::write_atomic(&png, &super::plane_png(&view, "", size)?)?;
    Ok((
        vec![format!("{}: {}", p.preset, view.state.name())],
        diverged,
    ))
}

/// The handout: every scene's title, caption, what to watch, its events'
/// texts, its picture and the runs' states at the end.
fn index_html(lecture: &Lecture, pictures: &[(String, Vec<String>)]) -> String {
    let mut h = String::new();
    let title = escape(&lecture.title);
    let _ = write!(
        h,
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:sans-serif;max-width:1000px;margin:auto}}\
         img{{width:100%}}.watch{{color:#555}}.state{{color:#777;font-size:90%}}</style>\
         </head><body>\n<h1>{title}</h1>\n"
    );
    for (i, (scene, (png, states))) in lecture.scenes.iter().zip(pictures).enumerate() {
        let _ = write!(
            h,
            "<section>\n<h2>{}. {}</h2>\n<p>{}</p>\n",
            i + 1,
            escape(&scene.title),
            escape(&scene.caption)
        );
        if !scene.watch.is_empty() {
            let _ = writeln!(h, "<p class=\"watch\">Watch: {}</p>", escape(&scene.watch));
        }
        for text in scene.events.iter().filter_map(|e| e.show.as_deref()) {
            let _ = writeln!(h, "<p><em>{}</em></p>", escape(text));
        }
        let _ = write!(
            h,
            "<img src=\"{png}\" alt=\"{}\">\n<p class=\"state\">after {} steps: {}</p>\n</section>\n",
            escape(&scene.title),
            scene.steps,
            escape(&states.join("; "))
        );
    }
    h.push_str("</body></html>\n");
    h
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
