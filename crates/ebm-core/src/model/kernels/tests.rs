//! The kernels against the generic reference (run in f64), on every level this
//! CPU has, every loss, cost and architecture, odd sizes (padding) and the
//! numerically hard corners: ties (a collapsed net) and β = 1000 at energies ≈ 1e4.

use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;
use crate::model::grid::y_grid;
use crate::model::loss::Partition;
use crate::model::objective::{loss_and_grad, StepConfig, Workspace};
use crate::model::{Architecture, Contrast, Cost, Loss, LossParams, Model};

fn data(n: usize, k: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let xs: Vec<f64> = (0..n)
        .map(|i| -1.0 + 2.0 * i as f64 / (n - 1) as f64)
        .collect();
    let ys = xs.iter().map(|x| x * x).collect();
    (xs, ys, y_grid((-0.5, 1.5), k))
}

fn f32s(v: &[f64]) -> Vec<f32> {
    v.iter().map(|&x| x as f32).collect()
}

fn cfg(loss: Loss, beta: f64) -> StepConfig {
    cfg_with(loss, beta, Partition::Grid)
}

fn cfg_with(loss: Loss, beta: f64, partition: Partition) -> StepConfig {
    StepConfig {
        loss,
        params: LossParams {
            margin: 0.5,
            beta,
            kappa: 1.0,
            partition,
        },
        // Off the grid's exact distances: f32 and f64 would differ at the boundary.
        radius: 0.31,
    }
}

/// Loss and gradient of the kernel at `simd` and of the f64 reference.
fn both(
    model: &Model<f32>,
    n: usize,
    k: usize,
    c: &StepConfig,
    simd: Simd,
) -> ((f64, Vec<f32>), (f64, Vec<f64>)) {
    let (xs, ys, grid) = data(n, k);
    let (xf, yf, gf) = (f32s(&xs), f32s(&ys), f32s(&grid));
    let mut buf = StepBuffers::default();
    let mut grad = Vec::new();
    let inp = StepIn {
        net: model.kernel_net().unwrap(),
        xs: &xf,
        ys: &yf,
        y_grid: &gf,
        cfg: c,
    };
    let fast = loss_and_grad_at(simd, &inp, &mut buf, &mut grad);
    // Run twice: reused buffers must give the same answer.
    let again = loss_and_grad_at(simd, &inp, &mut buf, &mut grad);
    assert_eq!(fast.to_bits(), again.to_bits());
    let m64 = model.cast::<f64>();
    let (x64, y64, g64) = (f32s(&xs), f32s(&ys), f32s(&grid));
    let up = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
    let mut ws = Workspace::default();
    let reference = loss_and_grad(&m64, &up(&x64), &up(&y64), &up(&g64), c, &mut ws);
    ((fast, grad), (reference, ws.grad))
}

fn close(name: &str, (fast, g): (f64, Vec<f32>), (reference, r): (f64, Vec<f64>)) {
    let tol = 2e-4 * (1.0 + reference.abs());
    assert!(
        (fast - reference).abs() <= tol,
        "{name}: loss {fast} vs {reference}"
    );
    assert_eq!(g.len(), r.len());
    let scale = r.iter().fold(1e-3f64, |m, v| m.max(v.abs()));
    for (j, (a, b)) in g.iter().zip(&r).enumerate() {
        assert!(
            // The generic code in f32 is as far from f64 here (cancellation in the means).
            ((*a as f64) - b).abs() <= 1e-3 * scale,
            "{name}: grad[{j}] {a} vs {b} (scale {scale})"
        );
    }
}

