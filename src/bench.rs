//! `ebm-lab bench`: a few seconds' timing of the standard step of SPEC §5
//! (parabola, N = 100, dual 1-20-1, K = 128, full batch, SGD lr 0.01).

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::model::{GridWorkspace, Loss, Run};
use crate::settings::Settings;

pub fn standard_settings(loss: Loss) -> Settings {
    Settings {
        out_dim: 1,
        loss,
        ..Settings::default()
    }
}

fn time_per_call(mut f: impl FnMut(), budget: Duration) -> f64 {
    for _ in 0..200 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            f();
        }
        n += 100;
    }
    start.elapsed().as_secs_f64() * 1e6 / n as f64
}

/// µs per standard step for a loss.
pub fn step_us(loss: Loss, budget: Duration) -> f64 {
    let mut run = Run::new(&standard_settings(loss), None);
    time_per_call(
        || {
            let _ = run.train_step();
        },
        budget,
    )
}

/// µs per 128 × 128 energy grid (forward only).
pub fn grid_us(budget: Duration) -> f64 {
    let run = Run::new(&standard_settings(Loss::Energy), None);
    let xs: Vec<f32> = (0..128).map(|i| run.data.probe(i, 128) as f32).collect();
    let ys = run.y_grid.clone();
    let mut ws = GridWorkspace::default();
    let mut out = Vec::new();
    time_per_call(
        || run.model.energy_grid(&xs, &ys, &mut ws, &mut out),
        budget,
    )
}

pub fn run(json: bool) -> Result<()> {
    let budget = Duration::from_millis(700);
    let rows = [
        ("energy_us", step_us(Loss::Energy, budget)),
        ("square_square_us", step_us(Loss::SquareSquare, budget)),
        ("nll_us", step_us(Loss::Nll, budget)),
        ("hinge_us", step_us(Loss::Hinge, budget)),
        ("grid128_us", grid_us(budget)),
    ];
    if json {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    serde_json::json!((v * 1000.0).round() / 1000.0),
                )
            })
            .collect();
        println!("{}", serde_json::Value::Object(map));
    } else {
        println!(
            "standard step (parabola, N=100, dual 1-20-1, K=128, full batch, SGD), one thread"
        );
        for (k, v) in rows {
            println!("{:<18} {:>9.2} µs", k.trim_end_matches("_us"), v);
        }
    }
    Ok(())
}
