//! A session without a thread: the caller drives the [`TrainerCore`] by
//! calling [`LocalSession::pump`] once per frame with a time budget. The
//! browser build uses it as its `Session` (no threads there); natively it is
//! tested against the threaded session. Its API matches `Session`'s.

use std::cell::RefCell;
use std::sync::Arc;

use super::clock::{Duration, Instant};
use super::core::TrainerCore;
use super::first_config;
use super::live::{Board, LiveSession};
use super::protocol::{Command, Snapshot};
use super::slot::{lock, Shared};
use crate::settings::Settings;

/// Seconds of owed steps a frame catches up at once: a frame-driven session
/// owes a whole frame interval's steps each frame, so at 4 frames a second it
/// still trains the speed asked (the native trainer thread: 0.1 s). Each
/// frame's time budget still bounds the work.
const FRAME_CATCH_UP: f64 = 0.25;

/// Its methods are [`LiveSession`]'s.
pub struct LocalSession {
    core: RefCell<Option<TrainerCore>>,
    board: Board,
}

impl LocalSession {
    /// A paused session at step 0 (like `Session::start`); its first snapshot
    /// is published at once.
    pub fn start(settings: Settings, points: Option<Vec<(f64, f64)>>) -> LocalSession {
        let session = LocalSession {
            core: RefCell::new(None),
            board: Board::new(Shared::new(first_config(settings, points))),
        };
        session.restart_core();
        session
    }

    fn restart_core(&self) {
        let config = lock(&self.board.shared().config).clone();
        let mut core = TrainerCore::new(config);
        core.set_catch_up(FRAME_CATCH_UP);
        self.board.shared().publish(core.snapshot());
        *self.core.borrow_mut() = Some(core);
    }

    /// Runs `train` on the core, then publishes a snapshot if one is due
    /// (outside the core's borrow: a publish may call back into the host).
    fn train_then_publish(&self, train: impl FnOnce(&mut TrainerCore) -> u64) -> u64 {
        let (steps, snap) = {
            let mut slot = self.core.borrow_mut();
            let Some(core) = slot.as_mut() else {
                return 0;
            };
            let steps = train(core);
            (steps, core.snapshot_if_due(Instant::now()))
        };
        if let Some(s) = snap {
            self.board.shared().publish(s);
        }
        steps
    }
}

impl LiveSession for LocalSession {
    /// Applies a command at once.
    fn send(&self, cmd: Command) -> bool {
        let mut slot = self.core.borrow_mut();
        let Some(core) = slot.as_mut() else {
            return false;
        };
        let exit = matches!(core.handle(cmd), super::core::Flow::Exit);
        *lock(&self.board.shared().config) = core.config();
        if exit {
            *slot = None;
        }
        !exit
    }

    fn board(&self) -> &Board {
        &self.board
    }

    /// Trains for about `budget` (what the speed limit allows), then
    /// publishes a snapshot if one is due. Call once per frame.
    fn pump(&self, budget: Duration) -> u64 {
        self.train_then_publish(|core| core.advance(budget))
    }

    /// Trains until the run is at `step` (the same step whatever each step
    /// costs), for at most about `budget`, then publishes if due.
    fn pump_to(&self, step: u64, budget: Duration) -> u64 {
        self.train_then_publish(|core| core.advance_to(step, budget))
    }

    /// The run's step now (snapshots come at most `PublishRate` a second).
    fn step(&self) -> u64 {
        self.core.borrow().as_ref().map_or(0, |c| c.step())
    }

    /// Pumps in 5 ms slices until a snapshot satisfies `pred` or `timeout` passes.
    fn wait_for(
        &self,
        timeout: Duration,
        mut pred: impl FnMut(&Snapshot) -> bool,
    ) -> Option<Arc<Snapshot>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.latest().filter(|s| pred(s)) {
                return Some(s);
            }
            if Instant::now() >= deadline || !self.is_alive() {
                return None;
            }
            self.pump(Duration::from_millis(5));
        }
    }

    fn is_alive(&self) -> bool {
        self.core.borrow().is_some()
    }

    /// A fresh core from the last accepted configuration (step 0, paused).
    fn restart(&mut self) {
        self.restart_core();
    }

    fn shutdown(&mut self) {
        *self.core.borrow_mut() = None;
    }
}
