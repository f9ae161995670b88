//! Lecture mode (`ebm-lab lecture`): the scenes of a lecture file one after
//! the other in the presentation layout. A scene loads its preset (and
//! partners, in compare mode), its caption becomes the banner's text, and
//! its events fire once when the window's run reaches them. Presenter keys
//! (what clickers send): PageDown / → / Space next, PageUp / ← back.

use egui::{Color32, RichText, Ui};

use super::*;
use crate::lecture::{Event, EventClock, Lecture, Trigger};
use crate::presets::Expect;

/// A lecture being played.
pub struct LectureRun {
    pub lecture: Lecture,
    pub index: usize,
    /// Which of the scene's events have fired.
    pub(super) clock: EventClock,
    /// The text of the last event that showed one.
    pub(super) shown: Option<String>,
    /// Snapshots of the scene's run have a newer settings version than this.
    since_version: u64,
    /// An event holding the run paused until the deadline, its `set` then applied.
    held: Option<(Event, Instant)>,
}

impl EbmApp {
    /// Plays `lecture` from scene `start` (0-based) in the presentation layout.
    pub fn start_lecture(&mut self, lecture: Lecture, start: usize) {
        self.lecture = Some(LectureRun {
            lecture,
            index: 0,
            clock: EventClock::default(),
            shown: None,
            since_version: 0,
            held: None,
        });
        self.options.presenting = true;
        self.go_to_scene(start);
    }

    /// The scene shown (0-based) and the number of scenes.
    pub fn lecture_position(&self) -> Option<(usize, usize)> {
        self.lecture
            .as_ref()
            .map(|l| (l.index, l.lecture.scenes.len()))
    }

    /// The text the last event showed in this scene.
    pub fn lecture_shown(&self) -> Option<&str> {
        self.lecture.as_ref().and_then(|l| l.shown.as_deref())
    }

    /// Goes to scene `i` (clamped): its settings from step 0, its partners.
    pub fn go_to_scene(&mut self, i: usize) {
        self.play_scene(i, None);
    }

    /// Plays the current scene again from step 0 (Reset in a lecture: the
    /// scene's own settings, its events armed again), on `seed` if given.
    pub fn replay_scene(&mut self, seed: Option<u64>) {
        if let Some(i) = self.lecture.as_ref().map(|l| l.index) {
            self.play_scene(i, seed);
        }
    }

    fn play_scene(&mut self, i: usize, seed: Option<u64>) {
        let Some(l) = &mut self.lecture else {
            return;
        };
        let n = l.lecture.scenes.len();
        let i = i.min(n.saturating_sub(1));
        let mut scene = l.lecture.scenes[i].clone();
        if let Some(seed) = seed {
            scene.settings.seed = seed;
        }
        l.index = i;
        l.held = None;
        l.clock = EventClock::new(&scene.events);
        l.shown = None;
        l.since_version = self.snap.as_ref().map_or(0, |s| s.settings_version);
        self.leave_compare();
        if let Some(p) = &scene.plane {
            self.play_plane_scene(&scene, p, seed);
            return;
        }
        self.leave_plane();
        let name = format!("{}/{n} {}", i + 1, scene.title);
        self.lesson = Lesson::new(name, scene.settings.clone(), scene.caption.clone())
            .in_lecture(scene.expect == Some(Expect::Collapsed));
        self.edit = scene.settings.clone();
        self.session.send(Command::Replace(scene.settings, None));
        self.view.reset_camera();
        self.message = None;
        if !scene.compare.is_empty() {
            if let Err(e) = self.start_compare(&scene.compare) {
                self.message = Some((e, true));
            }
        }
        // A pause at the collapse is the trainer's own (exactly at the check,
        // where the state holds still); other events are the window's.
        let at_collapse = Trigger::State(State::Collapsed);
        let pause = scene.events.iter().any(|e| e.pause && e.at == at_collapse);
        self.session.send(Command::PauseOnCollapse(pause));
        // The scene's pace, unless "max" is on (the lecturer's choice, or
        // `EBM_LAB_SPEED=max`): it stays on from scene to scene.
        self.transport.speed = scene.speed;
        if !self.transport.speed_max {
            self.send_all(Command::Speed(Some(scene.speed)));
        }
        self.send_all(Command::Resume);
    }

    pub fn next_scene(&mut self) {
        if let Some(i) = self.lecture.as_ref().map(|l| l.index + 1) {
            self.go_to_scene(i);
        }
    }

    pub fn previous_scene(&mut self) {
        if let Some(i) = self.lecture.as_ref().map(|l| l.index) {
            self.go_to_scene(i.saturating_sub(1));
        }
    }

