//! A training run: data, model, optimiser and step counter, advanced one step at a
//! time. The headless CLI and the live session both drive this one type, so a
//! run gives the same weights whoever drives it.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::architecture::Model;
use super::dataset::{Dataset, DatasetKind};
use super::grid::y_grid;
use super::line_search::LineSearch;
use super::metrics::{self, MetricInputs, Metrics, MetricsWorkspace};
use super::objective::{loss_and_grad, StepConfig, Workspace};
use super::optimizer::Optimizer;
use super::spec::{RunSpec, TrainSpec};
use super::state_rule::{Reading, StateTracker, STATE_CHECK};

/// Why a run stopped: a non-finite loss, energy or weight. It records the
/// training spec in force at that step, so advice (which names settings, see
/// `crate::settings::explain_divergence`) can point at the real cause.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    pub step: u64,
    /// What became non-finite.
    pub what: &'static str,
    /// The spec in force at the step that diverged (boxed: it keeps the
    /// `Err` of every `train_step` small).
    pub in_force: Box<TrainSpec>,
    /// The largest |weight| the run started from.
    pub start_weight: f64,
    /// The largest |x| or |y| of the training data.
    pub data_extent: f64,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "diverged at step {}: {}", self.step, self.what)
    }
}

impl std::error::Error for Divergence {}

fn max_abs<'a>(v: impl IntoIterator<Item = &'a f64>) -> f64 {
    v.into_iter().fold(0.0, |m, x| m.max(x.abs()))
}

pub struct Run {
    pub spec: RunSpec,
    pub data: Dataset,
    pub model: Model<f32>,
    optimizer: Optimizer<f32>,
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
    pub y_grid: Vec<f32>,
    /// The losses' grid of this step when it is jittered.
    step_grid: Vec<f32>,
    step: u64,
    rng: StdRng,
    order: Vec<usize>,
    cursor: usize,
    batch_x: Vec<f32>,
    batch_y: Vec<f32>,
    ws: Workspace<f32>,
    backup: Vec<f32>,
    mws: MetricsWorkspace,
    last_loss: f64,
    y_spread0: f64,
    start_weight: f64,
    initial: Option<Metrics>,
    diverged: Option<Divergence>,
    /// The state shown, fed every `STATE_CHECK` steps (see `state_rule`).
    tracker: StateTracker,
    /// ȳ by descent or Langevin (`inference` ≠ grid), else `None`.
    search: Option<LineSearch>,
}

impl Run {
    /// A fresh run. `points` are the custom set's points (read by the caller).
    pub fn new(spec: impl Into<RunSpec>, points: Option<&[(f64, f64)]>) -> Run {
        let spec = spec.into();
        let b = &spec.build;
        let mut rng = StdRng::seed_from_u64(b.seed);
        let data = match (b.dataset, points) {
            (DatasetKind::Custom, Some(p)) => Dataset::custom(p),
            (DatasetKind::Custom, None) => Dataset::custom(&[(-1.0, 0.0), (1.0, 0.0)]),
            (kind, _) => Dataset::builtin(kind, b.samples, b.spacing, b.noise, &mut rng),
        };
        let model = Model::new(b.architecture, b.cost, b.hidden, b.out_dim, &mut rng);
        Self::with_model(spec, data, model, rng)
    }

    /// A run that starts from given weights (e.g. `--load-model`).
    pub fn from_model(
        spec: impl Into<RunSpec>,
        points: Option<&[(f64, f64)]>,
        model: Model<f32>,
    ) -> Run {
        let mut run = Run::new(spec, points);
        // The collapse reference is a fresh start's y-spread (this seed's
        // initialisation), not the loaded weights': a loaded flat sheet reads
        // collapsed.
        let fresh = run.y_spread0;
        run.optimizer = Optimizer::new(run.spec.train.optimizer, model.params.len());
        run.model = model;
        run.initial = None;
        run.measure_initial();
        run.y_spread0 = fresh;
        let m = run.measure_with(Some(fresh));
        run.tracker = StateTracker::new(&m.reading(Some(fresh)));
        // The start's metrics read against the same reference.
        run.initial = Some(m);
        run
    }

