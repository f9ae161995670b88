//! The 2D plots: metrics over steps, the slice E(y | x = x₀), and a top-down
//! heat map on which x₀ is dragged, or, with "Draw points" on, the training
//! points are drawn (`draw.rs`). Each has its key in a row of labels above
//! it (a legend inside the plot covered the curves), in the palette of the 3D
//! view (`scene::colormap`). Numbers go through `scene::numfmt`, so a
//! diverging run's 10⁴⁵ prints as `1.00e45`, not as 46 digits.

pub mod draw;
mod key;
mod runs;

use egui::{Color32, PointerButton, TextureHandle, TextureOptions, Ui};
use egui_plot::{
    GridMark, Line, MarkerShape, Plot, PlotBounds, PlotImage, PlotPoint, PlotPoints, PlotTransform,
    PlotUi, Points, VLine,
};

pub use draw::Draw;
pub use key::{key_row_ui, KeyItem};
pub use runs::{runs_metrics_plot_ui, runs_slice_plot_ui, RunTrace};

use crate::model::SurfaceView;
use crate::scene::colormap::{self, energy_color, Mark};
use crate::scene::numfmt;
use crate::session::{History, Snapshot};

const fn c(rgb: [u8; 3]) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}
pub const SAMPLE_COLOR: Color32 = c(colormap::SAMPLE);
pub const OFFENDING_COLOR: Color32 = c(colormap::OFFENDING);
pub const INFERENCE_COLOR: Color32 = c(colormap::INFERENCE);
pub const SLICE_COLOR: Color32 = c(colormap::SLICE);
/// Metric lines (not in the 3D view, so free colours).
const METRIC_COLORS: [Color32; 5] = [
    Color32::from_rgb(230, 90, 60),
    Color32::from_rgb(120, 160, 255),
    Color32::from_rgb(240, 200, 60),
    Color32::from_rgb(60, 180, 120),
    Color32::from_rgb(200, 120, 220),
];
const METRIC_NAMES: [&str; 5] = [
    "loss",
    "spread",
    "y-spread",
    "contrast Ē − E_i",
    "inference error",
];

/// Axis text for a tick at `mark`: plain or engineering notation.
/// Grid steps of 1, 2 and 5 × 10ⁿ. egui_plot's default spacer steps by
/// powers of ten only, so where the 10ⁿ marks are too close for their labels
/// the next step (10ⁿ⁺¹) often has a single mark in view: an axis of "0"
/// alone (the step axis from ~300k steps, an energy axis past ~50).
pub fn nice_spacer() -> impl Fn(egui_plot::GridInput) -> Vec<GridMark> + 'static {
    egui_plot::uniform_grid_spacer(|input| {
        // Each level about 4-5 times the one below (1 → 5 → 20 → 100 …): the
        // widest is what carries the labels, so it must reach far enough
        // above the finest grid for labels to fit between its marks.
        let s0 = nice_at_least(input.base_step_size.abs().max(f64::MIN_POSITIVE));
        let s1 = nice_at_least(s0 * 4.0);
        let s2 = nice_at_least(s1 * 4.0);
        [s0, s1, s2]
    })
}

/// The smallest 1, 2 or 5 × 10ⁿ at least `x` (> 0).
pub fn nice_at_least(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v >= x * (1.0 - 1e-9))
        .unwrap_or(10.0 * p)
}

fn axis_text(mark: GridMark) -> String {
    numfmt::tick(mark.value, mark.step_size)
}

/// Step numbers, compact ("12k", "1.5M") so that several fit a narrow axis.
pub fn step_text(v: f64, step: f64) -> String {
    let (div, unit) = if v.abs() >= 1e6 && step >= 1e5 {
        (1e6, "M")
    } else if v.abs() >= 1e3 && step >= 100.0 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    if v.abs() < step * 1e-3 {
        return "0".into();
    }
    format!("{}{unit}", numfmt::tick(v / div, step / div))
}

