//! The numbers every snapshot carries, and the state rule of DESIGN §1, §3.
//!
//! Metrics are measured on a fixed grid of 64 probe x (evenly spaced over the x
//! range) × the K values of the Y grid, whatever the window shows, so that they
//! do not depend on the display resolution.

use serde::{Deserialize, Serialize};

use super::architecture::{GridWorkspace, Model};
use super::dataset::Dataset;
use super::grid;
use super::kernels::{self, scan_rows, ScanBuffers, Simd};
use super::real::Real;
use super::state_rule::{classify, Reading};

pub const PROBES: usize = 64;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    #[default]
    Training,
    Collapsed,
    Learned,
    Diverged,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Training => "training",
            State::Collapsed => "collapsed",
            State::Learned => "learned",
            State::Diverged => "diverged",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub loss: f64,
    pub spread: f64,
    /// Median over the probe x of max − min of E(x, ·) over the Y grid: ~0
    /// when E is flat in y (collapse), whatever it does along x.
    #[serde(default)]
    pub y_spread: f64,
    pub contrast: f64,
    pub inference_error: f64,
    /// Only for datasets with several y per x.
    pub coverage: Option<f64>,
    pub state: State,
}

impl Metrics {
    /// The numbers the state rule reads, against a fresh start's y-spread
    /// (None: no reference, step 0 of a fresh run).
    pub fn reading(&self, y_spread0: Option<f64>) -> Reading {
        Reading {
            finite: self.state != State::Diverged,
            spread_ratio: y_spread0.map(|s0| self.y_spread / s0),
            inference_error: self.inference_error,
            coverage: self.coverage,
        }
    }
}

/// Buffers reused between measurements.
#[derive(Clone, Debug, Default)]
pub struct MetricsWorkspace {
    grid_ws: GridWorkspace<f32>,
    probe_xs: Vec<f32>,
    energies: Vec<f32>,
    sample_rows: Vec<f32>,
    sample_e: Vec<f32>,
    scan: ScanBuffers,
    found: Vec<Option<usize>>,
    row_spreads: Vec<f64>,
}

/// What the metrics look at.
pub struct MetricInputs<'a> {
    pub model: &'a Model<f32>,
    pub data: &'a Dataset,
    pub xs: &'a [f32],
    pub ys: &'a [f32],
    pub y_grid: &'a [f32],
    pub radius: f64,
    pub loss: f64,
    /// `y_spread` at step 0 of this run (None: this is step 0).
    pub y_spread0: Option<f64>,
}

/// The numbers of the probe grid (64 probe x × the Y grid).
struct ProbeNumbers {
    spread: f64,
    y_spread: f64,
    inference_error: f64,
    coverage: Option<f64>,
    reading: Reading,
}

fn probe_numbers(inp: &MetricInputs, ws: &mut MetricsWorkspace) -> ProbeNumbers {
    let k = inp.y_grid.len();
    ws.probe_xs.clear();
    ws.probe_xs
        .extend((0..PROBES).map(|i| inp.data.probe(i, PROBES) as f32));
    inp.model
        .energy_grid(&ws.probe_xs, inp.y_grid, &mut ws.grid_ws, &mut ws.energies);
    let (lo, hi, finite) = range_of(&ws.energies);
    let y_spread = median_row_spread(&ws.energies, k, &mut ws.row_spreads);
    let (inference_error, coverage) = inference(inp, ws);
    let reading = Reading {
        finite: finite && inp.loss.is_finite() && inp.model.is_finite(),
        spread_ratio: inp.y_spread0.map(|s0| y_spread / s0),
        inference_error,
        coverage,
    };
    ProbeNumbers {
        spread: hi as f64 - lo as f64,
        y_spread,
        inference_error,
        coverage,
        reading,
    }
}

/// What the state rule reads, from the probe grid alone (a run's check
/// every `STATE_CHECK` steps: no contrast, which costs a grid per sample).
pub fn reading(inp: &MetricInputs, ws: &mut MetricsWorkspace) -> Reading {
    probe_numbers(inp, ws).reading
}

pub fn measure(inp: &MetricInputs, ws: &mut MetricsWorkspace) -> Metrics {
    let p = probe_numbers(inp, ws);
    let contrast = mean_contrast(inp, ws);
    Metrics {
        loss: inp.loss,
        spread: p.spread,
        y_spread: p.y_spread,
        contrast,
        inference_error: p.inference_error,
        coverage: p.coverage,
        // This reading alone; a run shows it once it has held (`StateTracker`).
        state: classify(&p.reading, State::Training),
    }
}

