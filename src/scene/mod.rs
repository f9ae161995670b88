//! The 3D view of a run, shared by the window and the headless renderer so
//! that both draw exactly the same picture: the energy surface coloured by
//! energy and lit, the training points, the most offending answers ȳ linked
//! to their samples, the inference curve y̌(x), the step-0 ghost and the axes.
//!
//! Geometry is built on the CPU once per data change ([`Scene::update`]);
//! shading is baked into vertex colours, so a frame ([`Scene::render`]) is two
//! unlit draw calls. three-d cannot draw text: [`Scene::labels`] gives the 3D
//! anchors of every label and [`OrbitCamera::project`] their pixels.

pub mod axes;
pub mod camera;
pub mod colormap;
pub mod frame;
pub mod mesh;
pub mod numfmt;

use three_d::{
    ClearState, ColorMaterial, Context, Gm, Mesh, RenderTarget, ScissorBox, Srgba, Viewport,
};

pub use axes::{Label, LabelKind};
pub use camera::OrbitCamera;
pub use frame::Frame;
use mesh::{coarser_grid, Bead, MeshBuilder};

use crate::model::SurfaceView;

/// What to show. The ghost's energies still set the energy axis when hidden,
/// so toggling it never rescales the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SceneOptions {
    pub show_ghost: bool,
    pub show_samples: bool,
    pub show_offending: bool,
    pub show_inference: bool,
    pub show_axes: bool,
    /// Drawn on a light background (the window's light theme): a darker ghost.
    pub light_background: bool,
    /// The beads' sides ([`Bead`]): fewer where a view is small.
    pub bead_sides: u32,
}

impl Default for SceneOptions {
    fn default() -> Self {
        SceneOptions {
            show_ghost: true,
            show_samples: true,
            show_offending: true,
            show_inference: true,
            show_axes: true,
            light_background: false,
            bead_sides: Bead::SIDES,
        }
    }
}

const SAMPLE_RADIUS: f32 = 0.02;
const OFFENDING_RADIUS: f32 = 0.018;
const LINK_RADIUS: f32 = 0.003;
const CURVE_RADIUS: f32 = 0.007;
/// The curve floats this much (world units) above the surface so it is not buried in it.
const CURVE_LIFT: f32 = 0.006;
/// The ghost (a faint step-0 surface under the live one) is drawn from every
/// second grid row and column: a quarter of the triangles, the same look.
const GHOST_STRIDE: usize = 2;

/// The scene's geometry on the CPU: no GL, so it can be built and tested anywhere.
#[derive(Clone, Debug, Default)]
pub struct SceneGeometry {
    pub opaque: MeshBuilder,
    pub ghost: MeshBuilder,
    pub labels: Vec<Label>,
    pub frame: Frame,
}

/// Builds every mesh and label of `view`. `ghost` is the step-0 energy on the
/// same grid (ignored if its size differs).
pub fn build_geometry(
    view: &SurfaceView,
    ghost: Option<&[f32]>,
    opts: &SceneOptions,
) -> SceneGeometry {
    let ghost = ghost.filter(|g| g.len() == view.energy.len());
    let mut frame = Frame::fit(
        view.x_range,
        view.y_range,
        view.energy.iter().chain(ghost.unwrap_or(&[])),
    );
    frame.names = view.axes;
    let mut opaque = MeshBuilder::default();
    opaque.surface(&frame, &view.xs, &view.ys, &view.energy, None, 255);

    let mut ghost_mesh = MeshBuilder::default();
    // At step 0 the surface is the ghost: drawn twice, they would z-fight.
    if let (true, Some(g)) = (opts.show_ghost && view.step > 0, ghost) {
        let c = if opts.light_background {
            colormap::GHOST_ON_LIGHT
        } else {
            colormap::GHOST
        };
        let (xs, ys, g) = coarser_grid(&view.xs, &view.ys, g, GHOST_STRIDE);
        ghost_mesh.surface(&frame, &xs, &ys, &g, Some(c), colormap::GHOST_ALPHA);
    }

    let at = |p: &[f32; 3]| frame.world(p[0], p[1], p[2]);
    if opts.show_samples {
        let bead = Bead::new(SAMPLE_RADIUS, colormap::SAMPLE, opts.bead_sides);
        for s in &view.samples {
            opaque.stamp(&bead, at(s));
        }
    }
    if opts.show_offending {
        let bead = Bead::new(OFFENDING_RADIUS, colormap::OFFENDING, opts.bead_sides);
        for (s, o) in view.samples.iter().zip(&view.offending) {
            if let Some(o) = o {
                opaque.stamp(&bead, at(o));
                opaque.tube(at(s), at(o), LINK_RADIUS, colormap::OFFENDING);
            }
        }
    }
    if opts.show_offending {
        chains(&view.trails, &view.beads, &at, opts.bead_sides, &mut opaque);
    }
    if opts.show_inference {
        let bead = Bead::new(CURVE_RADIUS * 1.6, colormap::INFERENCE, opts.bead_sides);
        inference_curve(&frame, &view.inference, view.y_range, &bead, &mut opaque);
        let floor: Vec<[f32; 3]> = view
            .floor
            .iter()
            .map(|p| [p[0], p[1], frame.e_range.0])
            .collect();
        inference_curve(&frame, &floor, view.y_range, &bead, &mut opaque);
    }
    let labels = if opts.show_axes {
        axes::build(&frame, &mut opaque)
    } else {
        Vec::new()
    };
    SceneGeometry {
        opaque,
        ghost: ghost_mesh,
        labels,
        frame,
    }
}