    fn with_model(spec: RunSpec, data: Dataset, model: Model<f32>, rng: StdRng) -> Run {
        let xs: Vec<f32> = data.xs.iter().map(|&v| v as f32).collect();
        let ys: Vec<f32> = data.ys.iter().map(|&v| v as f32).collect();
        let grid = y_grid(data.y_range, spec.build.grid)
            .into_iter()
            .map(|v| v as f32)
            .collect();
        let mut run = Run {
            optimizer: Optimizer::new(spec.train.optimizer, model.params.len()),
            spec,
            order: (0..data.len()).collect(),
            data,
            model,
            xs,
            ys,
            y_grid: grid,
            step_grid: Vec::new(),
            step: 0,
            rng,
            cursor: usize::MAX,
            batch_x: Vec::new(),
            batch_y: Vec::new(),
            ws: Workspace::default(),
            backup: Vec::new(),
            mws: MetricsWorkspace::default(),
            last_loss: f64::NAN,
            y_spread0: 0.0,
            start_weight: 0.0,
            initial: None,
            diverged: None,
            tracker: StateTracker::new(&Reading {
                finite: true,
                spread_ratio: None,
                inference_error: f64::INFINITY,
                coverage: None,
            }),
            search: None,
        };
        run.search = run.new_search();
        run.measure_initial();
        run
    }

    fn measure_initial(&mut self) {
        self.start_weight = self
            .model
            .params
            .iter()
            .fold(0.0, |m, w| m.max(w.abs() as f64));
        self.refresh_last_loss();
        let m = self.measure_with(None);
        self.y_spread0 = m.y_spread;
        self.tracker = StateTracker::new(&m.reading(None));
        self.initial = Some(m);
    }

    /// The loss of the model as it is, on the data as it is (no step taken).
    fn refresh_last_loss(&mut self) {
        let cfg = self.step_config();
        self.last_loss = loss_and_grad(
            &self.model,
            &self.xs,
            &self.ys,
            &self.y_grid,
            &cfg,
            &mut self.ws,
        );
    }

    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn initial_metrics(&self) -> Option<Metrics> {
        self.initial
    }

    pub fn diverged(&self) -> Option<&Divergence> {
        self.diverged.as_ref()
    }

    pub fn last_loss(&self) -> f64 {
        self.last_loss
    }

    fn step_config(&self) -> StepConfig {
        StepConfig {
            loss: self.spec.train.loss,
            params: self.spec.train.params,
            radius: self.spec.train.radius_at(self.step),
        }
    }

    /// What applies at the next step without a new model. The caller has
    /// checked that the build part did not change (it is ignored here).
    pub fn set_live(&mut self, spec: impl Into<RunSpec>) {
        let train: TrainSpec = spec.into().train;
        self.optimizer.set_kind(train.optimizer);
        if train.batch != self.spec.train.batch {
            self.cursor = usize::MAX;
        }
        let new_search = train.inference != self.spec.train.inference;
        self.spec.train = train;
        if new_search {
            self.search = self.new_search();
        }
    }

    /// The search the settings ask for (`None`: the grid, on the kernels).
    fn new_search(&self) -> Option<LineSearch> {
        let seed = self.spec.build.seed ^ self.step;
        LineSearch::new(self.spec.train.inference, seed, &self.y_grid, self.xs.len())
    }

    /// The line search in use (descent or Langevin), if any: its last ȳ
    /// per sample and its paths, for the view.
    pub fn line_search(&self) -> Option<&LineSearch> {
        self.search.as_ref()
    }

    /// Trains on `points` from the next step on, as the custom set: the weights,
    /// the optimiser's state and the step count stay (no reset), the ranges and
    /// the Y grid follow the new points (padded as for any custom set). The
    /// step-0 references (initial metrics, the y-spread of the collapse rule)
    /// stay those of the run's start. The caller checks the points (at least
    /// one, finite).
    pub fn set_points(&mut self, points: &[(f64, f64)]) {
        self.data = Dataset::custom(points);
        self.spec.build.dataset = DatasetKind::Custom;
        self.xs = self.data.xs.iter().map(|&v| v as f32).collect();
        self.ys = self.data.ys.iter().map(|&v| v as f32).collect();
        self.y_grid = y_grid(self.data.y_range, self.spec.build.grid)
            .into_iter()
            .map(|v| v as f32)
            .collect();
        self.order = (0..self.data.len()).collect();
        self.cursor = usize::MAX;
        if let Some(search) = &mut self.search {
            search.set_grid(&self.y_grid, self.xs.len());
        }
        // The loss shown until the next step: the model as it is, on the new data.
        self.refresh_last_loss();
    }

