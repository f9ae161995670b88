//! Development probe: a plane preset's metrics along a run, on a few seeds.
use ebm_core::model::plane::presets::plane_preset;
use ebm_core::model::plane::PlaneRun;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("ellipse-zero-t", |s| s.as_str());
    let seeds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let steps: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let beta: Option<f64> = args.get(4).and_then(|s| s.parse().ok());
    if name == "measure" {
        for p in ebm_core::model::plane::presets::plane_presets() {
            let t = std::time::Instant::now();
            let kept = ebm_core::model::plane::presets::measure(&p, seeds);
            println!(
                "{:<26} {:?} by {}: {kept}/{seeds} ({:.0} s)",
                p.name,
                p.expect,
                p.steps,
                t.elapsed().as_secs_f64()
            );
        }
        return;
    }
    let p = plane_preset(name).expect("preset");
    for seed in 0..seeds {
        let mut spec = p.spec.clone();
        spec.seed = seed;
        if let Ok(l) = std::env::var("LOSS") {
            spec.loss = ebm_core::model::Loss::from_name(&l).expect("loss");
        }
        if let Some(v) = std::env::var("PBETA").ok().and_then(|v| v.parse().ok()) {
            spec.params.beta = v;
        }
        if let Some(v) = std::env::var("MARGIN").ok().and_then(|v| v.parse().ok()) {
            spec.params.margin = v;
        }
        if let Some(v) = std::env::var("RADIUS").ok().and_then(|v| v.parse().ok()) {
            spec.radius = v;
        }
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
        if let Ok(dir) = std::env::var("DUMP") {
            dump(&run, &format!("{dir}/{name}-{seed}.pgm"));
        }
        println!(
            "{line} ({:.1} µs/step)",
            t.elapsed().as_secs_f64() * 1e6 / steps as f64
        );
    }
}

/// Writes the plane's F as a grey PGM (dark = low) with samples white, for a look.
#[allow(dead_code)]
pub fn dump(run: &PlaneRun, path: &str) {
    let v = ebm_core::model::plane::plane_view(run, 0.0, 160);
    let (lo, hi) = v
        .free_energy
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), &f| (a.min(f), b.max(f)));
    let mut px = vec![0u8; 160 * 160];
    for i in 0..160 {
        for k in 0..160 {
            let f = v.free_energy[i * 160 + k];
            let t = ((f - lo) / (hi - lo).max(1e-9)).sqrt();
            px[(159 - k) * 160 + i] = (t * 230.0) as u8;
        }
    }
    let r1 = (v.y1s[0], v.y1s[159]);
    let r2 = (v.y2s[0], v.y2s[159]);
    for s in &v.samples {
        let i = ((s[0] - r1.0) / (r1.1 - r1.0) * 159.0) as usize;
        let k = ((s[1] - r2.0) / (r2.1 - r2.0) * 159.0) as usize;
        if i < 160 && k < 160 {
            px[(159 - k) * 160 + i] = 255;
        }
    }
    let mut out = format!("P5 160 160 255\n").into_bytes();
    out.extend(px);
    std::fs::write(path, out).expect("write");
}
