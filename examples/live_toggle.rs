//! DESIGN §4's live toggle, measured: dual-energy switched to square-square or nll
//! at a given step (the optimiser's momentum kept, as in the window), then the
//! number of further steps until the state is `learned` (checked every 100).
//! `cargo run --example live_toggle`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ebm_lab::model::{Run, State};
use ebm_lab::presets::load_preset;

fn steps_to_learn(seed: u64, switch_at: u64, loss: &str, budget: u64) -> Option<u64> {
    let (base, _) = load_preset("dual-energy").ok()?;
    let settings = ebm_lab::settings::Settings { seed, ..base };
    let mut run = Run::new(&settings, None);
    for _ in 0..switch_at {
        run.train_step().ok()?;
    }
    let switched = settings.with_changes([("loss", loss)]).ok()?;
    run.set_live(&switched);
    for k in 1..=budget {
        run.train_step().ok()?;
        if k % 100 == 0 && run.metrics().state == State::Learned {
            return Some(k);
        }
    }
    None
}

fn main() {
    for (switch_at, budget) in [(1000, 5000), (2000, 5000), (6000, 8000)] {
        for loss in ["square-square", "nll"] {
            let results: Vec<Option<u64>> = (0..10)
                .map(|s| steps_to_learn(s, switch_at, loss, budget))
                .collect();
            let ok = results.iter().filter(|r| r.is_some()).count();
            let cells: Vec<String> = results
                .iter()
                .map(|r| r.map_or("-".to_string(), |k| k.to_string()))
                .collect();
            println!(
                "switch at {switch_at:>5} to {loss:<14} learned {ok}/10 within {budget}: {}",
                cells.join(" ")
            );
        }
    }
}
