//! What a picture of a plane run needs: F over the (y₁, y₂) plane at one x,
//! the samples near that x, the decoder's manifold {Dec(x, z)} lifted onto
//! F, each sample's most offending answer, and E against z at one point.

use super::model::PlaneModel;
use super::run::PlaneRun;
use crate::model::energy_model::EnergyModel;
use crate::model::grid::y_grid;
use crate::model::inference::lowest_outside;
use crate::model::latent::Decoded;
use crate::model::{State, SurfaceView};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaneView {
    pub step: u64,
    /// The x the plane is drawn at (a conditional set's slider).
    pub x: f64,
    pub conditional: bool,
    pub y1s: Vec<f32>,
    pub y2s: Vec<f32>,
    /// F over y1s × y2s, one row of `y2s.len()` per y₁.
    pub free_energy: Vec<f32>,
    /// Samples within half an x step of `x`: (y₁, y₂, F).
    pub samples: Vec<[f32; 3]>,
    /// Dec(x, z) for every z on the grid, with F there (for a 2-D z, row
    /// by row, every other row reversed: one line draws the sheet).
    pub manifold: Vec<[f32; 3]>,
    /// Each shown sample's most offending answer ȳ (outside the radius).
    pub offending: Vec<Option<[f32; 3]>>,
    /// Who pulls what: (sample y₁, y₂, Dec(x, z) y₁, y₂, weight ∂F/∂E_z) for
    /// every z with a weight of at least [`PULL_SHOWN`]: the one nearest
    /// point at β = ∞, a fan over z at a warm β.
    pub pulls: Vec<[f32; 5]>,
    /// When descent or Langevin finds ȳ: each shown sample's search in the
    /// last step, start to end.
    pub chains: Vec<Vec<[f32; 2]>>,
    /// Contrastive divergence's negatives now (up to [`NEGATIVES_SHOWN`]):
    /// (y₁, y₂, E).
    pub negatives: Vec<[f32; 3]>,
    /// The chains lifted onto the surface, (y₁, y₂, F) at every point.
    pub trails: Vec<Vec<[f32; 3]>>,
    pub state: State,
}

/// The most negatives a view carries (the picture's beads).
pub const NEGATIVES_SHOWN: usize = 256;

/// E(x, y, z) along the z grid at one point y, and what the free energy
/// makes of it (the window's "E against z" plot).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZProfile {
    /// z (first coordinate for k = 2) and E(x, y, z).
    pub energies: Vec<[f32; 2]>,
    pub min: f32,
    pub soft_min: f32,
    /// The z that attains the minimum, and Dec(x, z*).
    pub z_star: f32,
    pub dec_star: [f32; 2],
}

/// The most samples a view draws (a density's 2,000 beads would cost the
/// software renderer half its frame): more are thinned evenly.
pub const SAMPLES_SHOWN: usize = 400;

fn thinned(near: Vec<usize>) -> Vec<usize> {
    let every = near.len().div_ceil(SAMPLES_SHOWN).max(1);
    near.into_iter().step_by(every).collect()
}

/// The smallest weight of a pull listed in [`PlaneView::pulls`].
pub const PULL_SHOWN: f32 = 0.01;

/// The samples' x tolerance: half the gap between the horn's x values.
const NEAR_X: f64 = 0.5 / 50.0;

