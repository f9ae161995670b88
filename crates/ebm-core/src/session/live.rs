//! The one interface over the two live sessions: the threaded [`Session`]
//! (a trainer thread of its own) and the frame-driven [`LocalSession`] (the
//! caller pumps it each frame; the browser's session). What both do alike
//! (validating changes, reading the newest snapshot, the waker, the
//! accepted settings) is written once here, over the [`Board`] they share
//! with their trainer; each implements only sending, training and its
//! lifetime.
//!
//! [`Session`]: super::Session
//! [`LocalSession`]: super::LocalSession

use std::sync::Arc;

use super::checked_changes;
use super::clock::Duration;
use super::protocol::{Command, Snapshot};
use super::slot::{lock, Shared};
use crate::settings::{Settings, SettingsError};

/// Where a session's trainer publishes its snapshots and its accepted
/// configuration, and the session reads them.
pub struct Board(Arc<Shared>);

impl Board {
    pub(crate) fn new(shared: Shared) -> Board {
        Board(Arc::new(shared))
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.0
    }
}

/// A live training session, threaded or frame-driven (see the module docs).
pub trait LiveSession {
    /// Sends a command; `false` when the trainer is gone (see
    /// [`Self::is_alive`], [`Self::restart`]).
    fn send(&self, cmd: Command) -> bool;

    /// The board this session's trainer publishes on.
    fn board(&self) -> &Board;

    /// Lets a frame-driven session train for about `budget`, then publish a
    /// snapshot if one is due; returns the steps trained. The threaded
    /// session trains on its own: 0 (the GUI calls it either way).
    fn pump(&self, budget: Duration) -> u64;

    /// Trains until the run is at `step` (a compare partner kept in lockstep
    /// with the window's run), for at most about `budget`. The threaded
    /// session: nothing, 0.
    fn pump_to(&self, step: u64, budget: Duration) -> u64;

    /// The frame-driven session's step now; the threaded session's is in its
    /// snapshots (0 here).
    fn step(&self) -> u64;

    /// Whether the trainer is there (false after a panic or shutdown).
    fn is_alive(&self) -> bool;

    /// A fresh trainer from the last accepted settings, display resolution,
    /// speed and publish rate: a new model at step 0, paused. Snapshot `seq`
    /// keeps increasing.
    fn restart(&mut self);

    /// Stops the trainer. Safe to call twice.
    fn shutdown(&mut self);

    /// Waits up to `timeout` for a snapshot that satisfies `pred`. For
    /// scripts and tests; the GUI uses [`Self::latest`].
    fn wait_for(
        &self,
        timeout: Duration,
        pred: impl FnMut(&Snapshot) -> bool,
    ) -> Option<Arc<Snapshot>>;

    /// Validates `changes` against the current settings here, on the
    /// caller's side, and sends them typed only if they are valid as a
    /// whole. The trainer checks the rules between keys again when it
    /// applies them (another change may have come first).
    fn set(&self, changes: &[(&str, &str)]) -> Result<(), SettingsError> {
        let typed = checked_changes(&self.settings(), changes)?;
        self.send(Command::Set(typed));
        Ok(())
    }

    /// The newest snapshot, without waiting; the same `Arc` again when
    /// nothing new was published (compare `seq`). `None` only before the
    /// first one.
    fn latest(&self) -> Option<Arc<Snapshot>> {
        lock(&self.board().shared().slot).latest.clone()
    }

    /// Calls `wake` after every published snapshot, e.g.
    /// `move || ctx.request_repaint()`, so a paused GUI still redraws when a
    /// `Step(n)` finishes. Replaces any previous one. Keep it short: it runs
    /// on the trainer's time.
    fn on_publish(&self, wake: impl Fn() + Send + Sync + 'static) {
        *lock(&self.board().shared().waker) = Some(Arc::new(wake));
    }

    /// The seq of the last published snapshot (how many were published).
    fn published(&self) -> u64 {
        lock(&self.board().shared().slot).seq
    }

    /// The last settings the trainer accepted.
    fn settings(&self) -> Settings {
        lock(&self.board().shared().config).settings.clone()
    }
}
