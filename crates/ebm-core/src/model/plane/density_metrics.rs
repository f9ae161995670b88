//! How a density run is read beside the state rule: its Gibbs density
//! p(y) ∝ e^(−β·E(y)) on a grid of the box, the total variation between two
//! such densities (the sampled run against the exact one), and the mass the
//! density puts away from the data (the spurious wells that short-run
//! sampling leaves).

use crate::model::answers::AnswerGrid;
use crate::model::energy_model::EnergyModel;

/// Cells per axis of the grid the densities are compared on.
pub const DENSITY_GRID: usize = 64;
/// A cell is "away from the data" when no sample lies within this distance
/// of its centre (in the box [−4, 4]², about two cells of the 64 × 64 grid
/// and 1.4 of eight Gaussians' σ).
pub const OFF_DATA: f64 = 0.5;

/// The Gibbs density of `model` at `beta` on the `DENSITY_GRID`² grid of
/// `box_`, as probabilities of the cells (summing to 1).
pub fn gibbs(model: &dyn EnergyModel<f32>, box_: [(f64, f64); 2], beta: f64) -> Vec<f64> {
    let grid = AnswerGrid::<f32>::plane(box_[0], box_[1], DENSITY_GRID, DENSITY_GRID);
    let mut e = Vec::new();
    model.energies(0.0, &grid.points, &mut e);
    let lo = e.iter().copied().fold(f32::INFINITY, f32::min) as f64;
    let w: Vec<f64> = e
        .iter()
        .map(|&v| (-beta * (v as f64 - lo)).exp())
        .map(|v| if v.is_finite() { v } else { 0.0 })
        .collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|v| v / total.max(f64::MIN_POSITIVE)).collect()
}

/// ½·Σ|p − q|: 0 for equal densities, 1 for disjoint ones.
pub fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    0.5 * p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>()
}

/// For each cell of the grid, whether no sample (`ys`, n × 2) lies within
/// [`OFF_DATA`] of it.
pub fn off_data_cells(box_: [(f64, f64); 2], ys: &[f64]) -> Vec<bool> {
    let grid = AnswerGrid::<f32>::plane(box_[0], box_[1], DENSITY_GRID, DENSITY_GRID);
    grid.points
        .chunks(2)
        .map(|c| {
            !ys.chunks(2).any(|y| {
                (y[0] - c[0] as f64).powi(2) + (y[1] - c[1] as f64).powi(2) <= OFF_DATA * OFF_DATA
            })
        })
        .collect()
}

/// The probability `p` puts on the cells marked off the data.
pub fn off_data_mass(p: &[f64], off: &[bool]) -> f64 {
    p.iter().zip(off).filter(|(_, &o)| o).map(|(v, _)| v).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::density_net::DensityNet;
    use rand::SeedableRng;

    #[test]
    fn a_density_sums_to_one_and_tv_reads_its_distance() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let a = DensityNet::new(8, &mut rng);
        let b = DensityNet::new(8, &mut rng);
        let box_ = [(-4.0, 4.0); 2];
        let p = gibbs(&a, box_, 1.0);
        let q = gibbs(&b, box_, 1.0);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(total_variation(&p, &p), 0.0);
        let tv = total_variation(&p, &q);
        assert!(tv > 0.0 && tv <= 1.0, "{tv}");
        // Data at the origin only: the far corners are off it, the centre not.
        let off = off_data_cells(box_, &[0.0, 0.0]);
        let near = off.iter().filter(|&&o| !o).count();
        assert!(
            off[0] && !off[32 * 64 + 32] && (30..60).contains(&near),
            "{near}"
        );
        assert!((off_data_mass(&p, &vec![true; p.len()]) - 1.0).abs() < 1e-9);
    }
}
