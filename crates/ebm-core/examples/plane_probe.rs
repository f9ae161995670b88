//! Development probe: a plane preset's metrics along a run, on a few seeds.
use ebm_core::model::plane::presets::plane_preset;
use ebm_core::model::plane::PlaneRun;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("ellipse-zero-t", |s| s.as_str());
    let seeds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let steps: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let beta: Option<f64> = args.get(4).and_then(|s| s.parse().ok());
    let p = plane_preset(name).expect("preset");
    for seed in 0..seeds {
        let mut spec = p.spec.clone();
        spec.seed = seed;
        if let Some(b) = beta {
            spec.latent.beta = b;
        }
        let mut run = PlaneRun::new(spec, None);
        let t = std::time::Instant::now();
        let mut line = format!("seed {seed}:");
        for s in 1..=steps {
            if let Err(e) = run.train_step() {
                line += &format!(" {e}");
                break;
            }
            if s % (steps / 4).max(1) == 0 {
                let m = run.metrics();
                line += &format!(
                    " | {s}: {:?} rank {:.3} spr {:.3} dist {:.3} loss {:.3}",
                    m.state,
                    m.rank,
                    m.spread_ratio.unwrap_or(f64::NAN),
                    m.manifold_distance,
                    m.loss
                );
            }
        }
        println!(
            "{line} ({:.1} µs/step)",
            t.elapsed().as_secs_f64() * 1e6 / steps as f64
        );
    }
}
