//! What egui paints over the 3D view (three-d draws no text): axis names and
//! tick values, the slice x = x₀ along the surface, the energy colour bar and
//! the key to the beads and lines. Colours come from `scene::colormap`, the
//! palette shared with the plots and the headless pictures.

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Stroke, Ui};
use three_d::Viewport;

use super::{View3d, ViewOptions};
use crate::model::SurfaceView;
use crate::scene::colormap::{energy_color, KeyEntry, Mark, GHOST_ALPHA, KEY, SLICE};
use crate::scene::numfmt::eng;
use crate::scene::LabelKind;

pub fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// Text and its halo for the theme: labels must read on the view's background.
fn text_colors(ui: &Ui) -> (Color32, Color32) {
    if ui.visuals().dark_mode {
        (Color32::from_gray(232), Color32::from_gray(20))
    } else {
        (Color32::from_gray(25), Color32::from_gray(245))
    }
}

pub(super) struct Projector {
    camera: three_d::Camera,
    origin: Pos2,
    ppp: f32,
}

impl Projector {
    /// Pixel (in points) of a world point.
    fn to_screen(&self, p: [f32; 3]) -> Option<Pos2> {
        let [x, y] = crate::scene::camera::project_with(&self.camera, p)?;
        Some(self.origin + egui::vec2(x / self.ppp, y / self.ppp))
    }
}

impl View3d {
    /// The projection of world points to points inside `rect`, made once a frame.
    fn projector(&self, rect: Rect, ppp: f32, fit_aspect: f32) -> Projector {
        let vp = Viewport::new_at_origo((rect.width() * ppp) as u32, (rect.height() * ppp) as u32);
        Projector {
            camera: self.fitted_camera(rect, fit_aspect).camera(vp),
            origin: rect.min,
            ppp,
        }
    }

    pub(super) fn overlay_ui(
        &self,
        ui: &Ui,
        rect: Rect,
        view: Option<&SurfaceView>,
        opts: &ViewOptions,
    ) {
        let painter = ui.painter_at(rect);
        let ppp = ui.ctx().pixels_per_point();
        let (text, _) = text_colors(ui);
        let k = opts.text_scale;
        let projector = self.projector(rect, ppp, opts.fit_aspect);
        // Axis names first; a tick label that would overlap one already drawn
        // is left out (in a narrow column the ticks of two axes meet at the
        // floor's corner: "-0.5" over "0.0"), as in the headless pictures.
        let mut order: Vec<_> = self.labels.iter().collect();
        order.sort_by_key(|l| l.kind != LabelKind::AxisName);
        let mut taken: Vec<Rect> = Vec::new();
        let mut placed = Vec::new();
        for label in order {
            let Some(p) = projector.to_screen(label.anchor) else {
                continue;
            };
            let size = match label.kind {
                LabelKind::AxisName => 18.0,
                LabelKind::Tick => 12.0,
            };
            let galley =
                painter.layout_no_wrap(label.text.clone(), FontId::proportional(size * k), text);
            let at = Rect::from_center_size(p, galley.size()).expand(1.0);
            if taken.iter().any(|r| r.intersects(at)) {
                continue;
            }
            taken.push(at);
            placed.push((at, galley));
        }
        // The key goes to the corner where it hides the fewest labels, and
        // the labels are drawn over it, so a zoomed or narrow view keeps its
        // axes readable.
        if opts.show_key {
            key_ui(ui, &painter, rect, k, opts.show_ghost, &taken);
        }
        for (at, galley) in placed {
            painter.galley(at.shrink(1.0).min, galley, text);
        }
        if let (Some(v), Some(x0)) = (view, opts.slice_x) {
            self.slice_line_ui(&painter, &projector, v, x0);
        }
        self.colour_bar_ui(ui, &painter, rect, &projector, k);
    }

    /// The slice x = x₀ of the slice plot, drawn along the surface with a dark
    /// edge so that it reads on every colour of the ramp.
    fn slice_line_ui(&self, painter: &Painter, projector: &Projector, view: &SurfaceView, x0: f32) {
        let i = super::super::plots::column_of(view, x0 as f64);
        let Some(&x) = view.xs.get(i) else { return };
        let pts: Vec<Pos2> = view
            .ys
            .iter()
            .enumerate()
            .filter_map(|(k, &y)| projector.to_screen(self.frame.world(x, y, view.at(i, k))))
            .collect();
        painter.add(egui::Shape::line(
            pts.clone(),
            Stroke::new(4.0, Color32::from_black_alpha(150)),
        ));
        painter.add(egui::Shape::line(pts, Stroke::new(2.0, rgb(SLICE))));
    }