/// The inference error (mean over probes of the distance from argmin_y E to
/// the nearest true y) and, on a multi-valued set, the coverage (share of
/// probes |x| < 0.8 whose every true y has a local minimum within 0.1), from
/// the probe rows in `ws.energies`.
fn inference(inp: &MetricInputs, ws: &mut MetricsWorkspace) -> (f64, Option<f64>) {
    let k = inp.y_grid.len();
    let (mut err_sum, mut err_n, mut cov_hit, mut cov_n) = (0.0, 0usize, 0usize, 0usize);
    scan_rows(
        &ws.energies,
        inp.y_grid,
        None,
        0.0,
        &mut ws.scan,
        &mut ws.found,
    );
    for (p, row) in ws.energies.chunks(k).enumerate() {
        let x = inp.data.probe(p, PROBES);
        let truth = inp.data.true_ys(x);
        if truth.is_empty() {
            continue;
        }
        let k_hat = ws.found[p].unwrap_or_else(|| grid::argmin(row));
        let y_hat = inp.y_grid[k_hat] as f64;
        err_sum += truth
            .iter()
            .map(|t| (t - y_hat).abs())
            .fold(f64::INFINITY, f64::min);
        err_n += 1;
        if inp.data.multi_valued && x.abs() < 0.8 {
            let minima = grid::local_minima(row);
            let covered = truth.iter().all(|t| {
                minima
                    .iter()
                    .any(|&m| (inp.y_grid[m] as f64 - t).abs() <= 0.1)
            });
            cov_n += 1;
            cov_hit += covered as usize;
        }
    }
    let error = if err_n > 0 {
        err_sum / err_n as f64
    } else {
        f64::NAN
    };
    let coverage = inp.data.multi_valued.then(|| {
        if cov_n > 0 {
            cov_hit as f64 / cov_n as f64
        } else {
            0.0
        }
    });
    (error, coverage)
}

/// Mean over the samples of Ē − Eᵢ (ȳ the most offending answer outside the
/// radius; samples without one are skipped; 0 when none has one).
fn mean_contrast(inp: &MetricInputs, ws: &mut MetricsWorkspace) -> f64 {
    let k = inp.y_grid.len();
    inp.model
        .energy_grid(inp.xs, inp.y_grid, &mut ws.grid_ws, &mut ws.sample_rows);
    sample_energies(inp.model, inp.xs, inp.ys, &mut ws.grid_ws, &mut ws.sample_e);
    let (mut c_sum, mut c_n) = (0.0, 0usize);
    scan_rows(
        &ws.sample_rows,
        inp.y_grid,
        Some(inp.ys),
        inp.radius as f32,
        &mut ws.scan,
        &mut ws.found,
    );
    for (i, row) in ws.sample_rows.chunks(k).enumerate() {
        if let Some(kb) = ws.found[i] {
            c_sum += (row[kb] - ws.sample_e[i]) as f64;
            c_n += 1;
        }
    }
    if c_n > 0 {
        c_sum / c_n as f64
    } else {
        0.0
    }
}

/// Median over the rows (of length `k`) of max − min within the row.
fn median_row_spread(energies: &[f32], k: usize, spreads: &mut Vec<f64>) -> f64 {
    spreads.clear();
    if k == 0 {
        return f64::NAN;
    }
    spreads.extend(energies.chunks(k).map(|row| {
        let (lo, hi, _) = range_of(row);
        hi as f64 - lo as f64
    }));
    let n = spreads.len();
    if n == 0 {
        return f64::NAN;
    }
    spreads.sort_by(f64::total_cmp);
    if n % 2 == 1 {
        spreads[n / 2]
    } else {
        0.5 * (spreads[n / 2 - 1] + spreads[n / 2])
    }
}

/// Lowest and highest value (NaN ignored, as `f64::min`/`max` do) and whether
/// all are finite; in 8 independent lanes so that the loop vectorises.
fn range_of(v: &[f32]) -> (f32, f32, bool) {
    const L: usize = 8;
    let (mut lo, mut hi) = ([f32::INFINITY; L], [f32::NEG_INFINITY; L]);
    let mut bad = [0u32; L];
    let (chunks, tail) = v.as_chunks::<L>();
    for c in chunks {
        for l in 0..L {
            let e = c[l];
            lo[l] = if e < lo[l] { e } else { lo[l] };
            hi[l] = if e > hi[l] { e } else { hi[l] };
            bad[l] |= (!e.is_finite()) as u32;
        }
    }
    let mut ok = bad.iter().all(|&x| x == 0);
    let (mut a, mut b) = (f32::INFINITY, f32::NEG_INFINITY);
    for e in lo.into_iter().chain(tail.iter().copied()) {
        a = if e < a { e } else { a };
    }
    for e in hi.into_iter().chain(tail.iter().copied()) {
        b = if e > b { e } else { b };
    }
    for e in tail {
        ok &= e.is_finite();
    }
    (a, b, ok)
}

