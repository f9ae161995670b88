//! DESIGN §4: every preset reaches its state on each of the seeds 0-9, through
//! `Run`, the code `ebm-lab train` uses. Run with `--nocapture` for the table.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ebm_core::model::{Run, State};
use ebm_core::presets::{all_presets, load_preset, Expect, PRESETS};

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

/// Every preset keeps the promise its file makes (`expect` by `steps`, on
/// `kept` of 100 seeds) on seeds 0-9, on at least `kept / 10` of them: a new
/// preset is a file, not code. `ebm-lab presets --measure` checks all 100.
#[test]
fn every_preset_keeps_its_promise_on_seeds_0_to_9() {
    let presets = all_presets().expect("every preset file is complete");
    let mut broken = Vec::new();
    for p in &presets {
        let target = match p.expect {
            Expect::Collapsed | Expect::NotCollapsed => State::Collapsed,
            Expect::Learned | Expect::NotLearned => State::Learned,
        };
        let outcomes = all_seeds(p.name, p.steps, target);
        let kept = outcomes.iter().filter(|o| p.expect.kept(o.state)).count();
        let need = ebm_core::promises::needed_of_ten(p.kept);
        if kept >= need {
            continue;
        }
        broken.push(format!(
            "{}: kept on {kept}/10 seeds, the promise (≥ {}/100) needs ≥ {need}",
            p.name, p.kept
        ));
        for o in outcomes {
            if !p.expect.kept(o.state) {
                broken.push(format!(
                    "{} seed {}: {} at {} (expect {}; {} first at {:?})",
                    p.name,
                    o.seed,
                    o.state.name(),
                    p.steps,
                    p.expect.name(),
                    target.name(),
                    o.first
                ));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_preset_file_is_listed() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/presets");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        assert!(
            PRESETS.iter().any(|(n, _)| *n == stem),
            "{} is not in presets::PRESETS",
            path.display()
        );
    }
}

#[test]
fn dual_energy_collapses_flat_in_spread_too() {
    for o in all_seeds("dual-energy", 10_000, State::Collapsed) {
        assert!(
            o.spread_ratio < 0.05,
            "seed {}: spread ratio {}",
            o.seed,
            o.spread_ratio
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

/// Steps after switching dual-energy's loss at `switch_at` until `learned`
/// (checked every 100), as the window does: same run, momentum kept.
fn steps_to_learn_after_switch(seed: u64, switch_at: u64, loss: &str, budget: u64) -> Option<u64> {
    let (mut settings, _) = load_preset("dual-energy").expect("preset loads");
    settings.seed = seed;
    let mut run = Run::new(&settings, None);
    for _ in 0..switch_at {
        run.train_step().expect("no divergence");
    }
    run.set_live(&settings.with_changes([("loss", loss)]).expect("valid loss"));
    (1..=budget).find(|k| {
        run.train_step().expect("no divergence");
        k % 100 == 0 && run.metrics().state == State::Learned
    })
}

/// DESIGN §4: switching dual-energy to square-square or nll at step 1,000 or 2,000
/// (mid-collapse) learns on every seed within 5,000 more steps; after a deep
/// collapse (6,000 steps) nll still recovers on every seed within 8,000.
#[test]
fn the_live_toggle_turns_a_collapse_into_learning_on_every_seed() {
    let cases = [
        (1000, "square-square", 5000),
        (1000, "nll", 5000),
        (2000, "square-square", 5000),
        (2000, "nll", 5000),
        (6000, "nll", 8000),
    ];
    std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .iter()
            .map(|&(at, loss, budget)| {
                s.spawn(move || {
                    let failed: Vec<u64> = (0..10)
                        .filter(|&seed| {
                            steps_to_learn_after_switch(seed, at, loss, budget).is_none()
                        })
                        .collect();
                    assert!(
                        failed.is_empty(),
                        "switch at {at} to {loss}: not learned within {budget} on seeds {failed:?}"
                    );
                })
            })
            .collect();
        for h in handles {
            h.join().expect("toggle case holds");
        }
    });
}

/// The step at which the window's session pauses dual-energy (the first
/// multiple of `COLLAPSE_CHECK` where the state is collapsed), then the steps
/// until learned after switching there (checked every 100), or None.
fn switch_at_the_collapse_pause(seed: u64, loss: &str, budget: u64) -> (u64, Option<u64>) {
    use ebm_core::session::COLLAPSE_CHECK;
    let (mut settings, _) = load_preset("dual-energy").expect("preset loads");
    settings.seed = seed;
    let mut run = Run::new(&settings, None);
    let mut at: u64 = 0;
    while at < 10_000 {
        run.train_step().expect("no divergence");
        at += 1;
        if at.is_multiple_of(COLLAPSE_CHECK) && run.metrics().state == State::Collapsed {
            break;
        }
    }
    run.set_live(&settings.with_changes([("loss", loss)]).expect("valid loss"));
    let learned = (1..=budget).find(|k| {
        run.train_step().expect("no divergence");
        k % 100 == 0 && run.metrics().state == State::Learned
    });
    (at, learned)
}

/// Issue 11: the opening lesson pauses at the first collapse and asks for the
/// switch; a switch made there learns on every seed. Measured on seeds 0-9
/// (`--nocapture` prints the table): nll within 2,100 steps; square-square
/// within 17,200 (seed 7 collapses late, at 5,500, and recovers slowly), so the
/// budget is 20,000 steps, 20 s at the window's default speed.
#[test]
fn a_switch_made_at_the_collapse_pause_learns_on_every_seed() {
    for loss in ["nll", "square-square"] {
        let results: Vec<(u64, u64, Option<u64>)> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..10)
                .map(|seed| {
                    s.spawn(move || {
                        let (at, learned) = switch_at_the_collapse_pause(seed, loss, 20_000);
                        (seed, at, learned)
                    })
                })
                .collect();
            hs.into_iter()
                .map(|h| h.join().expect("no panic"))
                .collect()
        });
        for (seed, at, learned) in &results {
            eprintln!("pause at {at:>5} (seed {seed}), {loss}: learned after {learned:?}");
        }
        assert!(results.iter().all(|r| r.1 < 10_000), "every seed collapses");
        let learned = results.iter().filter(|r| r.2.is_some()).count();
        assert_eq!(
            learned, 10,
            "{loss} at the pause: learned on {learned}/10 seeds"
        );
    }
}

