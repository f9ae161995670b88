//! Live training: a [`Session`] owns a trainer thread that trains a [`Run`]
//! while the GUI looks on (DESIGN §5, §7).
//!
//! * GUI → trainer: [`Command`]s over a crossbeam channel, applied between steps.
//! * Trainer → GUI: [`Snapshot`]s, latest wins. [`LiveSession::latest`] never blocks
//!   on training (it takes a lock held only for a pointer swap) and returns the
//!   newest snapshot; older ones are freed as soon as nobody holds them.
//! * One training loop: the thread calls [`Run::train_step`] exactly as
//!   `ebm-lab train` does, so a session and a headless run with the same settings
//!   and seed have bit-identical weights after the same number of steps.
//! * Faults: divergence pauses the run with the last finite weights and an
//!   `error` ("diverged at step N: …"); `Reset` recovers. A panic in the thread is
//!   caught and published as an error snapshot; [`LiveSession::restart`] starts a new
//!   thread from the last accepted settings. Dropping the Session shuts the
//!   thread down and joins it (within about one 1 ms chunk of work).
//!
//! Choices made here: a session starts paused at step 0 (send
//! [`Command::Resume`]); `Reset` keeps the running/paused state, except that a
//! diverged run stays paused until resumed; the display grid defaults to 64 × 64
//! and snapshots to at most 60 per second.
//!
//! [`Run`]: crate::model::Run
//! [`Run::train_step`]: crate::model::Run::train_step

mod clock;
mod core;
mod live;
mod local;
mod pacer;
mod points;
mod protocol;
mod slot;
mod snapshots;
#[cfg(not(target_arch = "wasm32"))]
mod worker;

#[cfg(not(target_arch = "wasm32"))]
use std::panic::{catch_unwind, AssertUnwindSafe};
#[cfg(not(target_arch = "wasm32"))]
use std::sync::Arc;
#[cfg(not(target_arch = "wasm32"))]
use std::thread::JoinHandle;

#[cfg(not(target_arch = "wasm32"))]
use crossbeam_channel::Sender;

pub use clock::{Duration, Instant};
pub use live::{Board, LiveSession};
pub use local::LocalSession;
pub use protocol::{Command, History, HistoryPoint, Snapshot};

use crate::model::DatasetKind;
use crate::settings::{Change, Settings, SettingsError};
use slot::Config;
#[cfg(not(target_arch = "wasm32"))]
use slot::{lock, Shared};
#[cfg(not(target_arch = "wasm32"))]
use worker::Worker;

/// Steps between two collapse checks while [`Command::PauseOnCollapse`] waits
/// for the run's first collapse (so the pause comes at the same step whatever
/// the speed).
pub const COLLAPSE_CHECK: u64 = 100;
/// What the window says when training paused at the collapse.
pub const COLLAPSE_NOTICE: &str = "Collapsed. Now switch the loss: square-square or nll";

/// The fewest points a set drawn in the window may keep (as a CSV must hold,
/// see `crate::model::dataset::parse_points_csv`).
pub const MIN_POINTS: usize = 2;

/// The display grid of a new session's snapshots.
pub const DEFAULT_RESOLUTION: (usize, usize) = (64, 64);
/// Snapshots per second of a new session, at most.
pub const DEFAULT_PUBLISH_RATE: f64 = 60.0;

/// In a browser there are no threads: the session is the frame-driven one.
#[cfg(target_arch = "wasm32")]
pub type Session = LocalSession;

fn first_config(settings: Settings, points: Option<Vec<(f64, f64)>>) -> Config {
    Config {
        settings,
        points,
        resolution: DEFAULT_RESOLUTION,
        speed: None,
        publish_rate: DEFAULT_PUBLISH_RATE,
        settings_version: 1,
        points_version: 0,
        pause_on_collapse: false,
    }
}

/// Parses `changes` once into typed changes and checks them against
/// `current` on the caller's side: valid as a whole, and a new custom CSV
/// readable. What it returns is what the trainer applies.
fn checked_changes(
    current: &Settings,
    changes: &[(&str, &str)],
) -> Result<Vec<Change>, SettingsError> {
    let typed = changes
        .iter()
        .map(|(k, v)| Change::parse(k, v))
        .collect::<Result<Vec<_>, _>>()?;
    let new = current.with_typed(&typed)?;
    if new.dataset == DatasetKind::Custom
        && (current.dataset != DatasetKind::Custom || current.data != new.data)
    {
        points::read(&new).map_err(|e| SettingsError::Invalid {
            key: "data".into(),
            value: new.data.clone(),
            allowed: format!("a readable CSV of x,y points ({e})"),
        })?;
    }
    Ok(typed)
}

