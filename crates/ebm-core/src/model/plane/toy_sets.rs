//! The standard 2-D toy densities of the EBM and flow literature (two moons,
//! eight Gaussians, rings, pinwheel, checkerboard), drawn with the shapes and
//! scales the common toolkits use, so that each fills most of the box
//! [−4, 4]², seeded. Written from their definitions, one function a set.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// The box every toy density lives in (and is drawn and searched over).
pub const TOY_BOX: (f64, f64) = (-4.0, 4.0);

fn normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    StandardNormal.sample(rng)
}

/// Two interleaved half circles, noise 0.1, scaled by 2 and centred.
pub fn two_moons<R: Rng + ?Sized>(rng: &mut R) -> (f64, f64) {
    let t = rng.random_range(0.0..std::f64::consts::PI);
    let (a, b) = if rng.random_bool(0.5) {
        (t.cos(), t.sin())
    } else {
        (1.0 - t.cos(), 0.5 - t.sin())
    };
    (
        2.0 * (a + 0.1 * normal(rng)) - 1.0,
        2.0 * (b + 0.1 * normal(rng)) - 0.5,
    )
}

/// Eight Gaussians (σ = 0.35) on a circle of radius 2√2.
pub fn eight_gaussians<R: Rng + ?Sized>(rng: &mut R) -> (f64, f64) {
    let k = rng.random_range(0..8) as f64;
    let angle = k * std::f64::consts::FRAC_PI_4;
    let r = 4.0 / std::f64::consts::SQRT_2;
    let s = 0.5 / std::f64::consts::SQRT_2;
    (
        r * angle.cos() + s * normal(rng),
        r * angle.sin() + s * normal(rng),
    )
}

/// Four concentric circles of radii 0.75, 1.5, 2.25 and 3, noise 0.08.
pub fn rings<R: Rng + ?Sized>(rng: &mut R) -> (f64, f64) {
    let r = 0.75 * rng.random_range(1..=4) as f64;
    let t = rng.random_range(0.0..std::f64::consts::TAU);
    (
        r * t.cos() + 0.08 * normal(rng),
        r * t.sin() + 0.08 * normal(rng),
    )
}

/// Five arms spiralling out: a point at radius 1 + 0.3ξ₁ (tangential 0.1ξ₂),
/// turned by its arm's angle plus 0.25·e^(radius), doubled.
pub fn pinwheel<R: Rng + ?Sized>(rng: &mut R) -> (f64, f64) {
    let arm = rng.random_range(0..5) as f64;
    let radial = 1.0 + 0.3 * normal(rng);
    let tangential = 0.1 * normal(rng);
    let angle = arm * std::f64::consts::TAU / 5.0 + 0.25 * radial.exp();
    let (s, c) = angle.sin_cos();
    (
        2.0 * (c * radial - s * tangential),
        2.0 * (s * radial + c * tangential),
    )
}

/// Uniform over the black squares of a 4 × 4 board on [−4, 4]².
pub fn checkerboard<R: Rng + ?Sized>(rng: &mut R) -> (f64, f64) {
    let x1 = rng.random_range(-2.0..2.0f64);
    let x2 = rng.random_range(0.0..1.0) - 2.0 * rng.random_range(0..2) as f64
        + x1.floor().rem_euclid(2.0);
    (2.0 * x1, 2.0 * x2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    type Draw = fn(&mut StdRng) -> (f64, f64);

    #[test]
    fn each_set_stays_in_its_box_and_has_its_shape() {
        let mut rng = StdRng::seed_from_u64(3);
        let sets: [(&str, Draw); 5] = [
            ("two-moons", |r| two_moons(r)),
            ("eight-gaussians", |r| eight_gaussians(r)),
            ("rings", |r| rings(r)),
            ("pinwheel", |r| pinwheel(r)),
            ("checkerboard", |r| checkerboard(r)),
        ];
        for (name, draw) in sets {
            let pts: Vec<(f64, f64)> = (0..4000).map(|_| draw(&mut rng)).collect();
            let inside = pts
                .iter()
                .filter(|p| p.0.abs() < 4.0 && p.1.abs() < 4.0)
                .count();
            assert!(inside >= 3960, "{name}: {inside} of 4000 inside the box");
        }
        // Eight Gaussians: every point near one of the eight centres.
        for _ in 0..500 {
            let (a, b) = eight_gaussians(&mut rng);
            let r = (a * a + b * b).sqrt();
            assert!((r - 2.83).abs() < 2.0, "{r}");
        }
        // Checkerboard: a point's square (its cell of side 2) is black.
        for _ in 0..500 {
            let (a, b) = checkerboard(&mut rng);
            let parity = ((a / 2.0).floor() + (b / 2.0).floor()).rem_euclid(2.0);
            assert_eq!(parity, 0.0, "({a}, {b})");
        }
        // Rings: radii cluster at 0.75k.
        for _ in 0..500 {
            let (a, b) = rings(&mut rng);
            let r = (a * a + b * b).sqrt() / 0.75;
            assert!((r - r.round()).abs() < 0.6 && (1.0..=4.0).contains(&r.round()));
        }
    }
}
