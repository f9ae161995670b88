//! Lecture mode (`ebm-lab lecture`): the scenes of a lecture file one after
//! the other in the presentation layout. A scene loads its preset (and
//! partners, in compare mode), its caption becomes the banner's text, and
//! its events fire once when the window's run reaches them. Presenter keys
//! (what clickers send): PageDown / → / Space next, PageUp / ← back.

use egui::{Color32, RichText, Ui};

use super::*;
use crate::lecture::{Event, EventClock, Lecture, Trigger};

/// A lecture being played.
pub struct LectureRun {
    pub lecture: Lecture,
    pub index: usize,
    /// Which of the scene's events have fired.
    clock: EventClock,
    /// The text of the last event that showed one.
    shown: Option<String>,
    /// Snapshots of the scene's run have a newer settings version than this.
    since_version: u64,
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
        });
        self.presenting = true;
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
        let Some(l) = &mut self.lecture else {
            return;
        };
        let n = l.lecture.scenes.len();
        let i = i.min(n.saturating_sub(1));
        let scene = l.lecture.scenes[i].clone();
        l.index = i;
        l.clock = EventClock::new(&scene.events);
        l.shown = None;
        l.since_version = self.snap.as_ref().map_or(0, |s| s.settings_version);
        self.leave_compare();
        let name = format!("{}/{n} {}", i + 1, scene.title);
        self.lesson = Lesson::new(name, scene.settings.clone(), scene.caption.clone());
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

    /// Fires the scene's events the newest snapshot has reached (once each).
    pub(super) fn lecture_events(&mut self) {
        let (Some(l), Some(s)) = (&mut self.lecture, &self.snap) else {
            return;
        };
        if s.settings_version <= l.since_version {
            return; // still the previous scene's run
        }
        let scene = &l.lecture.scenes[l.index];
        let due: Vec<Event> = l
            .clock
            .due(&scene.events, s.step, s.state())
            .into_iter()
            .cloned()
            .collect();
        for e in due {
            self.fire(e);
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
        // A scripted switch changes the scene's own run (the first column),
        // as in the handout (`lecture --export`); checked when the file was read.
        if !e.set.is_empty() {
            let pairs: Vec<(&str, &str)> = e
                .set
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            if let Err(err) = self.session.set(&pairs) {
                self.message = Some((err.to_string(), true));
            }
        }
        if let (Some(text), Some(l)) = (e.show, &mut self.lecture) {
            l.shown = Some(text);
        }
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
        let shown = l.shown.clone();
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
