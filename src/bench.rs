//! `ebm-lab bench`: a few seconds' timing of the standard step of DESIGN §8
//! (parabola, N = 100, dual 1-20-1, K = 128, full batch, SGD lr 0.01), of the
//! 128 × 128 energy grid and of a GUI snapshot, on this machine, one thread.
//! The same workloads back the criterion benches in `benches/`, so the two
//! always measure the same thing.

use std::time::Duration;

use web_time::Instant;

use anyhow::Result;

use crate::model::kernels::Simd;
use crate::model::{surface_view, GridWorkspace, Loss, Run, ViewWorkspace};
use crate::presets::{load_preset, DEFAULT_PRESET};
use crate::settings::Settings;

/// The standard step's settings for a loss, with a Y grid of `grid` values.
pub fn standard_settings(loss: Loss) -> Settings {
    Settings {
        out_dim: 1,
        loss,
        ..Settings::default()
    }
}

/// A standard run (K = `grid`), ready to step.
pub fn standard_run(loss: Loss, grid: usize) -> Run {
    let settings = Settings {
        grid,
        ..standard_settings(loss)
    };
    Run::new(&settings, None)
}

/// The probe x and the Y grid of an n × n energy grid over the standard run.
pub fn grid_axes(run: &Run, n: usize) -> (Vec<f32>, Vec<f32>) {
    let xs = (0..n).map(|i| run.data.probe(i, n) as f32).collect();
    let ys = crate::model::grid::y_grid(run.data.y_range, n)
        .into_iter()
        .map(|v| v as f32)
        .collect();
    (xs, ys)
}

/// The run a GUI snapshot is timed on: the default preset (the window's
/// start), trained 500 steps so the surface is not the initial one.
pub fn snapshot_run() -> Result<Run> {
    let (settings, _) = load_preset(DEFAULT_PRESET)?;
    let mut run = Run::new(&settings, None);
    for _ in 0..500 {
        let _ = run.train_step();
    }
    Ok(run)
}

/// One GUI snapshot: the 64 × 64 surface view and the metrics.
pub fn snapshot(run: &mut Run, ws: &mut ViewWorkspace) -> usize {
    let m = run.metrics();
    let view = surface_view(run, 64, 64, m.state, ws);
    view.energy.len()
}

