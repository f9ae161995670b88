//! Writing what the window shows: a screenshot (whole window or the 3D view's
//! rectangle) as PNG, through an atomic write.

use std::path::Path;

use anyhow::{anyhow, Result};
use egui::{ColorImage, Rect};

/// Crops `image` to `rect` (in points; `ppp` pixels per point), or keeps it whole.
pub fn crop(image: &ColorImage, rect: Option<Rect>, ppp: f32) -> ColorImage {
    let [w, h] = image.size;
    let Some(rect) = rect else {
        return image.clone();
    };
    let x0 = ((rect.min.x * ppp).round().max(0.0) as usize).min(w);
    let y0 = ((rect.min.y * ppp).round().max(0.0) as usize).min(h);
    let x1 = ((rect.max.x * ppp).round().max(0.0) as usize).clamp(x0, w);
    let y1 = ((rect.max.y * ppp).round().max(0.0) as usize).clamp(y0, h);
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        pixels.extend_from_slice(&image.pixels[y * w + x0..y * w + x1]);
    }
    ColorImage::new([x1 - x0, y1 - y0], pixels)
}

pub fn png_bytes(image: &ColorImage) -> Result<Vec<u8>> {
    let [w, h] = image.size;
    if w == 0 || h == 0 {
        return Err(anyhow!("the view is empty (is the window minimised?)"));
    }
    let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buf = image::RgbaImage::from_raw(w as u32, h as u32, rgba)
        .ok_or_else(|| anyhow!("bad image size"))?;
    let mut out = std::io::Cursor::new(Vec::new());
    buf.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

pub fn save_png(image: &ColorImage, rect: Option<Rect>, ppp: f32, path: &Path) -> Result<()> {
    let bytes = png_bytes(&crop(image, rect, ppp))?;
    crate::files::write_atomic(path, &bytes)
}
