//! Finding a wrong answer by following the energy down in y: gradient
//! descent, and Langevin dynamics (descent plus noise, short-run or from a
//! persistent buffer of chains). Both read ∂E/∂y through the
//! [`EnergyModel`] interface, so they serve the line (y ∈ ℝ) and the plane
//! (y ∈ ℝ²) alike, and both keep out of the exclusion sphere of radius r
//! around every correct answer (a step that lands inside is put back on
//! the sphere's surface). Unlike the grid search they see only the valley
//! their start leads to: what they never reach is never pushed up.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

use super::answers::AnswerGrid;
use super::energy_model::EnergyModel;
use super::inference::Inference;
use super::real::Real;

/// How a search or chain starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Start {
    /// Uniform over the answer space's ranges.
    Uniform,
    /// The sample itself plus Gaussian noise of this standard deviation.
    NearSample(f64),
}

/// T steps of y ← y − η·∂E/∂y.
#[derive(Clone, Debug)]
pub struct Descent {
    pub steps: usize,
    pub eta: f64,
    pub start: Start,
    /// Every search's path in the last evaluation (for drawing).
    pub paths: Vec<Vec<Vec<f64>>>,
    rng: StdRng,
}

impl Descent {
    pub fn new(steps: usize, eta: f64, start: Start, seed: u64) -> Descent {
        Descent {
            steps,
            eta,
            start,
            paths: Vec::new(),
            rng: StdRng::seed_from_u64(seed),
        }
    }
}

/// Langevin dynamics at inverse temperature β: y ← y − (ε²/2)·β·∂E/∂y + ε·ξ.
#[derive(Clone, Debug)]
pub struct Langevin {
    pub steps: usize,
    pub eps: f64,
    pub beta: f64,
    /// Keep each chain from one training step to the next (a replay
    /// buffer), restarting this share of them from noise each step.
    pub persistent: Option<f64>,
    /// The chains' ends, one per contrast asked for in a step, in order.
    buffer: Vec<Vec<f64>>,
    next: usize,
    /// Every chain's path in the last step (for drawing).
    pub paths: Vec<Vec<Vec<f64>>>,
    rng: StdRng,
}

impl Langevin {
    pub fn new(steps: usize, eps: f64, beta: f64, persistent: Option<f64>, seed: u64) -> Self {
        Langevin {
            steps,
            eps,
            beta,
            persistent,
            buffer: Vec::new(),
            next: 0,
            paths: Vec::new(),
            rng: StdRng::seed_from_u64(seed),
        }
    }
}

/// A start: uniform over the space, or the first correct answer plus noise.
fn start_point(
    start: Start,
    space: &AnswerGrid<impl Real>,
    correct: &[f64],
    rng: &mut StdRng,
) -> Vec<f64> {
    (0..space.dim)
        .map(|a| match start {
            Start::Uniform => {
                let (lo, hi) = space.ranges[a];
                if hi > lo {
                    rng.random_range(lo..=hi)
                } else {
                    lo
                }
            }
            Start::NearSample(sd) => {
                let n: f64 = StandardNormal.sample(rng);
                correct.get(a).copied().unwrap_or(0.0) + sd * n
            }
        })
        .collect()
}

/// Puts `y` back inside the space's ranges and outside the sphere of radius
/// `r` around every correct answer (onto the nearest one's surface).
fn keep_allowed(
    y: &mut [f64],
    space: &AnswerGrid<impl Real>,
    correct: &[f64],
    radius: Option<f64>,
) {
    for (a, v) in y.iter_mut().enumerate() {
        let (lo, hi) = space.ranges[a];
        *v = v.clamp(lo.min(hi), hi.max(lo));
    }
    let (Some(r), dim) = (radius, space.dim.max(1)) else {
        return;
    };
    for c in correct.chunks(dim) {
        let d2: f64 = y.iter().zip(c).map(|(a, b)| (a - b) * (a - b)).sum();
        if d2 <= r * r {
            let d = d2.sqrt();
            for (k, v) in y.iter_mut().enumerate() {
                // Along y − c (any direction when y sits on c).
                let u = if d > 1e-12 {
                    (*v - c[k]) / d
                } else if k == 0 {
                    1.0
                } else {
                    0.0
                };
                *v = c[k] + u * r * (1.0 + 1e-6);
            }
        }
    }
}

/// E at `y` and ∂E/∂y into `g` (as f64), through a model fixed at one x.
fn energy_grad<T: Real>(at: &mut dyn FnMut(&[T], &mut [T]) -> T, y: &[f64], g: &mut [f64]) -> f64 {
    let yt: Vec<T> = y.iter().map(|&v| T::of(v)).collect();
    let mut dy = vec![T::zero(); y.len()];
    let e = at(&yt, &mut dy);
    for (o, d) in g.iter_mut().zip(&dy) {
        *o = d.as_f64();
    }
    e.as_f64()
}

