//! Which inference finds the contrasts (ȳ, a chain's negatives) and with
//! what parameters: a named choice and its numbers, built into an
//! [`Inference`] on demand. The plane and the line share it (settings
//! `inference`, `inference_steps`, `inference_eta`).

use super::descent::{Descent, Langevin, Start};
use super::inference::{GridSearch, Inference};

crate::named_enum! {
    /// The inference methods of the margin losses and of CD's negatives.
    pub enum InferenceKind {
        Grid = "grid": "exhaustive search over the plane's answer grid",
        Descent = "descent": "T steps of gradient descent on y from a uniform start",
        Langevin = "langevin": "T steps of Langevin dynamics, y := y − (ε²/2)·β·∂E/∂y + ε·ξ",
    }
}

crate::named_enum! {
    /// Where a descent starts.
    pub enum StartKind {
        Uniform = "uniform": "uniform over the answer range (any valley can be found)",
        Sample = "sample": "the sample's own answer plus noise σ = 0.1 (finds the valley next to the data only)",
    }
}

/// σ of the noise a descent from the sample starts with.
pub const SAMPLE_START_NOISE: f64 = 0.1;

/// An inference method and its parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InferenceSpec {
    pub kind: InferenceKind,
    /// T, steps of descent or of each chain.
    pub steps: usize,
    /// η of descent, ε of Langevin.
    pub eta: f64,
    /// Langevin's inverse temperature.
    pub beta: f64,
    /// Langevin chains kept from step to step (5 % restarted from noise).
    pub persistent: bool,
    /// Where a descent starts (Langevin starts uniform).
    pub start: StartKind,
}

/// The share of persistent chains restarted from noise each step (Du & Mordatch).
pub const RESTART_SHARE: f64 = 0.05;

impl Default for InferenceSpec {
    /// The grid search (the line's settings' defaults for T and η).
    fn default() -> Self {
        InferenceSpec {
            kind: InferenceKind::Grid,
            steps: 20,
            eta: 0.02,
            beta: 1.0,
            persistent: false,
            start: StartKind::Uniform,
        }
    }
}

impl InferenceSpec {
    /// The method, seeded.
    pub fn build(&self, seed: u64) -> Box<dyn Inference<f32>> {
        match self.kind {
            InferenceKind::Grid => Box::new(GridSearch::default()),
            InferenceKind::Descent => {
                let start = match self.start {
                    StartKind::Uniform => Start::Uniform,
                    StartKind::Sample => Start::NearSample(SAMPLE_START_NOISE),
                };
                Box::new(Descent::new(self.steps, self.eta, start, seed))
            }
            InferenceKind::Langevin => Box::new(Langevin::new(
                self.steps,
                self.eta,
                self.beta,
                self.persistent.then_some(RESTART_SHARE),
                seed,
            )),
        }
    }

    pub fn check(&self) -> Result<(), String> {
        if !(1..=1000).contains(&self.steps) {
            return Err(format!(
                "inference_steps = {}: allowed 1 ..= 1000",
                self.steps
            ));
        }
        if !(self.eta.is_finite() && self.eta > 0.0 && self.eta <= 10.0) {
            return Err(format!("inference_eta = {}: allowed (0, 10]", self.eta));
        }
        if !(self.beta.is_finite() && self.beta > 0.0) {
            return Err(format!(
                "langevin_beta = {}: allowed > 0 and finite",
                self.beta
            ));
        }
        Ok(())
    }
}
