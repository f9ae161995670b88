//! The 3D view inside egui: the shared [`Scene`] drawn by three-d in a glow
//! paint callback, orbit/zoom/pan from egui's pointer, and the text (axis names,
//! ticks, legend) painted by egui on top, since three-d draws no text.
//!
//! Geometry is rebuilt on the CPU only when a new snapshot (or option) arrives,
//! and uploaded inside the paint callback, where the GL context is current.

use std::sync::Arc;

use egui::{Rect, Sense, Ui};
use three_d::{RenderTarget, ScissorBox, Viewport};

use super::gl_cell::GlCell;
use crate::model::SurfaceView;
use crate::scene::colormap;
use crate::scene::mesh::Bead;
use crate::scene::{build_geometry, OrbitCamera, Scene, SceneGeometry, SceneOptions};
use crate::session::Snapshot;

mod overlay;
pub use overlay::key_row_ui;

/// What the window asks of the 3D view each frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewOptions {
    pub show_ghost: bool,
    /// The key to the beads and lines, in a corner of the view (`key_card`).
    pub show_key: bool,
    /// x₀ of the slice plot, drawn along the surface.
    pub slice_x: Option<f32>,
    /// Text size factor of the labels (presentation layout: larger).
    pub text_scale: f32,
    /// The narrowest aspect (width / height) at which the scene fills the
    /// view without backing off; a narrower view moves the camera back.
    pub fit_aspect: f32,
}

struct GlState {
    context: three_d::Context,
    scene: Scene,
    pending: Option<SceneGeometry>,
}

/// What the 3D view draws: a surface, the step-0 surface drawn as a ghost
/// (ignored unless it has the surface's size), and a counter that changes
/// whenever the surface does (the geometry is rebuilt only then).
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    pub seq: u64,
    pub view: &'a SurfaceView,
    pub ghost: &'a [f32],
}

pub struct View3d {
    gl: Option<GlCell<GlState>>,
    why_not: Option<String>,
    camera: OrbitCamera,
    /// What the current geometry was built from: (snapshot seq, ghost shown, light theme, bead sides).
    built: Option<(u64, bool, bool, u32)>,
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

    /// The camera as the user left it (compare mode links the views' cameras).
    pub fn camera(&self) -> OrbitCamera {
        self.camera
    }

    pub fn set_camera(&mut self, camera: OrbitCamera) {
        self.camera = camera;
    }

    /// The view's rectangle in points (for exporting exactly what is shown).
    pub fn rect(&self) -> Rect {
        self.rect
    }

    pub fn destroy(&mut self) {
        self.gl = None;
    }

    pub fn ui(&mut self, ui: &mut Ui, snap: Option<&Snapshot>, opts: &ViewOptions) {
        let shown = snap.map(|s| Shown {
            seq: s.seq,
            view: &s.view,
            ghost: &s.initial_energy,
        });
        self.surface_ui(ui, shown, opts);
    }

    /// Draws `shown` (a session's snapshot or any other surface, e.g. the
    /// plane's free energy) with the axes, labels, colour bar and key.
    pub fn surface_ui(&mut self, ui: &mut Ui, shown: Option<Shown<'_>>, opts: &ViewOptions) {
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
        let light = !ui.visuals().dark_mode;
        if let Some(s) = &shown {
            let sides = bead_sides(rect.width() * ui.ctx().pixels_per_point());
            let key = (s.seq, opts.show_ghost, light, sides);
            if self.built != Some(key) {
                let scene_opts = SceneOptions {
                    show_ghost: opts.show_ghost,
                    light_background: light,
                    bead_sides: sides,
                    ..SceneOptions::default()
                };
                let g = build_geometry(s.view, Some(s.ghost), &scene_opts);
                self.frame = g.frame;
                self.labels = g.labels.clone();
                state.with(|st| st.pending = Some(g));
                self.built = Some(key);
            }
        }
        let camera = self.fitted_camera(rect, opts.fit_aspect);
        let background = if light {
            colormap::BACKGROUND_LIGHT
        } else {
            colormap::BACKGROUND
        };
        let cb = egui_glow::CallbackFn::new(move |info, _painter| {
            state.with(|st| {
                if let Some(g) = st.pending.take() {
                    st.scene.set_geometry(&g);
                }
                st.scene.set_background(background);
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
        self.overlay_ui(ui, rect, shown.map(|s| s.view), opts);
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
                self.camera.zoom(wheel_zoom(scroll));
            }
        }
    }

    /// The camera backed off so that the scene fits a narrow view too (the field
    /// of view is vertical, so a tall view would otherwise cut the sides).
    fn fitted_camera(&self, rect: Rect, fit_aspect: f32) -> OrbitCamera {
        let aspect = rect.width() / rect.height().max(1.0);
        let mut c = self.camera;
        c.distance *= (fit_aspect / aspect).max(1.0);
        c
    }
}

/// The beads' sides in a view `view_px` physical pixels wide: 6 below 450
/// pixels (a compare column, where a bead is ~4 pixels across), else 8.
pub fn bead_sides(view_px: f32) -> u32 {
    if view_px < 450.0 {
        6
    } else {
        Bead::SIDES
    }
}

/// Zoom factor for a wheel movement of `scroll` points (egui: positive = wheel
/// up / away from the user): up zooms in, as in map and 3D viewers; one notch
/// (about 50 points) is about 5 %.
pub fn wheel_zoom(scroll: f32) -> f32 {
    (scroll * 0.001).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_columns_get_coarser_beads() {
        assert_eq!(bead_sides(300.0), 6, "a compare column");
        assert_eq!(bead_sides(624.0), Bead::SIDES, "the one-run view");
        assert!(bead_sides(300.0) < bead_sides(1900.0));
    }

    #[test]
    fn wheel_up_zooms_in_gently() {
        let mut c = OrbitCamera::default();
        let d = c.distance;
        c.zoom(wheel_zoom(50.0));
        assert!(c.distance < d, "wheel up brings the camera closer");
        assert!(
            c.distance > 0.93 * d,
            "one notch is a small step: {} → {}",
            d,
            c.distance
        );
        c.zoom(wheel_zoom(-50.0));
        assert!((c.distance - d).abs() < 1e-4);
    }
}