/// The found answer and its energy, as the inference returns them.
fn finish<T: Real>(model: &dyn EnergyModel<T>, x: T, y: &[f64], found: &mut Vec<T>) -> Option<T> {
    found.clear();
    found.extend(y.iter().map(|&v| T::of(v)));
    let mut e = Vec::new();
    model.energies(x, found, &mut e);
    e.first().copied().filter(|e| e.is_finite())
}

impl<T: Real> Inference<T> for Descent {
    fn name(&self) -> &'static str {
        "descent"
    }

    fn begin(&mut self) {
        self.paths.clear();
    }

    fn paths(&self) -> &[Vec<Vec<f64>>] {
        &self.paths
    }

    fn contrast(
        &mut self,
        model: &dyn EnergyModel<T>,
        space: &AnswerGrid<T>,
        x: T,
        correct: &[T],
        radius: Option<f64>,
        found: &mut Vec<T>,
    ) -> Option<T> {
        let correct: Vec<f64> = correct.iter().map(|v| v.as_f64()).collect();
        let mut y = start_point(self.start, space, &correct, &mut self.rng);
        keep_allowed(&mut y, space, &correct, radius);
        let mut g = vec![0.0; y.len()];
        let mut at = model.at_x(x);
        let mut path = vec![y.clone()];
        for _ in 0..self.steps {
            energy_grad(at.as_mut(), &y, &mut g);
            for (v, d) in y.iter_mut().zip(&g) {
                *v -= self.eta * d;
            }
            keep_allowed(&mut y, space, &correct, radius);
            path.push(y.clone());
        }
        drop(at);
        self.paths.push(path);
        finish(model, x, &y, found)
    }
}