    /// One optimiser step. On a non-finite loss, energy or update the weights
    /// stay as they were before the step and the run refuses further steps.
    pub fn train_step(&mut self) -> Result<f64, Divergence> {
        if let Some(d) = &self.diverged {
            return Err(d.clone());
        }
        let loss = self.batch_loss();
        self.last_loss = loss;
        if !loss.is_finite() || self.ws.grad.iter().any(|g| !g.is_finite()) {
            // The last step's update made weights whose energies are not
            // finite: that step diverged; keep the weights from before it.
            if self.backup.len() == self.model.params.len() && self.step > 0 {
                self.model.params.copy_from_slice(&self.backup);
                self.step -= 1;
            }
            return Err(self.diverge());
        }
        self.backup.clear();
        self.backup.extend_from_slice(&self.model.params);
        let decay = self.spec.train.weight_decay as f32;
        if decay > 0.0 {
            // The gradient of λ/2·‖W‖².
            for (g, &w) in self.ws.grad.iter_mut().zip(&self.model.params) {
                *g += decay * w;
            }
        }
        self.optimizer.step(
            &mut self.model.params,
            &self.ws.grad,
            self.spec.train.lr,
            self.spec.train.momentum,
        );
        if !self.model.is_finite() {
            self.model.params.copy_from_slice(&self.backup);
            return Err(self.diverge());
        }
        self.step += 1;
        if self.step.is_multiple_of(STATE_CHECK) {
            self.check_state();
        }
        Ok(loss)
    }

    /// The data loss of this step's batch and its gradient (into `self.ws`),
    /// on the Y grid moved by this step's jitter.
    fn batch_loss(&mut self) -> f64 {
        let cfg = self.step_config();
        let jitter = self.spec.train.grid_jitter;
        let grid = if jitter > 0.0 && self.y_grid.len() > 1 {
            let spacing = self.y_grid[1] - self.y_grid[0];
            let shift = (self.rng.random::<f32>() - 0.5) * jitter as f32 * spacing;
            self.step_grid.clear();
            self.step_grid
                .extend(self.y_grid.iter().map(|&y| y + shift));
            &self.step_grid
        } else {
            &self.y_grid
        };
        let n = self.data.len();
        let batch = self.spec.train.batch;
        let full = batch == 0 || batch >= n;
        if !full && self.cursor.saturating_add(batch) > n {
            self.order.shuffle(&mut self.rng);
            self.cursor = 0;
        }
        if let Some(search) = &mut self.search {
            // Descent or Langevin through the generic objective (the fixed grid
            // serves nll's partition; jitter does not apply).
            let members: Vec<usize> = if full {
                (0..n).collect()
            } else {
                self.cursor += batch;
                self.order[self.cursor - batch..self.cursor].to_vec()
            };
            let (xs, ys) = (&self.xs, &self.ys);
            return search.loss_and_grad(&self.model, xs, ys, &members, &cfg, &mut self.ws.grad);
        }
        if full {
            return loss_and_grad(&self.model, &self.xs, &self.ys, grid, &cfg, &mut self.ws);
        }
        self.batch_x.clear();
        self.batch_y.clear();
        for &i in &self.order[self.cursor..self.cursor + batch] {
            self.batch_x.push(self.xs[i]);
            self.batch_y.push(self.ys[i]);
        }
        self.cursor += batch;
        loss_and_grad(
            &self.model,
            &self.batch_x,
            &self.batch_y,
            grid,
            &cfg,
            &mut self.ws,
        )
    }

    /// The divergence this run would report now (its facts, for advice).
    pub fn divergence_now(&self) -> Divergence {
        Divergence {
            step: self.step + 1,
            what: "the loss or an energy became non-finite",
            in_force: Box::new(self.spec.train.clone()),
            start_weight: self.start_weight,
            data_extent: max_abs(&self.data.xs).max(max_abs(&self.data.ys)),
        }
    }

    fn diverge(&mut self) -> Divergence {
        let d = self.divergence_now();
        self.diverged = Some(d.clone());
        d
    }

    /// The metrics of the model as it is now.
    pub fn metrics(&mut self) -> Metrics {
        let mut m = self.measure_with(Some(self.y_spread0));
        m.state = match self.diverged {
            Some(_) => crate::model::State::Diverged,
            None => self.tracker.shown(),
        };
        m
    }

    /// A check of the state rule: the probe grid's reading, fed to the tracker.
    fn check_state(&mut self) {
        let r = self.with_inputs(Some(self.y_spread0), metrics::reading);
        self.tracker.observe(&r);
    }

    fn measure_with(&mut self, y_spread0: Option<f64>) -> Metrics {
        self.with_inputs(y_spread0, metrics::measure)
    }

