//! The orbit camera: a small state (azimuth, elevation, distance, target) that
//! the window drives with the mouse and the CLI sets with `--view`, turned into
//! a three-d camera for a given viewport, plus the projection of 3D points to
//! pixels so that text (which three-d does not draw) can be painted on top.

use three_d::{degrees, vec3, vec4, Camera, Vec3, Viewer, Viewport};

/// Angles in degrees. Azimuth 0 looks from the front (the low-y side) along −Z;
/// positive azimuth moves the eye towards +x. The default
/// looks from the front-left and above, into the valleys the losses carve. Elevation 90 looks straight down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrbitCamera {
    pub azimuth: f32,
    pub elevation: f32,
    pub distance: f32,
    /// The point looked at, in scene (world) coordinates.
    pub target: [f32; 3],
    /// Vertical field of view, degrees.
    pub fov_y: f32,
}

pub const DEFAULT_AZIMUTH: f32 = -32.0;
pub const DEFAULT_ELEVATION: f32 = 38.0;
const MIN_DISTANCE: f32 = 1.0;
const MAX_DISTANCE: f32 = 30.0;
const MAX_ELEVATION: f32 = 89.0;

impl Default for OrbitCamera {
    fn default() -> Self {
        OrbitCamera {
            azimuth: DEFAULT_AZIMUTH,
            elevation: DEFAULT_ELEVATION,
            distance: 5.3,
            target: [0.0, 0.2, 0.0],
            fov_y: 34.0,
        }
    }
}

impl OrbitCamera {
    /// The default camera turned to `azimuth`, `elevation` (degrees).
    pub fn with_view(azimuth: f32, elevation: f32) -> Self {
        let mut c = OrbitCamera {
            azimuth,
            ..OrbitCamera::default()
        };
        c.set_elevation(elevation);
        c
    }

    /// Back to the initial view.
    pub fn reset(&mut self) {
        *self = OrbitCamera::default();
    }

    fn set_elevation(&mut self, e: f32) {
        self.elevation = e.clamp(-MAX_ELEVATION, MAX_ELEVATION);
    }

    /// Rotates by a mouse drag of (`dx`, `dy`) pixels (right/down positive).
    pub fn orbit(&mut self, dx: f32, dy: f32) {
        const DEG_PER_PX: f32 = 0.4;
        self.azimuth = (self.azimuth - dx * DEG_PER_PX).rem_euclid(360.0);
        let e = self.elevation + dy * DEG_PER_PX;
        self.set_elevation(e);
    }

    /// Zooms by `factor` (> 1 moves closer), e.g. `1.1_f32.powf(scroll_lines)`.
    pub fn zoom(&mut self, factor: f32) {
        if factor.is_finite() && factor > 0.0 {
            self.distance = (self.distance / factor).clamp(MIN_DISTANCE, MAX_DISTANCE);
        }
    }

    /// Moves the target by a drag of (`dx`, `dy`) pixels in a view `height_px` tall,
    /// so the scene follows the pointer.
    pub fn pan(&mut self, dx: f32, dy: f32, height_px: f32) {
        if height_px <= 0.0 {
            return;
        }
        let world_per_px = 2.0 * self.distance * (self.fov_y.to_radians() / 2.0).tan() / height_px;
        let (right, up) = self.screen_axes();
        for k in 0..3 {
            self.target[k] += (-dx * right[k] + dy * up[k]) * world_per_px;
        }
    }

    /// Unit vector from the target to the eye.
    fn back(&self) -> [f32; 3] {
        let (a, e) = (self.azimuth.to_radians(), self.elevation.to_radians());
        [e.cos() * a.sin(), e.sin(), e.cos() * a.cos()]
    }

    fn screen_axes(&self) -> ([f32; 3], [f32; 3]) {
        let b = self.back();
        let a = self.azimuth.to_radians();
        let right = [a.cos(), 0.0, -a.sin()];
        // up = back × right
        let up = [
            b[1] * right[2] - b[2] * right[1],
            b[2] * right[0] - b[0] * right[2],
            b[0] * right[1] - b[1] * right[0],
        ];
        (right, up)
    }

    pub fn eye(&self) -> [f32; 3] {
        let b = self.back();
        let t = self.target;
        [
            t[0] + self.distance * b[0],
            t[1] + self.distance * b[1],
            t[2] + self.distance * b[2],
        ]
    }

    /// The three-d camera for `viewport` (a zero-sized viewport is treated as 1×1).
    pub fn camera(&self, viewport: Viewport) -> Camera {
        let viewport = Viewport {
            width: viewport.width.max(1),
            height: viewport.height.max(1),
            ..viewport
        };
        let e = self.eye();
        let t = self.target;
        Camera::new_perspective(
            viewport,
            vec3(e[0], e[1], e[2]),
            vec3(t[0], t[1], t[2]),
            vec3(0.0, 1.0, 0.0),
            degrees(self.fov_y),
            0.05,
            100.0,
        )
    }

    /// The pixel of scene point `p` in `viewport`, measured from the viewport's
    /// top-left corner (x right, y down, as egui and images count), or `None`
    /// when the point is behind the eye.
    pub fn project(&self, p: [f32; 3], viewport: Viewport) -> Option<[f32; 2]> {
        project_with(&self.camera(viewport), p)
    }
}

/// [`OrbitCamera::project`] with a camera already made.
pub fn project_with(camera: &Camera, p: [f32; 3]) -> Option<[f32; 2]> {
    let clip = camera.projection() * camera.view() * vec4(p[0], p[1], p[2], 1.0);
    if clip.w <= 1e-6 {
        return None;
    }
    let ndc: Vec3 = clip.truncate() / clip.w;
    let vp = camera.viewport();
    Some([
        (ndc.x + 1.0) * 0.5 * vp.width as f32,
        (1.0 - ndc.y) * 0.5 * vp.height as f32,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vp() -> Viewport {
        Viewport::new_at_origo(800, 600)
    }

    #[test]
    fn target_projects_to_the_centre() {
        let c = OrbitCamera::default();
        let p = c.project(c.target, vp()).unwrap_or([0.0, 0.0]);
        assert!(
            (p[0] - 400.0).abs() < 0.5 && (p[1] - 300.0).abs() < 0.5,
            "{p:?}"
        );
    }

    #[test]
    fn up_is_up_and_plus_x_is_right_from_the_front() {
        let c = OrbitCamera::with_view(0.0, 20.0);
        let o = c.project([0.0, 0.0, 0.0], vp()).unwrap_or_default();
        let up = c.project([0.0, 1.0, 0.0], vp()).unwrap_or_default();
        let right = c.project([1.0, 0.0, 0.0], vp()).unwrap_or_default();
        assert!(up[1] < o[1], "higher energy is higher on screen");
        assert!(right[0] > o[0], "+x to the right");
    }

    #[test]
    fn orbit_zoom_pan_stay_sane() {
        let mut c = OrbitCamera::default();
        c.orbit(100.0, 1e6);
        assert!(c.elevation <= MAX_ELEVATION);
        c.zoom(1e9);
        assert_eq!(c.distance, MIN_DISTANCE);
        c.zoom(f32::NAN);
        assert_eq!(c.distance, MIN_DISTANCE);
        let before = c.target;
        c.pan(10.0, 0.0, 0.0);
        assert_eq!(c.target, before);
        c.pan(10.0, 5.0, 600.0);
        assert_ne!(c.target, before);
        c.reset();
        assert_eq!(c, OrbitCamera::default());
    }
}