/// E(xᵢ, yᵢ) for each sample.
pub fn sample_energies<T: Real>(
    model: &Model<T>,
    xs: &[T],
    ys: &[T],
    ws: &mut GridWorkspace<T>,
    out: &mut Vec<T>,
) {
    let fast = (model.kernel_net(), T::f32s(xs), T::f32s(ys));
    if let ((Some(net), Some(xs), Some(ys)), Some(out)) = (fast, T::f32s_mut(out)) {
        kernels::pair_energies_at(Simd::best(), net, xs, ys, &mut ws.fast, out);
        return;
    }
    model.x_side(xs, &mut ws.x);
    model.y_side(ys, &mut ws.y);
    let d = model.dim();
    out.clear();
    out.extend((0..xs.len()).map(|i| {
        model
            .cost
            .value(&ws.x.out[i * d..(i + 1) * d], &ws.y.out[i * d..(i + 1) * d])
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Architecture, Cost, DatasetKind, Spacing};
    use rand::SeedableRng;

    fn parabola() -> Dataset {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        Dataset::builtin(DatasetKind::Parabola, 20, Spacing::Even, 0.0, &mut rng)
    }

    /// E(x, y) = |2 + tanh(s·x) − t·tanh(y)| from one hidden unit per net (d = 1,
    /// l1 cost); for t ≤ 1 on the parabola's ranges G1 > G2, so E = G1 − G2.
    fn tilted(s: f32, t: f32) -> Model<f32> {
        let mut m = Model::<f32>::zeros(Architecture::Dual, Cost::L1, 1, 1);
        // G1: w1, b1, w2, b2 = s, 0, 1, 2.
        m.params[..4].copy_from_slice(&[s, 0.0, 1.0, 2.0]);
        // G2: w1, b1, w2, b2 = 1, 0, t, 0: G2(y) = t·tanh(y).
        m.params[4..].copy_from_slice(&[1.0, 0.0, t, 0.0]);
        m
    }

    fn metrics_of(model: &Model<f32>, y_spread0: Option<f64>) -> Metrics {
        let data = parabola();
        let xs: Vec<f32> = data.xs.iter().map(|&v| v as f32).collect();
        let ys: Vec<f32> = data.ys.iter().map(|&v| v as f32).collect();
        let y_grid: Vec<f32> = grid::y_grid(data.y_range, 128)
            .into_iter()
            .map(|v| v as f32)
            .collect();
        let inp = MetricInputs {
            model,
            data: &data,
            xs: &xs,
            ys: &ys,
            y_grid: &y_grid,
            radius: 0.3,
            loss: 1.0,
            y_spread0,
        };
        measure(&inp, &mut MetricsWorkspace::default())
    }

    #[test]
    fn a_surface_flat_in_y_but_tilted_in_x_reads_collapsed() {
        let start = metrics_of(&tilted(1.0, 1.0), None);
        assert!(start.y_spread > 0.5, "step-0 y_spread {}", start.y_spread);
        let flat = metrics_of(&tilted(1.0, 0.0), Some(start.y_spread));
        // E still varies with x (tanh over [-1, 1]: 2·tanh(1) ≈ 1.52) ...
        assert!(flat.spread > 1.5, "spread {}", flat.spread);
        assert!(flat.spread > 0.05 * start.spread);
        // ... but not with y at any x: collapsed, as the paper means it.
        assert!(flat.y_spread < 1e-6, "y_spread {}", flat.y_spread);
        assert_eq!(flat.state, State::Collapsed);
    }

    #[test]
    fn a_surface_that_still_varies_in_y_is_not_collapsed() {
        let start = metrics_of(&tilted(1.0, 1.0), None);
        let m = metrics_of(&tilted(1.0, 0.2), Some(start.y_spread));
        assert!(
            (m.y_spread / start.y_spread - 0.2).abs() < 1e-3,
            "ratio {}",
            m.y_spread / start.y_spread
        );
        assert_ne!(m.state, State::Collapsed);
    }

    #[test]
    fn y_spread_is_the_median_over_the_probes() {
        let mut v = Vec::new();
        // Rows of 2: spreads 1, 5, 3 → median 3; with a fourth (7) → (3 + 5) / 2.
        assert_eq!(
            median_row_spread(&[0.0, 1.0, 2.0, 7.0, 1.0, 4.0], 2, &mut v),
            3.0
        );
        let e = [0.0, 1.0, 2.0, 7.0, 1.0, 4.0, 0.0, 7.0];
        assert_eq!(median_row_spread(&e, 2, &mut v), 4.0);
    }
}
