//! The latest-wins slot between a trainer and its readers, and the last
//! accepted configuration (what a restarted trainer starts from).
//!
//! The trainer puts each new snapshot in a one-place slot: the newest replaces
//! the previous one, so the trainer never waits for the GUI and the GUI never
//! sees a backlog. Readers take an `Arc` under a lock held for a pointer swap.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::protocol::{History, Snapshot};
use crate::model::{Metrics, State, SurfaceView};
use crate::settings::Settings;

/// What a restarted trainer starts from: the last accepted configuration.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub settings: Settings,
    pub points: Option<Vec<(f64, f64)>>,
    pub resolution: (usize, usize),
    pub speed: Option<f64>,
    pub publish_rate: f64,
    pub settings_version: u64,
    /// Carried over a restart, so that `Snapshot::points_version` only grows.
    pub points_version: u64,
    pub pause_on_collapse: bool,
}

pub(crate) struct Slot {
    pub latest: Option<Arc<Snapshot>>,
    /// seq of the last published snapshot.
    pub seq: u64,
}

pub(crate) type Waker = Arc<dyn Fn() + Send + Sync>;

/// State shared by a session handle and its trainer.
pub(crate) struct Shared {
    pub slot: Mutex<Slot>,
    pub published: Condvar,
    pub config: Mutex<Config>,
    /// Called after every publish (e.g. egui's `request_repaint`).
    pub waker: Mutex<Option<Waker>>,
}

/// Locks, recovering the data of a poisoned mutex (a panicking trainer must
/// not take the GUI down with it).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub fn new(config: Config) -> Shared {
        Shared {
            slot: Mutex::new(Slot {
                latest: None,
                seq: 0,
            }),
            published: Condvar::new(),
            config: Mutex::new(config),
            waker: Mutex::new(None),
        }
    }

    /// Puts `snap` in the slot with the next seq. The replaced snapshot is
    /// dropped here, outside the lock, unless a reader still holds it.
    pub fn publish(&self, mut snap: Snapshot) {
        let old = {
            let mut slot = lock(&self.slot);
            slot.seq += 1;
            snap.seq = slot.seq;
            slot.latest.replace(Arc::new(snap))
        };
        self.published.notify_all();
        drop(old);
        let waker = lock(&self.waker).clone();
        if let Some(w) = waker {
            w();
        }
    }

    /// The last snapshot, marked with `error` and stopped (or a blank one).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))] // the native worker's
    pub fn publish_error(&self, error: String) {
        let base = lock(&self.slot).latest.clone();
        let mut snap = match base {
            Some(s) => (*s).clone(),
            None => blank_snapshot(&lock(&self.config)),
        };
        snap.error = Some(error);
        snap.running = false;
        snap.pending_steps = 0;
        snap.steps_per_sec = 0.0;
        self.publish(snap);
    }
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))] // the native worker's
fn blank_snapshot(config: &Config) -> Snapshot {
    Snapshot {
        seq: 0,
        step: 0,
        settings_version: config.settings_version,
        settings: Arc::new(config.settings.clone()),
        running: false,
        pending_steps: 0,
        speed: config.speed,
        view: SurfaceView::default(),
        points: Arc::new(config.points.clone().unwrap_or_default()),
        points_version: config.points_version,
        initial_energy: Arc::new(Vec::new()),
        metrics: Metrics {
            loss: f64::NAN,
            spread: f64::NAN,
            y_spread: f64::NAN,
            contrast: f64::NAN,
            inference_error: f64::NAN,
            coverage: None,
            state: State::Training,
        },
        initial_metrics: None,
        history: Arc::new(History::default()),
        notice: None,
        error: None,
        paused_on_collapse: false,
        steps_per_sec: 0.0,
        build_us: 0.0,
        params: Arc::new(Vec::new()),
    }
}
