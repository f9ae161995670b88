//! The 2D plots: metrics over steps, the slice E(y | x = x₀), and a top-down
//! heat map on which x₀ is dragged.

use egui::{Color32, TextureHandle, TextureOptions, Ui};
use egui_plot::{Legend, Line, Plot, PlotImage, PlotPoint, PlotPoints, Points, VLine};

use crate::model::SurfaceView;
use crate::scene::colormap::energy_color;
use crate::session::{History, Snapshot};

pub const SAMPLE_COLOR: Color32 = Color32::from_rgb(245, 245, 245);
pub const OFFENDING_COLOR: Color32 = Color32::from_rgb(255, 80, 60);
pub const INFERENCE_COLOR: Color32 = Color32::from_rgb(40, 200, 255);
pub const SLICE_COLOR: Color32 = Color32::from_rgb(255, 200, 0);

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
    let plot = Plot::new("metrics")
        .legend(Legend::default())
        .x_axis_label("step")
        .y_axis_label(if log_scale {
            "log₁₀ |value|"
        } else {
            "value"
        })
        .allow_scroll(false);
    plot.show(ui, |p| {
        p.line(Line::new("loss", PlotPoints::from(series(&|h| h.loss))).width(2.0));
        p.line(Line::new("spread", PlotPoints::from(series(&|h| h.spread))));
        p.line(Line::new(
            "contrast Ē − E_i",
            PlotPoints::from(series(&|h| h.contrast)),
        ));
        p.line(Line::new(
            "inference error",
            PlotPoints::from(series(&|h| h.inference_error)),
        ));
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

pub fn slice_plot_ui(ui: &mut Ui, snap: &Snapshot, slice_x: f64, show_ghost: bool) {
    let view = &snap.view;
    if view.xs.is_empty() {
        return;
    }
    let i = column_of(view, slice_x);
    let ny = view.ys.len();
    let row = &view.energy[i * ny..(i + 1) * ny];
    let x0 = view.xs[i];
    let bead = ui.visuals().strong_text_color();
    let pts: Vec<[f64; 2]> = view
        .ys
        .iter()
        .zip(row)
        .map(|(&y, &e)| [y as f64, e as f64])
        .collect();
    Plot::new("slice")
        .legend(Legend::default())
        .x_axis_label("y")
        .y_axis_label(format!("E(y | x = {x0:.2})"))
        .allow_scroll(false)
        .show(ui, |p| {
            if show_ghost && snap.initial_energy.len() == view.energy.len() {
                let g = &snap.initial_energy[i * ny..(i + 1) * ny];
                let gp: Vec<[f64; 2]> = view
                    .ys
                    .iter()
                    .zip(g)
                    .map(|(&y, &e)| [y as f64, e as f64])
                    .collect();
                p.line(Line::new("step 0", PlotPoints::from(gp)).color(Color32::GRAY));
            }
            p.line(
                Line::new("E", PlotPoints::from(pts))
                    .color(SLICE_COLOR)
                    .width(2.0),
            );
            if let Some(inf) = view.inference.get(i) {
                p.vline(VLine::new("inference ŷ(x₀)", inf[1] as f64).color(INFERENCE_COLOR));
            }
            // Training samples near x₀ mark where the right answers are.
            let dx = (view.x_range.1 - view.x_range.0) / view.xs.len().max(1) as f32;
            let near: Vec<[f64; 2]> = view
                .samples
                .iter()
                .filter(|s| (s[0] - x0).abs() <= dx)
                .map(|s| [s[1] as f64, s[2] as f64])
                .collect();
            // On the plot's own background (light or dark theme) the beads take the text colour.
            p.points(
                Points::new("samples", PlotPoints::from(near))
                    .radius(4.0)
                    .color(bead),
            );
        });
}

/// The heat map's texture, rebuilt when a new snapshot arrives.
pub struct HeatMap {
    texture: Option<TextureHandle>,
    seq: u64,
}

impl Default for HeatMap {
    fn default() -> Self {
        HeatMap {
            texture: None,
            seq: u64::MAX,
        }
    }
}

/// The heat map's pixels, on the same energy scale as the 3D view: from 0 (or the
/// lowest energy, if negative) to the highest of the surface and its step-0 ghost,
/// so that a collapsed surface looks flat here too.
pub fn image_from_view(view: &SurfaceView, ghost: &[f32]) -> egui::ColorImage {
    let (nx, ny) = (view.xs.len(), view.ys.len());
    let (lo, hi) = view.energy_range();
    let ghost_hi = ghost.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let (lo, hi) = (lo.min(0.0), hi.max(ghost_hi));
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
    /// Draws the map; dragging on it moves x₀ (returned when moved).
    pub fn ui(&mut self, ui: &mut Ui, snap: &Snapshot, slice_x: f64) -> Option<f64> {
        let view = &snap.view;
        if view.xs.len() < 2 || view.ys.len() < 2 {
            return None;
        }
        if self.seq != snap.seq || self.texture.is_none() {
            let image = image_from_view(view, &snap.initial_energy);
            match &mut self.texture {
                Some(t) => t.set(image, TextureOptions::LINEAR),
                None => {
                    self.texture = Some(ui.ctx().load_texture(
                        "heatmap",
                        image,
                        TextureOptions::LINEAR,
                    ))
                }
            }
            self.seq = snap.seq;
        }
        let texture = self.texture.as_ref()?;
        let (x0, x1) = (view.x_range.0 as f64, view.x_range.1 as f64);
        let (y0, y1) = (view.y_range.0 as f64, view.y_range.1 as f64);
        let center = PlotPoint::new(0.5 * (x0 + x1), 0.5 * (y0 + y1));
        let size = egui::vec2((x1 - x0) as f32, (y1 - y0) as f32);
        let resp = Plot::new("heatmap")
            .x_axis_label("x")
            .y_axis_label("y")
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .sense(egui::Sense::click_and_drag())
            .show_grid(false)
            .include_x(x0)
            .include_x(x1)
            .include_y(y0)
            .include_y(y1)
            .show(ui, |p| {
                p.image(PlotImage::new("E", texture.id(), center, size));
                let samples: Vec<[f64; 2]> = view
                    .samples
                    .iter()
                    .map(|s| [s[0] as f64, s[1] as f64])
                    .collect();
                p.points(
                    Points::new("samples", PlotPoints::from(samples))
                        .radius(2.5)
                        .color(SAMPLE_COLOR),
                );
                let bars: Vec<[f64; 2]> = view
                    .offending
                    .iter()
                    .flatten()
                    .map(|s| [s[0] as f64, s[1] as f64])
                    .collect();
                p.points(
                    Points::new("ȳ", PlotPoints::from(bars))
                        .radius(2.0)
                        .color(OFFENDING_COLOR),
                );
                let inf: Vec<[f64; 2]> = view
                    .inference
                    .iter()
                    .map(|s| [s[0] as f64, s[1] as f64])
                    .collect();
                p.line(
                    Line::new("inference ŷ(x)", PlotPoints::from(inf))
                        .color(INFERENCE_COLOR)
                        .width(2.0),
                );
                p.vline(VLine::new("x₀", slice_x).color(SLICE_COLOR).width(2.0));
                let r = p.response();
                if r.dragged() || r.clicked() {
                    p.pointer_coordinate().map(|c| c.x.clamp(x0, x1))
                } else {
                    None
                }
            });
        resp.inner
    }
}
