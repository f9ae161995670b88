//! What a [`Run`](super::Run) needs to know, in the model's own terms.
//!
//! The model does not know the settings type (the file formats, key names and
//! ranges live in `crate::settings`); `settings.rs` builds a [`RunSpec`] from
//! validated settings. Splitting the spec into the parts that build a model and
//! the parts that only steer training keeps "what resets the model" explicit.

use super::architecture::Architecture;
use super::cost::Cost;
use super::dataset::{DatasetKind, Spacing};
use super::loss::{Loss, LossParams};
use super::optimizer::OptimizerKind;

/// Everything that builds the data and the initial model: changing any of it
/// means a new run.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildSpec {
    pub dataset: DatasetKind,
    pub samples: usize,
    pub spacing: Spacing,
    pub noise: f64,
    pub architecture: Architecture,
    pub hidden: usize,
    pub out_dim: usize,
    pub cost: Cost,
    pub grid: usize,
    pub seed: u64,
}

/// Everything that steers training and may change between two steps.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSpec {
    pub loss: Loss,
    pub params: LossParams,
    pub radius: f64,
    pub radius_late: f64,
    /// 0 = no schedule.
    pub radius_late_step: u64,
    pub lr: f64,
    pub momentum: f64,
    /// λ of the regulariser λ/2·‖W‖² (0 = none).
    pub weight_decay: f64,
    /// How far the losses' Y grid moves each step, as a fraction of its
    /// spacing (0 = the fixed grid).
    pub grid_jitter: f64,
    /// 0 = full batch.
    pub batch: usize,
    pub optimizer: OptimizerKind,
    /// How ȳ is found: the grid (the fast kernels) or descent / Langevin
    /// (the generic objective through the `EnergyModel` seam).
    pub inference: crate::model::inference_spec::InferenceSpec,
}

impl TrainSpec {
    /// The exclusion radius in force at `step`.
    pub fn radius_at(&self, step: u64) -> f64 {
        if self.radius_late_step > 0 && step >= self.radius_late_step {
            self.radius_late
        } else {
            self.radius
        }
    }
}

/// A whole run: how to build it and how to train it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSpec {
    pub build: BuildSpec,
    pub train: TrainSpec,
}