/// The latent-variable and density lessons (`ebm-lab latent`, `ebm-lab
/// density`): every plane preset keeps its promise (the state, and a
/// density's promise about its Gibbs density) on seeds 0-9, on at least
/// `kept / 10` of them (0-99 is measured by `ebm-lab latent --measure`).
#[test]
fn plane_presets_keep_their_promises_on_seeds_0_to_9() {
    use ebm_core::model::plane::presets::{kept_on, plane_presets};
    for p in plane_presets() {
        let kept: Vec<u64> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..10u64)
                .map(|seed| {
                    let p = &p;
                    s.spawn(move || kept_on(p, seed).then_some(seed))
                })
                .collect();
            handles
                .into_iter()
                .filter_map(|h| h.join().expect("no panic"))
                .collect()
        });
        assert!(
            kept.len() as u32 >= ebm_core::promises::needed_of_ten(p.kept) as u32,
            "{}: promise `{}` {:?} by {} kept on seeds {kept:?} only",
            p.name,
            p.expect.name(),
            p.density.map(|d| d.describe()),
            p.steps
        );
    }
}

/// What is not pushed up stays low, and a late switch pushes it up: on a
/// seed no setting was chosen on, descent's negatives leave spurious wells
/// (mass away from the data ≥ 0.1 after 5,000 steps); switched to Langevin
/// chains, the wells are pushed up (≤ 0.02 within 2,500 steps).
#[test]
fn switching_descent_to_langevin_late_removes_the_spurious_wells() {
    use ebm_core::model::plane::presets::plane_preset;
    use ebm_core::model::plane::run::{InferenceKind, PlaneSpec};
    use ebm_core::model::plane::PlaneRun;
    let p = plane_preset("density-descent").expect("the preset");
    let mut run = PlaneRun::new(
        PlaneSpec {
            seed: 31,
            ..p.spec.clone()
        },
        None,
    );
    let off = |run: &mut PlaneRun| run.metrics().off_data_mass.expect("a density");
    for _ in 0..5_000 {
        run.train_step().expect("a step");
    }
    let before = off(&mut run);
    assert!(before >= 0.1, "descent's mass away from the data {before}");
    let mut langevin = run.spec.inference;
    langevin.kind = InferenceKind::Langevin;
    langevin.eta = 0.2;
    run.set_inference(langevin);
    for _ in 0..2_500 {
        run.train_step().expect("a step");
    }
    let after = off(&mut run);
    assert!(after <= 0.02, "after the switch {after} (before {before})");
}