/// Median of `rounds` timings of `f`, in µs per call, within about `budget`.
fn time_per_call(mut f: impl FnMut(), budget: Duration) -> f64 {
    let warm = Instant::now();
    let mut calls = 0u64;
    while warm.elapsed() < budget / 10 || calls < 10 {
        f();
        calls += 1;
    }
    let per_round = (calls * 9 / 10 / 15).max(1);
    let mut rounds: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_round {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / per_round as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

/// µs per standard step for a loss (Y grid of `grid` values).
pub fn step_us(loss: Loss, grid: usize, budget: Duration) -> f64 {
    let mut run = standard_run(loss, grid);
    time_per_call(
        || {
            let _ = run.train_step();
        },
        budget,
    )
}

/// µs per n × n energy grid (forward only) of the standard model.
pub fn grid_us(n: usize, budget: Duration) -> f64 {
    let run = standard_run(Loss::Energy, 128);
    let (xs, ys) = grid_axes(&run, n);
    let mut ws = GridWorkspace::default();
    let mut out = Vec::new();
    time_per_call(
        || run.model.energy_grid(&xs, &ys, &mut ws, &mut out),
        budget,
    )
}

/// µs per GUI snapshot (surface view + metrics).
pub fn snapshot_us(budget: Duration) -> Result<f64> {
    let mut run = snapshot_run()?;
    let mut ws = ViewWorkspace::default();
    Ok(time_per_call(
        || {
            snapshot(&mut run, &mut ws);
        },
        budget,
    ))
}

/// µs per training step of the `ellipse-zero-t` plane preset (N = 24,
/// |Z| = 48, energy loss, F = min over z), state checks included.
pub fn latent_step_us(budget: Duration) -> f64 {
    use crate::model::plane::{presets::base_spec, PlaneRun};
    let mut run = PlaneRun::new(base_spec(), None);
    time_per_call(
        || {
            let _ = run.train_step();
        },
        budget,
    )
}

/// µs per 128 × 128 F surface of the ellipse model (|Z| = 48).
pub fn latent_surface_us(budget: Duration) -> f64 {
    use crate::model::energy_model::EnergyModel;
    use crate::model::plane::{presets::base_spec, PlaneRun};
    let run = PlaneRun::new(base_spec(), None);
    let [r1, r2] = run.data.ranges;
    let plane = crate::model::answers::AnswerGrid::<f32>::plane(r1, r2, 128, 128);
    let mut out = Vec::new();
    time_per_call(|| run.model.energies(0.0, &plane.points, &mut out), budget)
}

/// µs per contrastive-divergence step of `density-cd` (2 → 64 → 64 → 1
/// SiLU, 256 persistent chains × 20 Langevin steps, a batch of 256), its
/// products by the hand-written kernel or by the `matrixmultiply` crate.
pub fn density_cd_us(budget: Duration, crate_gemm: bool) -> f64 {
    use crate::model::plane::{presets::plane_preset, PlaneRun};
    crate::model::kernels::density::use_crate_gemm(crate_gemm);
    let Some(p) = plane_preset("density-cd") else {
        return f64::NAN;
    };
    let mut run = PlaneRun::new(p.spec, None);
    let us = time_per_call(
        || {
            let _ = run.train_step();
        },
        budget,
    );
    crate::model::kernels::density::use_crate_gemm(false);
    us
}

/// Every row of `ebm-lab bench` (name, µs), each timed within about `budget`.
pub fn measure(budget: Duration) -> Result<Vec<(&'static str, f64)>> {
    Ok(vec![
        ("energy_us", step_us(Loss::Energy, 128, budget)),
        ("square_square_us", step_us(Loss::SquareSquare, 128, budget)),
        ("nll_us", step_us(Loss::Nll, 128, budget)),
        ("hinge_us", step_us(Loss::Hinge, 128, budget)),
        (
            "square_square_k512_us",
            step_us(Loss::SquareSquare, 512, budget),
        ),
        ("nll_k512_us", step_us(Loss::Nll, 512, budget)),
        ("grid128_us", grid_us(128, budget)),
        ("snapshot_us", snapshot_us(budget)?),
        ("latent_ellipse_us", latent_step_us(budget)),
        ("latent_surface128_us", latent_surface_us(budget)),
        ("density_cd_us", density_cd_us(budget, false)),
        ("density_cd_matrixmultiply_us", density_cd_us(budget, true)),
    ])
}

/// The rows as one JSON object (µs rounded to ns) with the kernel level.
pub fn to_json(rows: &[(&str, f64)]) -> String {
    let mut map: serde_json::Map<String, serde_json::Value> = rows
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                serde_json::json!((v * 1000.0).round() / 1000.0),
            )
        })
        .collect();
    map.insert("simd".into(), serde_json::json!(Simd::best().name()));
    serde_json::Value::Object(map).to_string()
}

pub fn run(json: bool) -> Result<()> {
    let rows = measure(Duration::from_millis(400))?;
    let text = if json {
        format!("{}\n", to_json(&rows))
    } else {
        let simd = Simd::best().name();
        let mut t = String::from(
            "standard step (parabola, N=100, dual 1-20-1, K=128 unless noted, full batch, SGD)\n",
        );
        t.push_str(&format!(
            "one thread, {simd} kernels, median of 15 rounds\n"
        ));
        for (k, v) in rows {
            t.push_str(&format!(
                "{:<18} {:>9.2} µs\n",
                k.trim_end_matches("_us"),
                v
            ));
        }
        t
    };
    crate::console::out(&text)?;
    Ok(())
}
