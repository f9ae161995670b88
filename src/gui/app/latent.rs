//! Entering and leaving the latent-variable lessons (`gui::plane`): the
//! session pauses while they are shown and resumes on the way back if it
//! was running.

use egui::Ui;

use super::*;
use crate::gui::plane::{PlaneAction, PlaneMode};
use crate::lecture::{PlaneScene, Scene};

impl EbmApp {
    /// Shows the plane lessons on `preset` (a plane preset's name).
    pub fn enter_plane(&mut self, preset: &str) {
        // Before the first snapshot the session is starting, to run.
        let was_running = self.snap.as_ref().is_none_or(|s| s.running);
        self.session.send(Command::Pause);
        self.plane = Some((PlaneMode::new(self.gl.clone(), preset), was_running));
    }

    /// Leaves the plane mode if it is shown; the session resumes if it ran
    /// when the plane was entered.
    pub fn leave_plane(&mut self) {
        if let Some((_, resume)) = self.plane.take() {
            self.title.clear(); // sync_title sends the session's title again
            if resume {
                self.session.send(Command::Resume);
            }
        }
    }

    /// A lecture's plane scene: the plane mode on the scene's spec (on
    /// `seed` if given: Reset and New seed in a lecture).
    pub(super) fn play_plane_scene(&mut self, scene: &Scene, p: &PlaneScene, seed: Option<u64>) {
        let mut spec = p.spec.clone();
        if let Some(seed) = seed {
            spec.seed = seed;
        }
        let was_running = match self.plane.take() {
            Some((_, r)) => r,
            None => {
                self.session.send(Command::Pause);
                self.snap.as_ref().is_none_or(|s| s.running)
            }
        };
        let mode = PlaneMode::for_scene(
            self.gl.clone(),
            p.preset,
            &spec,
            p.x,
            scene.speed,
            &scene.caption,
        );
        self.plane = Some((mode, was_running));
        self.message = None;
    }

    /// Fires the plane scene's events the plane's run has reached; `false`
    /// when the scene is not a plane scene.
    pub(super) fn plane_lecture_events(&mut self) -> bool {
        let (Some(l), Some((mode, _))) = (&mut self.lecture, &mut self.plane) else {
            return false;
        };
        let scene = &l.lecture.scenes[l.index];
        for e in l.clock.due(&scene.events, mode.step(), mode.state()) {
            if e.pause {
                mode.pause();
            }
            if let Some(text) = &e.show {
                l.shown = Some(text.clone());
            }
        }
        true
    }

    /// The plane mode, when it is shown, to act on (tests).
    pub fn plane_mut(&mut self) -> Option<&mut PlaneMode> {
        self.plane.as_mut().map(|(p, _)| p)
    }

    /// The plane mode, when it is shown.
    pub fn plane(&self) -> Option<&PlaneMode> {
        self.plane.as_ref().map(|(p, _)| p)
    }

    /// Draws the plane mode if it is shown (then `true`: nothing else is
    /// drawn), under the lecture's bar in a lecture.
    pub(super) fn plane_frame_ui(&mut self, ui: &mut Ui) -> bool {
        let Some((mode, _)) = &self.plane else {
            return false;
        };
        let title = format!("ebm-lab · {} · {}", mode.family(), mode.preset());
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.lecture.is_some() {
            self.plane_lecture_keys(ui);
            let size = ui.style().text_styles[&egui::TextStyle::Body].size * 1.3;
            egui::Panel::top("plane-lecture").show(ui, |ui| self.lecture_bar_ui(ui, size));
        }
        // The bar may have moved to a scene on the line.
        let Some((mode, _)) = &mut self.plane else {
            return false;
        };
        #[cfg(not(target_arch = "wasm32"))] // the page reads drops itself
        plane_dropped_files(ui.ctx(), mode);
        match mode.ui(ui) {
            PlaneAction::Stay => {}
            PlaneAction::Leave => self.leave_plane(),
            PlaneAction::Export(kind) => self.open_dialog(kind),
        }
        true
    }
}

impl EbmApp {
    /// A lecture's keys over a plane scene: PageDown / → next, PageUp / ←
    /// back (Space plays and pauses the plane's run there).
    fn plane_lecture_keys(&mut self, ui: &Ui) {
        use egui::Key;
        let action = ui.input(|i| {
            if i.key_pressed(Key::PageDown) || i.key_pressed(Key::ArrowRight) {
                Some(Action::NextScene)
            } else if i.key_pressed(Key::PageUp) || i.key_pressed(Key::ArrowLeft) {
                Some(Action::PreviousScene)
            } else {
                None
            }
        });
        if let Some(a) = action {
            self.route(ui.ctx(), a);
        }
    }
}

/// A CSV dropped on the window in the plane mode: its points (y1,y2 or
/// x,y1,y2) to train on, or a message naming the file and the line.
#[cfg(not(target_arch = "wasm32"))]
fn plane_dropped_files(ctx: &egui::Context, mode: &mut PlaneMode) {
    let dropped = ctx.input(|i| i.raw.dropped_files.clone());
    for f in dropped {
        let path = f.path().to_path_buf();
        let read = crate::files::read_text(&path, "points", crate::files::caps::DATA)
            .map_err(|e| e.to_string())
            .and_then(|text| crate::model::plane::parse_plane_csv(&text));
        match read {
            Ok(points) => mode.train_on(points),
            Err(e) => mode.show_problem(format!("{}: {e}", path.display())),
        }
    }
}
