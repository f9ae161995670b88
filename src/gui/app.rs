//! The eframe app: panels around the 3D view, the session that feeds them, and
//! the keyboard. Drawing reads the newest snapshot; every user action becomes a
//! session command, so the window never waits on training.

use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use web_time::Instant;

use egui::Ui;

mod action;
mod banner;
mod capture;
mod compare;
mod drawing;
mod files;
mod help;
mod host;
mod keys;
mod latent;
mod layout;
mod lecture;
pub mod lesson;
mod menu;
mod options;
mod side;
mod status;
mod toolbar;

use super::controls::{self, Changes};
use super::dialogs::{Dialog, DialogKind};
use super::plots::{self, HeatMap};
use super::record::{Recording, CAPTURE_EVERY};
use super::timing::FrameTimings;
use super::view3d::View3d;
use crate::model::{Loss, State};
use crate::presets::{load_preset, PRESETS};
use crate::session::{Command, LiveSession, Session, Snapshot};
use crate::settings::Settings;
use action::Action;
pub use banner::{Cause, Message};
use capture::ScreenshotPurpose;
pub use layout::side_widths;
pub use lesson::Lesson;
use options::ViewOptions;
pub use toolbar::state_badge_ui;

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
    /// Compare mode's partners from the start (`ebm-lab compare --with …`).
    pub compare: Vec<String>,
    /// Lecture mode from the start (`ebm-lab lecture`): the lecture and the
    /// scene (0-based) to open on.
    pub lecture: Option<(crate::lecture::Lecture, usize)>,
    /// Open on the latent-variable lessons, on this plane preset
    /// (`ebm-lab latent --window`).
    pub plane: Option<String>,
}

pub struct EbmApp {
    session: Session,
    snap: Option<Arc<Snapshot>>,
    /// The controls' copy of the settings, synced from the snapshots.
    edit: Settings,
    edit_version: u64,
    /// Where the settings came from: title, banner and saved story follow it.
    lesson: Lesson,
    /// The title last sent to the window.
    title: String,
    /// The trainer's last notice, when it arrived and the state then: it is
    /// shown while fresh (see [`NOTICE_SECONDS`]) and the state is unchanged.
    notice: Option<(String, Instant, State)>,
    /// The status bar's message, and whether it is an error.
    message: Option<(String, bool)>,
    /// The step from which the run has stayed collapsed under a contrastive loss.
    stuck_since: Option<u64>,
    /// The display grid asked of the session: coarse while training, fine when paused.
    resolution: usize,
    /// The host's snapshot rate (the page: 15/s), for partners started later.
    publish_rate: Option<f64>,
    /// Whether the run pauses at its first collapse outside compare mode.
    pause_on_collapse: bool,
    /// The GL context, for the partners' 3D views.
    gl: Option<Arc<eframe::glow::Context>>,
    view: View3d,
    // Each panel's own state (it returns `Action`s, routed in `action.rs`).
    transport: toolbar::Transport,
    options: ViewOptions,
    side: side::SidePlots,
    files: files::FilePrompts,
    capture: capture::Capture,
    // The modes, each its own state.
    /// The latent-variable lessons (`Some`: the window shows them instead
    /// of the session, which is paused meanwhile).
    /// The flag: whether the session was running when they were entered.
    plane: Option<(super::plane::PlaneMode, bool)>,
    /// Compare mode's partner runs (`None`: one run).
    compare: Option<super::compare::Compare>,
    /// Lecture mode: the lecture played and where.
    lecture: Option<lecture::LectureRun>,
}

/// Steps a run may stay collapsed under a contrastive loss before the window says
/// it may be stuck (a shallow collapse recovers within a few hundred steps; DESIGN §4:
/// after a deep one square-square recovered on 4 seeds of 10).
pub const STUCK_STEPS: u64 = 3000;

/// Seconds a notice ("model reset: …") stays in the banner.
pub const NOTICE_SECONDS: f32 = 8.0;

/// Display grid while training (fast on software GL) and when paused.
const RESOLUTION_RUNNING: usize = 64;
const RESOLUTION_PAUSED: usize = 128;

/// The display grid while training for a 3D view `view_px` physical pixels
/// wide: about one cell per 8 pixels, in steps of 8 from 32 to
/// [`RESOLUTION_RUNNING`]. Software GL pays per triangle and vertex, and a
/// finer surface than that shows nothing more (compare mode's columns are
/// ~300 pixels wide: 40 × 40).
pub fn running_resolution(view_px: f32) -> usize {
    let cells = (view_px / 64.0).round().max(0.0) as usize * 8;
    cells.clamp(32, RESOLUTION_RUNNING)
}

