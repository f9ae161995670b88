//! A training run on the plane: the data, a latent-variable model, the
//! optimiser, and the state read every `STATE_CHECK` steps, advanced one step
//! at a time, full batch, over the generic objective and an inference (the
//! grid search over the plane's answer grid).

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::contrastive::cd_loss_and_grad;
use super::data::{PlaneData, PlaneSet};
use super::metrics::{plane_metrics, PlaneMetrics};
use super::model::PlaneModel;
use super::negatives::Negatives;
use crate::model::answers::AnswerGrid;
use crate::model::energy_model::EnergyModel;
use crate::model::generic_objective::{loss_and_grad_generic, GenericWorkspace};
use crate::model::inference::Inference;
pub use crate::model::inference_spec::{InferenceKind, InferenceSpec, RESTART_SHARE};
use crate::model::latent::LatentSpec;
use crate::model::loss::{Loss, LossParams, StepConfig};
use crate::model::optimizer::{Optimizer, OptimizerKind};
use crate::model::state_rule::{StateTracker, STATE_CHECK};
use crate::model::State;
use rand::rngs::SmallRng;
use rand::Rng;

/// Everything a plane run is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaneSpec {
    pub set: PlaneSet,
    pub samples: usize,
    pub noise: f64,
    pub seed: u64,
    pub latent: LatentSpec,
    pub loss: Loss,
    pub params: LossParams,
    /// The exclusion radius around the sample for ȳ (in the plane).
    pub radius: f64,
    pub lr: f64,
    pub momentum: f64,
    pub optimizer: OptimizerKind,
    /// Answers per axis of the plane grid the losses search and sum over.
    pub answers: usize,
    /// How the margin losses find their wrong answer ȳ, and contrastive
    /// divergence its negatives.
    pub inference: InferenceSpec,
    /// The architecture is the density E(y) = MLP(y) (`density-mlp`, H =
    /// `latent.hidden`), not the latent model `latent` describes.
    pub density: bool,
    /// The loss is contrastive divergence (`loss = cd`), not `loss`.
    pub cd: bool,
    /// α of contrastive divergence's energy-magnitude regulariser.
    pub cd_alpha: f64,
    /// Chains of contrastive divergence (its negatives per step).
    pub chains: usize,
}

/// The most chains a run may keep (8 bytes each, with their work buffers
/// about 1.5 KB each for H = 64).
pub const MAX_CHAINS: usize = 100_000;

/// The most entries of a run's cost log.
pub const COST_LOG: usize = 1024;

impl PlaneSpec {
    /// The density's and contrastive divergence's rules.
    fn check_density(
        &self,
        fine: impl Fn(bool, String) -> Result<(), String>,
    ) -> Result<(), String> {
        fine(
            !self.cd || self.density,
            "loss = cd: contrastive divergence needs architecture = density-mlp".into(),
        )?;
        fine(
            !self.density || self.set != PlaneSet::Horn,
            "architecture = density-mlp: models an unconditional set (not horn)".into(),
        )?;
        fine(
            !self.density
                || (1..=crate::model::density_net::MAX_HIDDEN).contains(&self.latent.hidden),
            format!(
                "hidden = {}: allowed 1 ..= {} for density-mlp",
                self.latent.hidden,
                crate::model::density_net::MAX_HIDDEN
            ),
        )?;
        fine(
            (1..=MAX_CHAINS).contains(&self.chains),
            format!(
                "chains = {}: allowed 1 ..= {MAX_CHAINS} (the buffer and its work space must fit in memory)",
                self.chains
            ),
        )?;
        fine(
            self.cd_alpha.is_finite() && (0.0..=100.0).contains(&self.cd_alpha),
            format!("cd_alpha = {}: allowed 0 ..= 100", self.cd_alpha),
        )?;
        Ok(())
    }

    /// The loss's name as the `loss` setting spells it (`cd` included).
    pub fn loss_name(&self) -> &'static str {
        if self.cd {
            "cd"
        } else {
            self.loss.name()
        }
    }

    /// The architecture's name as the `architecture` setting spells it.
    pub fn architecture_name(&self) -> &'static str {
        if self.density {
            super::model::DENSITY_MLP
        } else {
            self.latent.decoder.name()
        }
    }

    /// Values in range, or a one-line message naming the setting.
    pub fn check(&self) -> Result<(), String> {
        self.latent.check()?;
        self.inference.check()?;
        let fine = |ok: bool, msg: String| if ok { Ok(()) } else { Err(msg) };
        self.check_density(fine)?;
        fine(
            (1..=100_000).contains(&self.samples),
            format!("samples = {}: allowed 1 ..= 100000", self.samples),
        )?;
        fine(
            (2..=256).contains(&self.answers),
            format!("answers = {}: allowed 2 ..= 256 per axis", self.answers),
        )?;
        fine(
            self.lr.is_finite() && self.lr > 0.0 && self.lr <= 10.0,
            format!("lr = {}: allowed (0, 10]", self.lr),
        )?;
        fine(
            (0.0..1.0).contains(&self.momentum),
            format!("momentum = {}: allowed [0, 1)", self.momentum),
        )?;
        fine(
            self.noise.is_finite() && (0.0..=10.0).contains(&self.noise),
            format!("noise = {}: allowed 0 ..= 10", self.noise),
        )?;
        fine(
            self.radius.is_finite() && self.radius >= 0.0,
            format!("radius = {}: allowed ≥ 0", self.radius),
        )
    }
}

