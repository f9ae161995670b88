//! The 3D view inside egui: the shared [`Scene`] drawn by three-d in a glow
//! paint callback, orbit/zoom/pan from egui's pointer, and the text (axis names,
//! ticks, legend) painted by egui on top, since three-d draws no text.
//!
//! Geometry is rebuilt on the CPU only when a new snapshot (or option) arrives,
//! and uploaded inside the paint callback, where the GL context is current.

use std::sync::Arc;

use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, Ui};
use three_d::{RenderTarget, ScissorBox, Viewport};

use super::gl_cell::GlCell;
use crate::scene::colormap::energy_color;
use crate::scene::{build_geometry, LabelKind, OrbitCamera, Scene, SceneGeometry, SceneOptions};
use crate::session::Snapshot;

struct GlState {
    context: three_d::Context,
    scene: Scene,
    pending: Option<SceneGeometry>,
}

pub struct View3d {
    gl: Option<GlCell<GlState>>,
    why_not: Option<String>,
    camera: OrbitCamera,
    /// What the current geometry was built from: (snapshot seq, ghost shown).
    built: Option<(u64, bool)>,
    frame: crate::scene::Frame,
    labels: Vec<crate::scene::Label>,
    rect: Rect,
}

impl View3d {
    /// `gl` is `None` without OpenGL (e.g. under egui_kittest): the view then says why.
    pub fn new(gl: Option<Arc<eframe::glow::Context>>) -> Self {
        let (state, why_not) = match gl {
            None => (
                None,
                Some("3D view unavailable: no OpenGL context (the plots still work)".to_string()),
            ),
            Some(gl) => match three_d::Context::from_gl_context(gl) {
                Ok(context) => {
                    let scene = Scene::new(&context);
                    (
                        Some(GlCell::new(GlState {
                            context,
                            scene,
                            pending: None,
                        })),
                        None,
                    )
                }
                Err(e) => (None, Some(format!("3D view unavailable: {e}"))),
            },
        };
        View3d {
            gl: state,
            why_not,
            camera: OrbitCamera::default(),
            built: None,
            frame: crate::scene::Frame::default(),
            labels: Vec::new(),
            rect: Rect::NOTHING,
        }
    }

    pub fn reset_camera(&mut self) {
        self.camera.reset();
    }

    /// The view's rectangle in points (for exporting exactly what is shown).
    pub fn rect(&self) -> Rect {
        self.rect
    }

    pub fn destroy(&mut self) {
        self.gl = None;
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        snap: Option<&Snapshot>,
        show_ghost: bool,
        slice_x: Option<f32>,
    ) {
        let (rect, resp) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
        self.rect = rect;
        if rect.width() < 2.0 || rect.height() < 2.0 {
            return; // minimised or squeezed: nothing to draw
        }
        let painter = ui.painter_at(rect);
        let Some(state) = self.gl.clone() else {
            painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
            let msg = self.why_not.as_deref().unwrap_or("3D view unavailable");
            // A real label (not painted text) so that it is read out and testable.
            ui.put(rect, egui::Label::new(egui::RichText::new(msg).size(16.0)));
            return;
        };
        self.handle_input(ui, &resp, rect);
        if let Some(s) = snap {
            let key = (s.seq, show_ghost);
            if self.built != Some(key) {
                let opts = SceneOptions {
                    show_ghost,
                    ..SceneOptions::default()
                };
                let g = build_geometry(&s.view, Some(&s.initial_energy), &opts);
                self.frame = g.frame;
                self.labels = g.labels.clone();
                state.with(|st| st.pending = Some(g));
                self.built = Some(key);
            }
        }
        let camera = self.fitted_camera(rect);
        let cb = egui_glow::CallbackFn::new(move |info, _painter| {
            state.with(|st| {
                if let Some(g) = st.pending.take() {
                    st.scene.set_geometry(&g);
                }
                let vp = info.viewport_in_pixels();
                let clip = info.clip_rect_in_pixels();
                if vp.width_px <= 0
                    || vp.height_px <= 0
                    || clip.width_px <= 0
                    || clip.height_px <= 0
                {
                    return;
                }
                let viewport = Viewport {
                    x: vp.left_px,
                    y: vp.from_bottom_px,
                    width: vp.width_px as u32,
                    height: vp.height_px as u32,
                };
                let scissor = ScissorBox {
                    x: clip.left_px,
                    y: clip.from_bottom_px,
                    width: clip.width_px as u32,
                    height: clip.height_px as u32,
                };
                let [w, h] = info.screen_size_px;
                let target = RenderTarget::screen(&st.context, w, h);
                st.scene
                    .render_partially(&target, scissor, viewport, &camera);
            });
        });
        painter.add(egui::PaintCallback {
            rect,
            callback: Arc::new(cb),
        });
        self.overlay_ui(ui, rect, snap, slice_x);
    }

