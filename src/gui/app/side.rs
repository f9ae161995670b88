//! The plots column: metrics over steps, the slice at x₀ and the heat map
//! (with its "Draw points" toggle and "Save points…" button).

use egui::{RichText, Ui};

use super::*;

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
                plots::metrics_plot_ui(ui, &snap.history, self.log_metrics)
            } else {
                plots::runs_metrics_plot_ui(ui, &runs)
            }
        });
        ui.horizontal(|ui| {
            let name = ui.label(RichText::new("Slice E(y | x₀)").strong());
            let (a, b) = (snap.view.x_range.0 as f64, snap.view.x_range.1 as f64);
            ui.add(egui::Slider::new(&mut self.slice_x, a..=b).text("x₀"))
                .labelled_by(name.id);
        });
        ui.allocate_ui(egui::vec2(ui.available_width(), h), |ui| {
            if runs.is_empty() {
                plots::slice_plot_ui(ui, &snap, self.slice_x, self.show_ghost)
            } else {
                plots::runs_slice_plot_ui(ui, &runs, self.slice_x)
            }
        });
        self.heat_title_ui(ui);
        let event = ui
            .allocate_ui(
                egui::vec2(ui.available_width(), ui.available_height()),
                |ui| self.heat.ui(ui, &snap, self.slice_x, &mut self.draw),
            )
            .inner;
        match event {
            Some(plots::HeatEvent::Slice(x)) => self.slice_x = x,
            Some(plots::HeatEvent::Points(points)) => self.send_points(points),
            Some(plots::HeatEvent::Refused(why)) => self.message = Some((why, true)),
            None => {}
        }
    }
}
