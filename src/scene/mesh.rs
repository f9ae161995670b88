//! CPU geometry: one vertex-coloured triangle soup per material, grown by
//! small builders (surface, spheres, tubes). Everything opaque goes into one
//! mesh and one draw call, which is what keeps software GL fast.

use three_d::{vec3, CpuMesh, Indices, Positions, Srgba, Vec3};

use super::colormap::{energy_color, shade};
use super::frame::Frame;

/// Positions, colours and triangle indices under construction.
#[derive(Clone, Debug, Default)]
pub struct MeshBuilder {
    pub positions: Vec<Vec3>,
    pub colors: Vec<Srgba>,
    pub indices: Vec<u32>,
}

fn sub(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn cross(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn normalize(a: [f32; 3]) -> [f32; 3] {
    let l = (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt();
    if l > 1e-12 && l.is_finite() {
        [a[0] / l, a[1] / l, a[2] / l]
    } else {
        [0.0, 1.0, 0.0]
    }
}

/// Replaces non-finite coordinates by 0 so a diverged surface never poisons the GPU buffers.
fn finite(p: [f32; 3]) -> [f32; 3] {
    p.map(|v| if v.is_finite() { v } else { 0.0 })
}

impl MeshBuilder {
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    fn vertex(&mut self, p: [f32; 3], c: [u8; 3], alpha: u8) -> u32 {
        let i = self.positions.len() as u32;
        let p = finite(p);
        self.positions.push(vec3(p[0], p[1], p[2]));
        self.colors.push(Srgba::new(c[0], c[1], c[2], alpha));
        i
    }

    pub fn to_cpu_mesh(&self) -> CpuMesh {
        CpuMesh {
            positions: Positions::F32(self.positions.clone()),
            indices: Indices::U32(self.indices.clone()),
            colors: Some(self.colors.clone()),
            ..Default::default()
        }
    }

    /// The surface E over `xs` × `ys` (`energy` row per x). Colour from
    /// `color(t)` at the energy fraction t (None: the ramp), lit by the fixed light.
    pub fn surface(
        &mut self,
        frame: &Frame,
        xs: &[f32],
        ys: &[f32],
        energy: &[f32],
        flat_color: Option<[u8; 3]>,
        alpha: u8,
    ) {
        let (nx, ny) = (xs.len(), ys.len());
        if nx < 2 || ny < 2 || energy.len() != nx * ny {
            return;
        }
        let pos: Vec<[f32; 3]> = (0..nx * ny)
            .map(|idx| finite(frame.world(xs[idx / ny], ys[idx % ny], energy[idx])))
            .collect();
        let base = self.positions.len() as u32;
        for i in 0..nx {
            for k in 0..ny {
                let at = |i: usize, k: usize| pos[i * ny + k];
                // Central differences along the grid (one-sided at the borders).
                let dx = sub(at((i + 1).min(nx - 1), k), at(i.saturating_sub(1), k));
                let dy = sub(at(i, (k + 1).min(ny - 1)), at(i, k.saturating_sub(1)));
                // x runs along +X and y along −Z: dx × dy points up.
                let n = normalize(cross(dx, dy));
                let e = energy[i * ny + k];
                let c = flat_color.unwrap_or_else(|| energy_color(frame.e_unit(e)));
                self.vertex(at(i, k), shade(c, n), alpha);
            }
        }
        for i in 0..nx - 1 {
            for k in 0..ny - 1 {
                let a = base + (i * ny + k) as u32;
                let b = a + ny as u32;
                self.indices
                    .extend_from_slice(&[a, b, b + 1, a, b + 1, a + 1]);
            }
        }
    }

    /// A lit sphere of `radius` at `c`.
    pub fn sphere(&mut self, c: [f32; 3], radius: f32, color: [u8; 3]) {
        const RINGS: u32 = 6;
        const SEGMENTS: u32 = 10;
        let base = self.positions.len() as u32;
        for r in 0..=RINGS {
            let phi = std::f32::consts::PI * r as f32 / RINGS as f32;
            for s in 0..SEGMENTS {
                let th = std::f32::consts::TAU * s as f32 / SEGMENTS as f32;
                let n = [phi.sin() * th.cos(), phi.cos(), phi.sin() * th.sin()];
                let p = [
                    c[0] + radius * n[0],
                    c[1] + radius * n[1],
                    c[2] + radius * n[2],
                ];
                self.vertex(p, shade(color, n), 255);
            }
        }
        for r in 0..RINGS {
            for s in 0..SEGMENTS {
                let a = base + r * SEGMENTS + s;
                let b = base + r * SEGMENTS + (s + 1) % SEGMENTS;
                let (a2, b2) = (a + SEGMENTS, b + SEGMENTS);
                self.indices.extend_from_slice(&[a, a2, b2, a, b2, b]);
            }
        }
    }

    /// A thin lit tube of `radius` from `a` to `b` (a line that has a width in 3D).
    pub fn tube(&mut self, a: [f32; 3], b: [f32; 3], radius: f32, color: [u8; 3]) {
        const SIDES: u32 = 6;
        let d = sub(b, a);
        let len2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if !len2.is_finite() || len2 <= 1e-12 {
            return;
        }
        let axis = normalize(d);
        let helper = if axis[1].abs() < 0.9 {
            [0.0, 1.0, 0.0]
        } else {
            [1.0, 0.0, 0.0]
        };
        let u = normalize(cross(axis, helper));
        let v = cross(axis, u);
        let base = self.positions.len() as u32;
        for end in [a, b] {
            for s in 0..SIDES {
                let th = std::f32::consts::TAU * s as f32 / SIDES as f32;
                let (cs, sn) = (th.cos(), th.sin());
                let n = [
                    cs * u[0] + sn * v[0],
                    cs * u[1] + sn * v[1],
                    cs * u[2] + sn * v[2],
                ];
                let p = [
                    end[0] + radius * n[0],
                    end[1] + radius * n[1],
                    end[2] + radius * n[2],
                ];
                self.vertex(p, shade(color, n), 255);
            }
        }
        for s in 0..SIDES {
            let a0 = base + s;
            let a1 = base + (s + 1) % SIDES;
            let (b0, b1) = (a0 + SIDES, a1 + SIDES);
            self.indices.extend_from_slice(&[a0, a1, b1, a0, b1, b0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_has_a_quad_per_cell_and_upward_normals_light_it() {
        let f = Frame::fit((0.0, 1.0), (0.0, 1.0), &[0.0, 1.0]);
        let mut m = MeshBuilder::default();
        let e = vec![0.0; 9];
        m.surface(&f, &[0.0, 0.5, 1.0], &[0.0, 0.5, 1.0], &e, None, 255);
        assert_eq!(m.positions.len(), 9);
        assert_eq!(m.indices.len(), 2 * 2 * 6);
        // A flat floor faces up: lit brighter than the ambient-only colour.
        let dark = shade(energy_color(0.0), [0.0, -1.0, 0.0]);
        assert!(m.colors[4].g > dark[1]);
    }

    #[test]
    fn bad_input_adds_nothing_or_finite_geometry() {
        let f = Frame::default();
        let mut m = MeshBuilder::default();
        m.surface(&f, &[0.0], &[0.0, 1.0], &[0.0, 0.0], None, 255);
        m.tube([0.0; 3], [0.0; 3], 0.1, [1, 2, 3]);
        assert!(m.is_empty());
        m.sphere([f32::NAN, 0.0, 0.0], 0.1, [1, 2, 3]);
        assert!(m.positions.iter().all(|p| p.x.is_finite()));
    }
}