/// The plane of `run` at `x` on an `n` × `n` grid.
pub fn plane_view(run: &PlaneRun, x: f64, n: usize) -> PlaneView {
    let [r1, r2] = run.data.ranges;
    let y1s: Vec<f32> = y_grid(r1, n).into_iter().map(|v| v as f32).collect();
    let y2s: Vec<f32> = y_grid(r2, n).into_iter().map(|v| v as f32).collect();
    let points: Vec<f32> = y1s
        .iter()
        .flat_map(|&a| y2s.iter().flat_map(move |&b| [a, b]))
        .collect();
    let model = &run.model;
    let xf = x as f32;
    let mut free_energy = Vec::new();
    model.energies(xf, &points, &mut free_energy);
    let mut dec = Decoded::default();
    let manifold = manifold_of(model, xf, &mut dec);
    let conditional = run.data.conditional();
    let tol = if conditional { NEAR_X } else { f64::INFINITY };
    let near = thinned(run.data.near_indices(x, tol));
    let mut samples = Vec::with_capacity(near.len());
    let mut offending = Vec::with_capacity(near.len());
    let mut e = Vec::new();
    let mut grid_row = Vec::new();
    model.energies(xf, &run.space.points, &mut grid_row);
    let correct: Vec<f32> = near
        .iter()
        .flat_map(|&i| [run.data.ys[2 * i] as f32, run.data.ys[2 * i + 1] as f32])
        .collect();
    let mut pulls = Vec::new();
    let mut w = Vec::new();
    let sampled = run.sampled_contrast();
    for (&i, y) in near.iter().zip(correct.chunks(2)) {
        let f = match model.latent() {
            Some(m) => m.free_energy(&dec.points, y, &mut e, Some(&mut w)),
            None => {
                model.energies(xf, y, &mut e);
                w.clear();
                e.first().copied().unwrap_or(f32::NAN)
            }
        };
        samples.push([y[0], y[1], f]);
        for (p, &wz) in dec.points.chunks(2).zip(&w) {
            if wz >= PULL_SHOWN {
                pulls.push([y[0], y[1], p[0], p[1], wz]);
            }
        }
        // A density's ȳ is drawn only where its loss has one: with its
        // thousands of samples, the grid's ȳ of nll would be a fan of links.
        let no_contrast = run.spec.density && !run.spec.loss.contrast().uses_inference();
        offending.push(if run.spec.cd || no_contrast {
            None
        } else if sampled {
            run.contrast_of(i).map(|c| {
                let mut fe = Vec::new();
                model.energies(xf, &c, &mut fe);
                [c[0], c[1], fe.first().copied().unwrap_or(f32::NAN)]
            })
        } else {
            lowest_outside(&grid_row, &run.space, &correct, Some(run.spec.radius)).map(|k| {
                let p = run.space.point(k);
                [p[0], p[1], grid_row[k]]
            })
        });
    }
    let chains = if run.spec.cd {
        run.negative_paths().to_vec()
    } else {
        run.chains()
            .filter(|(i, _)| near.contains(i))
            .map(|(_, path)| path.iter().map(|p| [p[0] as f32, p[1] as f32]).collect())
            .collect()
    };
    let negatives = negatives_of(run, xf);
    let trails = lifted(model, xf, &chains);
    PlaneView {
        step: run.step(),
        x,
        conditional,
        y1s,
        y2s,
        free_energy,
        samples,
        manifold,
        offending,
        pulls,
        chains,
        negatives,
        trails,
        state: run.state(),
    }
}

/// Dec(x, z) for every z on the grid, with F there; empty for a density.
fn manifold_of(model: &PlaneModel, xf: f32, dec: &mut Decoded<f32>) -> Vec<[f32; 3]> {
    let Some(m) = model.latent() else {
        dec.points.clear();
        return Vec::new();
    };
    m.decode(xf, dec);
    let mut row = Vec::new();
    m.energies(xf, &dec.points, &mut row);
    let mut manifold: Vec<[f32; 3]> = dec
        .points
        .chunks(2)
        .zip(&row)
        .map(|(p, &f)| [p[0], p[1], f])
        .collect();
    if m.spec.z_dim == 2 {
        // A sheet: its rows of z₂ in turn, every other one reversed, so that
        // one line draws it without strokes back across it.
        for (j, r) in manifold.chunks_mut(m.spec.z_grid.max(1)).enumerate() {
            if j % 2 == 1 {
                r.reverse();
            }
        }
    }
    manifold
}

/// Each chain's points with F there (one batch for all of them).
fn lifted(model: &PlaneModel, xf: f32, chains: &[Vec<[f32; 2]>]) -> Vec<Vec<[f32; 3]>> {
    let flat: Vec<f32> = chains.iter().flatten().flat_map(|p| *p).collect();
    let mut e = Vec::new();
    model.energies(xf, &flat, &mut e);
    let mut at = 0;
    chains
        .iter()
        .map(|c| {
            let out = c
                .iter()
                .zip(&e[at..])
                .map(|(p, &f)| [p[0], p[1], f])
                .collect();
            at += c.len();
            out
        })
        .collect()
}

/// The first [`NEGATIVES_SHOWN`] negatives of contrastive divergence, with E.
fn negatives_of(run: &PlaneRun, xf: f32) -> Vec<[f32; 3]> {
    let Some(chains) = run.negatives() else {
        return Vec::new();
    };
    let shown = &chains[..chains.len().min(2 * NEGATIVES_SHOWN)];
    let mut e = Vec::new();
    run.model.energies(xf, shown, &mut e);
    shown
        .chunks(2)
        .zip(&e)
        .map(|(c, &v)| [c[0], c[1], v])
        .collect()
}

