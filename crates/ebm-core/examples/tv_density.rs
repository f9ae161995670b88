//! A density preset's readings on seeds 0 … N − 1 at its own step count:
//! total variation to `density-nll` (same seed, same steps), mass away from
//! the data, state and loss, with settings over the preset:
//!
//! cargo run --release -p ebm-core --example tv_density -- PRESET N [KEY=VALUE …]

use ebm_core::model::plane::presets::{density_reading, plane_preset, trained, DensityPromise};
use ebm_core::model::plane::settings::apply_all;

fn main() -> Result<(), String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let name = a.first().ok_or("PRESET: missing")?;
    let p = plane_preset(name).ok_or_else(|| format!("{name}: not a plane preset"))?;
    let seeds: u64 = a
        .get(1)
        .and_then(|v| v.parse().ok())
        .ok_or("N: missing or not a whole number")?;
    let sets: Vec<String> = a.iter().skip(2).cloned().collect();
    let spec = apply_all(&p.spec, &sets)?;
    for seed in 0..seeds {
        let mut run = trained(&spec, seed, p.steps);
        let near = DensityPromise::NearExact("density-nll", 0.0);
        let tv = density_reading(near, &run, p.steps);
        let off = density_reading(DensityPromise::OffDataAtMost(0.0), &run, p.steps);
        let m = run.metrics();
        println!(
            "{name} seed {seed}: tv {tv:.3} off {off:.4} state {:?} loss {:.3}",
            m.state, m.loss
        );
    }
    Ok(())
}