    fn handle_input(&mut self, ui: &Ui, resp: &egui::Response, rect: Rect) {
        if resp.dragged_by(egui::PointerButton::Primary) {
            let d = resp.drag_delta();
            self.camera.orbit(d.x, d.y);
        }
        if resp.dragged_by(egui::PointerButton::Secondary)
            || resp.dragged_by(egui::PointerButton::Middle)
        {
            let d = resp.drag_delta();
            self.camera.pan(d.x, d.y, rect.height());
        }
        if resp.double_clicked() {
            self.camera.reset();
        }
        if resp.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                self.camera.zoom((-scroll * 0.002).exp());
            }
        }
    }

    /// The camera backed off so that the scene fits a narrow view too (the field
    /// of view is vertical, so a tall view would otherwise cut the sides).
    fn fitted_camera(&self, rect: Rect) -> OrbitCamera {
        let aspect = rect.width() / rect.height().max(1.0);
        let mut c = self.camera;
        c.distance *= (1.2 / aspect).max(1.0);
        c
    }

    /// The projection of world points to points inside `rect`, made once a frame.
    fn projector(&self, rect: Rect, ppp: f32) -> Projector {
        let vp = Viewport::new_at_origo((rect.width() * ppp) as u32, (rect.height() * ppp) as u32);
        Projector {
            camera: self.fitted_camera(rect).camera(vp),
            origin: rect.min,
            ppp,
        }
    }

    fn overlay_ui(&self, ui: &Ui, rect: Rect, snap: Option<&Snapshot>, slice_x: Option<f32>) {
        let painter = ui.painter_at(rect);
        let ppp = ui.ctx().pixels_per_point();
        let text_color = Color32::from_gray(230);
        let projector = self.projector(rect, ppp);
        for label in &self.labels {
            if let Some(p) = projector.to_screen(label.anchor) {
                let (size, color) = match label.kind {
                    LabelKind::AxisName => (18.0, Color32::WHITE),
                    LabelKind::Tick => (12.0, text_color),
                };
                painter.text(
                    p,
                    Align2::CENTER_CENTER,
                    &label.text,
                    FontId::proportional(size),
                    color,
                );
            }
        }
        // The slice x = x₀ of the slice plot, drawn along the surface.
        if let (Some(s), Some(x0)) = (snap, slice_x) {
            let view = &s.view;
            let i = super::plots::column_of(view, x0 as f64);
            if let Some(&x) = view.xs.get(i) {
                let pts: Vec<egui::Pos2> = view
                    .ys
                    .iter()
                    .enumerate()
                    .filter_map(|(k, &y)| {
                        projector.to_screen(self.frame.world(x, y, view.at(i, k)))
                    })
                    .collect();
                painter.add(egui::Shape::line(
                    pts,
                    Stroke::new(2.0, super::plots::SLICE_COLOR),
                ));
            }
        }
        self.legend_ui(&painter, rect);
    }

    /// A vertical colour bar with the energy range, in the view's top-right corner.
    fn legend_ui(&self, painter: &egui::Painter, rect: Rect) {
        let (lo, hi) = self.frame.e_range;
        let bar = Rect::from_min_size(
            rect.right_top() + egui::vec2(-46.0, 30.0),
            egui::vec2(14.0, 160.0),
        );
        let n = 32;
        for j in 0..n {
            let t = 1.0 - j as f32 / n as f32;
            let [r, g, b] = energy_color(t);
            let y0 = bar.top() + bar.height() * j as f32 / n as f32;
            let cell = Rect::from_min_max(
                egui::pos2(bar.left(), y0),
                egui::pos2(bar.right(), y0 + bar.height() / n as f32 + 0.5),
            );
            painter.rect_filled(cell, 0.0, Color32::from_rgb(r, g, b));
        }
        let font = FontId::proportional(12.0);
        let c = Color32::from_gray(230);
        painter.text(
            bar.right_top() + egui::vec2(-7.0, -4.0),
            Align2::CENTER_BOTTOM,
            format!("E {hi:.3}"),
            font.clone(),
            c,
        );
        painter.text(
            bar.right_bottom() + egui::vec2(-7.0, 4.0),
            Align2::CENTER_TOP,
            format!("{lo:.3}"),
            font,
            c,
        );
    }
}

struct Projector {
    camera: three_d::Camera,
    origin: egui::Pos2,
    ppp: f32,
}

impl Projector {
    /// Pixel (in points) of a world point.
    fn to_screen(&self, p: [f32; 3]) -> Option<egui::Pos2> {
        let [x, y] = crate::scene::camera::project_with(&self.camera, p)?;
        Some(self.origin + egui::vec2(x / self.ppp, y / self.ppp))
    }
}
