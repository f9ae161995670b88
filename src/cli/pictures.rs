//! The picture flags of `train`: checked (sizes, paths, fps) before any
//! training starts, so a wrong flag costs nothing.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

use super::PictureArgs;
use crate::files;
use crate::render::pictures::{parse_size, parse_view, PicturePlan, MAX_GIF_SIDE, MAX_PNG_SIDE};
use crate::scene::{OrbitCamera, SceneOptions};

/// Whether a directory could be made at `dir` (nothing is created): an
/// existing directory, or a new name under the nearest existing directory.
fn check_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return files::check_writable(&dir.join("frame_00000.png"));
    }
    let mut up = dir.parent();
    while let Some(p) = up {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        if p.exists() {
            if !p.is_dir() {
                bail!(
                    "cannot create directory {}: {} is not a directory",
                    dir.display(),
                    p.display()
                );
            }
            return files::check_writable(&p.join(".ebm-lab-probe"))
                .with_context(|| format!("cannot create directory {}", dir.display()));
        }
        up = p.parent();
    }
    bail!("cannot create directory {}", dir.display())
}

/// Checks the picture flags and their paths (before any training). The
/// `--png-every` directory is only checked here; it is made just before training.
pub(super) fn picture_plan(
    a: &PictureArgs,
    preset: Option<&str>,
    steps: u64,
) -> Result<PicturePlan> {
    let png_every = match &a.png_every {
        Some(v) if v.len() == 2 => {
            let k: u64 =
                v[0].parse().ok().filter(|k| *k >= 1).ok_or_else(|| {
                    anyhow!("--png-every {:?}: K must be a whole number ≥ 1", v[0])
                })?;
            let dir = PathBuf::from(&v[1]);
            check_dir(&dir)?;
            Some((k, dir))
        }
        Some(_) => bail!("--png-every needs K DIR"),
        None => None,
    };
    for p in [&a.png, &a.gif].into_iter().flatten() {
        files::check_writable(p)?;
    }
    if a.gif_every == Some(0) {
        bail!("--gif-every 0 is not allowed; allowed: 1 ..= {}", u64::MAX);
    }
    if !a.fps.is_finite() || !(0.1..=50.0).contains(&a.fps) {
        bail!("--fps {} is not allowed; allowed: 0.1 ..= 50", a.fps);
    }
    Ok(PicturePlan {
        title: preset.unwrap_or_default().to_string(),
        png: a.png.clone(),
        png_every,
        size: parse_size(&a.size, "--size", MAX_PNG_SIDE)?,
        gif: a.gif.clone(),
        gif_every: a.gif_every.unwrap_or((steps / 100).max(1)),
        gif_size: parse_size(&a.gif_size, "--gif-size", MAX_GIF_SIDE)?,
        fps: a.fps,
        camera: match &a.view {
            Some(v) => parse_view(v)?,
            None => OrbitCamera::default(),
        },
        options: SceneOptions {
            show_ghost: !a.no_ghost,
            ..SceneOptions::default()
        },
    })
}

pub(super) fn progress_bar(steps: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if steps < 20_000 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(steps);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} steps ({per_sec}, {eta})")
    {
        bar.set_style(style);
    }
    bar
}
