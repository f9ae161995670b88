//! Every preset trained headless to the step by which DESIGN §4 expects its
//! state, from `Run::new` to the final metrics: `cargo bench --bench presets`.
//! Each iteration also checks the state, so a fast wrong answer cannot pass.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ebm_lab::model::{Run, State};
use ebm_lab::presets::load_preset;

/// (preset, steps, state expected at that step)
pub const RUNS: [(&str, u64, State); 6] = [
    ("regressor-energy", 5_000, State::Learned),
    ("dual-energy", 10_000, State::Collapsed),
    ("dual-square-square", 2_000, State::Learned),
    ("dual-nll", 2_000, State::Learned),
    ("eye-nll", 5_000, State::Learned),
    ("eye-regressor", 5_000, State::Training),
];

fn presets(c: &mut Criterion) {
    let mut group = c.benchmark_group("preset_run");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for (name, steps, expected) in RUNS {
        let Ok((settings, _)) = load_preset(name) else {
            continue;
        };
        group.bench_function(format!("{name}_{steps}"), |b| {
            b.iter(|| {
                let mut run = Run::new(&settings, None);
                for _ in 0..steps {
                    let _ = run.train_step();
                }
                let state = run.metrics().state;
                assert_eq!(state, expected, "{name} after {steps} steps");
                state
            })
        });
    }
    group.finish();
}

criterion_group!(benches, presets);
criterion_main!(benches);
