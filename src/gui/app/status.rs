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
                let metrics = format!(
                    "loss {}   spread {}   y-spread {}   contrast {}   inference error {}{}",
                    eng(m.loss, 4),
                    eng(m.spread, 3),
                    eng(m.y_spread, 3),
                    eng(m.contrast, 3),
                    eng(m.inference_error, 3),
                    m.coverage
                        .map(|c| format!("   coverage {:.0}%", c * 100.0))
                        .unwrap_or_default()
                );
                // A message is news: the metrics line gives way to it (cut
                // with "…", in full on hover and in the Metrics plot).
                let room = ui.available_width() - self.message_width(ui) - 70.0;
                ui.allocate_ui(egui::vec2(room.max(120.0), ui.available_height()), |ui| {
                    ui.add(egui::Label::new(&metrics).truncate())
                        .on_hover_text(&metrics);
                });
                ui.separator();
                // Paused, the window only redraws on input: a frame rate would be stale.
                if s.running {
                    ui.weak(format!("{:.0} fps", self.capture.timings.fps()));
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

    /// The width the status message wants on one line (0 without one).
    fn message_width(&self, ui: &Ui) -> f32 {
        let Some((msg, _)) = &self.message else {
            return 0.0;
        };
        let font = egui::TextStyle::Body.resolve(ui.style());
        let w = ui
            .painter()
            .layout_no_wrap(msg.clone(), font, Color32::WHITE)
            .size()
            .x;
        w + 2.0 * ui.spacing().item_spacing.x + 8.0
    }
}