pub fn metrics_plot_ui(ui: &mut Ui, history: &History, log_scale: bool) {
    let series = |f: &dyn Fn(&crate::session::HistoryPoint) -> f64| -> Vec<[f64; 2]> {
        history
            .points()
            .iter()
            .filter_map(|p| {
                let v = f(p);
                let v = if log_scale {
                    v.abs().max(1e-6).log10()
                } else {
                    v
                };
                v.is_finite().then_some([p.step as f64, v])
            })
            .collect()
    };
    let items: Vec<KeyItem> = METRIC_NAMES
        .iter()
        .zip(METRIC_COLORS)
        .map(|(n, c)| KeyItem::new(Mark::Line, c, n))
        .collect();
    key_row_ui(ui, &items);
    let last = history.points().last().map_or(1.0, |p| p.step as f64);
    let plot = Plot::new("metrics")
        .x_axis_label("step")
        .y_axis_label(if log_scale {
            "log₁₀ |value|"
        } else {
            "value"
        })
        .x_axis_formatter(|m, _| step_text(m.value, m.step_size))
        .x_grid_spacer(nice_spacer())
        .y_grid_spacer(nice_spacer())
        .y_axis_formatter(|m, _| axis_text(m))
        .include_x(0.0)
        .include_x(last.max(10.0))
        .set_margin_fraction(egui::vec2(0.08, 0.08))
        .allow_scroll(false);
    plot.show(ui, |p| {
        type Get = fn(&crate::session::HistoryPoint) -> f64;
        let fs: [Get; 5] = [
            |h| h.loss,
            |h| h.spread,
            |h| h.y_spread,
            |h| h.contrast,
            |h| h.inference_error,
        ];
        for ((f, name), color) in fs.iter().zip(METRIC_NAMES).zip(METRIC_COLORS) {
            let w = if name == "loss" { 2.0 } else { 1.5 };
            p.line(
                Line::new(name, PlotPoints::from(series(f)))
                    .color(color)
                    .width(w),
            );
        }
    });
}

/// Index of the display column nearest to x.
pub fn column_of(view: &SurfaceView, x: f64) -> usize {
    let n = view.xs.len();
    if n < 2 {
        return 0;
    }
    let (a, b) = (view.x_range.0 as f64, view.x_range.1 as f64);
    (((x - a) / (b - a) * (n - 1) as f64)
        .round()
        .clamp(0.0, (n - 1) as f64)) as usize
}

/// The energy scale shared by the 3D view, the slice plot and the heat map:
/// from 0 (or the lowest energy) to the highest of the surface and its ghost.
/// A collapsed, flat surface therefore looks flat in every view.
pub fn energy_scale(view: &SurfaceView, ghost: &[f32]) -> (f32, f32) {
    let (lo, hi) = view.energy_range();
    let ghost_hi = ghost
        .iter()
        .copied()
        .filter(|e| e.is_finite())
        .fold(f32::NEG_INFINITY, f32::max);
    (lo.min(0.0), hi.max(ghost_hi))
}

