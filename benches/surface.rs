//! Forward-only energy grids (128², 512²) of the standard model and a GUI
//! snapshot (64 × 64 surface view + metrics on the default preset):
//! `cargo bench --bench surface`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ebm_lab::bench::{grid_axes, snapshot, snapshot_run, standard_run};
use ebm_lab::model::{GridWorkspace, Loss, ViewWorkspace};

fn grid(c: &mut Criterion) {
    let mut group = c.benchmark_group("energy_grid");
    let run = standard_run(Loss::Energy, 128);
    for n in [128, 512] {
        let (xs, ys) = grid_axes(&run, n);
        let mut ws = GridWorkspace::default();
        let mut out = Vec::new();
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                run.model.energy_grid(&xs, &ys, &mut ws, &mut out);
                black_box(out.len())
            })
        });
    }
    group.finish();
}

fn gui_snapshot(c: &mut Criterion) {
    let Ok(mut run) = snapshot_run() else {
        return;
    };
    let mut ws = ViewWorkspace::default();
    c.bench_function("snapshot_64x64_with_metrics", |b| {
        b.iter(|| black_box(snapshot(&mut run, &mut ws)))
    });
    c.bench_function("metrics_only", |b| b.iter(|| black_box(run.metrics())));
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = grid, gui_snapshot
}
criterion_main!(benches);