#[test]
fn step_matches_reference_everywhere() {
    for simd in Simd::available() {
        for arch in Architecture::ALL {
            for cost in Cost::ALL {
                for d in [1, 3] {
                    for loss in Loss::ALL {
                        for (n, k) in [(37, 50), (100, 128), (8, 16)] {
                            let mut rng = StdRng::seed_from_u64(7 + d as u64);
                            let model = Model::<f32>::new(arch, cost, 13, d, &mut rng);
                            let name = format!(
                                "{} {arch:?} {cost:?} d={d} {loss:?} n={n} k={k}",
                                simd.name()
                            );
                            let (f, r) = both(&model, n, k, &cfg(loss, 5.0), simd);
                            close(&name, f, r);
                            if loss.contrast() == Contrast::LogPartition {
                                let c = cfg_with(loss, 5.0, Partition::GridAndSample);
                                let (f, r) = both(&model, n, k, &c, simd);
                                close(&format!("{name} grid+sample"), f, r);
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn nll_is_stable_at_large_beta_and_energies() {
    for simd in Simd::available() {
        for d in [1, 2] {
            let mut rng = StdRng::seed_from_u64(3);
            let mut model = Model::<f32>::new(Architecture::Dual, Cost::L1, 20, d, &mut rng);
            // Blow the output layers up so that energies reach ~1e4.
            let n1 = model.g1.n_params();
            for (j, p) in model.params.iter_mut().enumerate() {
                let in_out = (40..n1).contains(&j) || j >= n1 + 40;
                if in_out {
                    *p *= 1e4;
                }
            }
            for partition in Partition::ALL {
                let c = cfg_with(Loss::Nll, 1000.0, partition);
                let (f, r) = both(&model, 100, 128, &c, simd);
                assert!(f.0.is_finite() && r.0.is_finite());
                assert!(f.0.abs() > 1.0, "energies should be large: {}", f.0);
                close(&format!("{} big d={d} {partition:?}", simd.name()), f, r);
            }
        }
    }
}

#[test]
fn nll_handles_ties_of_a_collapsed_net() {
    for simd in Simd::available() {
        for d in [1, 2] {
            let mut model = Model::<f32>::zeros(Architecture::Dual, Cost::L1, 5, d);
            let n1 = model.g1.n_params();
            // Both nets output the constant 0.25 in every dimension: E ≡ 0.
            for k in 0..d {
                model.params[n1 - d + k] = 0.25;
                let last = model.params.len() - d + k;
                model.params[last] = 0.25;
            }
            for loss in Loss::ALL {
                let (f, r) = both(&model, 20, 16, &cfg(loss, 5.0), simd);
                close(&format!("{} ties d={d} {loss:?}", simd.name()), f, r);
            }
            let c = cfg_with(Loss::Nll, 5.0, Partition::GridAndSample);
            let (f, r) = both(&model, 20, 16, &c, simd);
            close(&format!("{} ties d={d} nll grid+sample", simd.name()), f, r);
        }
    }
}

#[test]
fn non_finite_weights_give_nan_not_panic() {
    for simd in Simd::available() {
        for loss in Loss::ALL {
            let mut rng = StdRng::seed_from_u64(1);
            let mut model = Model::<f32>::new(Architecture::Dual, Cost::L1, 6, 1, &mut rng);
            model.params[0] = f32::NAN;
            let (f, _) = both(&model, 10, 16, &cfg(loss, 5.0), simd);
            assert!(f.0.is_nan(), "{loss:?}");
        }
    }
}

#[test]
fn energy_grid_matches_reference() {
    for simd in Simd::available() {
        for arch in Architecture::ALL {
            for cost in Cost::ALL {
                let mut rng = StdRng::seed_from_u64(11);
                let model = Model::<f32>::new(arch, cost, 20, 4, &mut rng);
                let xs: Vec<f32> = (0..33).map(|i| -1.0 + i as f32 / 16.0).collect();
                let ys: Vec<f32> = (0..45).map(|i| -0.5 + i as f32 / 22.0).collect();
                let mut out = Vec::new();
                energy_grid_at(
                    simd,
                    model.kernel_net().unwrap(),
                    &xs,
                    &ys,
                    &mut GridBuffers::default(),
                    &mut out,
                );
                let m64 = model.cast::<f64>();
                let up = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
                let mut reference = Vec::new();
                m64.energy_grid(&up(&xs), &up(&ys), &mut Default::default(), &mut reference);
                assert_eq!(out.len(), reference.len());
                for (a, b) in out.iter().zip(&reference) {
                    assert!(
                        ((*a as f64) - b).abs() <= 1e-5 * (1.0 + b.abs()),
                        "{a} vs {b}"
                    );
                }
            }
        }
    }
}

#[test]
fn row_scans_match_the_literal_scans() {
    let k = 37;
    let grid: Vec<f32> = (0..k).map(|i| -0.5 + i as f32 / 18.0).collect();
    let mut rows = Vec::new();
    let mut ys = Vec::new();
    for i in 0..23 {
        ys.push(-0.4 + i as f32 * 0.08);
        for j in 0..k {
            // Rounded so that ties occur; one row all +∞, one with a NaN.
            let e = ((i * 7 + j * 13) % 11) as f32 * 0.25;
            rows.push(match i {
                5 => f32::INFINITY,
                6 if j == 3 => f32::NAN,
                _ => e,
            });
        }
    }
    for simd in Simd::available() {
        let (mut buf, mut out) = (ScanBuffers::default(), Vec::new());
        scan_rows_at(simd, &rows, &grid, Some(&ys), 0.31, &mut buf, &mut out);
        for (i, row) in rows.chunks(k).enumerate() {
            let scan = crate::model::grid::most_offending_scan(row, &grid, ys[i], 0.31);
            assert_eq!(out[i], scan, "row {i}");
            assert_eq!(
                crate::model::grid::most_offending(row, &grid, ys[i], 0.31),
                scan
            );
        }
        scan_rows_at(simd, &rows, &grid, None, 0.0, &mut buf, &mut out);
        for (i, row) in rows.chunks(k).enumerate() {
            let scan = crate::model::grid::argmin_scan(row);
            assert_eq!(out[i], Some(scan), "row {i}");
            assert_eq!(crate::model::grid::argmin(row), scan);
        }
    }
}

/// The O(N + K) rows with the sample inside the sum, against the formula in
/// f64, where the sample lies far below the grid's minimum (the case the
/// rescaling exists for) and above it.
#[test]
fn nll1_rows_with_the_sample_match_the_formula() {
    let g = [0.0f32, 0.1, 0.2, 0.4, 0.5];
    let a = [0.3f32, 0.05];
    let (beta, dy, s) = (50.0f64, 0.1f64, 1.0f32);
    for e in [[0.0f32, 0.2], [0.5, 0.01]] {
        let (mut da, mut db, mut coef) = (vec![0.0f32; 2], vec![0.0f32; 5], vec![0.0f32; 2]);
        let mut buf = super::nll1::Nll1Buffers::default();
        let sample = super::nll1::SampleTerms {
            e: &e,
            coef: &mut coef,
        };
        let value = super::nll1::rows::<false>(
            &a,
            &g,
            beta,
            dy,
            s,
            &mut da,
            &mut db,
            &mut buf,
            Some(sample),
        );
        let mut expected = 0.0;
        for i in 0..2 {
            let ai = a[i] as f64;
            let terms: Vec<f64> = g
                .iter()
                .map(|&gk| (-beta * (ai - gk as f64).abs()).exp())
                .collect();
            let ps = (-beta * e[i] as f64).exp();
            let z: f64 = terms.iter().sum::<f64>() + ps;
            expected += (dy * z).ln() / beta;
            let q_s = ps / z;
            assert!(
                (coef[i] as f64 + q_s).abs() < 1e-5,
                "coef {} vs {}",
                coef[i],
                -q_s
            );
            // ∂/∂aᵢ = Σₖ qₖ·(−sign(aᵢ − gₖ)).
            let da_i: f64 = g
                .iter()
                .zip(&terms)
                .map(|(&gk, t)| -(ai - gk as f64).signum() * t / z)
                .sum();
            assert!((da[i] as f64 - da_i).abs() < 1e-4, "da {} vs {da_i}", da[i]);
        }
        assert!((value - expected).abs() < 1e-4, "{value} vs {expected}");
    }
}
