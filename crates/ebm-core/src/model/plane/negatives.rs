//! Negatives for contrastive divergence: a batch of chains in the plane,
//! moved all at once by the chosen inference (the batched ∂E/∂y of
//! [`EnergyModel::energies_and_dy`]):
//!
//! * `grid`: exact draws from the Gibbs density e^(−β·E) on a 64 × 64 grid
//!   of the box (each jittered inside its cell): the reference;
//! * `descent`: T steps y ← y − η·∂E/∂y from uniform starts (or the kept
//!   chains): the modes, not the density;
//! * `langevin`: T steps y ← y − (ε²/2)·β·∂E/∂y + ε·ξ, short-run (fresh
//!   uniform starts every step) or persistent (the chains kept, a share
//!   restarted from noise each step, as Du & Mordatch).
//!
//! Chains are clamped to the box. The first [`SHOWN`] chains' paths of the
//! last call are kept for drawing.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

use super::run::{InferenceKind, InferenceSpec, RESTART_SHARE};
use crate::model::answers::AnswerGrid;
use crate::model::energy_model::EnergyModel;

/// Chains whose paths are kept for the picture.
pub const SHOWN: usize = 16;
/// Cells per axis of the grid the exact sampler draws from.
const EXACT_GRID: usize = 64;

pub struct Negatives {
    pub spec: InferenceSpec,
    chains: Vec<f32>,
    /// Whether `chains` holds chains to continue (persistent runs).
    started: bool,
    rng: SmallRng,
    /// Paths of the first [`SHOWN`] chains in the last call, start to end.
    pub paths: Vec<Vec<[f32; 2]>>,
    e: Vec<f32>,
    dy: Vec<f32>,
}

impl Negatives {
    pub fn new(spec: InferenceSpec, count: usize, seed: u64) -> Negatives {
        Negatives {
            spec,
            chains: vec![0.0; 2 * count],
            started: false,
            rng: SmallRng::seed_from_u64(seed ^ 0x6e65_6761_7469_7665),
            paths: Vec::new(),
            e: Vec::new(),
            dy: Vec::new(),
        }
    }

    pub fn count(&self) -> usize {
        self.chains.len() / 2
    }

    /// The chains as they are (n × 2).
    pub fn chains(&self) -> &[f32] {
        &self.chains
    }

    /// Energies evaluated by the last call (with ∂E/∂y for the chains' steps).
    pub fn evaluations(&self) -> usize {
        match self.spec.kind {
            InferenceKind::Grid => EXACT_GRID * EXACT_GRID,
            _ => self.count() * self.spec.steps,
        }
    }

    /// New negatives for `model` in `box_` at the Gibbs β `beta`.
    pub fn draw(
        &mut self,
        model: &dyn EnergyModel<f32>,
        box_: [(f64, f64); 2],
        beta: f64,
    ) -> &[f32] {
        match self.spec.kind {
            InferenceKind::Grid => self.exact(model, box_, beta),
            kind => {
                self.start(box_);
                self.paths = self
                    .chains
                    .chunks(2)
                    .take(SHOWN)
                    .map(|c| vec![[c[0], c[1]]])
                    .collect();
                for _ in 0..self.spec.steps {
                    self.move_once(model, kind, box_);
                }
            }
        }
        self.started = true;
        &self.chains
    }

    fn uniform(rng: &mut SmallRng, box_: [(f64, f64); 2], c: &mut [f32]) {
        for (v, (lo, hi)) in c.iter_mut().zip(box_) {
            *v = rng.random_range(lo as f32..hi as f32);
        }
    }

    /// Fresh starts (every chain, or the restarted share of kept ones).
    fn start(&mut self, box_: [(f64, f64); 2]) {
        let keep = self.spec.persistent && self.started;
        for c in self.chains.chunks_mut(2) {
            if !keep || self.rng.random_bool(RESTART_SHARE) {
                Self::uniform(&mut self.rng, box_, c);
            }
        }
    }

