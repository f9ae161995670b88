//! What a host around the app (the browser page, [`crate::web`]) needs of it:
//! messages, the current preset, and files the host received by name.

use std::path::Path;

use super::EbmApp;
use crate::gui::dialogs::DialogKind;
use crate::session::{Command, LiveSession};

impl EbmApp {
    /// Shows `text` in the status bar (in red when `is_err`).
    pub fn show_message(&mut self, text: String, is_err: bool) {
        self.message = Some((text, is_err));
    }

    /// Trains for about `budget` in this frame: the browser's session has no
    /// thread (a no-op natively, where the trainer thread runs by itself).
    /// In compare mode the window's run takes its share of the budget and the
    /// partners train to its step. Returns the steps the window's own run
    /// trained.
    pub fn pump_session(&self, budget: crate::session::Duration) -> u64 {
        let partners: Vec<&crate::session::Session> = self
            .compare
            .iter()
            .flat_map(|c| c.runs.iter().map(|r| &r.session))
            .collect();
        let share = budget / (partners.len() as u32 + 1);
        let steps = self.session.pump(share);
        // The partners keep the window's step ("same data, same weights, one
        // Play"), whatever each step costs: a slower loss takes longer, not
        // fewer steps (within a generous budget, so a frame is never lost).
        let step = self.session.step();
        for s in partners {
            s.pump_to(step, budget);
        }
        steps
    }

    /// At most `per_second` snapshots while training (the session's default
    /// is 60): each one rebuilds the 3D mesh, the heat map and the plots.
    /// Partners added later start at this rate too.
    pub fn set_publish_rate(&mut self, per_second: f64) {
        self.publish_rate = Some(per_second);
        self.send_all(Command::PublishRate(per_second));
    }

    /// The preset the current settings started from, if any (the lesson's
    /// name when that is a preset; a file's name or "ebm-lab" otherwise).
    pub fn preset(&self) -> Option<&str> {
        let name = self.lesson.name.as_str();
        crate::presets::PRESETS
            .iter()
            .any(|(p, _)| *p == name)
            .then_some(name)
    }

    /// Whether the user asked to open a settings file (menu or Ctrl+O) since the
    /// last call; the request is taken, so the host can answer it its own way
    /// (the browser's file picker instead of the path prompt).
    pub fn take_open_request(&mut self) -> bool {
        let asked = self
            .files
            .dialog
            .as_ref()
            .is_some_and(|d| d.kind == DialogKind::OpenSettings);
        if asked {
            self.files.dialog = None;
        }
        asked
    }

    /// Starts over on what a new link asks for (the page's fragment changed
    /// in an open tab): the settings from step 0 under the lesson of
    /// `preset`, then its compare partners or its lecture scene, as a fresh
    /// page would open them. A partner list refused here is shown, the run
    /// goes on alone.
    pub fn open_start(
        &mut self,
        settings: crate::settings::Settings,
        story: String,
        preset: Option<String>,
        compare: &[String],
        lecture: Option<(crate::lecture::Lecture, usize)>,
    ) {
        self.lecture = None;
        self.leave_compare();
        self.lesson = super::lesson::Lesson::for_start(preset.as_deref(), &settings, story);
        self.edit = settings.clone();
        self.replace_settings(settings, None);
        self.send_all(Command::Resume);
        self.view.reset_camera();
        self.message = None;
        if !compare.is_empty() {
            if let Err(e) = self.start_compare(compare) {
                self.message = Some((e, true));
            }
        }
        if let Some((l, i)) = lecture {
            self.start_lecture(l, i);
        }
    }

    /// Opens a file that the host made readable under `name`: settings
    /// (`.toml`) replace the run; points (`.csv`) become the custom dataset.
    pub fn open_named(&mut self, name: &str) {
        if name.to_ascii_lowercase().ends_with(".csv") {
            self.open_points(Path::new(name));
        } else {
            self.open_settings(Path::new(name));
        }
    }
}