/// The handle of a live training session. See the module docs; its methods
/// are [`LiveSession`]'s.
#[cfg(not(target_arch = "wasm32"))]
pub struct Session {
    tx: Sender<Command>,
    board: Board,
    handle: Option<JoinHandle<()>>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Session {
    /// Starts the trainer thread on `settings` (paused at step 0). `points` are
    /// the custom dataset's points; with `dataset = custom` and `None` the thread
    /// reads them from the `data` path (an unreadable file shows as an `error`).
    pub fn start(settings: Settings, points: Option<Vec<(f64, f64)>>) -> Session {
        let board = Board::new(Shared::new(first_config(settings, points)));
        let (tx, handle) = spawn(board.shared());
        Session { tx, board, handle }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl LiveSession for Session {
    fn send(&self, cmd: Command) -> bool {
        self.tx.send(cmd).is_ok()
    }

    fn board(&self) -> &Board {
        &self.board
    }

    /// Waits on the trainer's publishes: the newest snapshot is tested
    /// first, then each newer one as it comes (`pred` runs outside the lock).
    fn wait_for(
        &self,
        timeout: Duration,
        mut pred: impl FnMut(&Snapshot) -> bool,
    ) -> Option<Arc<Snapshot>> {
        let shared = self.board.shared();
        let deadline = Instant::now() + timeout;
        let mut tested = None;
        loop {
            let snap = {
                let mut slot = lock(&shared.slot);
                while tested == Some(slot.seq) {
                    let now = Instant::now();
                    if now >= deadline {
                        return None;
                    }
                    slot = match shared.published.wait_timeout(slot, deadline - now) {
                        Ok((g, _)) => g,
                        Err(p) => p.into_inner().0,
                    };
                }
                tested = Some(slot.seq);
                slot.latest.clone()
            };
            if let Some(s) = snap {
                if pred(&s) {
                    return Some(s);
                }
            }
        }
    }

    fn pump(&self, _budget: Duration) -> u64 {
        0
    }

    fn pump_to(&self, _step: u64, _budget: Duration) -> u64 {
        0
    }

    fn step(&self) -> u64 {
        0
    }

    fn is_alive(&self) -> bool {
        self.handle.as_ref().is_some_and(|h| !h.is_finished())
    }

    fn restart(&mut self) {
        self.shutdown();
        let (tx, handle) = spawn(self.board.shared());
        self.tx = tx;
        self.handle = handle;
    }

    /// Asks the thread to stop and joins it.
    fn shutdown(&mut self) {
        let _ = self.tx.send(Command::Shutdown);
        if let Some(h) = self.handle.take() {
            // A panic was already caught inside the thread; nothing else to report.
            let _ = h.join();
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Drop for Session {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Lowers the calling trainer thread's priority (on Linux a thread's own
/// nice value), so that the window's frames come first and the trainers take
/// the rest of the cores: with several runs at full speed in compare mode,
/// equal shares left the GUI thread starved on two cores (docs/PERFORMANCE.md).
/// `EBM_LAB_TRAINER_NICE` (0 ..= 19) overrides [`TRAINER_NICE`].
#[cfg(not(target_arch = "wasm32"))]
fn yield_to_the_window() {
    #[cfg(target_os = "linux")]
    {
        let nice = std::env::var("EBM_LAB_TRAINER_NICE")
            .ok()
            .and_then(|v| v.parse::<libc::c_int>().ok())
            .filter(|n| (0..=19).contains(n))
            .unwrap_or(TRAINER_NICE);
        // SAFETY: setpriority only reads its arguments; who = 0 is this thread.
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, 0, nice);
        }
    }
}

/// The trainer threads' nice value (see [`yield_to_the_window`]): a weight of
/// about a third of the window's under the kernel's fair scheduler.
#[cfg(target_os = "linux")]
const TRAINER_NICE: libc::c_int = 5;

/// A new channel and trainer thread on `shared`'s config.
#[cfg(not(target_arch = "wasm32"))]
fn spawn(shared: &Arc<Shared>) -> (Sender<Command>, Option<JoinHandle<()>>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let config = lock(&shared.config).clone();
    let thread_shared = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name("ebm-trainer".into())
        .spawn(move || {
            yield_to_the_window();
            let body = AssertUnwindSafe(|| {
                Worker::new(rx, Arc::clone(&thread_shared), config).run();
            });
            if let Err(payload) = catch_unwind(body) {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown cause".into());
                thread_shared.publish_error(format!(
                    "trainer panicked: {msg}; restart the trainer to go on"
                ));
            }
        });
    match spawned {
        Ok(h) => (tx, Some(h)),
        Err(e) => {
            shared.publish_error(format!("could not start the trainer thread: {e}"));
            (tx, None)
        }
    }
}
