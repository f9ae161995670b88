#![allow(clippy::unwrap_used)]
use ebm_core::model::plane::presets::plane_preset;
use ebm_core::model::plane::run::{InferenceKind, PlaneSpec};
use ebm_core::model::plane::PlaneRun;
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let preset = &a[0];
    let seed: u64 = a[1].parse().unwrap();
    let steps: u64 = a[2].parse().unwrap();
    let every: u64 = a[3].parse().unwrap();
    let switch_at: Option<u64> = a.get(4).and_then(|v| v.parse().ok()).filter(|&v| v > 0);
    let p = plane_preset(preset).unwrap();
    let sets: Vec<String> = a.iter().skip(5).cloned().collect();
    let spec = ebm_core::model::plane::settings::apply_all(&p.spec, &sets).unwrap();
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
}