    /// A vertical colour bar with the energy range, in the view's top-right
    /// corner, above the data box where the box reaches under it.
    fn colour_bar_ui(&self, ui: &Ui, painter: &Painter, rect: Rect, projector: &Projector, k: f32) {
        let (lo, hi) = self.frame.e_range;
        let top_left = rect.right_top() + egui::vec2(-46.0 * k, 30.0 * k);
        let height = bar_height(projector, top_left, k);
        let bar = Rect::from_min_size(top_left, egui::vec2(14.0 * k, height));
        let n = 32;
        for j in 0..n {
            let t = 1.0 - j as f32 / n as f32;
            let y0 = bar.top() + bar.height() * j as f32 / n as f32;
            let cell = Rect::from_min_max(
                egui::pos2(bar.left(), y0),
                egui::pos2(bar.right(), y0 + bar.height() / n as f32 + 0.5),
            );
            painter.rect_filled(cell, 0.0, rgb(energy_color(t)));
        }
        let font = FontId::proportional(12.0 * k);
        let (c, _) = text_colors(ui);
        painter.text(
            bar.right_top() + egui::vec2(0.0, -4.0),
            Align2::RIGHT_BOTTOM,
            format!("{} {}", self.frame.names.e, eng(hi as f64, 3)),
            font.clone(),
            c,
        );
        painter.text(
            bar.right_bottom() + egui::vec2(0.0, 4.0),
            Align2::RIGHT_TOP,
            eng(lo as f64, 3),
            font,
            c,
        );
    }
}

/// The colour bar's height: 160 points (× `k`), shorter where the data box
/// reaches under the bar (a narrow compare or lecture column, where the box
/// spans the whole width), so that the bar and its lower label end above the
/// box; never under 60.
fn bar_height(projector: &Projector, top_left: Pos2, k: f32) -> f32 {
    let full = 160.0 * k;
    let corners = [-1.0f32, 1.0].into_iter().flat_map(|x| {
        [0.0f32, 1.0]
            .into_iter()
            .flat_map(move |y| [-1.0f32, 1.0].map(|z| [x, y, z]))
    });
    let box_top = corners
        .filter_map(|c| projector.to_screen(c))
        .filter(|p| p.x > top_left.x - 8.0 * k)
        .map(|p| p.y)
        .fold(f32::INFINITY, f32::min);
    (box_top - 24.0 * k - top_left.y).clamp(60.0 * k, full)
}

/// The key's card: of the free corners (bottom-left first, then
/// bottom-right and top-left; the colour bar holds the top right) the one
/// that covers the least of the labels' area.
fn key_card(rect: Rect, size: egui::Vec2, labels: &[Rect]) -> Rect {
    let m = egui::vec2(8.0, 8.0);
    let corners = [
        Rect::from_min_size(rect.left_bottom() + egui::vec2(m.x, -m.y - size.y), size),
        Rect::from_min_size(rect.right_bottom() - m - size, size),
        Rect::from_min_size(rect.left_top() + m, size),
    ];
    let covered = |card: &Rect| -> f32 {
        labels
            .iter()
            .map(|l| card.intersect(*l))
            .filter(|r| r.is_positive())
            .map(|r| r.area())
            .sum()
    };
    corners
        .into_iter()
        .min_by(|a, b| covered(a).total_cmp(&covered(b)))
        .unwrap_or(corners[0])
}

