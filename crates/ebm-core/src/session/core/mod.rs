//! The trainer core: a [`Run`] plus what a live session adds (commands,
//! pacing, pausing, snapshots). It has no thread and no channel: a driver
//! calls [`TrainerCore::handle`] for each command, [`TrainerCore::advance`] to
//! train within a time budget and [`TrainerCore::snapshot_if_due`] to publish.
//! Natively the driver is the trainer thread (`worker.rs`); in a browser it is
//! the frame loop (`local.rs`). Training itself is [`Run::train_step`], the very
//! loop `ebm-lab train` uses.

use std::sync::Arc;

use super::clock::{Duration, Instant};
use super::pacer::Pacer;
use super::protocol::Command;
use super::protocol::Snapshot;
use super::slot::Config;
use super::snapshots::{Extras, SnapshotBuilder};
use crate::model::{DatasetKind, Model, Run, State};
use crate::settings::{explain_divergence, Settings};

mod drawn;
mod settings_change;

/// Whether the driver should go on after a command.
pub(crate) enum Flow {
    Continue,
    Exit,
}

pub(crate) struct TrainerCore {
    settings: Settings,
    /// `settings` as handed out in snapshots (rebuilt when they change).
    shared_settings: Arc<Settings>,
    points: Option<Vec<(f64, f64)>>,
    settings_version: u64,
    /// The run's training points as snapshots hand them out, and their version
    /// (see `Snapshot::points_version`).
    data_points: Arc<Vec<(f64, f64)>>,
    points_version: u64,
    run: Run,
    initial_model: Model<f32>,
    running: bool,
    pending: u64,
    resolution: (usize, usize),
    publish_rate: f64,
    next_publish: Instant,
    dirty: bool,
    notice: Option<String>,
    command_error: Option<String>,
    pacer: Pacer,
    snapshots: SnapshotBuilder,
    pause_on_collapse: bool,
    /// This run has not collapsed yet (a pause on collapse is still to come).
    collapse_armed: bool,
    paused_on_collapse: bool,
}

impl TrainerCore {
    pub fn new(mut config: Config) -> TrainerCore {
        let mut command_error = None;
        if config.settings.dataset == DatasetKind::Custom && config.points.is_none() {
            match super::points::read(&config.settings) {
                Ok(p) => config.points = p,
                Err(e) => command_error = Some(e),
            }
        }
        let run = Run::new(&config.settings, config.points.as_deref());
        TrainerCore {
            initial_model: run.model.clone(),
            data_points: drawn::points_of(&run),
            points_version: config.points_version,
            run,
            shared_settings: Arc::new(config.settings.clone()),
            settings: config.settings,
            points: config.points,
            settings_version: config.settings_version,
            running: false,
            pending: 0,
            resolution: config.resolution,
            publish_rate: config.publish_rate,
            next_publish: Instant::now(),
            dirty: true,
            notice: None,
            command_error,
            pacer: Pacer::new(config.speed),
            snapshots: SnapshotBuilder::default(),
            pause_on_collapse: config.pause_on_collapse,
            collapse_armed: true,
            paused_on_collapse: false,
        }
    }

    /// The configuration a restarted trainer would start from.
    pub fn config(&self) -> Config {
        Config {
            settings: self.settings.clone(),
            points: self.points.clone(),
            resolution: self.resolution,
            speed: self.pacer.speed,
            publish_rate: self.publish_rate,
            settings_version: self.settings_version,
            points_version: self.points_version,
            pause_on_collapse: self.pause_on_collapse,
        }
    }

    /// Seconds of owed steps this core catches up at once (see `Pacer::catch_up`).
    pub fn set_catch_up(&mut self, seconds: f64) {
        self.pacer.catch_up = seconds;
    }

    /// Training or working off a `Step(n)`.
    pub fn active(&self) -> bool {
        self.running || self.pending > 0
    }

    /// `None` when there are steps to train now; otherwise the instant by which
    /// the driver should look again (a paced step, a due snapshot, or `idle`).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))] // the native worker's
    pub fn idle_until(&mut self, now: Instant, idle: Duration) -> Option<Instant> {
        if self.active() && self.pacer.credit(now) > 0 {
            return None;
        }
        let mut deadline = now + idle;
        if self.dirty {
            deadline = deadline.min(self.next_publish);
        }
        if self.active() {
            deadline = deadline.min(self.pacer.next_step_at());
        }
        Some(deadline)
    }

    /// Trains the steps the speed limit and a pending `Step(n)` allow now, for
    /// at most about `budget` of time. Returns the steps done. A divergence
    /// stops training and makes the next snapshot due at once.
    pub fn advance(&mut self, budget: Duration) -> u64 {
        self.advance_at(Instant::now(), budget)
    }

