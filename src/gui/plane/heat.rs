//! The plane mode's two plots: F over the plane as a heat map (samples,
//! manifold, ȳ, the picked point; clicks pick or draw), and E(x, y, z)
//! against z at the picked point with its minimum F_∞ and soft minimum F_β.

use egui::{Color32, Ui};
use egui_plot::{HLine, Line, Plot, PlotBounds, PlotImage, PlotPoint, PlotPoints, Points, VLine};

use super::PlaneMode;
use crate::gui::plots::{image_from_view, INFERENCE_COLOR, OFFENDING_COLOR, SAMPLE_COLOR};
use crate::model::plane::view::{PlaneView, ZProfile};

const PICK_COLOR: Color32 = Color32::from_rgb(80, 220, 255);

impl PlaneMode {
    pub(super) fn heat_ui(&mut self, ui: &mut Ui, view: &PlaneView, profile: Option<&ZProfile>) {
        let surface = view.as_surface();
        if surface.xs.len() < 2 || surface.ys.len() < 2 {
            return;
        }
        let seq = self.seq;
        if self.heat.as_ref().is_none_or(|(s, _)| *s != seq) {
            let image = image_from_view(&surface, &[]);
            match &mut self.heat {
                Some((s, t)) => {
                    t.set(image, egui::TextureOptions::LINEAR);
                    *s = seq;
                }
                None => {
                    let t =
                        ui.ctx()
                            .load_texture("plane-heat", image, egui::TextureOptions::LINEAR);
                    self.heat = Some((seq, t));
                }
            }
        }
        let Some(texture_id) = self.heat.as_ref().map(|(_, t)| t.id()) else {
            return;
        };
        let (x0, x1) = (surface.x_range.0 as f64, surface.x_range.1 as f64);
        let (y0, y1) = (surface.y_range.0 as f64, surface.y_range.1 as f64);
        let center = PlotPoint::new(0.5 * (x0 + x1), 0.5 * (y0 + y1));
        let size = egui::vec2((x1 - x0) as f32, (y1 - y0) as f32);
        let pairs = |v: &mut dyn Iterator<Item = &[f32; 3]>| -> Vec<[f64; 2]> {
            v.map(|p| [p[0] as f64, p[1] as f64]).collect()
        };
        let resp = Plot::new("plane-heat")
            .x_axis_label("y1")
            .y_axis_label("y2")
            .data_aspect(1.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show_grid(false)
            .show(ui, |p| {
                p.set_plot_bounds(PlotBounds::from_min_max([x0, y0], [x1, y1]));
                p.image(PlotImage::new("F", texture_id, center, size));
                let mut manifold = pairs(&mut view.manifold.iter());
                if self.run.spec.latent.z_dim == 1 {
                    if let Some(&first) = manifold.first() {
                        manifold.push(first); // the angle wraps around
                    }
                }
                p.line(
                    Line::new("Dec(x, z)", PlotPoints::from(manifold))
                        .color(INFERENCE_COLOR)
                        .width(2.0),
                );
                for chain in &view.chains {
                    let pts: Vec<[f64; 2]> =
                        chain.iter().map(|p| [p[0] as f64, p[1] as f64]).collect();
                    let color = Color32::from_rgba_unmultiplied(255, 120, 140, 170);
                    p.line(
                        Line::new("chains", PlotPoints::from(pts))
                            .color(color)
                            .width(1.0),
                    );
                }
                for q in &view.pulls {
                    let alpha = (q[4].sqrt() * 255.0).clamp(40.0, 255.0) as u8;
                    let color = Color32::from_rgba_unmultiplied(255, 255, 255, alpha);
                    let seg = vec![[q[0] as f64, q[1] as f64], [q[2] as f64, q[3] as f64]];
                    p.line(
                        Line::new("pulls", PlotPoints::from(seg))
                            .color(color)
                            .width(1.0),
                    );
                }
                p.points(
                    Points::new("samples", PlotPoints::from(pairs(&mut view.samples.iter())))
                        .radius(3.0)
                        .color(SAMPLE_COLOR),
                );
                p.points(
                    Points::new(
                        "ȳ",
                        PlotPoints::from(pairs(&mut view.offending.iter().flatten())),
                    )
                    .radius(2.0)
                    .color(OFFENDING_COLOR),
                );
                if !view.negatives.is_empty() {
                    p.points(
                        Points::new(
                            "negatives",
                            PlotPoints::from(pairs(&mut view.negatives.iter())),
                        )
                        .radius(2.5)
                        .color(OFFENDING_COLOR),
                    );
                }
                if let (Some(y), Some(z)) = (self.picked, profile) {
                    p.points(
                        Points::new(
                            "picked y",
                            PlotPoints::from(vec![[y[0] as f64, y[1] as f64]]),
                        )
                        .radius(5.0)
                        .color(PICK_COLOR),
                    );
                    let star = [z.dec_star[0] as f64, z.dec_star[1] as f64];
                    p.line(
                        Line::new(
                            "to Dec(x, z*)",
                            PlotPoints::from(vec![[y[0] as f64, y[1] as f64], star]),
                        )
                        .color(PICK_COLOR),
                    );
                }
                let r = p.response();
                r.clicked().then(|| p.pointer_coordinate()).flatten()
            });
        if let Some(c) = resp.inner {
            self.clicked_at([c.x as f32, c.y as f32]);
        }
    }

    /// A click on the heat map: picks the point, or adds a drawn sample.
    fn clicked_at(&mut self, y: [f32; 2]) {
        if !self.drawing {
            self.pick(y);
            return;
        }
        let x = if self.run.data.conditional() {
            self.x
        } else {
            0.0
        };
        let mut pts = self.drawn.take().unwrap_or_default();
        pts.push((x, y[0] as f64, y[1] as f64));
        self.drawn = Some(pts);
        let spec = self.spec.clone();
        self.restart(spec);
    }
}

/// E(x, y, z) against z at the picked point, F_∞ and F_β as lines, z* marked.
pub fn z_profile_ui(ui: &mut Ui, profile: Option<&ZProfile>, beta: f64, z_dim: usize) {
    let Some(z) = profile else {
        ui.label("Click the heat map: E(y, z) against z at that point appears here.");
        return;
    };
    let pts: Vec<[f64; 2]> = z
        .energies
        .iter()
        .map(|p| [p[0] as f64, p[1] as f64])
        .collect();
    let soft = if beta.is_finite() {
        format!("F_β (β = {beta:.2})")
    } else {
        "F_β = F_∞ (β = ∞)".to_string()
    };
    Plot::new("plane-z")
        .x_axis_label(if z_dim == 2 {
            "z₁ (each column: every z₂)"
        } else {
            "z"
        })
        .y_axis_label("E(y, z)")
        .legend(egui_plot::Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |p| {
            p.points(
                Points::new("E(y, z)", PlotPoints::from(pts))
                    .radius(2.0)
                    .color(SAMPLE_COLOR),
            );
            p.hline(
                HLine::new("F_∞ = min over z", z.min as f64)
                    .color(INFERENCE_COLOR)
                    .width(2.0),
            );
            p.hline(
                HLine::new(soft, z.soft_min as f64)
                    .color(PICK_COLOR)
                    .width(2.0),
            );
            p.vline(VLine::new("z*", z.z_star as f64).color(OFFENDING_COLOR));
        });
}
