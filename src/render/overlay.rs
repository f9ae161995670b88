//! The text layer of a headless picture: the scene's labels projected with the
//! same camera, a caption (step and state) and the key to the beads and lines. The window paints the same
//! labels with egui from `Scene::projected_labels`.

use three_d::Viewport;

use super::font::{line_height, text_size, Canvas};
use crate::model::State;
use crate::scene::colormap::{Mark, BACKGROUND, KEY, TEXT};

/// The key's card, and the ghost's patch on it (the ghost blended over the card).
const CARD: [u8; 3] = [10, 11, 15];
const GHOST_PATCH: [u8; 3] = [70, 72, 80];
use crate::scene::{LabelKind, OrbitCamera, Scene};

/// Text scale for an image `height` pixels tall: 2 px per font pixel at 400, 3 at 800.
pub fn text_scale(height: u32) -> u32 {
    ((height as f32 / 230.0).round() as u32).max(1)
}

fn shadowed(canvas: &mut Canvas, x: i64, y: i64, text: &str, scale: u32) {
    let s = scale.max(1) as i64;
    let s2 = (s / 2).max(1);
    for (dx, dy) in [(s2, s2), (-s2, 0), (0, -s2), (s2, 0), (0, s2)] {
        canvas.text(x + dx, y + dy, text, scale, BACKGROUND);
    }
    canvas.text(x, y, text, scale, TEXT);
}

/// Draws the scene's labels into `pixels` (`width` × `height` RGBA, top-down).
pub fn draw_labels(
    pixels: &mut [u8],
    (width, height): (u32, u32),
    scene: &Scene,
    camera: &OrbitCamera,
) {
    let scale = text_scale(height);
    let vp = Viewport::new_at_origo(width, height);
    let mut canvas = Canvas {
        pixels,
        width,
        height,
    };
    let mut labels = scene.projected_labels(camera, vp);
    // Axis names first; a label that would overlap one already drawn is left
    // out (tick labels of two axes meet at the floor's corner).
    labels.sort_by_key(|(l, _)| l.kind != LabelKind::AxisName);
    let mut taken: Vec<[i64; 4]> = Vec::new();
    for (label, [px, py]) in labels {
        let s = match label.kind {
            LabelKind::AxisName => scale + 1,
            LabelKind::Tick => scale,
        };
        let (w, h) = text_size(&label.text, s);
        let x = px.round() as i64 - w as i64 / 2;
        let y = py.round() as i64 - h as i64 / 2;
        let rect = [x - 2, y - 2, x + w as i64 + 2, y + h as i64 + 2];
        let overlaps =
            |r: &[i64; 4]| r[0] < rect[2] && rect[0] < r[2] && r[1] < rect[3] && rect[1] < r[3];
        if taken.iter().any(overlaps) {
            continue;
        }
        taken.push(rect);
        shadowed(&mut canvas, x, y, &label.text, s);
    }
}

/// The caption of a frame: title, step and state (the window's GIF frames use
/// it too, so it lives here, on every target, beside [`draw_caption`]).
pub fn caption(title: &str, step: u64, state: State) -> String {
    let (step, state) = (step, state.name());
    if title.is_empty() {
        format!("step {step} · {state}")
    } else {
        format!("{title} · step {step} · {state}")
    }
}

/// How a caption fits a picture `width` wide: its lines (split after a
/// " · " where one line does not fit) at the picture's text scale, or a
/// smaller one only when even the split lines do not fit, so that a narrow
/// compare panel of a handout shows its whole caption ("… · step 20000 ·
/// learned") in the same type as its neighbours.
pub fn caption_layout(text: &str, width: u32, height: u32) -> (u32, Vec<String>) {
    let fits = |t: &str, s: u32| text_size(t, s).0 as i64 + 12 * s as i64 <= width as i64;
    let wrapped = |s: u32| {
        let mut lines: Vec<String> = Vec::new();
        for part in text.split(" · ") {
            match lines.last_mut() {
                Some(last) if fits(&format!("{last} · {part}"), s) => {
                    last.push_str(" · ");
                    last.push_str(part);
                }
                _ => lines.push(part.to_string()),
            }
        }
        lines
    };
    let top = text_scale(height);
    (1..=top)
        .rev()
        .map(|s| (s, wrapped(s)))
        .find(|(s, lines)| lines.iter().all(|l| fits(l, *s)))
        .unwrap_or_else(|| (1, wrapped(1)))
}

/// Draws `text` in the top-left corner, fitted to the width.
pub fn draw_caption(pixels: &mut [u8], (width, height): (u32, u32), text: &str) {
    let (scale, lines) = caption_layout(text, width, height);
    let mut canvas = Canvas {
        pixels,
        width,
        height,
    };
    let m = 6 * scale as i64;
    for (i, line) in lines.iter().enumerate() {
        let y = m + i as i64 * line_height(scale) as i64;
        shadowed(&mut canvas, m, y, line, scale);
    }
}

/// The key to the beads and lines (as in the window's 3D view), in the
/// bottom-left corner on a darker card.
pub fn draw_key(pixels: &mut [u8], (width, height): (u32, u32), show_ghost: bool) {
    let scale = text_scale(height);
    let mut canvas = Canvas {
        pixels,
        width,
        height,
    };
    let entries: Vec<_> = KEY
        .iter()
        .filter(|e| !e.window_only && (show_ghost || e.mark != Mark::Patch))
        .collect();
    let s = scale as i64;
    let row = line_height(scale) as i64 + 3 * s;
    let widest = entries
        .iter()
        .map(|e| text_size(e.ascii, scale).0 as i64)
        .max()
        .unwrap_or(0);
    let (w, h) = (widest + 16 * s, row * entries.len() as i64 + 4 * s);
    let (x0, y0) = (4 * s, height as i64 - h - 4 * s);
    canvas.fill(x0, y0, w as u32, h as u32, CARD);
    for (n, e) in entries.iter().enumerate() {
        let y = y0 + 2 * s + row * n as i64;
        let mid = y + line_height(scale) as i64 / 2;
        match e.mark {
            Mark::Bead => canvas.fill(x0 + 3 * s, mid - 2 * s, 4 * scale, 4 * scale, e.color),
            Mark::Line => canvas.fill(x0 + 2 * s, mid - s / 2, 7 * scale, scale.max(2), e.color),
            Mark::Patch => canvas.fill(x0 + 2 * s, mid - 2 * s, 7 * scale, 4 * scale, GHOST_PATCH),
        }
        canvas.text(x0 + 12 * s, y, e.ascii, scale, TEXT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caption_fits_a_narrow_panel_whole() {
        let text = caption("loss = square-square", 20_000, State::Learned);
        for (w, h) in [(1280, 720), (320, 720), (200, 720), (160, 400)] {
            let (scale, lines) = caption_layout(&text, w, h);
            for l in &lines {
                assert!(
                    text_size(l, scale).0 + 12 * scale <= w,
                    "{w}×{h}: {l:?} at scale {scale}"
                );
            }
            assert_eq!(lines.join(" · "), text, "{w}×{h}: nothing dropped");
        }
        assert_eq!(caption_layout(&text, 1280, 720).1.len(), 1);
        // A handout's four panels of 320 px keep the picture's type, wrapped.
        assert_eq!(caption_layout(&text, 320, 720).0, text_scale(720));
    }
}
