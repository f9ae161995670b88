//! The plane's lessons as presets: one row each, with the promise checked
//! on seeds 0-9 by the tests and measured on 0-99 (`ebm-lab latent --measure`).

use super::data::PlaneSet;
use super::run::{InferenceKind, InferenceSpec, PlaneRun, PlaneSpec};
use crate::model::latent::{Decoder, LatentSpec};
use crate::model::loss::{Loss, LossParams, Partition};
use crate::model::optimizer::OptimizerKind;
use crate::presets::Expect;

pub struct PlanePreset {
    pub name: &'static str,
    pub story: &'static str,
    pub expect: Expect,
    /// By when `expect` holds.
    pub steps: u64,
    /// Seeds of 0-99 the promise holds on, at least (measured with
    /// `ebm-lab latent --measure`).
    pub kept: u32,
    pub spec: PlaneSpec,
}

/// The ellipse under the energy loss at zero temperature: every preset
/// starts from it and changes what its lesson is about.
pub fn base_spec() -> PlaneSpec {
    PlaneSpec {
        set: PlaneSet::Ellipse,
        samples: 24,
        noise: 0.05,
        seed: 0,
        latent: LatentSpec {
            decoder: Decoder::Ellipse,
            z_dim: 1,
            z_grid: 48,
            beta: f64::INFINITY,
            hidden: 16,
        },
        loss: Loss::Energy,
        params: LossParams {
            margin: 1.0,
            beta: 1.0,
            kappa: 1.0,
            partition: Partition::Grid,
        },
        radius: 0.5,
        lr: 0.01,
        momentum: 0.0,
        optimizer: OptimizerKind::Adam,
        answers: 32,
        inference: InferenceSpec {
            kind: InferenceKind::Grid,
            steps: 20,
            eta: 0.05,
            beta: 1.0,
            persistent: false,
        },
    }
}

/// `latent-mlp` with z in two dimensions on a 20 × 20 grid: a decoder
/// whose sheet can cover the plane.
fn over_capacity() -> LatentSpec {
    LatentSpec {
        decoder: Decoder::Mlp,
        z_dim: 2,
        z_grid: 20,
        beta: f64::INFINITY,
        hidden: 16,
    }
}

fn with(f: impl FnOnce(&mut PlaneSpec)) -> PlaneSpec {
    let mut s = base_spec();
    f(&mut s);
    s
}

/// Every plane preset in teaching order.
pub fn plane_presets() -> Vec<PlanePreset> {
    vec![
        PlanePreset {
            name: "ellipse-zero-t",
            story: "The ellipse, a two-parameter decoder and the energy loss at zero temperature \
                    (F = min over z). No contrastive term, and still no collapse: the latent's \
                    small capacity can only draw one ellipse, so pulling the samples down \
                    carves the ring.",
            expect: Expect::Learned,
            steps: 2_000,
            kept: 100,
            spec: base_spec(),
        },
        PlanePreset {
            name: "ellipse-warm",
            story: "The same model with the free energy at a warm temperature (β = 0.5): F \
                    averages E over z, the ring of low F smooths into a bowl centred on the \
                    ellipse, and the valley that held the samples is gone.",
            expect: Expect::NotLearned,
            steps: 2_000,
            kept: 100,
            spec: with(|s| s.latent.beta = 0.5),
        },
        PlanePreset {
            name: "latent-mlp-collapse",
            story: "An over-capacity latent: a decoder net with z in two dimensions (a 20 × 20 \
                    grid) can reach every point of the plane. Under the energy loss nothing \
                    pushes up: the decoder's sheet spreads over the whole inside of the \
                    ellipse and F collapses flat where the data is, every y there as cheap as \
                    the samples (the dual net's collapse again).",
            expect: Expect::Collapsed,
            steps: 5_000,
            kept: 100,
            spec: with(|s| {
                s.latent = over_capacity();
            }),
        },
        PlanePreset {
            name: "latent-mlp-nll",
            story: "The over-capacity latent again, under the negative log-likelihood (β = 5, \
                    the partition summed over a 32 × 32 grid of the plane): every answer is \
                    pushed up by its probability, the filled inside of the ellipse is pushed up \
                    with it, and the ring comes back.",
            expect: Expect::Learned,
            steps: 2_000,
            kept: 100,
            spec: with(|s| {
                s.latent = over_capacity();
                s.params.beta = 5.0;
                s.loss = Loss::Nll;
            }),
        },
        PlanePreset {
            name: "latent-mlp-k1",
            story: "The same decoder net with a one-dimensional z: a curve cannot cover the \
                    plane, so the energy loss alone carves a ring again.",
            expect: Expect::Learned,
            steps: 5_000,
            kept: 100,
            spec: with(|s| {
                s.latent = LatentSpec {
                    decoder: Decoder::Mlp,
                    z_dim: 1,
                    z_grid: 48,
                    beta: f64::INFINITY,
                    hidden: 16,
                };
            }),
        },
        PlanePreset {
            name: "horn-zero-t",
            story: "The horn: a ring whose radii grow as e^(2x). The decoder scales a circle by \
                    f(x), a small ReLU net, and F(y | x) is a ring growing with x: slide x. \
                    (Learned by 5,000 steps on 98 of the seeds 0-99.)",
            expect: Expect::Learned,
            steps: 5_000,
            kept: 98,
            spec: with(|s| {
                s.set = PlaneSet::Horn;
                s.samples = 204;
                s.latent.decoder = Decoder::Horn;
            }),
        },
    ]
}

/// The preset called `name`.
pub fn plane_preset(name: &str) -> Option<PlanePreset> {
    plane_presets().into_iter().find(|p| p.name == name)
}

/// The state of `spec` on `seed` after `steps` (a divergence reads diverged).
pub fn outcome(spec: &PlaneSpec, seed: u64, steps: u64) -> crate::model::State {
    let mut run = PlaneRun::new(
        PlaneSpec {
            seed,
            ..spec.clone()
        },
        None,
    );
    for _ in 0..steps {
        if run.train_step().is_err() {
            break;
        }
    }
    run.state()
}

/// On how many of `seeds` (0, 1, …) the preset keeps its promise.
pub fn measure(p: &PlanePreset, seeds: u64) -> u32 {
    (0..seeds)
        .filter(|&seed| p.expect.kept(outcome(&p.spec, seed, p.steps)))
        .count() as u32
}
