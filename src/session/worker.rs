//! The trainer thread's loop.
//!
//! It trains in chunks of about a millisecond and looks at the command channel
//! between chunks, so a command (shutdown included) waits at most one chunk. When
//! there is nothing to train it blocks on the channel with a deadline (the next
//! snapshot or the next paced step) instead of spinning. Snapshots are built at
//! most `publish_rate` times a second, whatever the step rate, and put in a
//! one-place slot: the newest replaces the previous one, so the trainer never
//! waits for the GUI and the GUI never sees a backlog.
//!
//! Training itself is [`Run::train_step`], the very loop `ebm-lab train` uses.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, TryRecvError};

use super::protocol::{Command, History, HistoryPoint, Snapshot};
use crate::model::{
    surface_view, DatasetKind, GridWorkspace, Metrics, Model, Run, State, SurfaceView,
    ViewWorkspace,
};
use crate::settings::{Settings, KEYS};

/// Work between two looks at the command channel.
const CHUNK: Duration = Duration::from_millis(1);
/// How long an idle trainer sleeps on the channel before looking again.
const IDLE: Duration = Duration::from_millis(250);
/// Window over which `steps_per_sec` is measured.
const RATE_WINDOW: Duration = Duration::from_millis(250);
pub const DEFAULT_RESOLUTION: (usize, usize) = (64, 64);
pub const DEFAULT_PUBLISH_RATE: f64 = 60.0;

/// What a restarted trainer starts from: the last accepted configuration.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub settings: Settings,
    pub points: Option<Vec<(f64, f64)>>,
    pub resolution: (usize, usize),
    pub speed: Option<f64>,
    pub publish_rate: f64,
    pub settings_version: u64,
}

pub(crate) struct Slot {
    pub latest: Option<Arc<Snapshot>>,
    /// seq of the last published snapshot.
    pub seq: u64,
}

/// State shared by the [`super::Session`] handle and its trainer thread.
pub(crate) struct Shared {
    pub slot: Mutex<Slot>,
    pub published: Condvar,
    pub config: Mutex<Config>,
    /// Called after every publish (e.g. egui's `request_repaint`).
    pub waker: Mutex<Option<Waker>>,
}

pub(crate) type Waker = Arc<dyn Fn() + Send + Sync>;

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
        initial_energy: Arc::new(Vec::new()),
        metrics: Metrics {
            loss: f64::NAN,
            spread: f64::NAN,
            contrast: f64::NAN,
            inference_error: f64::NAN,
            coverage: None,
            state: State::Training,
        },
        initial_metrics: None,
        history: Arc::new(History::default()),
        notice: None,
        error: None,
        steps_per_sec: 0.0,
        build_us: 0.0,
        params: Arc::new(Vec::new()),
    }
}

