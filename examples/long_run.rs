//! Long runs of a preset on seeds 0-9 (docs/FIDELITY.md): the state, inference
//! error and y-spread ratio at each checkpoint, and whether every seed kept its
//! expectation at every checkpoint from the preset's `steps` on.
//!
//! `cargo run --example long_run -- PRESET [--steps 10000,100000,1000000] [--seeds 0-9] [--threads 2] [--set key=value]...`
//!
//! Exits non-zero when a seed breaks the preset's `expect` at a checkpoint
//! (so it doubles as the re-runnable check of the 10⁶-step requirement).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ebm_lab::model::{Run, State};
use ebm_lab::presets::all_presets;
use ebm_lab::settings::Settings;

struct Row {
    seed: u64,
    /// (step, state, inference error, y-spread / step-0 y-spread, coverage)
    at: Vec<(u64, State, f64, f64, Option<f64>)>,
}

fn run_seed(settings: &Settings, seed: u64, checkpoints: &[u64]) -> Row {
    let mut s = settings.clone();
    s.seed = seed;
    let mut run = Run::new(&s, None);
    let y0 = run.initial_metrics().map_or(f64::NAN, |m| m.y_spread);
    let mut at = Vec::new();
    for &c in checkpoints {
        while run.step() < c {
            if run.train_step().is_err() {
                break;
            }
        }
        let m = run.metrics();
        at.push((c, m.state, m.inference_error, m.y_spread / y0, m.coverage));
        if m.state == State::Diverged {
            break;
        }
    }
    Row { seed, at }
}

fn parse_list(text: &str) -> Vec<u64> {
    if let Some((a, b)) = text.split_once('-') {
        let (a, b) = (a.parse().unwrap_or(0), b.parse().unwrap_or(0));
        return (a..=b).collect();
    }
    text.split(',')
        .filter_map(|t| t.trim().parse().ok())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        eprintln!(
            "usage: long_run PRESET [--steps a,b,c] [--seeds 0-9] [--threads n] [--set k=v]..."
        );
        std::process::exit(2);
    };
    let presets = all_presets().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let Some(preset) = presets.iter().find(|p| p.name == name.as_str()) else {
        eprintln!("no preset {name}");
        std::process::exit(2);
    };
    let (mut checkpoints, mut seeds, mut threads) =
        (vec![10_000, 100_000, 1_000_000], parse_list("0-9"), 2);
    let mut settings = preset.settings.clone();
    let mut sets = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--steps" => checkpoints = parse_list(&v),
            "--seeds" => seeds = parse_list(&v),
            "--threads" => threads = v.parse().unwrap_or(2),
            "--set" => {
                let (k, val) = v.split_once('=').unwrap_or((&v, ""));
                settings = settings.with_changes([(k, val)]).unwrap_or_else(|e| {
                    eprintln!("{e}");
                    std::process::exit(2)
                });
                sets.push(v.clone());
            }
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let rows = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&seed) = seeds.get(j) else { break };
                let row = run_seed(&settings, seed, &checkpoints);
                if let Ok(mut r) = rows.lock() {
                    r.push(row);
                }
            });
        }
    });
    let mut rows = rows.into_inner().unwrap_or_default();
    rows.sort_by_key(|r| r.seed);
    println!(
        "{name} {} (expect {} by {})",
        sets.join(" "),
        preset.expect.name(),
        preset.steps
    );
    let mut broken = 0;
    for r in &rows {
        let cells: Vec<String> =
            r.at.iter()
                .map(|(c, st, err, ys, cov)| {
                    let cov = cov.map_or(String::new(), |c| format!(" cov {c:.2}"));
                    format!("{c}: {} err {err:.3} ys {ys:.3}{cov}", st.name())
                })
                .collect();
        let bad =
            r.at.iter()
                .any(|&(c, st, ..)| c >= preset.steps && !preset.expect.kept(st));
        broken += bad as usize;
        println!(
            "  seed {}: {}{}",
            r.seed,
            cells.join(" | "),
            if bad { "  BROKEN" } else { "" }
        );
    }
    println!("  kept {}/{} seeds", rows.len() - broken, rows.len());
    if broken > 0 {
        std::process::exit(1);
    }
}
