//! Every loss × architecture × cost: the analytic gradient of the mean loss equals
//! central finite differences, in f64, on points away from the argmin/abs kinks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ebm_core::model::loss::Partition;
use ebm_core::model::objective::{loss_and_grad, loss_only, StepConfig, Workspace};
use ebm_core::model::{Architecture, Cost, Loss, LossParams, Model};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn check(arch: Architecture, cost: Cost, loss: Loss, partition: Partition, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let model: Model<f64> = Model::new(arch, cost, 5, 3, &mut rng);
    let n = 7;
    let xs: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|x| x * x + rng.random_range(-0.2..0.2))
        .collect();
    let grid: Vec<f64> = (0..17).map(|k| -0.5 + 2.0 * k as f64 / 16.0).collect();
    // A large margin keeps the margin terms active; β = 1 keeps square-exp's term visible.
    let cfg = StepConfig {
        loss,
        params: LossParams {
            margin: 6.0,
            beta: 1.0,
            kappa: 1.5,
            partition,
        },
        radius: 0.3,
    };
    let mut ws = Workspace::default();
    let l0 = loss_and_grad(&model, &xs, &ys, &grid, &cfg, &mut ws);
    assert!(l0.is_finite());
    let grad = ws.grad.clone();
    assert_eq!(grad.len(), model.params.len());
    // h balances truncation (h²) against rounding (ε·|L|/h) for losses of order 10.
    let h = 1e-5;
    let mut worst = 0.0f64;
    let mut nonzero = 0;
    #[allow(clippy::needless_range_loop)]
    for p in 0..model.params.len() {
        let mut plus = model.clone();
        plus.params[p] += h;
        let mut minus = model.clone();
        minus.params[p] -= h;
        let fd = (loss_only(&plus, &xs, &ys, &grid, &cfg)
            - loss_only(&minus, &xs, &ys, &grid, &cfg))
            / (2.0 * h);
        // Relative error, with an absolute floor at the finite differences' rounding noise (~1e-10).
        let err = (fd - grad[p]).abs() / (1e-3 + fd.abs().max(grad[p].abs()));
        worst = worst.max(err);
        if grad[p].abs() > 1e-9 {
            nonzero += 1;
        }
        assert!(
            err < 1e-6,
            "{} / {} / {} / {}: param {p}: analytic {} vs finite difference {fd}",
            arch.name(),
            cost.name(),
            loss.name(),
            partition.name(),
            grad[p]
        );
    }
    // The check must be about something: several parameters carry gradient.
    assert!(
        nonzero >= 4,
        "{} / {} / {}: gradient mostly zero",
        arch.name(),
        cost.name(),
        loss.name()
    );
    assert!(worst < 1e-6);
}

#[test]
fn every_loss_architecture_and_cost_matches_finite_differences() {
    for arch in Architecture::ALL {
        for cost in Cost::ALL {
            for loss in Loss::ALL {
                for seed in 0..2 {
                    check(arch, cost, loss, Partition::Grid, seed);
                }
            }
            // The sample inside nll's partition sum (the other losses ignore it).
            for seed in 0..2 {
                check(arch, cost, Loss::Nll, Partition::GridAndSample, seed);
            }
        }
    }
}

#[test]
fn a_wrong_gradient_would_be_caught() {
    // Guard against a vacuous comparison: perturbing one gradient entry must fail the check.
    let mut rng = StdRng::seed_from_u64(3);
    let model: Model<f64> = Model::new(Architecture::Dual, Cost::Square, 4, 2, &mut rng);
    let xs = [0.1, -0.4, 0.7];
    let ys = [0.01, 0.16, 0.49];
    let grid: Vec<f64> = (0..9).map(|k| -0.5 + k as f64 * 0.25).collect();
    let cfg = StepConfig {
        loss: Loss::Energy,
        params: LossParams {
            margin: 0.5,
            beta: 5.0,
            kappa: 1.0,
            partition: Partition::Grid,
        },
        radius: 0.3,
    };
    let mut ws = Workspace::default();
    loss_and_grad(&model, &xs, &ys, &grid, &cfg, &mut ws);
    let g = ws.grad[0] * 1.001;
    let h = 1e-6;
    let mut plus = model.clone();
    plus.params[0] += h;
    let mut minus = model.clone();
    minus.params[0] -= h;
    let fd = (loss_only(&plus, &xs, &ys, &grid, &cfg) - loss_only(&minus, &xs, &ys, &grid, &cfg))
        / (2.0 * h);
    assert!((fd - g).abs() / fd.abs() > 1e-5);
}
