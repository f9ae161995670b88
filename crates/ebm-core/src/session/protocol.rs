//! What goes over the wire between the GUI and the trainer thread: commands in,
//! snapshots out.
//!
//! A [`Snapshot`] is immutable and handed out as `Arc<Snapshot>`, so the GUI can
//! keep one as long as it likes while the trainer goes on. Parts that rarely
//! change (the step-0 surface, the history, the settings) sit behind their own
//! `Arc` so that publishing a snapshot does not copy them.

use std::sync::Arc;

use crate::model::{Metrics, State, SurfaceView};
use crate::settings::{Change, Settings};

/// GUI → trainer. Every command is applied between two training steps.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Change one or many settings, typed (parsed and domain-checked once by
    /// whoever made them, e.g. `LiveSession::set`), applied whole with
    /// [`Settings::with_typed`] (the cross-key rules against the trainer's
    /// settings): on error nothing applies and the message shows in the next
    /// snapshot's `error`. Live keys (loss, margin, radius, β, κ, lr,
    /// momentum, batch, optimizer) apply at the next step; structural keys
    /// (dataset, samples, noise, architecture, hidden, out_dim, cost, grid, seed…)
    /// reset the model and say so in `notice`.
    Set(Vec<Change>),
    /// New settings and, for `dataset = custom`, its points (e.g. a preset or a
    /// file was loaded): always a full reset. With `custom` and no points, the
    /// points are read from the `data` path.
    Replace(Settings, Option<Vec<(f64, f64)>>),
    /// Train on these points from the next step on, as the custom set whose
    /// `data` is `data` ([`crate::settings::DRAWN_DATA`] for points drawn in
    /// the window, or the CSV they were saved to): the weights, the
    /// optimiser's state and the step count stay (no reset); the ranges and
    /// the Y grid follow the points. Refused whole (shown in `error`) with
    /// fewer than [`super::MIN_POINTS`] points, a value that is not finite or
    /// does not fit f32, or an empty `data`.
    SetPoints {
        points: Vec<(f64, f64)>,
        data: String,
    },
    /// Stop training; the model stays as it is.
    Pause,
    /// Train continuously (at the set speed).
    Resume,
    /// Train exactly n more steps, then pause.
    Step(u64),
    /// A new model from the current settings, with this seed if given (the seed
    /// then becomes a setting). The running/paused state is kept.
    Reset { seed: Option<u64> },
    /// Steps per second, or `None` for as fast as it goes.
    Speed(Option<f64>),
    /// The display grid (nx × ny) of `Snapshot::view`, independent of the Y grid
    /// of the losses (`grid`). Each side is clamped to 2 ..= 1024.
    SurfaceResolution(usize, usize),
    /// At most this many snapshots per second (default 60; clamped to 1 ..= 1000).
    PublishRate(f64),
    /// Whether training pauses by itself the first time a run's state becomes
    /// collapsed (checked every [`super::COLLAPSE_CHECK`] steps). Off by
    /// default; the window turns it on for the opening lesson.
    PauseOnCollapse(bool),
    /// Stop the thread. [`super::Session`] sends this when dropped.
    Shutdown,
    /// Test hook: panic inside the trainer (only with the `test-hooks`
    /// feature, which the crate's own tests turn on).
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    InjectPanic,
}

