//! The window's Record toggle: frames of the 3D view, as shown, streamed to a
//! GIF on a background thread (quantising a frame takes milliseconds, which
//! the drawing thread must not spend).

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use anyhow::{anyhow, Result};
use crossbeam_channel::{bounded, Sender, TrySendError};
use egui::ColorImage;

use crate::render::gif::GifRecorder;

/// GIF frame size: small enough for a slide.
pub const GIF_SIZE: (u32, u32) = (640, 400);
/// Capture one frame in this many window frames.
pub const CAPTURE_EVERY: u64 = 4;
const GIF_FPS: f32 = 10.0;

pub struct Recording {
    tx: Option<Sender<Vec<u8>>>,
    worker: Option<JoinHandle<Result<usize>>>,
    pub path: PathBuf,
    pub dropped: usize,
}

impl Recording {
    /// Fails at once, creating nothing, when `path` cannot be written.
    pub fn start(path: &Path) -> Result<Recording> {
        let (w, h) = GIF_SIZE;
        let mut rec = GifRecorder::new(path, w, h, GIF_FPS)?;
        let (tx, rx) = bounded::<Vec<u8>>(8);
        let worker = std::thread::Builder::new()
            .name("gif-recorder".into())
            .spawn(move || {
                for frame in rx {
                    rec.push_frame(&frame)?;
                }
                let n = rec.frames();
                rec.finish()?;
                Ok(n)
            })?;
        Ok(Recording {
            tx: Some(tx),
            worker: Some(worker),
            path: path.to_path_buf(),
            dropped: 0,
        })
    }

    /// Queues a frame (scaled to the GIF's size, with `caption` in its corner
    /// as in the headless GIFs); drops it if the encoder lags.
    pub fn push(&mut self, image: &ColorImage, caption: &str) {
        let [w, h] = image.size;
        if w == 0 || h == 0 {
            return;
        }
        let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
        let Some(src) = image::RgbaImage::from_raw(w as u32, h as u32, rgba) else {
            return;
        };
        let (gw, gh) = GIF_SIZE;
        let scaled = image::imageops::resize(&src, gw, gh, image::imageops::FilterType::Triangle);
        let mut px = scaled.into_raw();
        if !caption.is_empty() {
            crate::render::overlay::draw_caption(&mut px, GIF_SIZE, caption);
        }
        if let Some(tx) = &self.tx {
            if let Err(TrySendError::Full(_)) = tx.try_send(px) {
                self.dropped += 1;
            }
        }
    }

    /// Finishes the file; returns the number of frames written.
    pub fn stop(mut self) -> Result<usize> {
        drop(self.tx.take());
        let worker = self
            .worker
            .take()
            .ok_or_else(|| anyhow!("recording already stopped"))?;
        worker
            .join()
            .map_err(|_| anyhow!("the GIF writer panicked"))?
    }
}