/// The key on a translucent card, in the corner `key_card` picks.
fn key_ui(ui: &Ui, painter: &Painter, rect: Rect, k: f32, ghost: bool, labels: &[Rect]) {
    let font = FontId::proportional(13.0 * k);
    let (text, halo) = text_colors(ui);
    let row = 18.0 * k;
    let entries: Vec<_> = KEY
        .iter()
        .filter(|e| ghost || e.mark != Mark::Patch)
        .collect();
    let widest = entries
        .iter()
        .map(|e| {
            painter
                .layout_no_wrap(e.text.to_string(), font.clone(), text)
                .size()
                .x
        })
        .fold(0.0, f32::max);
    let size = egui::vec2(widest + 40.0 * k, row * entries.len() as f32 + 10.0 * k);
    let card = key_card(rect, size, labels);
    painter.rect_filled(card, 6.0, halo.gamma_multiply(0.75));
    for (n, e) in entries.iter().enumerate() {
        let y = card.top() + 5.0 * k + row * (n as f32 + 0.5);
        mark_ui(painter, egui::pos2(card.left() + 16.0 * k, y), e, k);
        painter.text(
            egui::pos2(card.left() + 32.0 * k, y),
            Align2::LEFT_CENTER,
            e.text,
            font.clone(),
            text,
        );
    }
}

/// One entry's mark (bead, line or patch) centred at `at`.
fn mark_ui(painter: &Painter, at: Pos2, e: &KeyEntry, k: f32) {
    let c = rgb(e.color);
    match e.mark {
        Mark::Bead => {
            painter.circle(at, 5.0 * k, c, Stroke::new(1.0, Color32::from_gray(40)));
        }
        Mark::Line => {
            let d = egui::vec2(9.0 * k, 0.0);
            painter.line_segment([at - d, at + d], Stroke::new(3.0 * k, c));
        }
        Mark::Patch => {
            let r = Rect::from_center_size(at, egui::vec2(18.0, 10.0) * k);
            let a = (GHOST_ALPHA as f32 * 2.5) as u8;
            painter.rect_filled(
                r,
                2.0,
                Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), a),
            );
        }
    }
}

/// The key as one wrapped row of widgets, for views too small to carry the
/// card (compare's grid): one key above every view, since they all show the
/// same marks.
pub fn key_row_ui(ui: &mut Ui, ghost: bool, k: f32) {
    ui.horizontal_wrapped(|ui| {
        let font = FontId::proportional(13.0 * k);
        for e in KEY.iter().filter(|e| ghost || e.mark != Mark::Patch) {
            // An entry wraps whole: its mark never ends a line without its text.
            let text_w = ui
                .painter()
                .layout_no_wrap(e.text.to_string(), font.clone(), Color32::WHITE)
                .size()
                .x;
            if ui.available_size_before_wrap().x
                < 22.0 * k + text_w + 2.0 * ui.spacing().item_spacing.x + 8.0
            {
                ui.end_row();
            }
            let (rect, _) =
                ui.allocate_exact_size(egui::vec2(22.0, 14.0) * k, egui::Sense::hover());
            mark_ui(ui.painter(), rect.center(), e, k);
            ui.add(egui::Label::new(egui::RichText::new(e.text).size(13.0 * k)).extend());
            ui.add_space(8.0 * k);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_colour_bar_ends_above_the_box_in_narrow_columns() {
        let view = View3d::new(None);
        // k: the text scale (1.5 in the presentation layout).
        let height = |w: f32, h: f32, fit: f32, k: f32| {
            let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(w, h));
            let top_left = rect.right_top() + egui::vec2(-46.0 * k, 30.0 * k);
            bar_height(&view.projector(rect, 1.0, fit), top_left, k)
        };
        assert_eq!(
            height(624.0, 647.0, 1.2, 1.0),
            160.0,
            "one run: full height"
        );
        let narrow = height(310.0, 515.0, 1.6, 1.5);
        assert!(
            (90.0..240.0).contains(&narrow),
            "a lecture column: {narrow}"
        );
        assert_eq!(height(310.0, 150.0, 1.6, 1.5), 90.0, "never under 60 × k");
    }

    #[test]
    fn the_key_moves_off_the_labels_it_would_cover() {
        let rect = Rect::from_min_size(Pos2::ZERO, egui::vec2(600.0, 400.0));
        let size = egui::vec2(200.0, 100.0);
        assert_eq!(
            key_card(rect, size, &[]).left(),
            8.0,
            "bottom-left when free"
        );
        let y_ticks = [Rect::from_min_size(
            egui::pos2(20.0, 330.0),
            egui::vec2(30.0, 14.0),
        )];
        let card = key_card(rect, size, &y_ticks);
        assert!(!card.intersects(y_ticks[0]), "{card:?}");
        assert_eq!(card.right(), 592.0, "bottom-right next");
    }
}
