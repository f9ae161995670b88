//! The energy models of the plane: a latent-variable model (F of E(x, y, z))
//! or an unconditional density E(y). The trainer, the metrics and the view
//! see either through [`EnergyModel`]; what only a latent model has (its
//! decoder's manifold, |Z|) is asked for through [`PlaneModel::latent`].

use super::run::PlaneSpec;
use crate::model::density_net::DensityNet;
use crate::model::energy_model::{AtX, EnergyModel};
use crate::model::latent::LatentModel;

#[derive(Clone, Debug)]
pub enum PlaneModel {
    Latent(LatentModel<f32>),
    Density(DensityNet),
}

/// The architecture name a density run's settings and model files use.
pub const DENSITY_MLP: &str = "density-mlp";

impl PlaneModel {
    /// Fresh weights for `spec`'s architecture.
    pub fn new(spec: &PlaneSpec, rng: &mut impl rand::Rng) -> PlaneModel {
        if spec.density {
            PlaneModel::Density(DensityNet::new(spec.latent.hidden, rng))
        } else {
            PlaneModel::Latent(LatentModel::new(spec.latent, rng))
        }
    }

    pub fn latent(&self) -> Option<&LatentModel<f32>> {
        match self {
            PlaneModel::Latent(m) => Some(m),
            PlaneModel::Density(_) => None,
        }
    }

    pub fn is_finite(&self) -> bool {
        match self {
            PlaneModel::Latent(m) => m.is_finite(),
            PlaneModel::Density(m) => m.is_finite(),
        }
    }

    /// The weights as a vector (for the optimiser's backup).
    pub fn params_vec(&mut self) -> &mut Vec<f32> {
        match self {
            PlaneModel::Latent(m) => &mut m.params,
            PlaneModel::Density(m) => &mut m.params,
        }
    }

    /// The architecture's name, as the `architecture` setting spells it.
    pub fn architecture(&self) -> &'static str {
        match self {
            PlaneModel::Latent(m) => m.spec.decoder.name(),
            PlaneModel::Density(_) => DENSITY_MLP,
        }
    }

    fn inner(&self) -> &dyn EnergyModel<f32> {
        match self {
            PlaneModel::Latent(m) => m,
            PlaneModel::Density(m) => m,
        }
    }
}

impl EnergyModel<f32> for PlaneModel {
    fn answer_dim(&self) -> usize {
        2
    }

    fn params(&self) -> &[f32] {
        self.inner().params()
    }

    fn params_mut(&mut self) -> &mut [f32] {
        match self {
            PlaneModel::Latent(m) => &mut m.params,
            PlaneModel::Density(m) => &mut m.params,
        }
    }

    fn energies(&self, x: f32, answers: &[f32], out: &mut Vec<f32>) {
        self.inner().energies(x, answers, out)
    }

    fn backward(&self, x: f32, answers: &[f32], d_e: &[f32], grad: &mut [f32]) {
        self.inner().backward(x, answers, d_e, grad)
    }

    fn energy_and_dy(&self, x: f32, y: &[f32], dy: &mut [f32]) -> f32 {
        self.inner().energy_and_dy(x, y, dy)
    }

    fn backward_after_energies(&self, x: f32, answers: &[f32], d_e: &[f32], grad: &mut [f32]) {
        self.inner().backward_after_energies(x, answers, d_e, grad)
    }

    fn at_x<'a>(&'a self, x: f32) -> AtX<'a, f32> {
        self.inner().at_x(x)
    }

    fn energies_and_dy(&self, x: f32, answers: &[f32], e: &mut Vec<f32>, dy: &mut Vec<f32>) {
        self.inner().energies_and_dy(x, answers, e, dy)
    }
}