pub struct PlaneRun {
    pub spec: PlaneSpec,
    pub data: PlaneData,
    pub model: PlaneModel,
    optimizer: Optimizer<f32>,
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// The answer grid the losses read (over `data.ranges`).
    pub space: AnswerGrid<f32>,
    search: Box<dyn Inference<f32>>,
    ws: GenericWorkspace<f32>,
    backup: Vec<f32>,
    step: u64,
    last_loss: f64,
    /// A fresh start's spread of F (the collapse reference).
    spread0: f64,
    tracker: StateTracker,
    diverged: Option<u64>,
    /// Energies pulled up in the last step (contrast answers with weight).
    pub pulled_up: usize,
    /// Energies computed in the last step (forward passes over answers,
    /// the inference's included): the step's cost.
    pub evaluations: usize,
    /// Contrastive divergence's chains.
    negatives: Option<Negatives>,
    batch_rng: SmallRng,
    batch: Vec<f32>,
    /// The density's cells away from the data (computed on first use).
    off_cells: Vec<bool>,
    /// (step, energies computed, energies pulled up) of steps along the run,
    /// thinned to at most [`COST_LOG`] entries.
    costs: Vec<[u64; 3]>,
    cost_stride: u64,
    /// The metrics of the weights as they are (cleared when they or the
    /// live settings change): a window asks for them every frame.
    measured: Option<PlaneMetrics>,
}

impl PlaneRun {
    /// A fresh run (the caller has run `spec.check`). `points` replace the
    /// set's own (a CSV or drawn points).
    pub fn new(spec: PlaneSpec, points: Option<&[(f64, f64, f64)]>) -> PlaneRun {
        let mut rng = StdRng::seed_from_u64(spec.seed);
        let data = match points {
            Some(p) => PlaneData::custom(p),
            None => PlaneData::builtin(spec.set, spec.samples, spec.noise, &mut rng),
        };
        let model = PlaneModel::new(&spec, &mut rng);
        let space = AnswerGrid::plane(data.ranges[0], data.ranges[1], spec.answers, spec.answers);
        let search = spec.inference.build(spec.seed);
        let negatives = spec
            .cd
            .then(|| Negatives::new(spec.inference, spec.chains, spec.seed));
        let mut run = PlaneRun {
            evaluations: 0,
            negatives,
            batch_rng: SmallRng::seed_from_u64(spec.seed.wrapping_add(1)),
            batch: Vec::new(),
            off_cells: Vec::new(),
            costs: Vec::new(),
            cost_stride: 1,
            optimizer: Optimizer::new(spec.optimizer, model.params().len()),
            xs: data.xs.iter().map(|&v| v as f32).collect(),
            ys: data.ys.iter().map(|&v| v as f32).collect(),
            spec,
            data,
            model,
            space,
            search,
            ws: GenericWorkspace::default(),
            backup: Vec::new(),
            step: 0,
            last_loss: f64::NAN,
            spread0: 0.0,
            tracker: StateTracker::new(&PlaneMetrics::start_reading()),
            diverged: None,
            pulled_up: 0,
            measured: None,
        };
        let m = plane_metrics(&run.model, &run.data, None);
        run.spread0 = m.spread;
        run.tracker = StateTracker::new(&m.reading(None));
        run.last_loss = run.evaluate();
        run
    }

    /// A run that starts from given weights (`--load-model`): the model's
    /// decoder replaces the spec's. The collapse reference stays a fresh
    /// start's spread, so a loaded flat sheet reads collapsed.
    pub fn from_model(
        mut spec: PlaneSpec,
        points: Option<&[(f64, f64, f64)]>,
        model: PlaneModel,
    ) -> PlaneRun {
        match &model {
            PlaneModel::Latent(m) => {
                spec.latent = m.spec;
                spec.density = false;
                spec.cd = false;
            }
            PlaneModel::Density(m) => {
                spec.latent.hidden = m.hidden;
                spec.density = true;
            }
        }
        let mut run = PlaneRun::new(spec, points);
        run.optimizer = Optimizer::new(run.spec.optimizer, model.params().len());
        run.model = model;
        run.measured = None;
        let m = plane_metrics(&run.model, &run.data, Some(run.spread0));
        run.tracker = StateTracker::new(&m.reading(Some(run.spread0)));
        run.last_loss = run.evaluate();
        run
    }

