//! Text for the headless pictures (tick values, axis names, the step/state
//! caption, the key), drawn with the window's own proportional font (egui's
//! bundled Ubuntu Light) through `ab_glyph`, antialiased, so a `--png` reads
//! like the window.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

/// The window's proportional font (`None` only if the bundled bytes were
/// unreadable; text is then left out rather than the picture failing).
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT).ok())
        .as_ref()
}

/// Line height in pixels at `scale` (the old bitmap font's 9 rows a scale
/// step, so layouts keep their proportions).
pub fn line_height(scale: u32) -> u32 {
    9 * scale.max(1)
}

/// The font's pixel size for a line of `line_height(scale)`.
fn px(scale: u32) -> PxScale {
    PxScale::from(line_height(scale) as f32 * 1.15)
}

/// Pixel size of `text` at `scale`: its advance width and the line height.
pub fn text_size(text: &str, scale: u32) -> (u32, u32) {
    let h = line_height(scale);
    let Some(f) = font() else {
        return (0, h);
    };
    let sf = f.as_scaled(px(scale));
    let w: f32 = text.chars().map(|c| sf.h_advance(sf.glyph_id(c))).sum();
    (w.ceil() as u32, h)
}

/// An RGBA image, rows top-down, that text can be drawn into.
pub struct Canvas<'a> {
    pub pixels: &'a mut [u8],
    pub width: u32,
    pub height: u32,
}

impl Canvas<'_> {
    /// Blends colour `c` at coverage `a` (0..=1) into pixel (x, y), if inside.
    fn blend(&mut self, x: i64, y: i64, c: [u8; 3], a: f32) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 || a <= 0.0 {
            return;
        }
        let i = 4 * (y as usize * self.width as usize + x as usize);
        if let Some(px) = self.pixels.get_mut(i..i + 4) {
            let a = a.min(1.0);
            for (p, &v) in px.iter_mut().zip(&c) {
                *p = (*p as f32 * (1.0 - a) + v as f32 * a).round() as u8;
            }
            px[3] = 255;
        }
    }

    /// Fills a rectangle (clipped to the canvas).
    pub fn fill(&mut self, x: i64, y: i64, w: u32, h: u32, c: [u8; 3]) {
        for yy in y..y + h as i64 {
            for xx in x..x + w as i64 {
                self.blend(xx, yy, c, 1.0);
            }
        }
    }

    /// Draws `text` with the top-left corner of its line at (`x`, `y`);
    /// pixels outside are clipped.
    pub fn text(&mut self, x: i64, y: i64, text: &str, scale: u32, c: [u8; 3]) {
        let Some(f) = font() else {
            return;
        };
        let sf = f.as_scaled(px(scale));
        // The baseline sits so that ascent and descent centre in the line.
        let line = line_height(scale) as f32;
        let baseline = y as f32 + 0.5 * (line + sf.ascent() + sf.descent());
        let mut pen = x as f32;
        for ch in text.chars() {
            let id = sf.glyph_id(ch);
            let glyph = id.with_scale_and_position(px(scale), ab_glyph::point(pen, baseline));
            pen += sf.h_advance(id);
            let Some(outline) = f.outline_glyph(glyph) else {
                continue;
            };
            let b = outline.px_bounds();
            outline.draw(|gx, gy, a| {
                self.blend(b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64, c, a);
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_drawn_antialiased_and_clipped() {
        let (w, h) = (60u32, 30u32);
        let mut px = vec![0u8; (4 * w * h) as usize];
        let mut c = Canvas {
            pixels: &mut px,
            width: w,
            height: h,
        };
        c.text(-3, 2, "1.5 E", 2, [255, 0, 0]);
        c.text(50, 20, "88", 2, [255, 0, 0]);
        let reds: Vec<u8> = px.chunks(4).map(|p| p[0]).collect();
        assert!(reds.contains(&255), "full ink somewhere");
        assert!(reds.iter().any(|&r| r > 0 && r < 255), "antialiased edges");
        let (tw, th) = text_size("1.5", 2);
        assert_eq!(th, 18);
        assert!(tw > 10 && tw < 40, "{tw}");
        assert!(text_size("1.55", 2).0 > tw, "wider with more text");
        assert_eq!(text_size("", 2).0, 0);
    }
}
