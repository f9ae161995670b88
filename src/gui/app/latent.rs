//! Entering and leaving the latent-variable lessons (`gui::plane`): the
//! session pauses while they are shown and resumes on the way back if it
//! was running.

use egui::Ui;

use super::*;
use crate::gui::plane::{PlaneAction, PlaneMode};

impl EbmApp {
    /// Shows the plane lessons on `preset` (a plane preset's name).
    pub fn enter_plane(&mut self, preset: &str) {
        // Before the first snapshot the session is starting, to run.
        let was_running = self.snap.as_ref().is_none_or(|s| s.running);
        self.session.send(Command::Pause);
        self.plane = Some((PlaneMode::new(self.gl.clone(), preset), was_running));
    }

    /// The plane mode, when it is shown.
    pub fn plane(&self) -> Option<&PlaneMode> {
        self.plane.as_ref().map(|(p, _)| p)
    }

    /// Draws the plane mode if it is shown (then `true`: nothing else is drawn).
    pub(super) fn plane_frame_ui(&mut self, ui: &mut Ui) -> bool {
        let Some((mode, was_running)) = &mut self.plane else {
            return false;
        };
        let title = format!("ebm-lab · latent variables · {}", mode.preset());
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if mode.ui(ui) == PlaneAction::Leave {
            let resume = *was_running;
            self.plane = None;
            self.title.clear(); // sync_title sends the session's title again
            if resume {
                self.session.send(Command::Resume);
            }
        }
        true
    }
}