    fn config(&self) -> StepConfig {
        StepConfig {
            loss: self.spec.loss,
            params: self.spec.params,
            radius: self.spec.radius,
        }
    }

    /// The loss and its gradient (into the workspace) of the model as it is.
    fn evaluate(&mut self) -> f64 {
        if self.spec.cd {
            return self.evaluate_cd();
        }
        let cfg = self.config();
        let loss = loss_and_grad_generic(
            &self.model,
            &self.xs,
            &self.ys,
            &self.space,
            &cfg,
            self.search.as_mut(),
            &mut self.ws,
        );
        self.pulled_up = self.ws.pulled_up;
        self.evaluations = self.generic_evaluations();
        loss
    }

    /// What the generic objective computed: the samples' energies, and per
    /// distinct x the plane's grid (a partition or the grid search) or the
    /// descent's and Langevin's steps per sample.
    fn generic_evaluations(&self) -> usize {
        let contrast = self.spec.loss.contrast();
        let grid = self.ws.groups_run() * self.space.len();
        let searched = if contrast.reads_partition() {
            grid
        } else if !contrast.uses_inference() {
            0
        } else if self.spec.inference.kind == InferenceKind::Grid {
            grid
        } else {
            self.data.len() * self.spec.inference.steps
        };
        self.data.len() + searched
    }

    /// Contrastive divergence on a batch of the data (all of it when there
    /// are no more samples than chains, else as many as chains, drawn).
    fn evaluate_cd(&mut self) -> f64 {
        let Some(neg) = self.negatives.as_mut() else {
            return f64::NAN;
        };
        let n = self.data.len();
        let take = n.min(neg.count());
        self.batch.clear();
        for k in 0..take {
            let i = if take == n {
                k
            } else {
                self.batch_rng.random_range(0..n)
            };
            self.batch.push(self.ys[2 * i]);
            self.batch.push(self.ys[2 * i + 1]);
        }
        let beta = self.spec.params.beta;
        let chains = neg.draw(&self.model, self.data.ranges, beta);
        let loss = cd_loss_and_grad(
            &self.model,
            &self.batch,
            chains,
            self.spec.cd_alpha,
            &mut self.ws.grad,
        );
        self.pulled_up = neg.count();
        self.evaluations = neg.evaluations() + take + neg.count();
        loss
    }

    /// Records the step's cost every `cost_stride` steps; when the log is
    /// full every other entry goes and the stride doubles (a whole run at
    /// an even spacing, in bounded memory).
    fn log_cost(&mut self) {
        if !self.step.is_multiple_of(self.cost_stride) {
            return;
        }
        self.costs
            .push([self.step, self.evaluations as u64, self.pulled_up as u64]);
        if self.costs.len() >= COST_LOG {
            let mut keep = 0;
            self.costs.retain(|_| {
                keep += 1;
                keep % 2 == 0
            });
            self.cost_stride *= 2;
        }
    }

    /// (step, energies computed, energies pulled up) along the run: what the
    /// window's efficiency plot draws.
    pub fn costs(&self) -> &[[u64; 3]] {
        &self.costs
    }

    /// Contrastive divergence's chains now (n × 2), if the loss is cd.
    pub fn negatives(&self) -> Option<&[f32]> {
        self.negatives.as_ref().map(|n| n.chains())
    }

    /// The paths of the shown chains in the last step (cd's negatives).
    pub fn negative_paths(&self) -> &[Vec<[f32; 2]>] {
        self.negatives.as_ref().map_or(&[], |n| n.paths.as_slice())
    }

    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn last_loss(&self) -> f64 {
        self.last_loss
    }

    /// The inference method, live (a new one: chains start afresh).
    pub fn set_inference(&mut self, inference: InferenceSpec) {
        if inference != self.spec.inference {
            self.spec.inference = inference;
            self.search = inference.build(self.spec.seed.wrapping_add(self.step));
            if self.spec.cd {
                let seed = self.spec.seed.wrapping_add(self.step);
                self.negatives = Some(Negatives::new(inference, self.spec.chains, seed));
            }
            self.measured = None;
        }
    }

    /// Whether ȳ comes from a search other than the grid (descent, Langevin).
    pub fn sampled_contrast(&self) -> bool {
        self.spec.inference.kind != InferenceKind::Grid
            && self.spec.loss.contrast().uses_inference()
    }

    /// Sample i's wrong answer as the last step's inference found it (NaN
    /// when none was).
    pub fn contrast_of(&self, i: usize) -> Option<[f32; 2]> {
        let c = self.ws.contrasts.get(2 * i..2 * i + 2)?;
        c.iter().all(|v| v.is_finite()).then(|| [c[0], c[1]])
    }