/// Sampling chains: each trail a thin tube ending in a bead, and the loose
/// beads (the negatives, linked to no sample).
fn chains(
    trails: &[Vec<[f32; 3]>],
    beads: &[[f32; 3]],
    at: &dyn Fn(&[f32; 3]) -> [f32; 3],
    sides: u32,
    out: &mut MeshBuilder,
) {
    let bead = Bead::new(OFFENDING_RADIUS, colormap::OFFENDING, sides);
    for b in beads {
        out.stamp(&bead, at(b));
    }
    for trail in trails {
        for pair in trail.windows(2) {
            out.tube(at(&pair[0]), at(&pair[1]), LINK_RADIUS, colormap::OFFENDING);
        }
        if let Some(end) = trail.last() {
            out.stamp(&bead, at(end));
        }
    }
}

/// y̌(x) as a tube through consecutive points, broken where the argmin jumps
/// (more than a tenth of the y range) so jumps do not draw walls.
fn inference_curve(
    frame: &Frame,
    pts: &[[f32; 3]],
    y_range: (f32, f32),
    bead: &Bead,
    out: &mut MeshBuilder,
) {
    let jump = 0.1 * (y_range.1 - y_range.0).abs();
    let lifted = |p: &[f32; 3]| {
        let w = frame.world(p[0], p[1], p[2]);
        [w[0], w[1] + CURVE_LIFT, w[2]]
    };
    for (i, p) in pts.iter().enumerate() {
        let prev_joined = i > 0 && (pts[i - 1][1] - p[1]).abs() <= jump;
        let next_joined = pts.get(i + 1).is_some_and(|q| (q[1] - p[1]).abs() <= jump);
        if !prev_joined && !next_joined {
            out.stamp(bead, lifted(p));
        }
        if next_joined {
            out.tube(
                lifted(p),
                lifted(&pts[i + 1]),
                CURVE_RADIUS,
                colormap::INFERENCE,
            );
        }
    }
}

/// The scene's GPU objects; owns its meshes (drop it before the GL context goes).
pub struct Scene {
    context: Context,
    opaque: Option<Gm<Mesh, ColorMaterial>>,
    ghost: Option<Gm<Mesh, ColorMaterial>>,
    labels: Vec<Label>,
    frame: Frame,
    background: [u8; 3],
}

/// The clear state for a background colour (sRGB).
pub fn background(c: [u8; 3]) -> ClearState {
    let [r, g, b] = c.map(|c| c as f32 / 255.0);
    ClearState::color_and_depth(r, g, b, 1.0, 1.0)
}

fn upload(
    context: &Context,
    m: &MeshBuilder,
    transparent: bool,
) -> Option<Gm<Mesh, ColorMaterial>> {
    if m.is_empty() {
        return None;
    }
    let mesh = Mesh::new(context, &m.to_cpu_mesh());
    let mut material = if transparent {
        ColorMaterial::new_transparent(context, &Default::default())
    } else {
        ColorMaterial::new_opaque(context, &Default::default())
    };
    material.color = Srgba::WHITE;
    Some(Gm::new(mesh, material))
}

impl Scene {
    /// An empty scene on `context` (e.g. `three_d::Context::from_gl_context(gl)`).
    pub fn new(context: &Context) -> Scene {
        Scene {
            context: context.clone(),
            opaque: None,
            ghost: None,
            labels: Vec::new(),
            frame: Frame::default(),
            background: colormap::BACKGROUND,
        }
    }

    /// The colour the view is cleared to (dark by default; the window's light theme sets a light one).
    pub fn set_background(&mut self, c: [u8; 3]) {
        self.background = c;
    }

    /// Rebuilds the meshes from new data; call it when the data or options change, not per frame.
    pub fn update(&mut self, view: &SurfaceView, ghost: Option<&[f32]>, opts: &SceneOptions) {
        self.set_geometry(&build_geometry(view, ghost, opts));
    }