/// Checks every key's range of settings built in code (not parsed), e.g. by `Replace`.
pub(crate) fn validate_whole(s: &Settings) -> Result<Settings, String> {
    let pairs: Vec<(&str, String)> = KEYS
        .iter()
        .filter_map(|k| s.get(k.name).map(|v| (k.name, v)))
        .collect();
    let checked = Settings::default()
        .with_changes(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        .map_err(|e| e.to_string())?;
    if checked != *s {
        return Err("settings do not survive a round trip through their text form".into());
    }
    Ok(checked)
}

/// The points a run of `new` needs: given ones, the current ones when the custom
/// source did not change, or the CSV at `data`.
fn points_for(
    new: &Settings,
    old: &Settings,
    given: Option<Vec<(f64, f64)>>,
    current: &Option<Vec<(f64, f64)>>,
) -> Result<Option<Vec<(f64, f64)>>, String> {
    if new.dataset != DatasetKind::Custom {
        return Ok(None);
    }
    if given.is_some() {
        return Ok(given);
    }
    if old.dataset == DatasetKind::Custom && old.data == new.data && current.is_some() {
        return Ok(current.clone());
    }
    crate::files::read_points(new).map_err(|e| format!("{e:#}"))
}

enum Flow {
    Continue,
    Exit,
}

pub(crate) struct Worker {
    rx: Receiver<Command>,
    shared: Arc<Shared>,
    settings: Settings,
    /// `settings` as handed out in snapshots (rebuilt when they change).
    shared_settings: Arc<Settings>,
    points: Option<Vec<(f64, f64)>>,
    settings_version: u64,
    run: Run,
    initial_model: Model<f32>,
    running: bool,
    pending: u64,
    speed: Option<f64>,
    resolution: (usize, usize),
    publish_interval: Duration,
    next_publish: Instant,
    dirty: bool,
    notice: Option<String>,
    command_error: Option<String>,
    history: Arc<History>,
    initial_energy: Arc<Vec<f32>>,
    initial_resolution: Option<(usize, usize)>,
    vws: ViewWorkspace,
    gws: GridWorkspace<f32>,
    /// Steps trained by this thread (all runs), for pacing and the rate.
    trained: u64,
    pace_anchor: (Instant, u64),
    rate_anchor: (Instant, u64),
    steps_per_sec: f64,
}

impl Worker {
    pub fn new(rx: Receiver<Command>, shared: Arc<Shared>, mut config: Config) -> Worker {
        let mut command_error = None;
        if config.settings.dataset == DatasetKind::Custom && config.points.is_none() {
            match crate::files::read_points(&config.settings) {
                Ok(p) => config.points = p,
                Err(e) => command_error = Some(format!("{e:#}")),
            }
        }
        let run = Run::new(&config.settings, config.points.as_deref());
        let now = Instant::now();
        Worker {
            rx,
            shared,
            initial_model: run.model.clone(),
            run,
            shared_settings: Arc::new(config.settings.clone()),
            settings: config.settings,
            points: config.points,
            settings_version: config.settings_version,
            running: false,
            pending: 0,
            speed: config.speed,
            resolution: config.resolution,
            publish_interval: Duration::from_secs_f64(1.0 / config.publish_rate),
            next_publish: now,
            dirty: true,
            notice: None,
            command_error,
            history: Arc::new(History::default()),
            initial_energy: Arc::new(Vec::new()),
            initial_resolution: None,
            vws: ViewWorkspace::default(),
            gws: GridWorkspace::default(),
            trained: 0,
            pace_anchor: (now, 0),
            rate_anchor: (now, 0),
            steps_per_sec: 0.0,
        }
    }

    /// The thread's body: returns on `Shutdown` or when the Session is gone.
    pub fn run(mut self) {
        self.publish();
        loop {
            let now = Instant::now();
            let credit = if self.active() { self.credit(now) } else { 0 };
            if credit == 0 {
                let mut deadline = now + IDLE;
                if self.dirty {
                    deadline = deadline.min(self.next_publish);
                }
                if self.active() {
                    deadline = deadline.min(self.next_step_at());
                }
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
            if self.active() {
                let credit = self.credit(Instant::now());
                if credit > 0 {
                    self.train_chunk(credit);
                }
            }
            if self.dirty && Instant::now() >= self.next_publish {
                self.publish();
            }
        }
    }

    fn active(&self) -> bool {
        self.running || self.pending > 0
    }

    /// Steps allowed now by the speed limit.
    fn credit(&mut self, now: Instant) -> u64 {
        let Some(speed) = self.speed else {
            return u64::MAX;
        };
        let (t0, s0) = self.pace_anchor;
        let allowed = (now.duration_since(t0).as_secs_f64() * speed) as u64;
        let done = self.trained - s0;
        let credit = allowed.saturating_sub(done);
        // Far behind (a slow step, a long pause): do not burst to catch up.
        if credit as f64 > (0.1 * speed).max(1.0) {
            self.pace_anchor = (now, self.trained);
            return 1;
        }
        credit
    }

    fn next_step_at(&self) -> Instant {
        match self.speed {
            None => Instant::now(),
            Some(speed) => {
                let (t0, s0) = self.pace_anchor;
                let n = (self.trained - s0 + 1) as f64;
                t0 + Duration::from_secs_f64(n / speed)
            }
        }
    }

    fn repace(&mut self) {
        let now = Instant::now();
        self.pace_anchor = (now, self.trained);
        self.rate_anchor = (now, self.trained);
    }

    fn train_chunk(&mut self, credit: u64) {
        let start = Instant::now();
        let limit = if self.pending > 0 {
            credit.min(self.pending)
        } else {
            credit
        };
        let mut done = 0u64;
        let mut failure = None;
        while done < limit {
            match self.run.train_step() {
                Ok(_) => done += 1,
                Err(d) => {
                    failure = Some(d);
                    break;
                }
            }
            if start.elapsed() >= CHUNK {
                break;
            }
        }
        self.trained += done;
        if self.pending > 0 {
            self.pending -= done.min(self.pending);
        }
        self.dirty = true;
        if failure.is_some() {
            self.running = false;
            self.pending = 0;
            // Show it at once: it is rare and it matters.
            self.next_publish = Instant::now();
        }
    }

    fn handle(&mut self, cmd: Command) -> Flow {
        self.dirty = true;
        match cmd {
            Command::Shutdown => return Flow::Exit,
            Command::InjectPanic => panic!("injected panic (test hook)"),
            Command::Set(pairs) => {
                let changed = self
                    .settings
                    .with_changes(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                match changed {
                    Ok(new) => self.apply_settings(new, None, false),
                    Err(e) => self.reject(format!("rejected, nothing changed: {e}")),
                }
            }
            Command::Replace(settings, points) => match validate_whole(&settings) {
                Ok(new) => self.apply_settings(new, points, true),
                Err(e) => self.reject(format!("rejected, nothing changed: {e}")),
            },
            Command::Pause => {
                self.accept(None);
                self.running = false;
                self.pending = 0;
            }
            Command::Resume => {
                if let Some(d) = self.run.diverged() {
                    let msg = format!("cannot resume: {d}");
                    self.reject(msg);
                } else {
                    self.accept(None);
                    if !self.running {
                        self.repace();
                    }
                    self.running = true;
                    self.pending = 0;
                }
            }
            Command::Step(n) => {
                if let Some(d) = self.run.diverged() {
                    let msg = format!("cannot step: {d}");
                    self.reject(msg);
                } else {
                    self.accept(None);
                    self.running = false;
                    self.pending = n;
                    self.repace();
                }
            }
            Command::Reset { seed } => {
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
            Command::Speed(speed) => match speed {
                Some(s) if !(s.is_finite() && s > 0.0) => {
                    self.reject(format!(
                        "speed {s} is not allowed; allowed: steps per second > 0, or as fast as it goes"
                    ));
                }
                _ => {
                    self.speed = speed.map(|s| s.clamp(0.01, 1e9));
                    self.repace();
                    lock(&self.shared.config).speed = self.speed;
                    self.accept(None);
                }
            },
            Command::SurfaceResolution(nx, ny) => {
                self.resolution = (nx.clamp(2, 1024), ny.clamp(2, 1024));
                lock(&self.shared.config).resolution = self.resolution;
                self.accept(None);
            }
            Command::PublishRate(r) => {
                if r.is_finite() && r > 0.0 {
                    let r = r.clamp(1.0, 1000.0);
                    self.publish_interval = Duration::from_secs_f64(1.0 / r);
                    self.next_publish = Instant::now();
                    lock(&self.shared.config).publish_rate = r;
                    self.accept(None);
                } else {
                    self.reject(format!(
                        "publish rate {r} is not allowed; allowed: 1 ..= 1000 per second"
                    ));
                }
            }
        }
        Flow::Continue
    }

    fn accept(&mut self, notice: Option<String>) {
        self.command_error = None;
        self.notice = notice;
    }

    fn reject(&mut self, error: String) {
        self.command_error = Some(error);
    }

    /// Applies validated settings: live keys in place, structural ones (or
    /// `force`) with a new model.
    fn apply_settings(
        &mut self,
        new: Settings,
        points: Option<Vec<(f64, f64)>>,
        force_reset: bool,
    ) {
        let (changed, structural) = self.settings.diff(&new);
        if changed.is_empty() && !force_reset {
            self.accept(None);
            return;
        }
        let keys = changed.join(", ");
        if structural || force_reset {
            let pts = match points_for(&new, &self.settings, points, &self.points) {
                Ok(p) => p,
                Err(e) => {
                    self.reject(format!("rejected, nothing changed: {e}"));
                    return;
                }
            };
            let notice = if force_reset {
                "model reset: new settings loaded".to_string()
            } else {
                format!("model reset: {keys} changed")
            };
            self.settings_version += 1;
            self.reset_run(new, pts);
            self.accept(Some(notice));
        } else {
            let collapsed =
                changed.contains(&"loss") && self.run.metrics().state == State::Collapsed;
            self.run.set_live(&new);
            self.settings = new;
            self.settings_version += 1;
            self.store_config();
            let mut notice = format!(
                "{keys} changed, in force from step {} (no reset)",
                self.run.step() + 1
            );
            if collapsed {
                notice.push_str(
                    "; the surface has collapsed and its nets may be saturated: if it does not recover, reset",
                );
            }
            self.accept(Some(notice));
        }
    }

    fn reset_run(&mut self, settings: Settings, points: Option<Vec<(f64, f64)>>) {
        self.run = Run::new(&settings, points.as_deref());
        self.initial_model = self.run.model.clone();
        self.initial_resolution = None;
        self.history = Arc::new(History::default());
        self.settings = settings;
        self.points = points;
        self.pending = 0;
        self.store_config();
    }

    fn store_config(&mut self) {
        self.shared_settings = Arc::new(self.settings.clone());
        let mut c = lock(&self.shared.config);
        c.settings = self.settings.clone();
        c.points = self.points.clone();
        c.settings_version = self.settings_version;
    }

    fn error(&self) -> Option<String> {
        let diverged = self.run.diverged().map(|d| d.to_string());
        match (diverged, &self.command_error) {
            (Some(d), Some(c)) if !c.contains(&d) => Some(format!("{d}\n{c}")),
            (Some(d), None) => Some(d),
            (_, c) => c.clone(),
        }
    }

    fn publish(&mut self) {
        let t0 = Instant::now();
        let metrics = self.run.metrics();
        let (nx, ny) = self.resolution;
        let view = surface_view(&self.run, nx, ny, metrics.state, &mut self.vws);
        if self.initial_resolution != Some(self.resolution) {
            let mut e = Vec::new();
            self.initial_model
                .energy_grid(&view.xs, &view.ys, &mut self.gws, &mut e);
            self.initial_energy = Arc::new(e);
            self.initial_resolution = Some(self.resolution);
        }
        let point = HistoryPoint {
            step: self.run.step(),
            loss: metrics.loss,
            spread: metrics.spread,
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
        let now = Instant::now();
        if self.active() {
            let (t, s) = self.rate_anchor;
            let dt = now.duration_since(t);
            if dt >= RATE_WINDOW {
                self.steps_per_sec = (self.trained - s) as f64 / dt.as_secs_f64();
                self.rate_anchor = (now, self.trained);
            }
        } else {
            self.steps_per_sec = 0.0;
        }
        let mut snap = Snapshot {
            seq: 0,
            step: self.run.step(),
            settings_version: self.settings_version,
            settings: Arc::clone(&self.shared_settings),
            running: self.active(),
            pending_steps: self.pending,
            speed: self.speed,
            view,
            initial_energy: Arc::clone(&self.initial_energy),
            metrics,
            initial_metrics: self.run.initial_metrics(),
            history: Arc::clone(&self.history),
            notice: self.notice.clone(),
            error: self.error(),
            steps_per_sec: self.steps_per_sec,
            build_us: 0.0,
            params: Arc::new(self.run.model.params.clone()),
        };
        snap.build_us = t0.elapsed().as_secs_f64() * 1e6;
        self.shared.publish(snap);
        self.dirty = false;
        self.next_publish = now + self.publish_interval;
    }
}