    /// Fires the scene's events the newest snapshot has reached (once each),
    /// and releases a held event whose time is up.
    pub(super) fn lecture_events(&mut self, ctx: &egui::Context) {
        if self.plane_lecture_events() {
            return;
        }
        let due: Vec<Event> = match (&mut self.lecture, &self.snap) {
            // Newer than the previous scene's run.
            (Some(l), Some(s)) if s.settings_version > l.since_version => {
                let scene = &l.lecture.scenes[l.index];
                l.clock
                    .due(&scene.events, s.step, s.state())
                    .into_iter()
                    .cloned()
                    .collect()
            }
            _ => Vec::new(),
        };
        for e in due {
            self.fire(e);
        }
        // After firing: a hold that just began asks for its repaint here.
        self.release_held(ctx);
    }

    /// A held event whose hold is over: its `set` applies and training goes
    /// on (unless the event also pauses); until then a repaint is asked for
    /// at the deadline, since a paused window draws no frames of its own.
    fn release_held(&mut self, ctx: &egui::Context) {
        let Some(l) = &mut self.lecture else {
            return;
        };
        let Some((_, until)) = &l.held else {
            return;
        };
        let now = Instant::now();
        if now < *until {
            ctx.request_repaint_after(*until - now);
            return;
        }
        let Some((e, _)) = l.held.take() else {
            return;
        };
        // Its text announced the switch; once made, the banner explains it.
        if !e.set.is_empty() {
            l.shown = None;
        }
        self.apply_event_set(&e);
        if !e.pause {
            self.send_all(Command::Resume);
        }
    }

    fn apply_event_set(&mut self, e: &Event) {
        if e.set.is_empty() {
            return;
        }
        let pairs: Vec<(&str, &str)> = e
            .set
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Err(err) = self.session.set(&pairs) {
            self.message = Some((err.to_string(), true));
        }
    }

    fn fire(&mut self, e: Event) {
        // At a collapse the trainer pauses the scene's run itself (see
        // `go_to_scene`); the window pauses the partners and other events.
        if e.pause && e.at == Trigger::State(State::Collapsed) {
            if let Some(c) = &self.compare {
                c.send_all(&Command::Pause);
            }
        } else if e.pause {
            self.send_all(Command::Pause);
        }
        if let (Some(text), Some(l)) = (e.show.clone(), &mut self.lecture) {
            l.shown = Some(text);
        }
        // A hold pauses the run with the text shown; the switch comes after it.
        if e.hold > 0.0 {
            self.send_all(Command::Pause);
            if let Some(l) = &mut self.lecture {
                let until = Instant::now() + std::time::Duration::from_secs_f64(e.hold);
                l.held = Some((e, until));
            }
            return;
        }
        // A scripted switch changes the scene's own run (the first column),
        // as in the handout (`lecture --export`); checked when the file was read.
        self.apply_event_set(&e);
    }

    /// The lecture's bar: back, where we are, next, what to watch, and the
    /// last event's text.
    pub(super) fn lecture_bar_ui(&mut self, ui: &mut Ui, size: f32) {
        let Some(l) = &self.lecture else {
            return;
        };
        let (i, n) = (l.index, l.lecture.scenes.len());
        let scene = &l.lecture.scenes[i];
        let title = format!("{}/{n} · {}", i + 1, scene.title);
        let watch = scene.watch.clone();
        // A scene whose events show text keeps a row for it from the start,
        // so the 3D view does not move down when the text appears.
        let shows = scene.events.iter().any(|e| e.show.is_some());
        let shown = l.shown.clone().or_else(|| shows.then(String::new));
        let mut go = None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(i > 0, egui::Button::new(RichText::new("Back").size(size)))
                .on_hover_text("PageUp / ←")
                .clicked()
            {
                go = Some(i.saturating_sub(1));
            }
            if ui
                .add_enabled(
                    i + 1 < n,
                    egui::Button::new(RichText::new("Next").size(size)),
                )
                .on_hover_text("PageDown / → / Space")
                .clicked()
            {
                go = Some(i + 1);
            }
            ui.label(RichText::new(title).size(size).strong());
        });
        if !watch.is_empty() {
            ui.label(RichText::new(format!("Watch: {watch}")).size(size * 0.85));
        }
        if let Some(text) = shown {
            let color = Color32::from_rgb(240, 180, 60);
            ui.label(RichText::new(text).size(size * 0.9).color(color).strong());
        }
        if let Some(i) = go {
            self.go_to_scene(i);
        }
    }
}
