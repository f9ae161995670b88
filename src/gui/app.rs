//! The eframe app: panels around the 3D view, the session that feeds them, and
//! the keyboard. Drawing reads the newest snapshot; every user action becomes a
//! session command, so the window never waits on training.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use web_time::Instant;

use egui::{Key, Ui};

mod host;
mod panels;

use super::controls::{self, Changes};
use super::dialogs::{Dialog, DialogKind};
use super::plots::{self, HeatMap};
use super::record::{Recording, CAPTURE_EVERY};
use super::timing::FrameTimings;
use super::view3d::View3d;
use crate::model::{Loss, State};
use crate::presets::{load_preset, PRESETS};
use crate::session::{Command, Session, Snapshot};
use crate::settings::Settings;
pub use panels::state_badge_ui;

/// Steps per second at start: slow enough to watch the collapse happen (about
/// two seconds for dual-energy), fast enough that nll learns in about one.
/// `EBM_LAB_SPEED=max` starts at full speed (for measurements).
pub const DEFAULT_SPEED: f64 = 1000.0;

/// How the window was asked to start.
pub struct LaunchOptions {
    pub settings: Settings,
    pub points: Option<Vec<(f64, f64)>>,
    pub story: String,
    pub preset: Option<String>,
    /// `--frames N --screenshot PATH`: play N frames, save the window, exit.
    pub frames: Option<(u64, PathBuf)>,
    /// Where the app reports its exit status (non-zero when a `--frames` screenshot failed).
    pub exit_code: Arc<AtomicI32>,
}

pub struct EbmApp {
    session: Session,
    snap: Option<Arc<Snapshot>>,
    /// The controls' copy of the settings, synced from the snapshots.
    edit: Settings,
    edit_version: u64,
    story: String,
    preset: Option<String>,
    view: View3d,
    heat: HeatMap,
    slice_x: f64,
    show_ghost: bool,
    log_metrics: bool,
    show_help: bool,
    speed_max: bool,
    speed: f64,
    step_n: u64,
    message: Option<(String, bool)>,
    dialog: Option<Dialog>,
    frames: Option<(u64, PathBuf)>,
    frame_count: u64,
    screenshot: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    screenshot_purpose: Option<ScreenshotPurpose>,
    exit_code: Arc<AtomicI32>,
    timings: FrameTimings,
    recording: Option<Recording>,
    /// The step from which the run has stayed collapsed under a contrastive loss.
    stuck_since: Option<u64>,
    /// The display grid asked of the session: coarse while training, fine when paused.
    resolution: usize,
}

/// Steps a run may stay collapsed under a contrastive loss before the window says
/// it may be stuck (a shallow collapse recovers within a few hundred steps; DESIGN §4:
/// after a deep one square-square recovered on 4 seeds of 10).
pub const STUCK_STEPS: u64 = 3000;

/// Display grid while training (fast on software GL) and when paused.
const RESOLUTION_RUNNING: usize = 64;
const RESOLUTION_PAUSED: usize = 128;

enum ScreenshotPurpose {
    /// The whole window, for `--frames`.
    Window(PathBuf),
    /// The 3D view only, for File → Export PNG.
    View(PathBuf, egui::Rect),
    /// A frame of the 3D view for the GIF being recorded.
    Record(egui::Rect),
}

impl EbmApp {
    pub fn new(cc: &eframe::CreationContext<'_>, opts: LaunchOptions) -> Self {
        cc.egui_ctx.set_theme(egui::ThemePreference::System);
        let session = Session::start(opts.settings.clone(), opts.points);
        // A new snapshot wakes the window, so that a paused window can sleep.
        let ctx = cc.egui_ctx.clone();
        session.on_publish(move || ctx.request_repaint());
        session.send(Command::Resume); // the lesson starts playing: nothing to configure first
        let speed_max = std::env::var("EBM_LAB_SPEED").is_ok_and(|v| v == "max");
        if !speed_max {
            session.send(Command::Speed(Some(DEFAULT_SPEED)));
        }
        let view = View3d::new(cc.gl.clone());
        EbmApp {
            session,
            snap: None,
            edit: opts.settings,
            edit_version: 0,
            story: opts.story,
            preset: opts.preset,
            view,
            heat: HeatMap::default(),
            slice_x: 0.5,
            show_ghost: true,
            log_metrics: false,
            show_help: false,
            speed_max,
            speed: DEFAULT_SPEED,
            step_n: 100,
            message: None,
            dialog: None,
            frames: opts.frames,
            frame_count: 0,
            screenshot: Arc::default(),
            screenshot_purpose: None,
            exit_code: opts.exit_code,
            timings: FrameTimings::from_env(),
            recording: None,
            stuck_since: None,
            resolution: RESOLUTION_RUNNING,
        }
    }

