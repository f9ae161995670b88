//! The state rule read on the plane (DESIGN, "Answers in the plane").
//!
//! * spread: at each probe x, the 90th minus the 10th percentile of F over
//!   the cells of a 48 × 48 grid of the plane inside the convex hull of the
//!   samples at that x (where the data is: outside it F rises under any
//!   model); the median over the probes. `collapsed` when it falls under
//!   `COLLAPSE_ENTER` of a fresh start's, as on the line: F flat where the
//!   data is, every y there as cheap as the samples.
//! * rank: for each sample, the share of the plane's cells (at the sample's
//!   x) whose F is below the sample's. A valley that holds the data puts every
//!   sample among the lowest cells; a bowl or a flat sheet does not.
//!   `learned` when the mean rank is under [`LEARNED_RANK`] (leaving it takes
//!   more, as on the line) and the spread is not near flat.
//!
//! The rank is handed to the line's [`StateTracker`](crate::model::state_rule)
//! on its scale (rank × `LEARNED_ERROR` / `LEARNED_RANK`), so both share one
//! rule with its hysteresis and hold.

use super::data::PlaneData;
use super::model::PlaneModel;
use crate::model::answers::AnswerGrid;
use crate::model::energy_model::EnergyModel;
use crate::model::latent::{soft_min, Decoded};
use crate::model::state_rule::{Reading, LEARNED_ERROR};
use crate::model::State;

/// Cells per axis of the plane the metrics read.
pub const METRICS_GRID: usize = 48;
/// Probe values of x on a conditional set.
pub const PROBES: usize = 5;
/// Learned: the samples' mean rank is under this share of the plane.
pub const LEARNED_RANK: f64 = 0.10;

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PlaneMetrics {
    pub loss: f64,
    pub spread: f64,
    pub spread_ratio: Option<f64>,
    /// Mean share of the plane below a sample's F.
    pub rank: f64,
    /// Mean distance from a sample to the decoder's nearest point, √F_∞
    /// (NaN for a density: it has no decoder).
    pub manifold_distance: f64,
    /// A density's Gibbs mass away from the data (`density_metrics.rs`).
    pub off_data_mass: Option<f64>,
    pub finite: bool,
    pub state: State,
}

impl PlaneMetrics {
    /// A fresh run's reading before any measurement.
    pub fn start_reading() -> Reading {
        Reading {
            finite: true,
            spread_ratio: None,
            inference_error: f64::INFINITY,
            coverage: None,
        }
    }

    /// What the shared state rule reads.
    pub fn reading(&self, spread0: Option<f64>) -> Reading {
        Reading {
            finite: self.finite,
            spread_ratio: spread0.filter(|s| *s > 0.0).map(|s| self.spread / s),
            inference_error: self.rank * LEARNED_ERROR / LEARNED_RANK,
            coverage: None,
        }
    }
}

/// The q-quantile of sorted values.
fn quantile(sorted: &[f32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i] as f64
}

/// The x values the spread is read at: the one x of an unconditional set,
/// else up to [`PROBES`] of the samples' distinct x, evenly spread.
fn probe_xs(data: &PlaneData) -> Vec<f64> {
    let mut xs = data.xs.clone();
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.dedup();
    if xs.len() <= PROBES {
        return xs;
    }
    (0..PROBES)
        .map(|i| xs[i * (xs.len() - 1) / (PROBES - 1)])
        .collect()
}

/// The convex hull of `points`, counter-clockwise (Andrew's monotone chain).
pub fn convex_hull(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut p = points.to_vec();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(f64, f64)> = Vec::with_capacity(2 * p.len());
    for pass in [p.clone(), p.into_iter().rev().collect()] {
        let start = hull.len();
        for q in pass {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0
            {
                hull.pop();
            }
            hull.push(q);
        }
        hull.pop();
    }
    hull
}

/// Whether `y` lies inside the counter-clockwise `hull` (fewer than three
/// corners: never).
fn in_hull(hull: &[(f64, f64)], y: &[f32]) -> bool {
    let (px, py) = (y[0] as f64, y[1] as f64);
    hull.len() >= 3
        && (0..hull.len()).all(|i| {
            let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
            (b.0 - a.0) * (py - a.1) - (b.1 - a.1) * (px - a.0) >= 0.0
        })
}