/// What the trainer shows the GUI. The newest one wins; there is never a queue.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// Publish counter, strictly increasing over the life of a [`super::Session`]
    /// (restarts included): compare it to know whether anything is new.
    pub seq: u64,
    /// Optimiser steps taken by this run.
    pub step: u64,
    /// Bumped whenever the settings change (accepted `Set`, `Replace`, a reset
    /// with a new seed): the picture belongs to `settings` of this version.
    pub settings_version: u64,
    pub settings: Arc<Settings>,
    /// Whether the trainer is training (resumed, or working off a `Step(n)`).
    pub running: bool,
    /// Steps still to do of a `Step(n)` command.
    pub pending_steps: u64,
    /// The speed limit in steps/s (`None`: as fast as it goes).
    pub speed: Option<f64>,
    /// Surface on the display grid, training points with their energies, ȳ points,
    /// the y̌(x) curve and the state.
    pub view: SurfaceView,
    /// The run's training points, exactly (f64), shared until they change.
    pub points: Arc<Vec<(f64, f64)>>,
    /// Bumped whenever the training points may have changed: a new run, and
    /// every `SetPoints` handled (refused ones too), so a GUI that sent edits
    /// knows when a snapshot has caught up with them.
    pub points_version: u64,
    /// The surface at step 0 of this run, on the same display grid as `view`.
    pub initial_energy: Arc<Vec<f32>>,
    pub metrics: Metrics,
    /// Metrics at step 0 of this run.
    pub initial_metrics: Option<Metrics>,
    pub history: Arc<History>,
    /// Something the user should know that is not an error, e.g.
    /// "model reset: dataset changed". Kept until the next accepted command.
    pub notice: Option<String>,
    /// "diverged at step N: …" (kept until a reset), "trainer panicked: …", or
    /// a rejected command (kept until the next accepted command).
    pub error: Option<String>,
    /// Training paused by itself at this run's first collapse
    /// ([`Command::PauseOnCollapse`]); cleared by resume, step, reset or a
    /// setting change (a loss change made there resumes training).
    pub paused_on_collapse: bool,
    /// Training speed measured over the last fraction of a second (0 when paused).
    pub steps_per_sec: f64,
    /// µs the trainer spent building this snapshot (metrics + view + history).
    pub build_us: f64,
    /// The model's weights (G1 then G2), for exports and exact comparisons.
    pub params: Arc<Vec<f32>>,
}

impl Snapshot {
    pub fn state(&self) -> State {
        self.metrics.state
    }

    pub fn diverged(&self) -> bool {
        self.metrics.state == State::Diverged
    }
}

/// One kept point of the metric history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HistoryPoint {
    pub step: u64,
    pub loss: f64,
    pub spread: f64,
    pub y_spread: f64,
    pub contrast: f64,
    pub inference_error: f64,
}

/// Metrics over steps, with bounded memory: when `capacity` points are kept,
/// every other one is dropped and the minimum step distance between kept points
/// doubles, so hours of training keep at most `capacity` points spread evenly
/// over the whole run.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    points: Vec<HistoryPoint>,
    stride: u64,
    capacity: usize,
}

impl Default for History {
    fn default() -> Self {
        History::new(History::CAPACITY)
    }
}

impl History {
    pub const CAPACITY: usize = 2000;

    pub fn new(capacity: usize) -> History {
        History {
            points: Vec::with_capacity(capacity.max(4)),
            stride: 1,
            capacity: capacity.max(4),
        }
    }

    pub fn points(&self) -> &[HistoryPoint] {
        &self.points
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The minimum step distance between kept points.
    pub fn stride(&self) -> u64 {
        self.stride
    }

    /// Records `p` unless it is closer than `stride` steps to the last kept point
    /// (a point at the same step replaces it). Returns whether anything changed.
    pub fn push(&mut self, p: HistoryPoint) -> bool {
        if let Some(last) = self.points.last_mut() {
            if p.step == last.step {
                *last = p;
                return true;
            }
            if p.step < last.step.saturating_add(self.stride) {
                return false;
            }
        }
        if self.points.len() >= self.capacity {
            let mut i = 0;
            self.points.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.stride = self.stride.saturating_mul(2);
            // Keep the spacing at least the stride even when snapshots came slowly.
            if let Some(last) = self.points.last() {
                if p.step < last.step.saturating_add(self.stride) {
                    return true;
                }
            }
        }
        self.points.push(p);
        true
    }

    pub fn clear(&mut self) {
        self.points.clear();
        self.stride = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(step: u64) -> HistoryPoint {
        HistoryPoint {
            step,
            loss: step as f64,
            spread: 0.0,
            y_spread: 0.0,
            contrast: 0.0,
            inference_error: 0.0,
        }
    }

    #[test]
    fn history_stays_bounded_and_spans_the_run() {
        let mut h = History::new(100);
        for s in 0..1_000_000u64 {
            h.push(pt(s));
            assert!(h.len() <= 100);
        }
        let p = h.points();
        assert_eq!(p[0].step, 0);
        assert!(p.last().map_or(0, |l| l.step) > 990_000);
        assert!(p.windows(2).all(|w| w[1].step > w[0].step));
        assert!(h.len() >= 50, "only {} points kept", h.len());
    }

    #[test]
    fn same_step_replaces() {
        let mut h = History::new(10);
        h.push(pt(3));
        let mut q = pt(3);
        q.loss = 9.0;
        h.push(q);
        assert_eq!(h.len(), 1);
        assert_eq!(h.points()[0].loss, 9.0);
    }
}