    fn move_once(
        &mut self,
        model: &dyn EnergyModel<f32>,
        kind: InferenceKind,
        box_: [(f64, f64); 2],
    ) {
        model.energies_and_dy(0.0, &self.chains, &mut self.e, &mut self.dy);
        let eta = self.spec.eta as f32;
        let (drift, noise) = match kind {
            InferenceKind::Langevin => (0.5 * eta * eta * self.spec.beta as f32, eta),
            _ => (eta, 0.0),
        };
        for (c, g) in self.chains.chunks_mut(2).zip(self.dy.chunks(2)) {
            for ((v, &d), (lo, hi)) in c.iter_mut().zip(g).zip(box_) {
                let xi: f32 = if noise > 0.0 {
                    StandardNormal.sample(&mut self.rng)
                } else {
                    0.0
                };
                let next = *v - drift * d + noise * xi;
                // A NaN gradient leaves the chain where it was.
                *v = if next.is_finite() {
                    next.clamp(lo as f32, hi as f32)
                } else {
                    *v
                };
            }
        }
        for (p, c) in self.paths.iter_mut().zip(self.chains.chunks(2)) {
            p.push([c[0], c[1]]);
        }
    }

    /// Exact draws from e^(−β·E) on the grid, jittered inside their cells.
    fn exact(&mut self, model: &dyn EnergyModel<f32>, box_: [(f64, f64); 2], beta: f64) {
        let grid = AnswerGrid::<f32>::plane(box_[0], box_[1], EXACT_GRID, EXACT_GRID);
        model.energies(0.0, &grid.points, &mut self.e);
        let lo = self.e.iter().copied().fold(f32::INFINITY, f32::min);
        let mut cdf = Vec::with_capacity(self.e.len());
        let mut total = 0.0f64;
        for &v in &self.e {
            let w = (-(beta) * (v - lo) as f64).exp();
            total += if w.is_finite() { w } else { 0.0 };
            cdf.push(total);
        }
        let cell = [
            ((box_[0].1 - box_[0].0) / (EXACT_GRID - 1) as f64) as f32,
            ((box_[1].1 - box_[1].0) / (EXACT_GRID - 1) as f64) as f32,
        ];
        for c in self.chains.chunks_mut(2) {
            let u = self.rng.random_range(0.0..1.0) * total;
            let k = cdf
                .partition_point(|&v| v < u)
                .min(grid.points.len() / 2 - 1);
            for (d, v) in c.iter_mut().enumerate() {
                let jitter = self.rng.random_range(-0.5f32..0.5) * cell[d];
                let (lo, hi) = box_[d];
                *v = (grid.points[2 * k + d] + jitter).clamp(lo as f32, hi as f32);
            }
        }
        self.paths.clear();
    }
}

/// How many samples, and how, a density's sample export draws when not told
/// (`ebm-lab sample`'s defaults, and the window's Export samples).
pub const SAMPLE_DEFAULT: (usize, usize, f64) = (1000, 200, 0.1);