/// The spread of F (`row`, over `grid` at `x`) inside the samples' hull at x:
/// the 90th minus the 10th percentile (over the whole plane when fewer than
/// three cells are inside).
fn hull_spread(data: &PlaneData, grid: &AnswerGrid<f32>, x: f64, row: &[f32]) -> f64 {
    let hull = convex_hull(&data.near(x, 1e-9));
    let mut cells: Vec<f32> = row
        .iter()
        .enumerate()
        .filter(|&(k, _)| in_hull(&hull, grid.point(k)))
        .map(|(_, &f)| f)
        .collect();
    if cells.len() < 3 {
        cells = row.to_vec();
    }
    cells.sort_by(|a, b| a.total_cmp(b));
    quantile(&cells, 0.9) - quantile(&cells, 0.1)
}

/// The metrics of `model` on `data` (state `Training` until a run sets it).
/// F over the plane is computed once per distinct x of the samples; the
/// spread reads it at the probes, the ranks at every x.
pub fn plane_metrics(model: &PlaneModel, data: &PlaneData, spread0: Option<f64>) -> PlaneMetrics {
    let [r1, r2] = data.ranges;
    let grid = AnswerGrid::<f32>::plane(r1, r2, METRICS_GRID, METRICS_GRID);
    let probes = probe_xs(data);
    let mut spreads = Vec::with_capacity(probes.len());
    let mut row = Vec::new();
    let mut order: Vec<usize> = (0..data.len()).collect();
    order.sort_by(|&a, &b| data.xs[a].total_cmp(&data.xs[b]));
    let (mut rank, mut dist, mut finite) = (0.0, 0.0, model.is_finite());
    let mut at = f64::NAN;
    let mut dec = Decoded::default();
    let mut e = Vec::new();
    // A density: every sample's E in one batch (x is ignored).
    let mut sample_energies = Vec::new();
    if model.latent().is_none() {
        let ys: Vec<f32> = data.ys.iter().map(|&v| v as f32).collect();
        model.energies(0.0, &ys, &mut sample_energies);
    }
    for i in order {
        let x = data.xs[i];
        if x != at {
            at = x;
            model.energies(x as f32, &grid.points, &mut row);
            if probes.contains(&x) {
                spreads.push(hull_spread(data, &grid, x, &row));
            }
            row.sort_by(|a, b| a.total_cmp(b));
            if let Some(m) = model.latent() {
                m.decode(x as f32, &mut dec);
            }
        }
        let y = [data.ys[2 * i] as f32, data.ys[2 * i + 1] as f32];
        let f = match model.latent() {
            Some(m) => {
                let f = m.free_energy(&dec.points, &y, &mut e, None);
                dist += (soft_min(&e, f64::INFINITY, None).max(0.0) as f64).sqrt();
                f
            }
            None => sample_energies.get(i).copied().unwrap_or(f32::NAN),
        };
        finite &= f.is_finite();
        rank += row.partition_point(|&v| v < f) as f64 / row.len() as f64;
    }
    if model.latent().is_none() {
        dist = f64::NAN;
    }
    spreads.sort_by(|a, b| a.total_cmp(b));
    let spread = spreads.get(spreads.len() / 2).copied().unwrap_or(f64::NAN);
    finite &= spread.is_finite();
    let n = data.len().max(1) as f64;
    let mut m = PlaneMetrics {
        loss: f64::NAN,
        spread,
        spread_ratio: None,
        rank: rank / n,
        manifold_distance: dist / n,
        off_data_mass: None,
        finite,
        state: State::Training,
    };
    m.spread_ratio = m.reading(spread0).spread_ratio;
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hull_of_a_square_and_its_inside() {
        let pts = [
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.5, 0.5),
            (0.2, 0.7),
        ];
        let h = convex_hull(&pts);
        assert_eq!(h.len(), 4, "{h:?}");
        assert!(in_hull(&h, &[0.5, 0.5]));
        assert!(!in_hull(&h, &[1.5, 0.5]));
        assert!(!in_hull(&h, &[0.5, -0.1]));
        assert!(!in_hull(&convex_hull(&pts[..2]), &[0.5, 0.0]));
    }
}