    /// [`Self::advance`] with the clock read by the caller: the speed limit's
    /// credit at `now` (a test drives it with simulated time).
    pub fn advance_at(&mut self, now: Instant, budget: Duration) -> u64 {
        if !self.active() {
            return 0;
        }
        let credit = self.pacer.credit(now);
        if credit == 0 {
            return 0;
        }
        let limit = if self.pending > 0 {
            credit.min(self.pending)
        } else {
            credit
        };
        self.train(limit, budget)
    }

    /// Trains until the run is at `step` (a compare partner keeping pace with
    /// the window's own run, which obeyed the speed limit), for at most about
    /// `budget`. Returns the steps done; nothing when paused.
    pub fn advance_to(&mut self, step: u64, budget: Duration) -> u64 {
        if !self.active() {
            return 0;
        }
        let limit = step.saturating_sub(self.run.step());
        let limit = if self.pending > 0 {
            limit.min(self.pending)
        } else {
            limit
        };
        self.train(limit, budget)
    }

    /// The run's step now (a snapshot may be older).
    pub fn step(&self) -> u64 {
        self.run.step()
    }

    /// Trains up to `limit` steps within about `budget`; the bookkeeping of
    /// [`Self::advance`].
    fn train(&mut self, limit: u64, budget: Duration) -> u64 {
        let start = Instant::now();
        let mut done = 0u64;
        let mut failed = false;
        while done < limit {
            match self.run.train_step() {
                Ok(_) => done += 1,
                Err(_) => {
                    failed = true;
                    break;
                }
            }
            if self.collapse_pause_due() {
                self.running = false;
                self.pending = 0;
                self.paused_on_collapse = true;
                self.next_publish = Instant::now();
                break;
            }
            if start.elapsed() >= budget {
                break;
            }
        }
        self.pacer.trained += done;
        self.pending = self.pending.saturating_sub(done);
        self.dirty = true;
        if failed {
            self.running = false;
            self.pending = 0;
            // Show it at once: it is rare and it matters.
            self.next_publish = Instant::now();
        }
        done
    }

    /// Whether this step is the run's first collapse and training pauses there.
    fn collapse_pause_due(&mut self) -> bool {
        let at_check = self.pause_on_collapse
            && self.collapse_armed
            && self.run.step().is_multiple_of(super::COLLAPSE_CHECK);
        if at_check && self.run.metrics().state == State::Collapsed {
            self.collapse_armed = false;
            return true;
        }
        false
    }

    /// A snapshot when something changed and the publish interval has passed.
    pub fn snapshot_if_due(&mut self, now: Instant) -> Option<Snapshot> {
        (self.dirty && now >= self.next_publish).then(|| self.snapshot_at(now))
    }

    /// A snapshot now.
    pub fn snapshot(&mut self) -> Snapshot {
        self.snapshot_at(Instant::now())
    }

    /// A snapshot taken at `now` (the next one is due a publish interval later).
    fn snapshot_at(&mut self, now: Instant) -> Snapshot {
        self.pacer.measure(now, self.active());
        let extras = Extras {
            settings_version: self.settings_version,
            settings: Arc::clone(&self.shared_settings),
            running: self.active(),
            pending_steps: self.pending,
            speed: self.pacer.speed,
            points: Arc::clone(&self.data_points),
            points_version: self.points_version,
            notice: self.notice.clone(),
            error: self.error(),
            paused_on_collapse: self.paused_on_collapse,
            steps_per_sec: self.pacer.steps_per_sec,
        };
        let snap =
            self.snapshots
                .build(&mut self.run, &self.initial_model, self.resolution, extras);
        self.dirty = false;
        self.next_publish = now + Duration::from_secs_f64(1.0 / self.publish_rate);
        snap
    }

    pub fn handle(&mut self, cmd: Command) -> Flow {
        self.dirty = true;
        let at_collapse_pause = self.paused_on_collapse;
        if matches!(
            cmd,
            Command::Resume
                | Command::Step(_)
                | Command::Reset { .. }
                | Command::Set(_)
                | Command::Replace(..)
        ) {
            self.paused_on_collapse = false;
        }
        match cmd {
            Command::Shutdown => return Flow::Exit,
            #[cfg(feature = "test-hooks")]
            #[allow(clippy::panic)]
            Command::InjectPanic => panic!("injected panic (test hook)"),
            Command::Set(changes) => {
                let changed = self.settings.with_typed(&changes);
                match changed {
                    Ok(new) => {
                        let loss_changed = new.loss != self.settings.loss;
                        self.apply_settings(new, None, false);
                        // The lesson: the switch made at the collapse pause plays at once.
                        if at_collapse_pause && loss_changed && self.command_error.is_none() {
                            self.pacer.repace();
                            self.running = true;
                        }
                    }
                    Err(e) => self.reject(format!("rejected, nothing changed: {e}")),
                }
            }
            Command::PauseOnCollapse(on) => {
                self.pause_on_collapse = on;
                self.accept(None);
            }
            Command::Replace(settings, points) => match settings.validated_whole() {
                Ok(new) => self.apply_settings(new, points, true),
                Err(e) => self.reject(format!("rejected, nothing changed: {e}")),
            },
            Command::Pause => {
                self.accept(None);
                self.running = false;
                self.pending = 0;
            }
            Command::Resume => self.resume_or_step(None),
            Command::Step(n) => self.resume_or_step(Some(n)),
            Command::Reset { seed } => self.reset(seed),
            Command::Speed(speed) => self.set_speed(speed),
            Command::SurfaceResolution(nx, ny) => {
                self.resolution = (nx.clamp(2, 1024), ny.clamp(2, 1024));
                self.accept(None);
            }
            Command::PublishRate(r) => self.set_publish_rate(r),
            Command::SetPoints { points, data } => self.set_points(points, data),
        }
        Flow::Continue
    }