/// E against z at the point y (and x).
pub fn z_profile(run: &PlaneRun, x: f64, y: [f32; 2]) -> ZProfile {
    let Some(model) = run.model.latent() else {
        return ZProfile::default();
    };
    let mut dec = Decoded::default();
    model.decode(x as f32, &mut dec);
    let mut e = Vec::new();
    let soft = model.free_energy(&dec.points, &y, &mut e, None);
    let k = model.spec.z_dim;
    let (j, &min) = e
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .unwrap_or((0, &f32::NAN));
    ZProfile {
        energies: e
            .iter()
            .enumerate()
            .map(|(i, &v)| [model.zs[i * k], v])
            .collect(),
        min,
        soft_min: soft,
        z_star: model.zs.get(j * k).copied().unwrap_or(f32::NAN),
        dec_star: [dec.points[2 * j], dec.points[2 * j + 1]],
    }
}

impl PlaneView {
    /// F as CSV with a header naming the plane: `y1,y2,F`, or `x,y1,y2,F`
    /// for a conditional set (at the view's x).
    pub fn surface_csv(&self) -> String {
        let mut out = String::from(if self.conditional {
            "x,y1,y2,F\n"
        } else {
            "y1,y2,F\n"
        });
        for (i, &a) in self.y1s.iter().enumerate() {
            for (k, &b) in self.y2s.iter().enumerate() {
                let f = self.free_energy[i * self.y2s.len() + k];
                if self.conditional {
                    out.push_str(&format!("{},", self.x));
                }
                out.push_str(&format!("{a},{b},{f}\n"));
            }
        }
        out
    }

    /// The same picture in the line's terms (y₁ along the x axis, y₂ along
    /// y, the manifold as the inference curve), for the renderers.
    pub fn as_surface(&self) -> SurfaceView {
        let range = |v: &[f32]| (v[0], v[v.len() - 1]);
        SurfaceView {
            step: self.step,
            x_range: range(&self.y1s),
            y_range: range(&self.y2s),
            xs: self.y1s.clone(),
            ys: self.y2s.clone(),
            energy: self.free_energy.clone(),
            samples: self.samples.clone(),
            offending: self.offending.clone(),
            inference: self.manifold.clone(),
            state: self.state,
            axes: crate::model::view::PLANE_AXES,
            floor: self.manifold.iter().map(|p| [p[0], p[1]]).collect(),
            trails: self.trails.clone(),
            beads: self.negatives.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plane::presets::base_spec;
    use crate::model::plane::PlaneSpec;

    /// At zero temperature each sample pulls one point (weight 1); at a warm
    /// β the pull is spread over many z, their weights summing to at most 1.
    #[test]
    fn the_pulls_are_one_point_at_zero_temperature_and_a_fan_when_warm() {
        let cold = PlaneRun::new(base_spec(), None);
        let v = plane_view(&cold, 0.0, 16);
        assert_eq!(v.pulls.len(), v.samples.len());
        assert!(v.pulls.iter().all(|p| p[4] == 1.0));
        let mut warm_spec: PlaneSpec = base_spec();
        warm_spec.latent.beta = 1.0;
        let warm = PlaneRun::new(warm_spec, None);
        let w = plane_view(&warm, 0.0, 16);
        assert!(
            w.pulls.len() > 3 * w.samples.len(),
            "{} pulls",
            w.pulls.len()
        );
        let total: f32 = w.pulls.iter().map(|p| p[4]).sum();
        assert!(total <= w.samples.len() as f32 + 1e-3);
    }

    /// With Langevin finding ȳ, the view shows each sample's chain (T + 1
    /// points) and the ȳ it ended on, outside the radius; with the grid, none.
    #[test]
    fn a_sampled_contrast_shows_its_chains_and_its_ybar() {
        use crate::model::plane::settings::apply_all;
        let set = |s: &[&str]| s.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        let spec = apply_all(
            &base_spec(),
            &set(&["loss=hinge", "inference=langevin", "inference_steps=7"]),
        )
        .expect("settings");
        let mut run = PlaneRun::new(spec.clone(), None);
        run.train_step().expect("a step");
        let v = plane_view(&run, 0.0, 16);
        assert_eq!(v.chains.len(), v.samples.len());
        assert!(v.chains.iter().all(|c| c.len() == 8));
        for (s, o) in v.samples.iter().zip(&v.offending) {
            let o = o.expect("a ȳ for every sample");
            let d = ((o[0] - s[0]).powi(2) + (o[1] - s[1]).powi(2)).sqrt();
            assert!(
                d >= spec.radius as f32 - 1e-4,
                "ȳ {o:?} inside the radius of {s:?}"
            );
        }
        let grid = apply_all(&base_spec(), &set(&["loss=hinge"])).expect("settings");
        let mut run = PlaneRun::new(grid, None);
        run.train_step().expect("a step");
        assert!(plane_view(&run, 0.0, 16).chains.is_empty());
    }
}
