//! The plane mode's efficiency plot (the seed slides: "how many energies
//! are pulled up for a given amount of computation?"): per step, the
//! energies computed and the energies pulled up, along the whole run.

use egui::Ui;
use egui_plot::{Legend, Line, Plot, PlotPoints};

/// Energies computed and pulled up per step against the step, log scale.
pub fn efficiency_ui(ui: &mut Ui, costs: &[[u64; 3]]) {
    ui.vertical(|ui| plot_ui(ui, costs));
}

fn plot_ui(ui: &mut Ui, costs: &[[u64; 3]]) {
    ui.label("Per step: energies computed (cost) and energies pulled up (log₁₀).");
    if costs.is_empty() {
        ui.weak("Press Play or Step: the costs of each step appear here.");
        return;
    }
    let line = |k: usize| -> Vec<[f64; 2]> {
        costs
            .iter()
            .map(|c| [c[0] as f64, (c[k].max(1) as f64).log10()])
            .collect()
    };
    let last = costs[costs.len() - 1];
    Plot::new("plane-efficiency")
        .legend(Legend::default())
        .allow_scroll(false)
        .allow_drag(false)
        .x_axis_label("step")
        .y_axis_label("log₁₀ energies")
        .show(ui, |p| {
            p.line(Line::new(
                format!("computed ({})", last[1]),
                PlotPoints::from(line(1)),
            ));
            p.line(Line::new(
                format!("pulled up ({})", last[2]),
                PlotPoints::from(line(2)),
            ));
        });
}
