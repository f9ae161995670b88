//! Measures the live session against the headless loop (DESIGN §8 standard step):
//! steps/s through the session vs headless, µs per snapshot build, snapshots/s
//! received by a reader polling at 250 Hz.
//!
//! `cargo run --example session_probe [--release]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use ebm_lab::bench::{standard_settings, step_us};
use ebm_lab::model::{surface_view, Loss, Run, State, ViewWorkspace};
use ebm_lab::session::{Command, History, HistoryPoint, LiveSession, Session};

/// µs per call of `f`, over about `secs`.
fn time_us(secs: f64, mut f: impl FnMut()) -> f64 {
    for _ in 0..20 {
        f();
    }
    let t = Instant::now();
    let mut n = 0u64;
    while t.elapsed().as_secs_f64() < secs {
        f();
        n += 1;
    }
    t.elapsed().as_secs_f64() * 1e6 / n as f64
}

/// What one snapshot build is made of, timed outside the session.
fn breakdown(loss: Loss) {
    let mut run = Run::new(&standard_settings(loss), None);
    for _ in 0..500 {
        let _ = run.train_step();
    }
    let metrics = time_us(0.5, || {
        std::hint::black_box(run.metrics());
    });
    let mut ws = ViewWorkspace::default();
    let view64 = time_us(0.5, || {
        std::hint::black_box(surface_view(&run, 64, 64, State::Training, &mut ws));
    });
    let view128 = time_us(0.5, || {
        std::hint::black_box(surface_view(&run, 128, 128, State::Training, &mut ws));
    });
    let mut full = History::default();
    for step in 0..(History::CAPACITY as u64) {
        full.push(HistoryPoint {
            step,
            loss: 1.0,
            spread: 1.0,
            y_spread: 1.0,
            contrast: 1.0,
            inference_error: 1.0,
        });
    }
    let history = time_us(0.5, || {
        std::hint::black_box(full.clone());
    });
    println!(
        "{:<14} metrics {metrics:.1} µs, surface_view 64² {view64:.1} µs, 128² {view128:.1} µs, full history copy {history:.1} µs",
        loss.name()
    );
}

struct Probe {
    steps_per_sec: f64,
    snapshots_per_sec: f64,
    build_us_median: f64,
    build_us_max: f64,
}

fn probe(loss: Loss, resolution: (usize, usize), secs: f64) -> Probe {
    let s = Session::start(standard_settings(loss), None);
    s.send(Command::SurfaceResolution(resolution.0, resolution.1));
    s.send(Command::Resume);
    // Warm up, then measure from the first snapshot seen.
    std::thread::sleep(Duration::from_millis(300));
    let Some(first) = s.latest() else {
        return Probe {
            steps_per_sec: f64::NAN,
            snapshots_per_sec: f64::NAN,
            build_us_median: f64::NAN,
            build_us_max: f64::NAN,
        };
    };
    let t0 = Instant::now();
    let mut last = first.clone();
    let mut received = 0u64;
    let mut builds = Vec::new();
    while t0.elapsed().as_secs_f64() < secs {
        std::thread::sleep(Duration::from_millis(4));
        if let Some(snap) = s.latest() {
            if snap.seq != last.seq {
                received += 1;
                builds.push(snap.build_us);
                last = snap;
            }
        }
    }
    let dt = t0.elapsed().as_secs_f64();
    builds.sort_by(f64::total_cmp);
    Probe {
        steps_per_sec: (last.step - first.step) as f64 / dt,
        snapshots_per_sec: received as f64 / dt,
        build_us_median: builds.get(builds.len() / 2).copied().unwrap_or(f64::NAN),
        build_us_max: builds.last().copied().unwrap_or(f64::NAN),
    }
}

fn main() {
    println!("standard step: parabola, N=100, dual 1-20-1, K=128, full batch, SGD");
    println!(
        "{:<14} {:>12} {:>12} {:>7} {:>10} {:>13} {:>11} {:>9}",
        "loss", "headless/s", "session/s", "ratio", "display", "snapshot µs", "(max µs)", "snaps/s"
    );
    for loss in [Loss::Energy, Loss::SquareSquare, Loss::Nll] {
        let headless = 1e6 / step_us(loss, 128, Duration::from_millis(1500));
        for res in [(64, 64), (128, 128)] {
            let p = probe(loss, res, 3.0);
            println!(
                "{:<14} {:>12.0} {:>12.0} {:>7.3} {:>10} {:>13.1} {:>11.1} {:>9.1}",
                loss.name(),
                headless,
                p.steps_per_sec,
                p.steps_per_sec / headless,
                format!("{}x{}", res.0, res.1),
                p.build_us_median,
                p.build_us_max,
                p.snapshots_per_sec
            );
        }
    }
    println!("snapshot build, by part (outside the session):");
    for loss in [Loss::Energy, Loss::SquareSquare, Loss::Nll] {
        breakdown(loss);
    }
}
