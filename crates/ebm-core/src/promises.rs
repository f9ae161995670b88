//! The presets' promises measured: each preset trained its `steps` on seeds
//! 0 ..= N − 1, counting the seeds whose state keeps the promise. The test
//! checks seeds 0-9 (`crates/ebm-core/tests/core/presets.rs`); `ebm-lab presets --measure`
//! re-measures all 100, the rate a preset's `kept` line states.

use crate::model::{Run, State};
use crate::presets::Preset;

/// One seed's outcome: its state at the preset's `steps` (`diverged` if it
/// diverged on the way).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SeedOutcome {
    pub seed: u64,
    pub state: State,
    pub kept: bool,
}

/// `preset` trained its `steps` on `seed`.
pub fn outcome(preset: &Preset, seed: u64) -> SeedOutcome {
    let mut settings = preset.settings.clone();
    settings.seed = seed;
    let mut run = Run::new(&settings, None);
    for _ in 0..preset.steps {
        if run.train_step().is_err() {
            break;
        }
    }
    let state = run.metrics().state;
    SeedOutcome {
        seed,
        state,
        kept: preset.expect.kept(state),
    }
}

/// [`outcome`] on every seed of `seeds`, spread over `threads` threads
/// (native only: the page has no threads of this kind).
pub fn outcomes(preset: &Preset, seeds: &[u64], threads: usize) -> Vec<SeedOutcome> {
    let threads = threads.clamp(1, seeds.len().max(1));
    let mut out: Vec<SeedOutcome> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    seeds
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .map(|&seed| outcome(preset, seed))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    out.sort_by_key(|o| o.seed);
    out
}

/// How many of the seeds 0-9 a preset that holds on `kept` of 100 must keep
/// at the least: `kept / 10`, rounded down (100 → all 10).
pub fn needed_of_ten(kept: u32) -> usize {
    (kept / 10) as usize
}
