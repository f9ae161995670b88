//! What a picture of a run needs: the energy surface on a display grid and the
//! points that sit on it. The window, the headless PNG/GIF and the session's
//! snapshots all draw from this one type.

use super::architecture::GridWorkspace;
use super::energy_model::EnergyModel;
use super::grid::{self, y_grid};
use super::kernels::{scan_rows, ScanBuffers};
use super::metrics::{sample_energies, State};
use super::training::Run;

/// The names of a picture's three axes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AxisNames {
    pub x: &'static str,
    pub y: &'static str,
    pub e: &'static str,
}

impl Default for AxisNames {
    fn default() -> Self {
        AxisNames {
            x: "x",
            y: "y",
            e: "E",
        }
    }
}

/// The plane's axes: the answer's two coordinates and the free energy.
pub const PLANE_AXES: AxisNames = AxisNames {
    x: "y1",
    y: "y2",
    e: "F",
};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurfaceView {
    pub step: u64,
    pub x_range: (f32, f32),
    pub y_range: (f32, f32),
    /// The display grid's axes (independent of the loss's Y grid).
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
    /// E over xs × ys, one row of `ys.len()` per x.
    pub energy: Vec<f32>,
    /// Training points (x, y, E(x, y)).
    pub samples: Vec<[f32; 3]>,
    /// For each training point, its most offending incorrect answer (x, ȳ, E(x, ȳ))
    /// with the radius in force, or `None` when no grid value is outside the radius.
    pub offending: Vec<Option<[f32; 3]>>,
    /// The inference curve (x, y̌(x), E(x, y̌)) at each display x, searched on the loss's Y grid.
    pub inference: Vec<[f32; 3]>,
    pub state: State,
    pub axes: AxisNames,
    /// A curve drawn on the floor of the box (x, y), under the surface: the
    /// plane's decoder manifold; empty on the line.
    pub floor: Vec<[f32; 2]>,
    /// Sampling chains on the surface: each a short trail (x, y, E) ending
    /// in a bead (contrastive divergence's negatives, Langevin's ȳ).
    pub trails: Vec<Vec<[f32; 3]>>,
    /// Beads on the surface linked to no sample (the negatives).
    pub beads: Vec<[f32; 3]>,
}

impl SurfaceView {
    pub fn energy_range(&self) -> (f32, f32) {
        let lo = self.energy.iter().copied().fold(f32::INFINITY, f32::min);
        let hi = self
            .energy
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max);
        (lo, hi)
    }

    /// E at display cell (i, k).
    pub fn at(&self, i: usize, k: usize) -> f32 {
        self.energy[i * self.ys.len() + k]
    }
}

/// Reusable buffers for [`surface_view`].
#[derive(Clone, Debug, Default)]
pub struct ViewWorkspace {
    grid: GridWorkspace<f32>,
    rows: Vec<f32>,
    sample_e: Vec<f32>,
    scan: ScanBuffers,
    found: Vec<Option<usize>>,
}

/// (x, ȳ, E(x, ȳ)) of each sample whose search found a ȳ.
fn searched_contrasts(run: &Run, contrast_y: &[f32]) -> Vec<Option<[f32; 3]>> {
    let mut e = Vec::new();
    run.xs
        .iter()
        .zip(contrast_y)
        .map(|(&x, &y)| {
            if !y.is_finite() {
                return None;
            }
            run.model.energies(x, &[y], &mut e);
            e.first().map(|&v| [x, y, v])
        })
        .collect()
}

/// A search's path at x as points (x, y, E) on the surface.
fn lifted(run: &Run, x: f32, ys: &[f32]) -> Vec<[f32; 3]> {
    let mut e = Vec::new();
    run.model.energies(x, ys, &mut e);
    ys.iter().zip(&e).map(|(&y, &v)| [x, y, v]).collect()
}

/// The surface of `run` on an `nx` × `ny` display grid.
pub fn surface_view(
    run: &Run,
    nx: usize,
    ny: usize,
    state: State,
    ws: &mut ViewWorkspace,
) -> SurfaceView {
    let data = &run.data;
    let xs: Vec<f32> = (0..nx).map(|i| data.probe(i, nx) as f32).collect();
    let ys: Vec<f32> = y_grid(data.y_range, ny)
        .into_iter()
        .map(|v| v as f32)
        .collect();
    let mut energy = Vec::new();
    run.model.energy_grid(&xs, &ys, &mut ws.grid, &mut energy);

    sample_energies(&run.model, &run.xs, &run.ys, &mut ws.grid, &mut ws.sample_e);
    let samples: Vec<[f32; 3]> = run
        .xs
        .iter()
        .zip(&run.ys)
        .zip(&ws.sample_e)
        .map(|((&x, &y), &e)| [x, y, e])
        .collect();

    let k = run.y_grid.len();
    run.model
        .energy_grid(&run.xs, &run.y_grid, &mut ws.grid, &mut ws.rows);
    let radius = run.spec.train.radius_at(run.step()) as f32;
    scan_rows(
        &ws.rows,
        &run.y_grid,
        Some(&run.ys),
        radius,
        &mut ws.scan,
        &mut ws.found,
    );
    let mut offending: Vec<Option<[f32; 3]>> = ws
        .rows
        .chunks(k)
        .zip(&ws.found)
        .enumerate()
        .map(|(i, (row, found))| found.map(|kb| [run.xs[i], run.y_grid[kb], row[kb]]))
        .collect();
    let mut trails = Vec::new();
    if let Some(search) = run.line_search() {
        // ȳ as the descent or the chains found it in the last step, not
        // the grid's: what the loss pushed up.
        offending = searched_contrasts(run, &search.contrast_y);
        trails = search
            .paths
            .iter()
            .map(|(i, ys)| lifted(run, run.xs[*i], ys))
            .collect();
    }

    run.model
        .energy_grid(&xs, &run.y_grid, &mut ws.grid, &mut ws.rows);
    scan_rows(
        &ws.rows,
        &run.y_grid,
        None,
        0.0,
        &mut ws.scan,
        &mut ws.found,
    );
    let inference = ws
        .rows
        .chunks(k)
        .zip(&xs)
        .zip(&ws.found)
        .map(|((row, &x), found)| {
            let km = found.unwrap_or_else(|| grid::argmin(row));
            [x, run.y_grid[km], row[km]]
        })
        .collect();

    let r = |(a, b): (f64, f64)| (a as f32, b as f32);
    SurfaceView {
        step: run.step(),
        x_range: r(data.x_range),
        y_range: r(data.y_range),
        xs,
        ys,
        energy,
        samples,
        offending,
        inference,
        state,
        axes: AxisNames::default(),
        floor: Vec::new(),
        trails,
        beads: Vec::new(),
    }
}