    /// Uploads geometry built elsewhere (e.g. on another thread with [`build_geometry`]).
    pub fn set_geometry(&mut self, g: &SceneGeometry) {
        self.opaque = upload(&self.context, &g.opaque, false);
        self.ghost = upload(&self.context, &g.ghost, true);
        self.labels = g.labels.clone();
        self.frame = g.frame;
    }

    /// The data box shown, including the energy axis range used by the tick labels.
    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    pub fn energy_range(&self) -> (f32, f32) {
        self.frame.e_range
    }

    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// Each label with its pixel in `viewport` (top-left origin); labels behind the eye are left out.
    pub fn projected_labels(
        &self,
        camera: &OrbitCamera,
        viewport: Viewport,
    ) -> Vec<(&Label, [f32; 2])> {
        let cam = camera.camera(viewport);
        self.labels
            .iter()
            .filter_map(|l| camera::project_with(&cam, l.anchor).map(|p| (l, p)))
            .collect()
    }

    /// Clears `target` and draws the scene over all of it.
    pub fn render(&self, target: &RenderTarget<'_>, camera: &OrbitCamera) {
        let vp = Viewport::new_at_origo(target.width(), target.height());
        self.render_partially(target, vp.into(), vp, camera);
    }

    /// Clears the `scissor` box of `target` and draws the scene in `viewport`
    /// (both in the target's pixels, origin bottom-left, as three-d and egui's
    /// paint callback info give them). Does nothing for an empty viewport.
    pub fn render_partially(
        &self,
        target: &RenderTarget<'_>,
        scissor: ScissorBox,
        viewport: Viewport,
        camera: &OrbitCamera,
    ) {
        if viewport.width == 0 || viewport.height == 0 || scissor.width == 0 || scissor.height == 0
        {
            return;
        }
        let cam = camera.camera(viewport);
        target.clear_partially(scissor, background(self.background));
        let objects = self.opaque.iter().chain(self.ghost.iter());
        target.render_partially(scissor, &cam, objects, &[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> SurfaceView {
        let xs = vec![-1.0, 0.0, 1.0];
        let ys = vec![-1.0, 0.0, 1.0];
        SurfaceView {
            x_range: (-1.0, 1.0),
            y_range: (-1.0, 1.0),
            energy: vec![1.0, 0.5, 1.0, 0.8, 0.1, 0.8, 1.0, 0.5, 2.0],
            samples: vec![[0.0, 0.0, 0.1]],
            offending: vec![Some([0.0, 1.0, 0.5])],
            trails: Vec::new(),
            beads: Vec::new(),
            inference: vec![[-1.0, 0.0, 0.5], [0.0, 0.0, 0.1], [1.0, 1.0, 0.5]],
            xs,
            ys,
            step: 1,
            ..Default::default()
        }
    }

    #[test]
    fn the_ghost_sets_the_energy_axis_even_when_hidden() {
        let v = view();
        let ghost = vec![4.0; 9];
        let hidden = SceneOptions {
            show_ghost: false,
            ..SceneOptions::default()
        };
        let g = build_geometry(&v, Some(&ghost), &hidden);
        assert_eq!(g.frame.e_range, (0.0, 4.0));
        assert!(g.ghost.is_empty());
        let shown = build_geometry(&v, Some(&ghost), &SceneOptions::default());
        assert!(!shown.ghost.is_empty());
        let wrong_size = build_geometry(&v, Some(&ghost[..4]), &SceneOptions::default());
        assert_eq!(wrong_size.frame.e_range, (0.0, 2.0));
        let at_start = SurfaceView { step: 0, ..view() };
        let g = build_geometry(&at_start, Some(&ghost), &SceneOptions::default());
        assert!(
            g.ghost.is_empty(),
            "no ghost over the step-0 surface itself"
        );
        assert_eq!(g.frame.e_range, (0.0, 4.0));
    }

    #[test]
    fn options_hide_their_parts() {
        let v = view();
        let all = build_geometry(&v, None, &SceneOptions::default());
        let none = build_geometry(
            &v,
            None,
            &SceneOptions {
                show_ghost: false,
                show_samples: false,
                show_offending: false,
                show_inference: false,
                show_axes: false,
                light_background: false,
                bead_sides: Bead::SIDES,
            },
        );
        assert!(none.labels.is_empty());
        assert_eq!(none.opaque.positions.len(), 9, "only the surface");
        assert!(all.opaque.positions.len() > 9);
    }

    /// Natively the paint callback holds the scene behind a mutex; in the
    /// browser glow's context is not `Sync` and the scene lives in a
    /// thread-local slot instead (`gui::gl_cell`).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn scene_can_live_in_a_paint_callback() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Scene>();
        send_sync::<OrbitCamera>();
    }
}