pub fn slice_plot_ui(ui: &mut Ui, snap: &Snapshot, slice_x: f64, show_ghost: bool) {
    let view = &snap.view;
    if view.xs.is_empty() {
        return;
    }
    let i = column_of(view, slice_x);
    let ny = view.ys.len();
    let x0 = view.xs[i];
    let pts = column_points(&view.ys, &view.energy[i * ny..(i + 1) * ny]);
    let ghost_ok = show_ghost && snap.initial_energy.len() == view.energy.len();
    let mut items = vec![KeyItem::new(Mark::Line, SLICE_COLOR, "E(y | x₀)")];
    if ghost_ok {
        items.push(KeyItem::new(Mark::Line, Color32::GRAY, "step 0"));
    }
    items.push(KeyItem::new(Mark::Line, INFERENCE_COLOR, "y̌(x₀)"));
    items.push(KeyItem::new(Mark::Bead, SAMPLE_COLOR, "samples near x₀"));
    key_row_ui(ui, &items);
    let (lo, hi) = energy_scale(view, &snap.initial_energy);
    let mut plot = Plot::new("slice")
        .x_axis_label("y")
        .y_axis_label(format!("E(y | x = {})", numfmt::eng(x0 as f64, 3)))
        .y_axis_formatter(|m, _| axis_text(m))
        .y_grid_spacer(nice_spacer())
        .allow_scroll(false);
    if lo.is_finite() && hi.is_finite() {
        plot = plot.include_y(lo as f64).include_y(hi as f64);
    }
    plot.show(ui, |p| {
        if ghost_ok {
            let gp = column_points(&view.ys, &snap.initial_energy[i * ny..(i + 1) * ny]);
            p.line(Line::new("step 0", PlotPoints::from(gp)).color(Color32::GRAY));
        }
        p.line(
            Line::new("E", PlotPoints::from(pts))
                .color(SLICE_COLOR)
                .width(2.0),
        );
        if let Some(inf) = view.inference.get(i) {
            p.vline(VLine::new("y̌(x₀)", inf[1] as f64).color(INFERENCE_COLOR));
        }
        // Training samples near x₀ mark where the right answers are.
        let dx = (view.x_range.1 - view.x_range.0) / view.xs.len().max(1) as f32;
        let near: Vec<[f64; 2]> = view
            .samples
            .iter()
            .filter(|s| (s[0] - x0).abs() <= dx)
            .map(|s| [s[1] as f64, s[2] as f64])
            .collect();
        beads(p, "samples", near, 4.0, SAMPLE_COLOR);
    });
}

/// A column of energies as (y, E) plot points.
pub fn column_points(ys: &[f32], energies: &[f32]) -> Vec<[f64; 2]> {
    ys.iter()
        .zip(energies)
        .map(|(&y, &e)| [y as f64, e as f64])
        .collect()
}

/// Beads with a dark rim, so that the white samples read on a white plot too.
fn beads(p: &mut egui_plot::PlotUi<'_>, name: &str, pts: Vec<[f64; 2]>, r: f32, color: Color32) {
    p.points(
        Points::new(name, PlotPoints::from(pts.clone()))
            .radius(r + 1.2)
            .color(Color32::from_gray(40)),
    );
    p.points(
        Points::new(name, PlotPoints::from(pts))
            .radius(r)
            .color(color),
    );
}

/// The heat map's texture, rebuilt when a new snapshot arrives, and where
/// the map was last drawn.
pub struct HeatMap {
    texture: Option<TextureHandle>,
    seq: u64,
    transform: Option<PlotTransform>,
}

impl Default for HeatMap {
    fn default() -> Self {
        HeatMap {
            texture: None,
            seq: u64::MAX,
            transform: None,
        }
    }
}

/// What a frame on the heat map asks of the window.
#[derive(Clone, Debug, PartialEq)]
pub enum HeatEvent {
    /// x₀ dragged here.
    Slice(f64),
    /// The drawn points, to train on.
    Points(Vec<(f64, f64)>),
    /// A drawing edit not made, and why.
    Refused(String),
}

/// The heat map's pixels, on the same energy scale as the 3D view: from 0 (or the
/// lowest energy, if negative) to the highest of the surface and its step-0 ghost,
/// so that a collapsed surface looks flat here too.
pub fn image_from_view(view: &SurfaceView, ghost: &[f32]) -> egui::ColorImage {
    let (nx, ny) = (view.xs.len(), view.ys.len());
    let (lo, hi) = energy_scale(view, ghost);
    let span = (hi - lo).max(1e-12);
    // Image rows run top (high y) to bottom (low y); columns are x.
    let mut pixels = Vec::with_capacity(nx * ny);
    for k in (0..ny).rev() {
        for i in 0..nx {
            let t = ((view.at(i, k) - lo) / span).clamp(0.0, 1.0);
            let [r, g, b] = energy_color(t);
            pixels.push(Color32::from_rgb(r, g, b));
        }
    }
    egui::ColorImage::new([nx, ny], pixels)
}

