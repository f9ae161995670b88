//! Building a [`Snapshot`] from a run: metrics, the display surface, the
//! step-0 surface (cached per display grid) and the decimated history.

use std::sync::Arc;

use super::clock::Instant;
use super::protocol::{History, HistoryPoint, Snapshot};
use crate::model::{surface_view, GridWorkspace, Model, Run, ViewWorkspace};
use crate::settings::Settings;

/// What a snapshot says besides the run itself.
pub(crate) struct Extras {
    pub settings_version: u64,
    pub settings: Arc<Settings>,
    pub running: bool,
    pub pending_steps: u64,
    pub speed: Option<f64>,
    pub points: Arc<Vec<(f64, f64)>>,
    pub points_version: u64,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub paused_on_collapse: bool,
    pub steps_per_sec: f64,
}

/// What the step-0 surface was computed on: drawn points can move the ranges.
type InitialGrid = ((usize, usize), (f32, f32), (f32, f32));

/// Buffers and caches kept between snapshots of one run.
#[derive(Default)]
pub(crate) struct SnapshotBuilder {
    history: Arc<History>,
    initial_energy: Arc<Vec<f32>>,
    /// The display grid (resolution and ranges) `initial_energy` is on.
    initial_grid: Option<InitialGrid>,
    vws: ViewWorkspace,
    gws: GridWorkspace<f32>,
}

impl SnapshotBuilder {
    /// Forgets the history and the step-0 surface (a new run).
    pub fn new_run(&mut self) {
        self.history = Arc::new(History::default());
        self.initial_grid = None;
    }

    pub fn build(
        &mut self,
        run: &mut Run,
        initial_model: &Model<f32>,
        resolution: (usize, usize),
        extras: Extras,
    ) -> Snapshot {
        let t0 = Instant::now();
        let metrics = run.metrics();
        let (nx, ny) = resolution;
        let view = surface_view(run, nx, ny, metrics.state, &mut self.vws);
        let grid = (resolution, view.x_range, view.y_range);
        if self.initial_grid != Some(grid) {
            let mut e = Vec::new();
            initial_model.energy_grid(&view.xs, &view.ys, &mut self.gws, &mut e);
            self.initial_energy = Arc::new(e);
            self.initial_grid = Some(grid);
        }
        let point = HistoryPoint {
            step: run.step(),
            loss: metrics.loss,
            spread: metrics.spread,
            y_spread: metrics.y_spread,
            contrast: metrics.contrast,
            inference_error: metrics.inference_error,
        };
        // Copy-on-write: the published history is shared with the GUI.
        if self.history.points().last() != Some(&point) {
            let mut h = (*self.history).clone();
            if h.push(point) {
                self.history = Arc::new(h);
            }
        }
        let mut snap = Snapshot {
            seq: 0,
            step: run.step(),
            settings_version: extras.settings_version,
            settings: extras.settings,
            running: extras.running,
            pending_steps: extras.pending_steps,
            speed: extras.speed,
            view,
            points: extras.points,
            points_version: extras.points_version,
            initial_energy: Arc::clone(&self.initial_energy),
            metrics,
            initial_metrics: run.initial_metrics(),
            history: Arc::clone(&self.history),
            notice: extras.notice,
            error: extras.error,
            paused_on_collapse: extras.paused_on_collapse,
            steps_per_sec: extras.steps_per_sec,
            build_us: 0.0,
            params: Arc::new(run.model.params.clone()),
        };
        snap.build_us = t0.elapsed().as_secs_f64() * 1e6;
        snap
    }
}
