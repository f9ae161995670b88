//! The status bar: step, speed, metrics, frame rate and the last message.

use egui::{Color32, RichText, Ui};

use super::*;

impl EbmApp {
    pub(super) fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(s) = &self.snap {
                ui.label(format!("step {}", s.step));
                ui.separator();
                ui.label(format!("{:.0} steps/s", s.steps_per_sec));
                ui.separator();
                let m = &s.metrics;
                ui.label(format!(
                    "loss {:.4}   spread {:.3}   contrast {:.3}   inference error {:.3}{}",
                    m.loss,
                    m.spread,
                    m.contrast,
                    m.inference_error,
                    m.coverage
                        .map(|c| format!("   coverage {:.0}%", c * 100.0))
                        .unwrap_or_default()
                ));
                ui.separator();
                ui.weak(format!("{:.0} fps", self.timings.fps()));
            } else {
                ui.label("starting the trainer…");
            }
            if let Some((msg, is_err)) = &self.message {
                ui.separator();
                if *is_err {
                    ui.colored_label(Color32::from_rgb(230, 60, 60), msg);
                } else {
                    ui.label(msg);
                }
            }
        });
    }
}