impl HeatMap {
    /// The heat map's texture, redrawn when a new snapshot arrives.
    fn refresh_texture(&mut self, ui: &Ui, snap: &Snapshot) {
        if self.seq == snap.seq && self.texture.is_some() {
            return;
        }
        let image = image_from_view(&snap.view, &snap.initial_energy);
        match &mut self.texture {
            Some(t) => t.set(image, TextureOptions::LINEAR),
            None => {
                self.texture = Some(
                    ui.ctx()
                        .load_texture("heatmap", image, TextureOptions::LINEAR),
                )
            }
        }
        self.seq = snap.seq;
    }

    /// Where the data point (x, y) was on screen in the last frame drawn.
    pub fn screen_pos(&self, x: f64, y: f64) -> Option<egui::Pos2> {
        self.transform
            .map(|t| t.position_from_point(&PlotPoint::new(x, y)))
    }

    /// Draws the map. Dragging on it moves x₀; with `draw.on` the pointer
    /// edits the training points instead (see `draw.rs`).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        snap: &Snapshot,
        slice_x: f64,
        draw: &mut Draw,
    ) -> Option<HeatEvent> {
        let view = &snap.view;
        if view.xs.len() < 2 || view.ys.len() < 2 {
            return None;
        }
        self.refresh_texture(ui, snap);
        let texture = self.texture.as_ref()?;
        key_row_ui(
            ui,
            &[
                KeyItem::new(Mark::Bead, SAMPLE_COLOR, "samples"),
                KeyItem::new(Mark::Bead, OFFENDING_COLOR, "ȳ"),
                KeyItem::new(Mark::Line, INFERENCE_COLOR, "y̌(x)"),
                KeyItem::new(Mark::Line, SLICE_COLOR, "x₀"),
            ],
        );
        let (x0, x1) = (view.x_range.0 as f64, view.x_range.1 as f64);
        let (y0, y1) = (view.y_range.0 as f64, view.y_range.1 as f64);
        let area = shown_area(view, draw);
        let bounds = PlotBounds::from_min_max([area.x.0, area.y.0], [area.x.1, area.y.1]);
        let center = PlotPoint::new(0.5 * (x0 + x1), 0.5 * (y0 + y1));
        let size = egui::vec2((x1 - x0) as f32, (y1 - y0) as f32);
        // While drawing, the points edited (the last sent until a snapshot has them).
        draw.sync(snap.points_version);
        let drawn = draw.on.then(|| draw.points(&snap.points).to_vec());
        let resp = Plot::new("heatmap")
            .x_axis_label("x")
            .y_axis_label("y")
            .x_axis_formatter(|m, _| axis_text(m))
            .y_axis_formatter(|m, _| axis_text(m))
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .sense(egui::Sense::click_and_drag())
            .show_grid(false)
            // The image covers the plot: its background would be a fill
            // nobody sees, paid per pixel on software GL.
            .show_background(false)
            .show(ui, |p| {
                p.set_plot_bounds(bounds);
                p.image(PlotImage::new("E", texture.id(), center, size));
                marks_ui(p, view, drawn.as_deref());
                p.vline(VLine::new("x₀", slice_x).color(SLICE_COLOR).width(2.0));
                match &drawn {
                    Some(points) => {
                        let map = draw::Map {
                            transform: *p.transform(),
                            area,
                        };
                        drawing_ui(p, draw, points, &map)
                    }
                    None => {
                        let r = p.response();
                        (r.dragged() || r.clicked())
                            .then(|| p.pointer_coordinate())
                            .flatten()
                            .map(|c| HeatEvent::Slice(c.x.clamp(x0, x1)))
                    }
                }
            });
        self.transform = Some(resp.transform);
        resp.inner
    }
}

/// The data area the heat map shows: the image with a small margin; while
/// drawing, reaching beyond it (points can go outside the present range),
/// and during a gesture the area it began with (the map holds still).
fn shown_area(view: &SurfaceView, draw: &Draw) -> draw::Area {
    let image = draw::Area {
        x: (view.x_range.0 as f64, view.x_range.1 as f64),
        y: (view.y_range.0 as f64, view.y_range.1 as f64),
    };
    match (draw.on, draw.frozen_area()) {
        (true, Some(frozen)) => frozen,
        (true, None) => image.grown(draw::REACH),
        (false, _) => image.grown(0.05),
    }
}

