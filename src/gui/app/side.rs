//! The plots column: metrics over steps, the slice at x₀ and the heat map
//! (with its "Draw points" toggle and "Save points…" button).

use egui::{RichText, Ui};

use super::*;

/// The plots column's own state.
pub(super) struct SidePlots {
    pub heat: HeatMap,
    /// Drawing the training points on the heat map (D).
    pub draw: plots::Draw,
    /// Where the slice E(y | x₀) is taken.
    pub slice_x: f64,
}

impl Default for SidePlots {
    fn default() -> SidePlots {
        SidePlots {
            heat: HeatMap::default(),
            draw: plots::Draw::default(),
            slice_x: 0.5,
        }
    }
}

impl EbmApp {
    pub(super) fn plots_ui(&mut self, ui: &mut Ui) {
        let Some(snap) = self.snap.clone() else {
            return;
        };
        // Three plots, each under a title and a key row.
        let h = (ui.available_height() / 3.0 - 48.0).max(80.0);
        let runs = if self.comparing() {
            self.run_traces()
        } else {
            Vec::new()
        };
        ui.label(RichText::new("Metrics over steps").strong());
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
            if runs.is_empty() {
                plots::metrics_plot_ui(ui, &snap.history, self.options.log_metrics)
            } else {
                plots::runs_metrics_plot_ui(ui, &runs)
            }
        });
        ui.horizontal(|ui| {
            let name = ui.label(RichText::new("Slice E(y | x₀)").strong());
            let (a, b) = (snap.view.x_range.0 as f64, snap.view.x_range.1 as f64);
            ui.add(egui::Slider::new(&mut self.side.slice_x, a..=b).text("x₀"))
                .labelled_by(name.id);
        });
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
            if runs.is_empty() {
                plots::slice_plot_ui(ui, &snap, self.side.slice_x, self.options.show_ghost)
            } else {
                plots::runs_slice_plot_ui(ui, &runs, self.side.slice_x)
            }
        });
        self.heat_title_ui(ui);
        let event = ui
            .allocate_ui(
                egui::vec2(ui.available_width(), ui.available_height()),
                |ui| {
                    self.side
                        .heat
                        .ui(ui, &snap, self.side.slice_x, &mut self.side.draw)
                },
            )
            .inner;
        match event {
            Some(plots::HeatEvent::Slice(x)) => self.side.slice_x = x,
            Some(plots::HeatEvent::Points(points)) => self.send_points(points),
            Some(plots::HeatEvent::Refused(why)) => self.message = Some((why, true)),
            None => {}
        }
    }
}
