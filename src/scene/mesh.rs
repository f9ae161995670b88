//! CPU geometry: one vertex-coloured triangle soup per material, grown by
//! small builders (surface, beads, tubes). Everything opaque goes into one
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

/// A small lit sphere, built once and stamped at every point of one colour.
/// The scene's beads are its most numerous triangles and software GL pays
/// per triangle and vertex, so a bead is coarse: `sides` around (at least 4)
/// and `sides / 2` bands from pole to pole; 8 sides give 48 triangles and 26
/// vertices, round at the few pixels a bead covers.
#[derive(Clone, Debug)]
pub struct Bead {
    offsets: Vec<[f32; 3]>,
    colors: Vec<[u8; 3]>,
    indices: Vec<u32>,
}

impl Bead {
    /// The sides of a bead seen from a few pixels away (the window's views,
    /// the headless pictures).
    pub const SIDES: u32 = 8;

    pub fn new(radius: f32, color: [u8; 3], sides: u32) -> Bead {
        let segments = sides.max(4);
        let rings = segments / 2;
        let mut normals = vec![[0.0, 1.0, 0.0]];
        for r in 1..rings {
            let phi = std::f32::consts::PI * r as f32 / rings as f32;
            for s in 0..segments {
                let th = std::f32::consts::TAU * s as f32 / segments as f32;
                normals.push([phi.sin() * th.cos(), phi.cos(), phi.sin() * th.sin()]);
            }
        }
        normals.push([0.0, -1.0, 0.0]);
        let bottom = normals.len() as u32 - 1;
        // Vertex `s` (mod segments) of ring `r` (1 ..= rings − 1).
        let at = |r: u32, s: u32| 1 + (r - 1) * segments + s % segments;
        let mut indices = Vec::new();
        for s in 0..segments {
            indices.extend_from_slice(&[0, at(1, s), at(1, s + 1)]);
            for r in 1..rings - 1 {
                let (a, b) = (at(r, s), at(r, s + 1));
                let (a2, b2) = (at(r + 1, s), at(r + 1, s + 1));
                indices.extend_from_slice(&[a, a2, b2, a, b2, b]);
            }
            indices.extend_from_slice(&[at(rings - 1, s), bottom, at(rings - 1, s + 1)]);
        }
        Bead {
            offsets: normals.iter().map(|n| n.map(|v| v * radius)).collect(),
            colors: normals.iter().map(|&n| shade(color, n)).collect(),
            indices,
        }
    }
}

/// Every `stride`-th row and column of a grid (and always the last), for a
/// coarser copy of a surface.
pub fn coarser_grid(
    xs: &[f32],
    ys: &[f32],
    energy: &[f32],
    stride: usize,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let keep = |n: usize| -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).step_by(stride.max(1)).collect();
        if n > 0 && v.last() != Some(&(n - 1)) {
            v.push(n - 1);
        }
        v
    };
    let (ix, iy) = (keep(xs.len()), keep(ys.len()));
    if energy.len() != xs.len() * ys.len() {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    let e = ix
        .iter()
        .flat_map(|&i| iy.iter().map(move |&k| energy[i * ys.len() + k]))
        .collect();
    (
        ix.iter().map(|&i| xs[i]).collect(),
        iy.iter().map(|&k| ys[k]).collect(),
        e,
    )
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

    /// One copy of `bead` centred at `c`.
    pub fn stamp(&mut self, bead: &Bead, c: [f32; 3]) {
        let base = self.positions.len() as u32;
        for (o, col) in bead.offsets.iter().zip(&bead.colors) {
            self.vertex([c[0] + o[0], c[1] + o[1], c[2] + o[2]], *col, 255);
        }
        self.indices.extend(bead.indices.iter().map(|i| base + i));
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
        m.stamp(
            &Bead::new(0.1, [1, 2, 3], Bead::SIDES),
            [f32::NAN, 0.0, 0.0],
        );
        assert!(m.positions.iter().all(|p| p.x.is_finite()));
    }

    #[test]
    fn a_bead_is_a_closed_sphere_of_its_radius() {
        let mut m = MeshBuilder::default();
        m.stamp(&Bead::new(0.5, [200, 40, 40], 8), [1.0, 2.0, 3.0]);
        assert_eq!(m.positions.len(), 26);
        assert_eq!(m.indices.len(), 48 * 3);
        for p in &m.positions {
            let r = ((p.x - 1.0).powi(2) + (p.y - 2.0).powi(2) + (p.z - 3.0).powi(2)).sqrt();
            assert!((r - 0.5).abs() < 1e-5, "vertex at distance {r}");
        }
        // Closed: every edge is shared by exactly two triangles.
        let mut edges = std::collections::HashMap::new();
        for t in m.indices.chunks(3) {
            for (a, b) in [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])] {
                *edges.entry((a.min(b), a.max(b))).or_insert(0) += 1;
            }
        }
        assert!(edges.values().all(|&n| n == 2), "open or doubled edges");
        // Lit from above: the top pole is brighter than the bottom one.
        assert!(m.colors[0].r > m.colors[25].r);
        // A second stamp indexes its own vertices.
        m.stamp(&Bead::new(0.5, [200, 40, 40], 8), [0.0; 3]);
        assert!(m.indices[48 * 3..].iter().all(|&i| i >= 26));
    }

    #[test]
    fn coarser_beads_stay_closed() {
        for (sides, triangles) in [(4, 8), (6, 24), (8, 48), (3, 8)] {
            let b = Bead::new(1.0, [9, 9, 9], sides);
            assert_eq!(b.indices.len(), triangles * 3, "{sides} sides");
            let mut edges = std::collections::HashMap::new();
            for t in b.indices.chunks(3) {
                for (a, c) in [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])] {
                    *edges.entry((a.min(c), a.max(c))).or_insert(0) += 1;
                }
            }
            assert!(edges.values().all(|&n| n == 2), "{sides} sides");
        }
    }

    #[test]
    fn a_coarser_grid_keeps_the_corners() {
        let xs: Vec<f32> = (0..5).map(|i| i as f32).collect();
        let ys: Vec<f32> = (0..4).map(|k| k as f32 * 10.0).collect();
        let e: Vec<f32> = (0..20).map(|i| i as f32).collect();
        let (cx, cy, ce) = coarser_grid(&xs, &ys, &e, 2);
        assert_eq!(cx, [0.0, 2.0, 4.0]);
        assert_eq!(cy, [0.0, 20.0, 30.0]);
        // energy[i * 4 + k] for i in {0, 2, 4}, k in {0, 2, 3}
        assert_eq!(ce, [0.0, 2.0, 3.0, 8.0, 10.0, 11.0, 16.0, 18.0, 19.0]);
        assert!(coarser_grid(&xs, &ys, &e[..3], 2).2.is_empty());
    }
}