    /// The paths the last step's searches took, with the sample each was for.
    pub fn chains(&self) -> impl Iterator<Item = (usize, &Vec<Vec<f64>>)> {
        self.ws.asked.iter().copied().zip(self.search.paths())
    }

    /// The inference method's name.
    pub fn inference_name(&self) -> &'static str {
        self.search.name()
    }

    /// The loss and β, live (no new model): what a window's sliders change.
    pub fn set_live(&mut self, loss: Loss, params: LossParams, beta: f64) {
        self.spec.loss = loss;
        self.spec.params = params;
        self.spec.latent.beta = beta;
        if let PlaneModel::Latent(m) = &mut self.model {
            m.spec.beta = beta;
        }
        self.measured = None;
    }

    /// Switches contrastive divergence on or off, live (the chains start
    /// afresh); refused (`Err` names the rule) where the architecture has no
    /// density.
    pub fn set_cd(&mut self, cd: bool) -> Result<(), String> {
        let mut spec = self.spec.clone();
        spec.cd = cd;
        spec.check()?;
        if cd && self.negatives.is_none() {
            let seed = self.spec.seed.wrapping_add(self.step);
            self.negatives = Some(Negatives::new(self.spec.inference, self.spec.chains, seed));
        }
        if !cd {
            self.negatives = None;
        }
        self.spec.cd = cd;
        self.measured = None;
        Ok(())
    }

    /// One optimiser step; on a non-finite loss or weight the weights stay
    /// as they were and the run refuses further steps (`Err` names the step).
    pub fn train_step(&mut self) -> Result<f64, String> {
        if let Some(at) = self.diverged {
            return Err(format!("diverged at step {at}"));
        }
        let loss = self.evaluate();
        self.last_loss = loss;
        if !loss.is_finite() || self.ws.grad.iter().any(|g| !g.is_finite()) {
            return Err(self.diverge());
        }
        self.backup.clone_from(self.model.params_vec());
        let (lr, mu) = (self.spec.lr, self.spec.momentum);
        self.optimizer
            .step(self.model.params_vec(), &self.ws.grad, lr, mu);
        if !self.model.is_finite() {
            self.model.params_vec().clone_from(&self.backup);
            return Err(self.diverge());
        }
        self.step += 1;
        self.log_cost();
        self.measured = None;
        if self.step.is_multiple_of(STATE_CHECK) {
            let r = plane_metrics(&self.model, &self.data, Some(self.spread0))
                .reading(Some(self.spread0));
            self.tracker.observe(&r);
        }
        Ok(loss)
    }

    fn diverge(&mut self) -> String {
        let at = self.step + 1;
        self.diverged = Some(at);
        format!(
            "diverged at step {at}: the loss or a weight became non-finite (lower lr = {})",
            self.spec.lr
        )
    }

    /// The state shown (the state rule's, checked every `STATE_CHECK` steps).
    pub fn state(&self) -> State {
        match self.diverged {
            Some(_) => State::Diverged,
            None => self.tracker.shown(),
        }
    }

    /// The metrics now, with the state shown (measured once per step).
    pub fn metrics(&mut self) -> PlaneMetrics {
        if let Some(m) = self.measured {
            return m;
        }
        let mut m = plane_metrics(&self.model, &self.data, Some(self.spread0));
        m.loss = self.last_loss;
        m.state = self.state();
        if self.spec.density {
            use super::density_metrics::{gibbs, off_data_cells, off_data_mass};
            if self.off_cells.is_empty() {
                self.off_cells = off_data_cells(self.data.ranges, &self.data.ys);
            }
            let p = gibbs(&self.model, self.data.ranges, self.spec.params.beta);
            m.off_data_mass = Some(off_data_mass(&p, &self.off_cells));
        }
        self.measured = Some(m);
        m
    }
}

#[cfg(test)]
mod cost_tests {
    use super::*;
    use crate::model::plane::presets::base_spec;

    /// The cost log spans the whole run at an even stride, bounded.
    #[test]
    fn the_cost_log_thins_itself_and_keeps_the_whole_run() {
        let mut run = PlaneRun::new(base_spec(), None);
        for _ in 0..3000 {
            run.train_step().expect("a step");
        }
        let log = run.costs();
        assert!(
            log.len() < COST_LOG && log.len() > COST_LOG / 4,
            "{}",
            log.len()
        );
        let last = log.last().map(|c| c[0]).unwrap_or(0);
        assert!(last > 2900, "{last}");
        let gaps: Vec<u64> = log.windows(2).map(|w| w[1][0] - w[0][0]).collect();
        assert!(gaps.iter().all(|&g| g == gaps[0]), "uneven: {gaps:?}");
        assert!(log.iter().all(|c| c[1] > 0 && c[1] >= c[2]));
    }
}
