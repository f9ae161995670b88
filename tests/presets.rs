//! SPEC §2: every preset reaches its state on each of the seeds 0-9, through
//! `Run`, the code `ebm-lab train` uses. Run with `--nocapture` for the table.

use ebm_lab::model::{Run, State};
use ebm_lab::presets::load_preset;

struct Outcome {
    seed: u64,
    state: State,
    first: Option<u64>,
    spread_ratio: f64,
    error: f64,
}

/// Trains `steps` steps, noting the first multiple of 100 at which `target` holds.
fn run(preset: &str, seed: u64, steps: u64, target: State) -> Outcome {
    let (mut settings, _) = load_preset(preset).expect("preset loads");
    settings.seed = seed;
    let mut run = Run::new(&settings, None);
    let s0 = run.initial_metrics().expect("initial metrics").spread;
    let mut first = None;
    for step in 1..=steps {
        run.train_step()
            .unwrap_or_else(|d| panic!("{preset} seed {seed}: {d}"));
        if step % 100 == 0 && first.is_none() && run.metrics().state == target {
            first = Some(step);
        }
    }
    let m = run.metrics();
    eprintln!(
        "{preset:<20} seed {seed}: {:<9} spread ratio {:.4} inference error {:.4} coverage {:?} reached at {:?}",
        m.state.name(),
        m.spread / s0,
        m.inference_error,
        m.coverage,
        first
    );
    Outcome {
        seed,
        state: m.state,
        first,
        spread_ratio: m.spread / s0,
        error: m.inference_error,
    }
}

fn all_seeds(preset: &str, steps: u64, target: State) -> Vec<Outcome> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..10)
            .map(|seed| s.spawn(move || run(preset, seed, steps, target)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    })
}

fn assert_reaches(preset: &str, steps: u64, target: State) {
    let failed: Vec<String> = all_seeds(preset, steps, target)
        .iter()
        .filter(|o| o.state != target)
        .map(|o| {
            format!(
                "seed {} ended {} (reached at {:?})",
                o.seed,
                o.state.name(),
                o.first
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{preset}: not {} by step {steps}: {failed:?}",
        target.name()
    );
}

#[test]
fn regressor_energy_learns_by_5000() {
    assert_reaches("regressor-energy", 5_000, State::Learned);
}

#[test]
fn dual_energy_collapses_by_10000() {
    let outcomes = all_seeds("dual-energy", 10_000, State::Collapsed);
    for o in &outcomes {
        assert_eq!(o.state, State::Collapsed, "seed {}", o.seed);
        assert!(
            o.spread_ratio < 0.05,
            "seed {}: spread ratio {}",
            o.seed,
            o.spread_ratio
        );
    }
}

#[test]
fn dual_square_square_learns_by_2000() {
    assert_reaches("dual-square-square", 2_000, State::Learned);
}

#[test]
fn dual_nll_learns_by_2000() {
    assert_reaches("dual-nll", 2_000, State::Learned);
}

#[test]
fn eye_nll_learns_both_lids_by_5000() {
    let outcomes = all_seeds("eye-nll", 5_000, State::Learned);
    for o in &outcomes {
        assert_eq!(
            o.state,
            State::Learned,
            "seed {}: error {}",
            o.seed,
            o.error
        );
    }
}

#[test]
fn eye_regressor_never_learns_and_settles_on_the_mean() {
    for o in all_seeds("eye-regressor", 5_000, State::Learned) {
        assert_ne!(o.state, State::Learned, "seed {}", o.seed);
        assert_eq!(
            o.first, None,
            "seed {} was learned at some checkpoint",
            o.seed
        );
        // y̌ ≈ 0, the mean of the lids: the error is ≈ mean |0.5·(1 − x²)| ≈ 0.33.
        assert!(
            (o.error - 0.32).abs() < 0.03,
            "seed {}: inference error {}",
            o.seed,
            o.error
        );
    }
}