    /// The newest snapshot shown.
    pub fn snapshot(&self) -> Option<&Arc<Snapshot>> {
        self.snap.as_ref()
    }

    /// The settings as the controls show them.
    pub fn settings(&self) -> &Settings {
        &self.edit
    }

    /// The message in the status bar, and whether it is an error.
    pub fn message(&self) -> Option<&(String, bool)> {
        self.message.as_ref()
    }

    fn running(&self) -> bool {
        self.snap.as_ref().is_some_and(|s| s.running)
    }

    fn apply(&mut self, changes: Changes) {
        if changes.0.is_empty() {
            return;
        }
        let pairs: Vec<(&str, &str)> = changes
            .0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.apply_pairs(&pairs);
    }

    /// Sends setting changes; they are validated whole and refused whole.
    pub fn apply_pairs(&mut self, pairs: &[(&str, &str)]) {
        if let Err(e) = self.session.set(pairs) {
            self.message = Some((e.to_string(), true));
        }
    }

    fn load_preset(&mut self, name: &str) {
        match load_preset(name) {
            Ok((settings, story)) => {
                self.edit = settings.clone();
                self.story = story;
                self.preset = Some(name.to_string());
                self.session.send(Command::Replace(settings, None));
                self.session.send(Command::Resume);
                self.view.reset_camera();
                self.message = None;
            }
            Err(e) => self.message = Some((e.to_string(), true)),
        }
    }

    pub fn open_settings(&mut self, path: &std::path::Path) {
        let loaded = crate::files::read_settings(path)
            .and_then(|s| crate::files::read_points(&s).map(|p| (s, p)));
        match loaded {
            Ok((settings, points)) => {
                self.edit = settings.clone();
                self.preset = None;
                self.story = format!("settings from {}", path.display());
                self.session.send(Command::Replace(settings, points));
                self.message = Some((format!("opened {}", path.display()), false));
            }
            Err(e) => self.message = Some((format!("{e:#}"), true)),
        }
    }

    fn toggle_recording(&mut self) {
        match self.recording.take() {
            Some(rec) => {
                let path = rec.path.clone();
                self.message = Some(match rec.stop() {
                    Ok(n) => (format!("saved {} ({n} frames)", path.display()), false),
                    Err(e) => (format!("{e:#}"), true),
                });
            }
            None => {
                let name = self
                    .default_name(DialogKind::ExportPng)
                    .replace(".png", ".gif");
                match Recording::start(std::path::Path::new(&name)) {
                    Ok(rec) => {
                        self.message = Some((format!("recording to {name}…"), false));
                        self.recording = Some(rec);
                    }
                    Err(e) => self.message = Some((format!("{e:#}"), true)),
                }
            }
        }
    }

    /// Asks for a frame of the 3D view for the GIF, every few frames.
    fn record_frame(&mut self, ctx: &egui::Context) {
        if self.recording.is_none()
            || self.screenshot_purpose.is_some()
            || !self.frame_count.is_multiple_of(CAPTURE_EVERY)
        {
            return;
        }
        self.request_screenshot(ctx, ScreenshotPurpose::Record(self.view.rect()));
    }

    fn toggle_play(&mut self) {
        let cmd = if self.running() {
            Command::Pause
        } else {
            Command::Resume
        };
        self.session.send(cmd);
    }

