//! The native driver of a [`TrainerCore`]: a thread that trains in chunks of
//! about a millisecond and looks at the command channel between chunks, so a
//! command (shutdown included) waits at most one chunk. When there is nothing
//! to train it blocks on the channel with a deadline (the next snapshot or the
//! next paced step) instead of spinning. Snapshots go to the latest-wins slot.

use std::sync::Arc;

use crossbeam_channel::{Receiver, RecvTimeoutError, TryRecvError};

use super::clock::{Duration, Instant};
use super::core::{Flow, TrainerCore};
use super::protocol::Command;
use super::slot::{lock, Config, Shared};

/// Work between two looks at the command channel.
const CHUNK: Duration = Duration::from_millis(1);
/// How long an idle trainer sleeps on the channel before looking again.
const IDLE: Duration = Duration::from_millis(250);

pub(crate) struct Worker {
    rx: Receiver<Command>,
    shared: Arc<Shared>,
    core: TrainerCore,
}

impl Worker {
    pub fn new(rx: Receiver<Command>, shared: Arc<Shared>, config: Config) -> Worker {
        Worker {
            rx,
            shared,
            core: TrainerCore::new(config),
        }
    }

    /// The thread's body: returns on `Shutdown` or when the Session is gone.
    pub fn run(mut self) {
        self.shared.publish(self.core.snapshot());
        loop {
            if let Some(deadline) = self.core.idle_until(Instant::now(), IDLE) {
                match self.rx.recv_deadline(deadline) {
                    Ok(cmd) => {
                        if let Flow::Exit = self.handle(cmd) {
                            return;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            loop {
                match self.rx.try_recv() {
                    Ok(cmd) => {
                        if let Flow::Exit = self.handle(cmd) {
                            return;
                        }
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                }
            }
            self.core.advance(CHUNK);
            if let Some(snap) = self.core.snapshot_if_due(Instant::now()) {
                self.shared.publish(snap);
            }
        }
    }

    fn handle(&mut self, cmd: Command) -> Flow {
        let flow = self.core.handle(cmd);
        *lock(&self.shared.config) = self.core.config();
        flow
    }
}
