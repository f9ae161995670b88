//! The pictures `train` writes while it runs: a final PNG still, numbered PNG
//! frames every K steps, and an animated GIF, all drawn by one headless
//! renderer with the window's scene, labels and camera.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};

use super::gif::GifRecorder;
use super::headless::Headless;
use super::overlay;
pub use super::overlay::caption;
use crate::files;
use crate::model::{surface_view, Run, ViewWorkspace};
use crate::scene::{OrbitCamera, SceneOptions};

/// Display grid of stills and PNG frames (fine), and of GIF frames (cheaper, smaller files).
pub const STILL_GRID: usize = 96;
pub const GIF_GRID: usize = 64;

/// What to draw and where; paths have been checked by the caller.
#[derive(Clone, Debug)]
pub struct PicturePlan {
    /// Shown in captions (the preset's name, or empty).
    pub title: String,
    pub png: Option<PathBuf>,
    pub png_every: Option<(u64, PathBuf)>,
    pub size: (u32, u32),
    pub gif: Option<PathBuf>,
    pub gif_every: u64,
    pub gif_size: (u32, u32),
    pub fps: f32,
    pub camera: OrbitCamera,
    pub options: SceneOptions,
}

impl PicturePlan {
    pub fn wants_any(&self) -> bool {
        self.png.is_some() || self.png_every.is_some() || self.gif.is_some()
    }
}

/// A running recording, started before the first step.
pub struct Pictures {
    plan: PicturePlan,
    headless: Headless,
    gif: Option<GifRecorder>,
    ghost_still: Vec<f32>,
    ghost_gif: Vec<f32>,
    ws: ViewWorkspace,
    png_frames: u64,
    last_gif_step: Option<u64>,
    last_png_step: Option<u64>,
    /// Milliseconds spent rendering (GL + read-back + text), and frames rendered.
    pub render_ms: f64,
    pub rendered: u64,
}

/// Encodes RGBA pixels as PNG bytes.
pub fn png_bytes(rgba: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(rgba, w, h, image::ExtendedColorType::Rgba8)
        .map_err(|e| anyhow!("PNG encoding: {e}"))?;
    Ok(out)
}

impl Pictures {
    /// Opens the GL device and the GIF, and records step 0. Fails with a clear
    /// message when there is no EGL device or GL driver.
    pub fn start(plan: PicturePlan, run: &mut Run) -> Result<Pictures> {
        let headless = Headless::new()?;
        let gif = match &plan.gif {
            Some(p) => Some(GifRecorder::new(
                p,
                plan.gif_size.0,
                plan.gif_size.1,
                plan.fps,
            )?),
            None => None,
        };
        let mut ws = ViewWorkspace::default();
        let state = run.metrics().state;
        let ghost_still = surface_view(run, STILL_GRID, STILL_GRID, state, &mut ws).energy;
        let ghost_gif = surface_view(run, GIF_GRID, GIF_GRID, state, &mut ws).energy;
        let mut p = Pictures {
            plan,
            headless,
            gif,
            ghost_still,
            ghost_gif,
            ws,
            png_frames: 0,
            last_gif_step: None,
            last_png_step: None,
            render_ms: 0.0,
            rendered: 0,
        };
        p.after_step(run)?;
        Ok(p)
    }

    /// Renders one picture of `run` at `grid`² with the labels and a caption.
    pub fn frame(&mut self, run: &mut Run, grid: usize, size: (u32, u32)) -> Result<Vec<u8>> {
        let state = run.metrics().state;
        let text = caption(&self.plan.title, run.step(), state);
        let view = surface_view(run, grid, grid, state, &mut self.ws);
        let ghost = if grid == STILL_GRID {
            &self.ghost_still
        } else {
            &self.ghost_gif
        };
        let t = std::time::Instant::now();
        let cam = self.plan.camera;
        let mut px = self
            .headless
            .render(&view, Some(ghost), &self.plan.options, &cam, size)?;
        overlay::draw_labels(&mut px, size, self.headless.scene(), &cam);
        overlay::draw_caption(&mut px, size, &text);
        overlay::draw_key(&mut px, size, self.plan.options.show_ghost);
        self.render_ms += t.elapsed().as_secs_f64() * 1e3;
        self.rendered += 1;
        Ok(px)
    }

    /// Records the frames due at the run's current step (call after every step).
    pub fn after_step(&mut self, run: &mut Run) -> Result<()> {
        let step = run.step();
        if let Some((k, dir)) = self.plan.png_every.clone() {
            if step.is_multiple_of(k) {
                self.png_frame(run, &dir)?;
            }
        }
        if self.gif.is_some() && step.is_multiple_of(self.plan.gif_every) {
            self.gif_frame(run)?;
        }
        Ok(())
    }

