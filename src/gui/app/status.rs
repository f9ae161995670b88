//! The status bar: step, speed, metrics, frame rate and the last message.

use egui::{Color32, RichText, Ui};

use super::*;
use crate::scene::numfmt::eng;

impl EbmApp {
    pub(super) fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(s) = &self.snap {
                ui.label(format!("step {}", s.step));
                ui.separator();
                ui.label(format!("{} steps/s", eng(s.steps_per_sec.round(), 3)));
                ui.separator();
                let m = &s.metrics;
                ui.label(format!(
                    "loss {}   spread {}   y-spread {}   contrast {}   inference error {}{}",
                    eng(m.loss, 4),
                    eng(m.spread, 3),
                    eng(m.y_spread, 3),
                    eng(m.contrast, 3),
                    eng(m.inference_error, 3),
                    m.coverage
                        .map(|c| format!("   coverage {:.0}%", c * 100.0))
                        .unwrap_or_default()
                ));
                ui.separator();
                // Paused, the window only redraws on input: a frame rate would be stale.
                if s.running {
                    ui.weak(format!("{:.0} fps", self.timings.fps()));
                } else {
                    ui.weak("paused");
                }
            } else {
                ui.label("starting the trainer…");
            }
            if let Some((msg, is_err)) = &self.message {
                ui.separator();
                let color = if *is_err {
                    Color32::from_rgb(230, 60, 60)
                } else {
                    ui.visuals().text_color()
                };
                // One line, cut with "…"; the whole text on hover (errors also in full in the banner).
                ui.add(egui::Label::new(RichText::new(msg).color(color)).truncate())
                    .on_hover_text(msg);
            }
        });
    }
}