/// The pointer over the plot this frame, for the drawing editor.
fn pointer_of(p: &PlotUi<'_>) -> draw::Pointer {
    let r = p.response();
    let (pos, press_origin, shift) = p.ctx().input(|i| {
        (
            i.pointer.latest_pos(),
            i.pointer.press_origin(),
            i.modifiers.shift,
        )
    });
    draw::Pointer {
        pos,
        press_origin,
        clicked: r.clicked(),
        secondary_clicked: r.secondary_clicked(),
        drag_started: r.drag_started_by(PointerButton::Primary),
        dragged: r.dragged_by(PointerButton::Primary),
        drag_stopped: r.drag_stopped_by(PointerButton::Primary),
        shift,
    }
}

/// Drawing mode: the point under the pointer ringed, the cursor, and the edit.
fn drawing_ui(
    p: &mut PlotUi<'_>,
    draw: &mut Draw,
    points: &[(f64, f64)],
    map: &draw::Map,
) -> Option<HeatEvent> {
    let ptr = pointer_of(p);
    let hover = p.response().hover_pos();
    let under = hover.and_then(|h| draw::nearest(points, h, draw::HIT_PX, map));
    if let Some(&(x, y)) = under.and_then(|i| points.get(i)) {
        p.points(
            Points::new("under the pointer", vec![[x, y]])
                .shape(MarkerShape::Circle)
                .filled(false)
                .radius(draw::HIT_PX)
                .color(SLICE_COLOR),
        );
    }
    if hover.is_some() {
        let icon = match (draw.moving(), under.is_some()) {
            (true, _) => egui::CursorIcon::Grabbing,
            (false, true) => egui::CursorIcon::Grab,
            (false, false) => egui::CursorIcon::Crosshair,
        };
        p.ctx().set_cursor_icon(icon);
    }
    match draw.interact(&ptr, points, map) {
        draw::Outcome::Unchanged => None,
        draw::Outcome::Points(pts) => Some(HeatEvent::Points(pts)),
        draw::Outcome::Refused(why) => Some(HeatEvent::Refused(why)),
    }
}

/// The samples (`drawn`: the points being drawn, newer than the snapshot's),
/// ȳ and the inference curve over the heat map.
fn marks_ui(p: &mut PlotUi<'_>, view: &SurfaceView, drawn: Option<&[(f64, f64)]>) {
    let pairs = |v: &mut dyn Iterator<Item = &[f32; 3]>| -> Vec<[f64; 2]> {
        v.map(|s| [s[0] as f64, s[1] as f64]).collect()
    };
    let samples = match drawn {
        Some(d) => d.iter().map(|&(x, y)| [x, y]).collect(),
        None => pairs(&mut view.samples.iter()),
    };
    beads(p, "samples", samples, 2.5, SAMPLE_COLOR);
    // ȳ without a rim: red reads on every colour of the map.
    p.points(
        Points::new(
            "ȳ",
            PlotPoints::from(pairs(&mut view.offending.iter().flatten())),
        )
        .radius(2.0)
        .color(OFFENDING_COLOR),
    );
    p.line(
        Line::new("y̌(x)", PlotPoints::from(pairs(&mut view.inference.iter())))
            .color(INFERENCE_COLOR)
            .width(2.0),
    );
}

#[cfg(test)]
mod tests {
    use super::nice_at_least;

    #[test]
    fn grid_steps_are_1_2_5_times_a_power_of_ten() {
        for (x, want) in [
            (0.7, 1.0),
            (1.0, 1.0),
            (1.2, 2.0),
            (3.0, 5.0),
            (7.0, 10.0),
            (130_000.0, 200_000.0),
            (0.004, 0.005),
        ] {
            let got = nice_at_least(x);
            assert!((got - want).abs() < want * 1e-9, "{x}: {got} (want {want})");
        }
    }
}