    fn png_frame(&mut self, run: &mut Run, dir: &Path) -> Result<()> {
        let size = self.plan.size;
        let px = self.frame(run, STILL_GRID, size)?;
        let path = dir.join(format!("frame_{:05}.png", self.png_frames));
        files::write_atomic(&path, &png_bytes(&px, size)?)?;
        self.png_frames += 1;
        self.last_png_step = Some(run.step());
        Ok(())
    }

    fn gif_frame(&mut self, run: &mut Run) -> Result<()> {
        let size = self.plan.gif_size;
        let px = self.frame(run, GIF_GRID, size)?;
        if let Some(g) = self.gif.as_mut() {
            g.push_frame(&px)?;
        }
        self.last_gif_step = Some(run.step());
        Ok(())
    }

    /// Adds the final frames not yet recorded, writes the still and completes
    /// the GIF. Returns the number of pictures rendered and the mean ms per picture.
    pub fn finish(mut self, run: &mut Run) -> Result<(u64, f64)> {
        let step = run.step();
        if let Some((_, dir)) = self.plan.png_every.clone() {
            if self.last_png_step != Some(step) {
                self.png_frame(run, &dir)?;
            }
        }
        if self.gif.is_some() && self.last_gif_step != Some(step) {
            self.gif_frame(run)?;
        }
        if let Some(path) = self.plan.png.clone() {
            let size = self.plan.size;
            let px = self.frame(run, STILL_GRID, size)?;
            files::write_atomic(&path, &png_bytes(&px, size)?)?;
        }
        if let Some(g) = self.gif.take() {
            g.finish()?;
        }
        Ok((self.rendered, self.ms_per_frame()))
    }

    /// Mean render time per frame so far, in milliseconds.
    pub fn ms_per_frame(&self) -> f64 {
        if self.rendered == 0 {
            0.0
        } else {
            self.render_ms / self.rendered as f64
        }
    }
}

/// Parses `WxH` (each 16 ..= 8192).
/// The largest side of a PNG (`--size`): 4096² RGBA is 64 MB to read back.
pub const MAX_PNG_SIDE: u32 = 4096;
/// The largest side of a GIF frame (`--gif-size`): each frame is quantised
/// and kept by the encoder, so bigger frames cost seconds and gigabytes.
pub const MAX_GIF_SIDE: u32 = crate::render::gif::MAX_GIF_SIDE;

/// Parses `WIDTHxHEIGHT`, each side 16 ..= `max`.
pub fn parse_size(text: &str, flag: &str, max: u32) -> Result<(u32, u32)> {
    let bad = || {
        anyhow!(
            "{flag} {text:?}: expected WIDTHxHEIGHT, each side 16 ..= {max} (the limit for {flag}), e.g. 640x400"
        )
    };
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if !(16..=max).contains(&w) || !(16..=max).contains(&h) {
        return Err(bad());
    }
    Ok((w, h))
}

/// Parses `AZIMUTH,ELEVATION` in degrees (elevation −89 ..= 89).
pub fn parse_view(text: &str) -> Result<OrbitCamera> {
    let bad = || {
        anyhow!("--view {text:?}: expected AZIMUTH,ELEVATION in degrees, elevation -89 ..= 89, e.g. -32,38")
    };
    let (a, e) = text.split_once(',').ok_or_else(bad)?;
    let a: f32 = a.trim().parse().map_err(|_| bad())?;
    let e: f32 = e.trim().parse().map_err(|_| bad())?;
    if !a.is_finite() || !e.is_finite() || !(-89.0..=89.0).contains(&e) {
        return Err(bad());
    }
    Ok(OrbitCamera::with_view(a, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::State;

    #[test]
    fn sizes_and_views_parse_or_say_why_not() {
        assert_eq!(parse_size("640x400", "--size", 4096).ok(), Some((640, 400)));
        assert!(parse_size("640", "--size", 4096).is_err());
        assert!(parse_size("0x400", "--size", 4096).is_err());
        assert!(parse_size("4096x4096", "--size", MAX_PNG_SIDE).is_ok());
        let e = parse_size("8192x8192", "--gif-size", MAX_GIF_SIDE).unwrap_err();
        assert!(e.to_string().contains("16 ..= 2048"), "{e}");
        let c = parse_view("-32,38").ok().unwrap_or_default();
        assert_eq!((c.azimuth, c.elevation), (-32.0, 38.0));
        assert!(parse_view("10,95").is_err());
        assert!(parse_view("a,b").is_err());
    }

    #[test]
    fn captions_name_step_and_state() {
        assert_eq!(caption("", 5, State::Learned), "step 5 · learned");
        assert_eq!(
            caption("dual-nll", 0, State::Training),
            "dual-nll · step 0 · training"
        );
    }
}