    /// `f` over what the metrics look at now, with the run's workspace.
    fn with_inputs<T>(
        &mut self,
        y_spread0: Option<f64>,
        f: impl FnOnce(&MetricInputs, &mut MetricsWorkspace) -> T,
    ) -> T {
        let inputs = MetricInputs {
            model: &self.model,
            data: &self.data,
            xs: &self.xs,
            ys: &self.ys,
            y_grid: &self.y_grid,
            radius: self.spec.train.radius_at(self.step),
            loss: self.last_loss,
            y_spread0,
        };
        f(&inputs, &mut self.mws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::loss::{LossParams, Partition};
    use crate::model::spec::BuildSpec;
    use crate::model::{Architecture, Cost, Loss, OptimizerKind, Spacing};

    fn spec(loss: Loss) -> RunSpec {
        RunSpec {
            build: BuildSpec {
                dataset: DatasetKind::Parabola,
                samples: 20,
                spacing: Spacing::Even,
                noise: 0.0,
                architecture: Architecture::Dual,
                hidden: 6,
                out_dim: 2,
                cost: Cost::L1,
                grid: 32,
                seed: 3,
            },
            train: TrainSpec {
                loss,
                params: LossParams {
                    margin: 0.5,
                    beta: 5.0,
                    kappa: 1.0,
                    partition: Partition::Grid,
                },
                radius: 0.3,
                radius_late: 0.1,
                radius_late_step: 0,
                lr: 0.01,
                momentum: 0.0,
                batch: 0,
                optimizer: OptimizerKind::Sgd,
                weight_decay: 0.0,
                grid_jitter: 0.0,
                inference: crate::model::inference_spec::InferenceSpec::default(),
            },
        }
    }

    #[test]
    fn weight_decay_adds_lambda_w_to_the_gradient() {
        let plain = spec(Loss::Nll);
        let mut decayed = plain.clone();
        decayed.train.weight_decay = 0.1;
        let (mut a, mut b) = (Run::new(plain, None), Run::new(decayed, None));
        let w0 = a.model.params.clone();
        a.train_step().unwrap();
        b.train_step().unwrap();
        // SGD without momentum: θ − lr·(g + λθ) = (θ − lr·g) − lr·λ·θ.
        for ((wa, wb), w) in a.model.params.iter().zip(&b.model.params).zip(&w0) {
            let expected = wa - 0.01 * 0.1 * w;
            assert!(
                (wb - expected).abs() <= 1e-6 * (1.0 + w.abs()),
                "{wb} vs {expected}"
            );
        }
        assert!(a.model.params != b.model.params);
    }

    #[test]
    fn set_points_keeps_weights_step_and_optimiser_and_moves_the_grid() {
        let mut with_momentum = spec(Loss::Nll);
        with_momentum.train.momentum = 0.9;
        let mut run = Run::new(with_momentum.clone(), None);
        for _ in 0..5 {
            run.train_step().unwrap();
        }
        let w = run.model.params.clone();
        let pts = [(-1.0, 2.0), (0.0, 3.0), (1.0, 4.0), (0.5, -1.0)];
        run.set_points(&pts);
        assert_eq!(run.step(), 5);
        assert_eq!(run.model.params, w, "no reset");
        assert_eq!(run.data.kind, DatasetKind::Custom);
        assert_eq!(run.spec.build.dataset, DatasetKind::Custom);
        assert_eq!(run.xs, vec![-1.0, 0.0, 1.0, 0.5]);
        assert_eq!(run.ys, vec![2.0, 3.0, 4.0, -1.0]);
        // y over [-1, 4] padded by 10 %: the Y grid follows, K stays.
        let (lo, hi) = (run.y_grid[0], run.y_grid[run.y_grid.len() - 1]);
        assert!(
            (lo + 1.5).abs() < 1e-6 && (hi - 4.5).abs() < 1e-6,
            "{lo} {hi}"
        );
        assert_eq!(run.y_grid.len(), 32);
        assert!(run.last_loss().is_finite());
        run.train_step().unwrap();
        assert_eq!(run.step(), 6);
        // The momentum was kept: the same weights and data with a fresh
        // optimiser take a different step.
        let mut fresh = Run::from_model(with_momentum, None, Model::clone(&run.model));
        fresh.model.params.copy_from_slice(&w);
        fresh.set_points(&pts);
        fresh.train_step().unwrap();
        assert!(fresh.model.params != run.model.params);
    }

    #[test]
    fn grid_jitter_moves_only_the_losses_grid_and_off_changes_nothing() {
        let base = spec(Loss::Nll);
        let mut jittered = base.clone();
        jittered.train.grid_jitter = 1.0;
        let (mut a, mut b, mut c) = (
            Run::new(base.clone(), None),
            Run::new(base, None),
            Run::new(jittered, None),
        );
        let grid = a.y_grid.clone();
        for _ in 0..5 {
            a.train_step().unwrap();
            b.train_step().unwrap();
            c.train_step().unwrap();
        }
        assert_eq!(a.model.params, b.model.params, "jitter 0 is deterministic");
        assert!(
            a.model.params != c.model.params,
            "jitter 1 changes the steps"
        );
        assert_eq!(
            c.y_grid, grid,
            "the grid of inference and metrics stays put"
        );
        let spacing = grid[1] - grid[0];
        for (s, g) in c.step_grid.iter().zip(&grid) {
            assert!((s - g).abs() <= 0.5 * spacing + 1e-6, "{s} vs {g}");
        }
    }
}