    fn reset(&mut self, new_seed: bool) {
        let seed = new_seed.then(|| self.edit.seed.wrapping_add(1) % (u32::MAX as u64));
        self.session.send(Command::Reset { seed });
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.dialog.is_some() {
            return;
        }
        let cmd = egui::Modifiers::COMMAND;
        let (space, step, reset, seed, view, ghost, help, open, save, png, csv) =
            ctx.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, Key::Space),
                    i.consume_key(egui::Modifiers::NONE, Key::S),
                    i.consume_key(egui::Modifiers::NONE, Key::R),
                    i.consume_key(egui::Modifiers::NONE, Key::N),
                    i.consume_key(egui::Modifiers::NONE, Key::V),
                    i.consume_key(egui::Modifiers::NONE, Key::G),
                    i.consume_key(egui::Modifiers::NONE, Key::F1)
                        || i.consume_key(egui::Modifiers::NONE, Key::H),
                    i.consume_key(cmd, Key::O),
                    i.consume_key(cmd, Key::S),
                    i.consume_key(cmd, Key::P),
                    i.consume_key(cmd, Key::E),
                )
            });
        if space {
            self.toggle_play();
        }
        if step {
            self.session.send(Command::Step(self.step_n));
        }
        if reset {
            self.reset(false);
        }
        if seed {
            self.reset(true);
        }
        if view {
            self.view.reset_camera();
        }
        if ghost {
            self.show_ghost = !self.show_ghost;
        }
        if help {
            self.show_help = !self.show_help;
        }
        for (hit, kind) in [
            (open, DialogKind::OpenSettings),
            (save, DialogKind::SaveSettings),
            (png, DialogKind::ExportPng),
            (csv, DialogKind::ExportCsv),
        ] {
            if hit {
                self.dialog = Some(Dialog::new(kind, self.default_name(kind)));
            }
        }
    }

    fn default_name(&self, kind: DialogKind) -> String {
        let base = self.preset.clone().unwrap_or_else(|| "ebm-lab".into());
        let step = self.snap.as_ref().map_or(0, |s| s.step);
        match kind {
            DialogKind::OpenSettings | DialogKind::SaveSettings => format!("{base}.toml"),
            DialogKind::ExportPng => format!("{base}-step{step}.png"),
            DialogKind::ExportCsv => format!("{base}-step{step}.csv"),
        }
    }

    fn dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.dialog else {
            return;
        };
        let Some((kind, path)) = dialog.ui(ctx) else {
            if dialog.closed {
                self.dialog = None;
            }
            return;
        };
        self.dialog = None;
        let path = PathBuf::from(path);
        let result = match kind {
            DialogKind::OpenSettings => {
                self.open_settings(&path);
                return;
            }
            DialogKind::SaveSettings => {
                crate::files::write_atomic(&path, self.edit.to_toml(Some(&self.story)).as_bytes())
            }
            DialogKind::ExportCsv => match &self.snap {
                Some(s) => crate::files::write_atomic(
                    &path,
                    crate::export::csv_from_view(&s.view).as_bytes(),
                ),
                None => Err(anyhow::anyhow!("nothing to export yet")),
            },
            DialogKind::ExportPng => {
                self.request_screenshot(ctx, ScreenshotPurpose::View(path, self.view.rect()));
                return;
            }
        };
        self.message = Some(match result {
            Ok(()) => (format!("saved {}", path.display()), false),
            Err(e) => (format!("{e:#}"), true),
        });
    }

    /// Asks egui for a screenshot of the next frame; [`Self::screenshot_arrived`]
    /// handles it according to `purpose`.
    fn request_screenshot(&mut self, ctx: &egui::Context, purpose: ScreenshotPurpose) {
        self.screenshot_purpose = Some(purpose);
        let slot = self.screenshot.clone();
        ctx.request_screenshot(move |img| {
            if let Ok(mut s) = slot.lock() {
                *s = Some(img);
            }
        });
    }

    /// Handles a screenshot that arrived (export or `--frames`).
    fn screenshot_arrived(&mut self, ctx: &egui::Context) {
        let image = match self.screenshot.lock() {
            Ok(mut s) => s.take(),
            Err(_) => None,
        };
        let Some(image) = image else { return };
        let Some(purpose) = self.screenshot_purpose.take() else {
            return;
        };
        let ppp = ctx.pixels_per_point();
        match purpose {
            ScreenshotPurpose::View(path, rect) => {
                let result = super::export::save_png(&image, Some(rect), ppp, &path);
                self.message = Some(match result {
                    Ok(()) => (format!("saved {}", path.display()), false),
                    Err(e) => (format!("{e:#}"), true),
                });
            }
            ScreenshotPurpose::Record(rect) => {
                if let Some(rec) = &mut self.recording {
                    rec.push(&super::export::crop(&image, Some(rect), ppp));
                }
            }
            ScreenshotPurpose::Window(path) => {
                let code = match super::export::save_png(&image, None, ppp, &path) {
                    Ok(()) => {
                        let steps = self.snap.as_ref().map_or(0.0, |s| s.steps_per_sec);
                        println!(
                            "{}",
                            self.timings.summary(
                                self.frames.as_ref().map_or(self.frame_count, |f| f.0),
                                steps
                            )
                        );
                        0
                    }
                    Err(e) => {
                        eprintln!("error: {e:#}");
                        1
                    }
                };
                self.exit_code.store(code, Ordering::SeqCst);
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn frames_mode(&mut self, ctx: &egui::Context) {
        let Some((n, path)) = &self.frames else {
            return;
        };
        if self.frame_count == *n && self.screenshot_purpose.is_none() {
            let purpose = ScreenshotPurpose::Window(path.clone());
            self.request_screenshot(ctx, purpose);
        }
    }
}

impl eframe::App for EbmApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let started = Instant::now();
        let ctx = ui.ctx().clone();
        if let Some(s) = self.session.latest() {
            if s.settings_version != self.edit_version {
                self.edit = (*s.settings).clone();
                self.edit_version = s.settings_version;
            }
            let contrastive = s.settings.loss.contrast() != crate::model::Contrast::None;
            self.stuck_since = match (
                s.state() == State::Collapsed && contrastive,
                self.stuck_since,
            ) {
                (true, None) => Some(s.step),
                (true, from) => from,
                (false, _) => None,
            };
            self.snap = Some(s);
        }
        self.keyboard(&ctx);
        self.screenshot_arrived(&ctx);

        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_ui(ui);
            self.toolbar_ui(ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        egui::Panel::left("controls")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let mut ch = Changes::default();
                    controls::settings_ui(ui, &mut self.edit, &mut ch);
                    self.apply(ch);
                });
            });
        egui::Panel::right("plots")
            .resizable(true)
            .default_size(380.0)
            .show(ui, |ui| self.plots_ui(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.banner_ui(ui);
            let slice = self.snap.as_ref().map(|_| self.slice_x as f32);
            self.view
                .ui(ui, self.snap.as_deref(), self.show_ghost, slice);
        });
        self.help_ui(&ctx);
        self.dialog_ui(&ctx);

        self.frame_count += 1;
        self.frames_mode(&ctx);
        self.record_frame(&ctx);
        let want = if self.running() {
            RESOLUTION_RUNNING
        } else {
            RESOLUTION_PAUSED
        };
        if want != self.resolution {
            self.session.send(Command::SurfaceResolution(want, want));
            self.resolution = want;
        }
        self.timings.record(
            started.elapsed(),
            self.snap.as_ref().map_or(0.0, |s| s.steps_per_sec),
        );
        // While training (or recording, or playing `--frames`) draw continuously;
        // when paused, sleep until input or a snapshot (e.g. after Step n) arrives.
        if self.running() || self.recording.is_some() || self.frames.is_some() {
            ctx.request_repaint();
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(rec) = self.recording.take() {
            if let Err(e) = rec.stop() {
                eprintln!("error: {e:#}");
            }
        }
        self.view.destroy();
        self.session.shutdown();
    }
}
