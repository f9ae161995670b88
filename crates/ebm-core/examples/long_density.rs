//! A density preset over a long run, its readings every K steps, with an
//! optional late switch of its inference to Langevin (ε = 0.2):
//!
//! cargo run --release -p ebm-core --example long_density -- PRESET SEED STEPS EVERY [SWITCH_AT|0] [KEY=VALUE …]
//!
//! e.g. `density-cd 41 1000000 100000` (the 10⁶-step check in docs/PERFORMANCE.md),
//! `density-descent 23 30000 2500 20000` (the late switch in README).

use ebm_core::model::plane::presets::plane_preset;
use ebm_core::model::plane::run::{InferenceKind, PlaneSpec};
use ebm_core::model::plane::settings::apply_all;
use ebm_core::model::plane::PlaneRun;
use std::time::Instant;

fn arg<T: std::str::FromStr>(a: &[String], i: usize, name: &str) -> Result<T, String> {
    a.get(i).and_then(|v| v.parse().ok()).ok_or_else(|| {
        format!("{name}: missing or not a whole number (usage in the file's header)")
    })
}

fn main() -> Result<(), String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let preset = a.first().ok_or("PRESET: missing")?;
    let p = plane_preset(preset).ok_or_else(|| format!("{preset}: not a plane preset"))?;
    let seed: u64 = arg(&a, 1, "SEED")?;
    let steps: u64 = arg(&a, 2, "STEPS")?;
    let every: u64 = arg::<u64>(&a, 3, "EVERY")?.max(1);
    let switch_at = arg::<u64>(&a, 4, "SWITCH_AT").ok().filter(|&v| v > 0);
    let sets: Vec<String> = a.iter().skip(5).cloned().collect();
    let spec = apply_all(&p.spec, &sets)?;
    let mut run = PlaneRun::new(PlaneSpec { seed, ..spec }, None);
    let t = Instant::now();
    for s in 1..=steps {
        if Some(s) == switch_at {
            let mut inf = run.spec.inference;
            inf.kind = InferenceKind::Langevin;
            inf.eta = 0.2;
            run.set_inference(inf);
            println!("-- switched to langevin at {s}");
        }
        if let Err(e) = run.train_step() {
            println!("step {s}: {e}");
            break;
        }
        if s % every == 0 {
            let m = run.metrics();
            println!(
                "step {s} loss {:.4} state {:?} rank {:.3} off {:.4} finite {} ({:.0} s)",
                m.loss,
                m.state,
                m.rank,
                m.off_data_mass.unwrap_or(f64::NAN),
                m.finite,
                t.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}
