#![allow(clippy::unwrap_used)]
use ebm_core::model::plane::presets::{density_reading, plane_preset, trained, DensityPromise};
use ebm_core::model::plane::settings::apply_all;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let p = plane_preset(&a[0]).unwrap();
    let seeds: u64 = a[1].parse().unwrap();
    let sets: Vec<String> = a.iter().skip(2).cloned().collect();
    let spec = apply_all(&p.spec, &sets).unwrap();
    for seed in 0..seeds {
        let mut run = trained(&spec, seed, p.steps);
        let tv = density_reading(DensityPromise::NearExact("density-nll", 0.0), &run, p.steps);
        let off = density_reading(DensityPromise::OffDataAtMost(0.0), &run, p.steps);
        let m = run.metrics();
        println!(
            "{} seed {seed}: tv {tv:.3} off {off:.4} state {:?} loss {:.3}",
            a[0], m.state, m.loss
        );
    }
}
