//! NLL's log-sum-exp stays finite and correct at β = 1000 with energies of 1e4.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ebm_core::model::loss::{nll_row, Partition};
use ebm_core::model::objective::{loss_and_grad, StepConfig, Workspace};
use ebm_core::model::{Architecture, Cost, Loss, LossParams, Model};

#[test]
fn equal_energies_give_the_closed_form() {
    let k = 128;
    let dy = 2.0 / 127.0;
    for (beta, e0) in [(1000.0, 1e4), (5.0, 1e4), (1000.0, 0.0), (0.01, 50.0)] {
        let row = vec![e0 as f32; k];
        let mut w = vec![0f32; k];
        let term = nll_row(&row, dy, beta, &mut w, None).0;
        // (1/β)·log(K·Δy·exp(−β·E0)) = −E0 + log(K·Δy)/β
        let expected = -e0 + ((k as f64) * dy).ln() / beta;
        assert!(term.is_finite(), "β={beta}, E={e0}");
        assert!(
            (term - expected).abs() <= 1e-6 * (1.0 + e0),
            "β={beta}, E={e0}: {term} vs {expected}"
        );
        for v in &w {
            assert!((*v as f64 + 1.0 / k as f64).abs() < 1e-6);
        }
    }
}

#[test]
fn two_levels_at_high_beta() {
    // Half the row at 1e4, half at 1e4 + 0.01; β = 1000 → ratio exp(−10).
    let (beta, dy) = (1000.0, 0.1);
    let row: Vec<f64> = (0..10)
        .map(|k| if k < 5 { 1e4 } else { 1e4 + 0.01 })
        .collect();
    let mut w = vec![0f64; 10];
    let term = nll_row(&row, dy, beta, &mut w, None).0;
    let expected = -1e4 + (dy * 5.0 * (1.0 + (-10.0f64).exp())).ln() / beta;
    assert!((term - expected).abs() < 1e-9, "{term} vs {expected}");
    let sum: f64 = w.iter().sum();
    assert!((sum + 1.0).abs() < 1e-12);
    assert!(w[0] < w[9], "lower energy gets more weight (more negative)");
}

#[test]
fn a_whole_step_stays_finite_with_huge_energies() {
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
    let mut model: Model<f32> = Model::new(Architecture::Dual, Cost::L1, 20, 4, &mut rng);
    for p in &mut model.params {
        *p *= 3000.0; // energies of order 1e4
    }
    let xs: Vec<f32> = (0..100).map(|i| -1.0 + i as f32 / 49.5).collect();
    let ys: Vec<f32> = xs.iter().map(|x| x * x).collect();
    let grid: Vec<f32> = (0..128).map(|k| -0.5 + 2.0 * k as f32 / 127.0).collect();
    let cfg = StepConfig {
        loss: Loss::Nll,
        params: LossParams {
            margin: 0.5,
            beta: 1000.0,
            kappa: 1.0,
            partition: Partition::Grid,
        },
        radius: 0.3,
    };
    let mut ws = Workspace::default();
    let loss = loss_and_grad(&model, &xs, &ys, &grid, &cfg, &mut ws);
    assert!(loss.is_finite(), "loss {loss}");
    assert!(ws.grad.iter().all(|g| g.is_finite()));
    assert!(ws.grad.iter().any(|g| *g != 0.0));
}

#[test]
fn the_sample_in_the_partition_bounds_the_row_term_below() {
    // A valley at the sample far below every grid value: over the grid alone the
    // row term falls with it without bound; with the sample inside the sum it
    // stays at (1/β)·log Δy and the weights on the grid vanish.
    let (dy, beta) = (0.05, 5.0);
    let row = vec![10.0f64; 64];
    let mut w = vec![0.0; 64];
    for depth in [1.0, 10.0, 100.0] {
        let e_i = 10.0 - depth;
        let grid_only = e_i + nll_row(&row, dy, beta, &mut w, None).0;
        assert!(grid_only < -depth + 1.0, "depth {depth}: {grid_only}");
        let (term, on_sample) = nll_row(&row, dy, beta, &mut w, Some(e_i));
        let with_sample = e_i + term;
        assert!(
            with_sample >= dy.ln() / beta - 1e-12,
            "depth {depth}: {with_sample}"
        );
        let total: f64 = w.iter().sum::<f64>() + on_sample;
        assert!((total + 1.0).abs() < 1e-12, "the weights are a softmax");
        if depth >= 10.0 {
            assert!(1.0 + on_sample < 1e-12, "the sample's pull vanishes");
            assert!(w.iter().all(|v| v.abs() < 1e-20));
        }
    }
}
