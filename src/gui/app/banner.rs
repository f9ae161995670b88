//! The banner above the 3D view: what the run is showing, and warnings.

use egui::{Color32, RichText, Ui};

use super::*;

impl EbmApp {
    pub(super) fn banner_ui(&mut self, ui: &mut Ui) {
        let Some(snap) = self.snap.clone() else {
            return;
        };
        if !self.session.is_alive() {
            ui.horizontal(|ui| {
                ui.colored_label(
                    Color32::from_rgb(230, 60, 60),
                    snap.error.as_deref().unwrap_or("the trainer stopped"),
                );
                if ui.button("Restart trainer").clicked() {
                    self.session.restart();
                }
            });
            return;
        }
        if let Some(err) = &snap.error {
            ui.horizontal(|ui| {
                ui.colored_label(Color32::from_rgb(230, 60, 60), err);
                if snap.diverged() && ui.button("Reset").clicked() {
                    self.reset(false);
                }
            });
        } else if self
            .stuck_since
            .is_some_and(|from| snap.step.saturating_sub(from) >= STUCK_STEPS)
        {
            ui.horizontal(|ui| {
                ui.colored_label(
                    Color32::from_rgb(240, 160, 40),
                    "Still collapsed: after a deep collapse the nets saturate and may not recover (nll recovers best). Reset to start afresh.",
                );
                if ui.button("Reset").clicked() {
                    self.reset(false);
                }
            });
        } else if snap.settings.loss == Loss::Energy
            && snap.settings.architecture == crate::model::Architecture::Dual
        {
            ui.label(RichText::new(format!(
                "{}  Try it: while it runs, click square-square or nll on the left.",
                self.story
            )));
        } else {
            ui.label(&self.story);
        }
        if let Some(n) = &snap.notice {
            ui.weak(n);
        }
    }
}