    fn resume_or_step(&mut self, steps: Option<u64>) {
        if let Some(d) = self.run.diverged() {
            let what = if steps.is_some() { "step" } else { "resume" };
            let msg = format!("cannot {what}: {}", explain_divergence(d));
            self.reject(msg);
            return;
        }
        self.accept(None);
        match steps {
            None => {
                if !self.running {
                    self.pacer.repace();
                }
                self.running = true;
                self.pending = 0;
            }
            Some(n) => {
                self.running = false;
                self.pending = n;
                self.pacer.repace();
            }
        }
    }

    fn reset(&mut self, seed: Option<u64>) {
        let mut new = self.settings.clone();
        if let Some(seed) = seed {
            new.seed = seed;
        }
        let notice = format!("model reset (seed {})", new.seed);
        if new != self.settings {
            self.settings_version += 1;
        }
        let points = self.points.take();
        self.reset_run(new, points);
        self.accept(Some(notice));
    }

    fn set_speed(&mut self, speed: Option<f64>) {
        match speed {
            Some(s) if !(s.is_finite() && s > 0.0) => self.reject(format!(
                "speed {s} is not allowed; allowed: steps per second > 0, or as fast as it goes"
            )),
            _ => {
                self.pacer.speed = speed.map(|s| s.clamp(0.01, 1e9));
                self.pacer.repace();
                self.accept(None);
            }
        }
    }

    fn set_publish_rate(&mut self, r: f64) {
        if r.is_finite() && r > 0.0 {
            self.publish_rate = r.clamp(1.0, 1000.0);
            self.next_publish = Instant::now();
            self.accept(None);
        } else {
            self.reject(format!(
                "publish rate {r} is not allowed; allowed: 1 ..= 1000 per second"
            ));
        }
    }

    fn accept(&mut self, notice: Option<String>) {
        self.command_error = None;
        self.notice = notice;
    }

    fn reject(&mut self, error: String) {
        self.command_error = Some(error);
    }

    /// The divergence and the last refused command, for the snapshot.
    fn error(&self) -> Option<String> {
        let diverged = self.run.diverged().map(explain_divergence);
        match (diverged, &self.command_error) {
            (Some(d), Some(c)) if !c.contains(&d) => Some(format!("{d}\n{c}")),
            (Some(d), None) => Some(d),
            (_, c) => c.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::load_preset;

    /// The speed limit and the publish rate, on a simulated clock: one
    /// second in 10 ms frames, whatever the machine's load (the threaded
    /// trainer drives the same `advance_at` and `snapshot_if_due`).
    #[test]
    fn the_speed_limit_and_the_publish_rate_hold_on_a_simulated_clock() {
        let (settings, _) = load_preset("dual-energy").unwrap_or_else(|e| panic!("{e}"));
        let mut core = TrainerCore::new(super::super::first_config(settings, None));
        core.handle(Command::Speed(Some(200.0)));
        core.handle(Command::PublishRate(10.0));
        core.handle(Command::Resume);
        let t0 = Instant::now();
        let (mut steps, mut published) = (0, 0);
        for k in 1..=100 {
            let now = t0 + Duration::from_millis(10 * k);
            steps += core.advance_at(now, Duration::from_secs(1));
            published += u32::from(core.snapshot_if_due(now).is_some());
        }
        assert!(
            (198..=202).contains(&steps),
            "{steps} steps in 1 s at 200/s"
        );
        assert!(
            (10..=11).contains(&published),
            "{published} snapshots in 1 s at 10/s"
        );
        // Paused: the clock runs on, nothing trains.
        core.handle(Command::Pause);
        let later = t0 + Duration::from_secs(5);
        assert_eq!(core.advance_at(later, Duration::from_secs(1)), 0);
    }
}