impl EbmApp {
    pub fn new(cc: &eframe::CreationContext<'_>, opts: LaunchOptions) -> Self {
        cc.egui_ctx.set_theme(egui::ThemePreference::System);
        // The panels' fill is the window's clear colour (`clear_color`): the
        // same picture without filling the whole window twice, which on
        // software GL (llvmpipe, SwiftShader) is a large part of a frame.
        cc.egui_ctx
            .all_styles_mut(|s| s.visuals.panel_fill = egui::Color32::TRANSPARENT);
        let session = Session::start(opts.settings.clone(), opts.points);
        // A new snapshot wakes the window, so that a paused window can sleep.
        let ctx = cc.egui_ctx.clone();
        session.on_publish(move || ctx.request_repaint());
        // The opening lesson pauses at the first collapse and asks for the switch
        // (`EBM_LAB_PAUSE_ON_COLLAPSE=0` turns that off).
        let pause = std::env::var("EBM_LAB_PAUSE_ON_COLLAPSE").map_or(true, |v| v != "0");
        session.send(Command::PauseOnCollapse(pause));
        session.send(Command::Resume); // the lesson starts playing: nothing to configure first
        let speed_max = std::env::var("EBM_LAB_SPEED").is_ok_and(|v| v == "max");
        // `EBM_LAB_PRESENT=1` opens in the presentation layout (F5).
        let presenting = std::env::var("EBM_LAB_PRESENT").is_ok_and(|v| v == "1");
        if !speed_max {
            session.send(Command::Speed(Some(DEFAULT_SPEED)));
        }
        let view = View3d::new(cc.gl.clone());
        let lesson = Lesson::for_start(opts.preset.as_deref(), &opts.settings, opts.story);
        let partners = opts.compare;
        let lecture = opts.lecture;
        let plane = opts.plane;
        let mut app = EbmApp {
            session,
            snap: None,
            title: lesson.title(&opts.settings),
            lesson,
            edit: opts.settings,
            edit_version: 0,
            notice: None,
            message: None,
            stuck_since: None,
            resolution: RESOLUTION_RUNNING,
            publish_rate: None,
            pause_on_collapse: pause,
            gl: cc.gl.clone(),
            view,
            transport: toolbar::Transport::new(speed_max),
            options: ViewOptions::new(presenting),
            side: side::SidePlots::default(),
            files: files::FilePrompts::default(),
            capture: capture::Capture::new(opts.frames, opts.exit_code),
            plane: None,
            compare: None,
            lecture: None,
        };
        if !partners.is_empty() {
            if let Err(e) = app.start_compare(&partners) {
                app.message = Some((e, true));
            }
        }
        if let Some((l, scene)) = lecture {
            app.start_lecture(l, scene);
        }
        if let Some(p) = plane {
            app.enter_plane(&p);
        }
        app
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

    /// The window title for the settings in force.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Whether the presentation layout is on.
    pub fn presenting(&self) -> bool {
        self.options.presenting
    }

    /// Whether clicks on the heat map draw points (D).
    pub fn drawing(&self) -> bool {
        self.side.draw.on
    }

    /// Where the data point (x, y) of the heat map was on screen in the last
    /// frame (for tests that click on the map).
    pub fn heat_map_screen_pos(&self, x: f64, y: f64) -> Option<egui::Pos2> {
        self.side.heat.screen_pos(x, y)
    }

    /// The 3D view's rectangle in points (also without OpenGL).
    pub fn view_rect(&self) -> egui::Rect {
        if let Some((p, _)) = &self.plane {
            return p.view_rect();
        }
        let partners = self.compare.iter().flat_map(|c| c.runs.iter());
        partners.fold(self.view.rect(), |r, p| r.union(p.view.rect()))
    }

    /// The trainer's notice while it is fresh.
    fn fresh_notice(&self) -> Option<&str> {
        let (text, at, state) = self.notice.as_ref()?;
        let same_state = self.snap.as_ref().is_none_or(|s| s.state() == *state);
        (same_state && at.elapsed().as_secs_f32() < NOTICE_SECONDS).then_some(text.as_str())
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

    /// Sends setting changes; they are validated whole and refused whole. A
    /// refused change leaves the panel showing the settings in force (only
    /// the typed CSV path stays, to be corrected).
    pub fn apply_pairs(&mut self, pairs: &[(&str, &str)]) {
        if let Err(e) = self.session.set(pairs) {
            self.message = Some((e.to_string(), true));
            if let Some(s) = self.session.latest() {
                let typed = std::mem::take(&mut self.edit.data);
                self.edit = (*s.settings).clone();
                self.edit.data = typed;
            }
        } else if let Some(Err(e)) = self.compare.as_ref().map(|c| c.set_shared(pairs)) {
            self.message = Some((e, true));
        }
    }

    /// New settings for the window's run (and, in compare mode, the
    /// partners rebuilt on them), from step 0.
    fn replace_settings(&mut self, settings: Settings, points: Option<Vec<(f64, f64)>>) {
        if let Some(c) = &mut self.compare {
            if let Err(e) = c.replace_all(&settings, points.clone()) {
                self.message = Some((e.to_string(), true));
            }
        }
        self.session.send(Command::Replace(settings, points));
    }

    fn load_preset(&mut self, name: &str) {
        match load_preset(name) {
            Ok((settings, story)) => {
                self.edit = settings.clone();
                self.lesson = Lesson::for_start(Some(name), &settings, story);
                self.replace_settings(settings, None);
                self.send_all(Command::Resume);
                self.view.reset_camera();
                self.message = None;
            }
            Err(e) => self.message = Some((e.to_string(), true)),
        }
    }

    fn toggle_play(&mut self) {
        let cmd = if self.running() {
            Command::Pause
        } else {
            Command::Resume
        };
        self.send_all(cmd);
    }

    /// Reset (R) or New seed (N). In a lecture the scene plays again from
    /// its own settings with its events armed (a scripted switch replays).
    /// At the collapse pause training resumes: a reset run is not left
    /// waiting at step 0.
    fn reset(&mut self, new_seed: bool) {
        let seed = new_seed.then(|| self.edit.seed.wrapping_add(1) % (u32::MAX as u64));
        if self.lecture.is_some() {
            self.replay_scene(seed);
            return;
        }
        self.send_all(Command::Reset { seed });
        if self.snap.as_ref().is_some_and(|s| s.paused_on_collapse) {
            self.send_all(Command::Resume);
        }
    }

    /// Takes the newest snapshot and updates what follows from it.
    fn sync_snapshot(&mut self) {
        let Some(s) = self.session.latest() else {
            return;
        };
        self.side.draw.sync(s.points_version);
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
        let same = match (&s.notice, &self.notice) {
            (Some(n), Some((old, _, _))) => n == old,
            _ => false,
        };
        if !same {
            self.notice = s.notice.clone().map(|n| (n, Instant::now(), s.state()));
        }
        self.snap = Some(s);
        if let Some(c) = &mut self.compare {
            c.sync();
        }
    }

    /// Keeps the window title on the settings in force.
    fn sync_title(&mut self, ctx: &egui::Context) {
        let title = self.lesson.title(&self.edit) + &self.compare_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Work after drawing: screenshots due, the display grid, timing, repaint.
    fn after_frame(&mut self, ctx: &egui::Context, started: Instant) {
        self.capture.frame_count += 1;
        self.frames_mode(ctx);
        self.record_frame(ctx);
        let view_px = self.view.rect().width() * ctx.pixels_per_point();
        let want = if !self.running() {
            RESOLUTION_PAUSED
        } else if view_px >= 1.0 {
            running_resolution(view_px)
        } else {
            self.resolution.min(RESOLUTION_RUNNING) // not laid out yet
        };
        if want != self.resolution {
            self.send_all(Command::SurfaceResolution(want, want));
            self.resolution = want;
        }
        self.capture.timings.record(
            started.elapsed(),
            self.snap.as_ref().map_or(0.0, |s| s.steps_per_sec),
        );
        // While training (or recording, or playing `--frames`) draw continuously;
        // when paused, sleep until input or a snapshot (e.g. after Step n) arrives.
        if self.running() || self.capture.recording.is_some() || self.capture.frames.is_some() {
            ctx.request_repaint();
        }
    }
}

impl eframe::App for EbmApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let started = Instant::now();
        let ctx = ui.ctx().clone();
        if self.plane.is_some() {
            self.lecture_events(&ctx);
        }
        if self.plane_frame_ui(ui) {
            self.dialog_ui(&ctx);
            self.screenshot_arrived(&ctx);
            self.after_frame(&ctx, started);
            return;
        }
        self.sync_snapshot();
        self.lecture_events(&ctx);
        self.sync_title(&ctx);
        self.keyboard(&ctx);
        #[cfg(not(target_arch = "wasm32"))] // the page reads drops itself (crate::web)
        self.dropped_files(&ctx);
        self.screenshot_arrived(&ctx);
        self.layout_ui(ui);
        self.help_ui(&ctx);
        self.dialog_ui(&ctx);
        self.after_frame(&ctx, started);
    }

    /// The panels' own fill (made transparent in `new`): the window is
    /// cleared to it, opaque.
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        let fill = if visuals.dark_mode {
            egui::Visuals::dark().panel_fill
        } else {
            egui::Visuals::light().panel_fill
        };
        fill.to_normalized_gamma_f32()
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(rec) = self.capture.recording.take() {
            if let Err(e) = rec.stop() {
                eprintln!("error: {e:#}");
            }
        }
        self.leave_compare();
        self.view.destroy();
        self.session.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_grid_follows_the_view_width() {
        assert_eq!(running_resolution(0.0), 32);
        assert_eq!(running_resolution(300.0), 40, "a compare column");
        assert_eq!(running_resolution(420.0), 56);
        assert_eq!(
            running_resolution(624.0),
            RESOLUTION_RUNNING,
            "the one-run view"
        );
        assert_eq!(running_resolution(3840.0), RESOLUTION_RUNNING);
        for px in (0..2000).map(|p| p as f32) {
            let n = running_resolution(px);
            assert!(n.is_multiple_of(8) && (32..=RESOLUTION_RUNNING).contains(&n));
            assert!(n <= running_resolution(px + 1.0), "monotone at {px}");
        }
    }
}