impl<T: Real> Inference<T> for Langevin {
    fn name(&self) -> &'static str {
        "langevin"
    }

    fn begin(&mut self) {
        self.next = 0;
        self.paths.clear();
    }

    fn paths(&self) -> &[Vec<Vec<f64>>] {
        &self.paths
    }

    fn contrast(
        &mut self,
        model: &dyn EnergyModel<T>,
        space: &AnswerGrid<T>,
        x: T,
        correct: &[T],
        radius: Option<f64>,
        found: &mut Vec<T>,
    ) -> Option<T> {
        let correct: Vec<f64> = correct.iter().map(|v| v.as_f64()).collect();
        let k = self.next;
        self.next += 1;
        let kept = self.persistent.and_then(|restart| {
            let keep = self.rng.random::<f64>() >= restart;
            self.buffer.get(k).filter(|_| keep).cloned()
        });
        let mut y =
            kept.unwrap_or_else(|| start_point(Start::Uniform, space, &correct, &mut self.rng));
        keep_allowed(&mut y, space, &correct, radius);
        let mut g = vec![0.0; y.len()];
        let mut path = vec![y.clone()];
        let drift = 0.5 * self.eps * self.eps * self.beta;
        let mut at = model.at_x(x);
        for _ in 0..self.steps {
            energy_grad(at.as_mut(), &y, &mut g);
            for (v, d) in y.iter_mut().zip(&g) {
                let xi: f64 = StandardNormal.sample(&mut self.rng);
                *v += -drift * d + self.eps * xi;
            }
            keep_allowed(&mut y, space, &correct, radius);
            path.push(y.clone());
        }
        if self.buffer.len() <= k {
            self.buffer.resize(k + 1, Vec::new());
        }
        self.buffer[k].clone_from(&y);
        self.paths.push(path);
        finish(model, x, &y, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inference::GridSearch;
    use crate::model::latent::{Decoder, LatentModel, LatentSpec};
    use crate::model::{Architecture, Cost, Model};

    /// E = ‖y − c‖² on the plane, a convex bowl.
    struct Bowl([f64; 2]);

    impl EnergyModel<f64> for Bowl {
        fn answer_dim(&self) -> usize {
            2
        }
        fn params(&self) -> &[f64] {
            &self.0
        }
        fn params_mut(&mut self) -> &mut [f64] {
            &mut self.0
        }
        fn energies(&self, _x: f64, answers: &[f64], out: &mut Vec<f64>) {
            out.clear();
            out.extend(
                answers
                    .chunks(2)
                    .map(|y| (y[0] - self.0[0]).powi(2) + (y[1] - self.0[1]).powi(2)),
            );
        }
        fn backward(&self, _x: f64, _a: &[f64], _d: &[f64], _g: &mut [f64]) {}
        fn energy_and_dy(&self, _x: f64, y: &[f64], dy: &mut [f64]) -> f64 {
            dy[0] = 2.0 * (y[0] - self.0[0]);
            dy[1] = 2.0 * (y[1] - self.0[1]);
            (y[0] - self.0[0]).powi(2) + (y[1] - self.0[1]).powi(2)
        }
    }

    /// On a convex bowl descent from anywhere finds the grid search's
    /// minimum, and Langevin at a low temperature ends near it; with a
    /// radius neither returns an answer inside the sphere.
    #[test]
    fn on_a_bowl_descent_and_cold_langevin_find_the_grid_minimum() {
        let bowl = Bowl([0.4, -0.3]);
        let space: AnswerGrid<f64> = AnswerGrid::plane((-2.0, 2.0), (-2.0, 2.0), 81, 81);
        let mut found = Vec::new();
        let mut grid = GridSearch::default();
        grid.contrast(&bowl, &space, 0.0, &[], None, &mut found);
        let want = found.clone();
        let mut d = Descent::new(200, 0.1, Start::Uniform, 1);
        let mut l = Langevin::new(400, 0.02, 500.0, None, 2);
        for _ in 0..5 {
            d.contrast(&bowl, &space, 0.0, &[], None, &mut found);
            assert!(
                (found[0] - want[0]).abs() < 0.03 && (found[1] - want[1]).abs() < 0.03,
                "{found:?}"
            );
            Inference::<f64>::begin(&mut l);
            l.contrast(&bowl, &space, 0.0, &[], None, &mut found);
            assert!(
                (found[0] - 0.4).abs() < 0.2 && (found[1] + 0.3).abs() < 0.2,
                "{found:?}"
            );
        }
        // The sample at the bottom: ȳ must keep 0.5 away.
        let correct = [0.4, -0.3];
        for method in [&mut d as &mut dyn Inference<f64>, &mut l] {
            method.begin();
            let e = method.contrast(&bowl, &space, 0.0, &correct, Some(0.5), &mut found);
            let dist = ((found[0] - 0.4).powi(2) + (found[1] + 0.3).powi(2)).sqrt();
            assert!(dist >= 0.5 - 1e-9, "{}: {found:?} at {dist}", method.name());
            assert!(
                (e.unwrap_or(f64::NAN) - 0.25).abs() < 0.05,
                "{}: E {e:?}",
                method.name()
            );
        }
    }

    /// A persistent buffer carries a chain from one step to the next; short
    /// run starts afresh.
    #[test]
    fn a_persistent_chain_goes_on_where_it_stopped() {
        let bowl = Bowl([1.5, 1.5]);
        let space: AnswerGrid<f64> = AnswerGrid::plane((-2.0, 2.0), (-2.0, 2.0), 9, 9);
        let mut found = Vec::new();
        let mut p = Langevin::new(3, 0.05, 1.0, Some(0.0), 3);
        Inference::<f64>::begin(&mut p);
        p.contrast(&bowl, &space, 0.0, &[], None, &mut found);
        let end = p.paths[0].last().cloned();
        Inference::<f64>::begin(&mut p);
        p.contrast(&bowl, &space, 0.0, &[], None, &mut found);
        assert_eq!(p.paths[0].first().cloned(), end, "the chain resumed");
        assert_eq!(p.paths[0].len(), 4);
    }

    /// The line and the plane: both families of models are searched.
    #[test]
    fn descent_runs_on_the_line_and_on_the_plane() {
        let mut rng = StdRng::seed_from_u64(4);
        let line: Model<f64> = Model::new(Architecture::Dual, Cost::L1, 6, 2, &mut rng);
        let space = AnswerGrid::line_of(&[-1.0, -0.5, 0.0, 0.5, 1.0]);
        let mut d = Descent::new(50, 0.05, Start::NearSample(0.3), 5);
        let mut found = Vec::new();
        let e = d.contrast(&line, &space, 0.2, &[0.04], Some(0.1), &mut found);
        assert!(e.is_some() && found.len() == 1 && (found[0] - 0.04).abs() > 0.1);
        let spec = LatentSpec {
            decoder: Decoder::Ellipse,
            z_dim: 1,
            z_grid: 24,
            beta: f64::INFINITY,
            hidden: 4,
        };
        let plane: LatentModel<f64> = LatentModel::new(spec, &mut rng);
        let space: AnswerGrid<f64> = AnswerGrid::plane((-3.0, 3.0), (-3.0, 3.0), 8, 8);
        let e = d.contrast(&plane, &space, 0.0, &[2.0, 0.0], Some(0.5), &mut found);
        assert!(e.is_some() && found.len() == 2);
    }
}
