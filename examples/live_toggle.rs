//! DESIGN §4's live toggle, measured: dual-energy switched to square-square or nll
//! at a given step (the optimiser's momentum kept, as in the window), then the
//! number of further steps until the state is `learned` (checked every 100).
//! "pause" switches where the window pauses by itself: the first multiple of 100
//! at which the run reads collapsed. Also prints what the collapse did to the
//! nets: the share of saturated tanh units and the weight norm at the switch.
//!
//! `cargo run --example live_toggle [-- --set key=value ...]` (the sets apply to
//! dual-energy from step 0, e.g. `--set weight_decay=0.0001`; `--at-switch
//! key=value` changes a setting together with the loss, e.g. `--at-switch
//! optimizer=adam`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ebm_lab::model::{Run, State};
use ebm_lab::presets::load_preset;
use ebm_lab::settings::Settings;

/// Where the switch happens.
#[derive(Clone, Copy)]
enum At {
    Step(u64),
    /// The first multiple of 100 at which the state is collapsed.
    CollapsePause,
}

/// Share of the hidden units of both nets whose tanh stays saturated
/// (|pre-activation| > 3, tanh' < 0.01) over the whole input range, and ‖W‖.
fn saturation(run: &Run) -> (f64, f64) {
    let m = &run.model;
    let (xr, yr) = (run.data.x_range, run.data.y_range);
    let mut nets = vec![(m.g1.hidden, m.g1_params(), xr)];
    if let Some(g2) = m.g2 {
        nets.push((g2.hidden, m.g2_params(), yr));
    }
    let (mut sat, mut all) = (0, 0);
    for (h, p, (lo, hi)) in nets {
        for j in 0..h {
            let (w, b) = (p[j] as f64, p[h + j] as f64);
            let a = (w * lo + b).abs().min((w * hi + b).abs());
            let same_side = (w * lo + b).signum() == (w * hi + b).signum();
            sat += (same_side && a > 3.0) as usize;
            all += 1;
        }
    }
    let norm = m
        .params
        .iter()
        .map(|&v| (v as f64).powi(2))
        .sum::<f64>()
        .sqrt();
    (sat as f64 / all as f64, norm)
}

struct Outcome {
    /// The step of the switch.
    switched_at: u64,
    learned_after: Option<u64>,
    saturated: f64,
    norm: f64,
}

fn steps_to_learn(
    (base, at_switch): (&Settings, &[(String, String)]),
    seed: u64,
    at: At,
    loss: &str,
    budget: u64,
) -> Option<Outcome> {
    let settings = Settings {
        seed,
        ..base.clone()
    };
    let mut run = Run::new(&settings, None);
    match at {
        At::Step(n) => {
            for _ in 0..n {
                run.train_step().ok()?;
            }
        }
        At::CollapsePause => loop {
            run.train_step().ok()?;
            if run.step().is_multiple_of(100) && run.metrics().state == State::Collapsed {
                break;
            }
            if run.step() > 1_000_000 {
                return None;
            }
        },
    }
    let (saturated, norm) = saturation(&run);
    let switched_at = run.step();
    let extra = at_switch.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let switched = settings
        .with_changes(std::iter::once(("loss", loss)).chain(extra))
        .ok()?;
    run.set_live(&switched);
    let learned_after = (1..=budget).find(|k| {
        run.train_step().is_ok() && k % 100 == 0 && run.metrics().state == State::Learned
    });
    Some(Outcome {
        switched_at,
        learned_after,
        saturated,
        norm,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut at_switch = Vec::new();
    let Ok((mut base, _)) = load_preset("dual-energy") else {
        return;
    };
    for pair in args.chunks(2) {
        if let [flag, kv] = pair {
            if flag == "--at-switch" {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                at_switch.push((k.to_string(), v.to_string()));
            } else if flag == "--set" {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                match base.with_changes([(k, v)]) {
                    Ok(s) => base = s,
                    Err(e) => {
                        eprintln!("{e}");
                        std::process::exit(2);
                    }
                }
            }
        }
    }
    let budget = 20_000;
    println!("| switch at | to | learned within {budget} | steps after the switch | saturated units | ‖W‖ |");
    println!("|---|---|---|---|---|---|");
    let cases = [
        At::Step(1_000),
        At::Step(2_000),
        At::CollapsePause,
        At::Step(20_000),
        At::Step(200_000),
    ];
    for at in cases {
        for loss in ["square-square", "nll"] {
            let results: Vec<Option<Outcome>> = std::thread::scope(|s| {
                let hs: Vec<_> = (0..10)
                    .map(|seed| {
                        let given = (&base, &at_switch[..]);
                        s.spawn(move || steps_to_learn(given, seed, at, loss, budget))
                    })
                    .collect();
                hs.into_iter().map(|h| h.join().ok().flatten()).collect()
            });
            let ok: Vec<u64> = results
                .iter()
                .filter_map(|r| r.as_ref().and_then(|o| o.learned_after))
                .collect();
            let range = match (ok.iter().min(), ok.iter().max()) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => "-".into(),
            };
            let n = results.iter().flatten().count().max(1) as f64;
            let sat = results.iter().flatten().map(|o| o.saturated).sum::<f64>() / n;
            let norm = results.iter().flatten().map(|o| o.norm).sum::<f64>() / n;
            let label = match at {
                At::Step(k) => k.to_string(),
                At::CollapsePause => {
                    let steps: Vec<u64> = results.iter().flatten().map(|o| o.switched_at).collect();
                    format!(
                        "collapse pause ({}–{})",
                        steps.iter().min().unwrap_or(&0),
                        steps.iter().max().unwrap_or(&0)
                    )
                }
            };
            println!(
                "| {label} | {loss} | {}/10 | {range} | {:.0} % | {norm:.1} |",
                ok.len(),
                100.0 * sat
            );
        }
    }
}
