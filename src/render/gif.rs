//! Animated GIF recording, shared by `train --gif` and the window's Record
//! toggle: frames are quantised (NeuQuant, a palette per frame) and streamed to
//! a temporary file next to the target, which is renamed into place only by
//! [`GifRecorder::finish`]; a recorder dropped unfinished leaves nothing behind.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, RgbaImage};

/// NeuQuant sampling speed (1 best … 30 fastest); 10 keeps colours smooth at a few ms per frame.
const QUANTISE_SPEED: i32 = 10;

/// The largest side of a GIF frame (quantising 2048² takes about a second).
pub const MAX_GIF_SIDE: u32 = 2048;

pub struct GifRecorder {
    path: PathBuf,
    tmp: PathBuf,
    width: u32,
    height: u32,
    delay: Delay,
    encoder: Option<GifEncoder<BufWriter<File>>>,
    frames: usize,
}

impl GifRecorder {
    /// Starts a `width` × `height` GIF at `fps` frames per second (0.1 ..= 50).
    /// Fails at once (nothing created) when `path` cannot be written.
    pub fn new(path: &Path, width: u32, height: u32, fps: f32) -> Result<GifRecorder> {
        if !(1..=MAX_GIF_SIDE).contains(&width) || !(1..=MAX_GIF_SIDE).contains(&height) {
            bail!(
                "GIF size {width}x{height} is not allowed; allowed: 1 ..= {MAX_GIF_SIDE} each way"
            );
        }
        if !fps.is_finite() || !(0.1..=50.0).contains(&fps) {
            bail!("--fps {fps} is not allowed; allowed: 0.1 ..= 50");
        }
        let tmp = crate::files::temp_for(path)?;
        let file = match File::create(&tmp) {
            Ok(f) => f,
            Err(e) => {
                crate::files::discard_temp(&tmp);
                return Err(e).with_context(|| format!("cannot write {}", path.display()));
            }
        };
        let mut encoder = GifEncoder::new_with_speed(BufWriter::new(file), QUANTISE_SPEED);
        if let Err(e) = encoder.set_repeat(Repeat::Infinite) {
            drop(encoder);
            crate::files::discard_temp(&tmp);
            return Err(e).with_context(|| format!("cannot write {}", path.display()));
        }
        let ms = (1000.0 / fps).round().max(20.0) as u32;
        Ok(GifRecorder {
            path: path.to_path_buf(),
            tmp,
            width,
            height,
            delay: Delay::from_numer_denom_ms(ms, 1),
            encoder: Some(encoder),
            frames: 0,
        })
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Appends one frame of RGBA pixels, rows top-down, of the recorder's size.
    pub fn push_frame(&mut self, rgba: &[u8]) -> Result<()> {
        let image =
            RgbaImage::from_raw(self.width, self.height, rgba.to_vec()).ok_or_else(|| {
                anyhow!(
                    "GIF frame has {} bytes; expected {}×{}×4",
                    rgba.len(),
                    self.width,
                    self.height
                )
            })?;
        let encoder = self
            .encoder
            .as_mut()
            .ok_or_else(|| anyhow!("GIF already finished"))?;
        encoder
            .encode_frame(Frame::from_parts(image, 0, 0, self.delay))
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        self.frames += 1;
        Ok(())
    }

    /// Completes the file and moves it to its final name.
    pub fn finish(mut self) -> Result<()> {
        if self.frames == 0 {
            bail!("no frames recorded for {}", self.path.display());
        }
        // Dropping the encoder writes the GIF trailer and flushes the file.
        drop(self.encoder.take());
        self.check_complete()
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        crate::files::commit_temp(&self.tmp, &self.path)
    }

    /// The flush inside the encoder's drop cannot report errors: read the end back.
    fn check_complete(&self) -> Result<()> {
        let mut f = File::open(&self.tmp)?;
        f.seek(SeekFrom::End(-1))?;
        let mut last = [0u8];
        f.read_exact(&mut last)?;
        f.sync_all()?;
        if last[0] != 0x3B {
            bail!("the GIF was cut short (disk full?)");
        }
        Ok(())
    }
}

impl Drop for GifRecorder {
    fn drop(&mut self) {
        drop(self.encoder.take());
        // After a successful finish the temporary file has been renamed away.
        crate::files::discard_temp(&self.tmp);
    }
}