/// `chains` independent samples of `model`'s Gibbs density at `beta` in
/// `box_`, each the end of a chain from a uniform start (or an exact draw
/// for the grid), as CSV `y1,y2`.
pub fn samples_csv(
    model: &dyn EnergyModel<f32>,
    box_: [(f64, f64); 2],
    spec: InferenceSpec,
    chains: usize,
    seed: u64,
) -> String {
    let mut n = Negatives::new(
        InferenceSpec {
            persistent: false,
            start: crate::model::inference_spec::StartKind::Uniform,
            ..spec
        },
        chains,
        seed,
    );
    let mut csv = String::from("y1,y2\n");
    for c in n.draw(model, box_, spec.beta).chunks(2) {
        csv.push_str(&format!("{},{}\n", c[0], c[1]));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::density_net::DensityNet;
    use crate::model::plane::density_metrics::gibbs;

    /// E(y) = ‖y‖²/2: the Gibbs density at β = 1 is the standard normal.
    struct Bowl(Vec<f32>);

    impl EnergyModel<f32> for Bowl {
        fn answer_dim(&self) -> usize {
            2
        }
        fn params(&self) -> &[f32] {
            &self.0
        }
        fn params_mut(&mut self) -> &mut [f32] {
            &mut self.0
        }
        fn energies(&self, _x: f32, answers: &[f32], out: &mut Vec<f32>) {
            out.clear();
            out.extend(answers.chunks(2).map(|y| 0.5 * (y[0] * y[0] + y[1] * y[1])));
        }
        fn backward(&self, _x: f32, _a: &[f32], _d: &[f32], _g: &mut [f32]) {}
        fn energy_and_dy(&self, _x: f32, y: &[f32], dy: &mut [f32]) -> f32 {
            dy[..2].copy_from_slice(&y[..2]);
            0.5 * (y[0] * y[0] + y[1] * y[1])
        }
    }

    fn spec(kind: InferenceKind, steps: usize, eta: f64, persistent: bool) -> InferenceSpec {
        InferenceSpec {
            kind,
            steps,
            eta,
            beta: 1.0,
            persistent,
            start: crate::model::inference_spec::StartKind::Uniform,
        }
    }

    fn moments(c: &[f32]) -> (f64, f64) {
        let n = c.len() as f64;
        let mean = c.iter().map(|&v| v as f64).sum::<f64>() / n;
        let var = c.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
        (mean, var)
    }

    /// Langevin's chains sample the bowl's standard normal (mean 0,
    /// variance 1 per coordinate, up to ε's bias of about ε²/4); descent's
    /// all reach the bottom.
    #[test]
    fn langevin_samples_the_gibbs_density_and_descent_finds_its_mode() {
        let bowl = Bowl(Vec::new());
        let box_ = [(-6.0, 6.0); 2];
        let mut chains = Negatives::new(spec(InferenceKind::Langevin, 300, 0.2, false), 4000, 1);
        let (mean, var) = moments(chains.draw(&bowl, box_, 1.0));
        assert!(
            mean.abs() < 0.05 && (var - 1.0).abs() < 0.08,
            "{mean} {var}"
        );
        assert_eq!(chains.paths.len(), SHOWN);
        assert!(chains.paths.iter().all(|p| p.len() == 301));
        let mut down = Negatives::new(spec(InferenceKind::Descent, 200, 0.1, false), 100, 2);
        let ends = down.draw(&bowl, box_, 1.0);
        assert!(ends.iter().all(|v| v.abs() < 1e-3), "{ends:?}");
    }

    /// A persistent buffer keeps its chains (all but the restarted share).
    #[test]
    fn a_persistent_buffer_continues_its_chains() {
        let bowl = Bowl(Vec::new());
        let box_ = [(-6.0, 6.0); 2];
        let mut chains = Negatives::new(spec(InferenceKind::Langevin, 1, 0.01, true), 2000, 3);
        let first = chains.draw(&bowl, box_, 1.0).to_vec();
        let second = chains.draw(&bowl, box_, 1.0).to_vec();
        let moved_a_little = first
            .chunks(2)
            .zip(second.chunks(2))
            .filter(|(a, b)| (a[0] - b[0]).abs() < 0.1 && (a[1] - b[1]).abs() < 0.1)
            .count();
        // 95 % continue (a step of ε = 0.01), 5 % restart uniformly.
        assert!((1850..=1950).contains(&moved_a_little), "{moved_a_little}");
    }

    /// The export's CSV: a header and one sample a line, inside the box; on
    /// the bowl, centred on its bottom.
    #[test]
    fn the_sample_export_writes_one_sample_a_line() {
        let csv = samples_csv(
            &Bowl(Vec::new()),
            [(-6.0, 6.0); 2],
            spec(InferenceKind::Langevin, 200, 0.2, true),
            500,
            7,
        );
        let rows: Vec<Vec<f32>> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(|v| v.parse().expect("a number")).collect())
            .collect();
        assert!(csv.starts_with("y1,y2\n"));
        assert_eq!(rows.len(), 500);
        let mean = rows.iter().map(|r| r[0]).sum::<f32>() / 500.0;
        assert!(mean.abs() < 0.15 && rows.iter().all(|r| r.len() == 2 && r[0].abs() <= 6.0));
    }

    /// The grid sampler's draws follow the Gibbs density of the grid.
    #[test]
    fn exact_draws_follow_the_gibbs_density() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let net = DensityNet::new(16, &mut rng);
        let box_ = [(-4.0, 4.0); 2];
        let mut chains = Negatives::new(spec(InferenceKind::Grid, 1, 0.1, false), 40_000, 5);
        let drawn = chains.draw(&net, box_, 1.0).to_vec();
        // Mass of the left half (y₁ < 0) drawn against the density's.
        let p = gibbs(&net, box_, 1.0);
        let n = crate::model::plane::density_metrics::DENSITY_GRID;
        let left: f64 = p.chunks(n).take(n / 2).flatten().sum();
        let drawn_left = drawn.chunks(2).filter(|c| c[0] < 0.0).count() as f64 / 40_000.0;
        assert!((left - drawn_left).abs() < 0.02, "{left} vs {drawn_left}");
    }
}
