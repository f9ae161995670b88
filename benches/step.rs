//! The standard step of DESIGN §8 (parabola, N = 100, dual 1-20-1, full batch,
//! SGD) for each loss, on Y grids of 128 and 512 values: `cargo bench --bench step`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ebm_lab::bench::standard_run;
use ebm_lab::model::Loss;

fn step(c: &mut Criterion) {
    let mut group = c.benchmark_group("step");
    for grid in [128, 512] {
        for loss in [Loss::Energy, Loss::SquareSquare, Loss::Nll, Loss::Hinge] {
            let mut run = standard_run(loss, grid);
            group.bench_function(BenchmarkId::new(loss.name(), grid), |b| {
                b.iter(|| black_box(run.train_step()))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = step
}
criterion_main!(benches);
