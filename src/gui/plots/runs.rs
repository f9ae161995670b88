//! Compare mode's plots: every run overlaid in its own colour. The metrics
//! plot shows, on a log scale, each run's y-spread as a fraction of its
//! step-0 value (1 at the start, under `COLLAPSE_ENTER` is a collapse, a
//! contrastive loss can lift it a hundredfold) and its inference error
//! (dashed, under `LEARNED_ERROR` is learned), the two numbers the state
//! badge is made of (`model::state_rule`); the slice
//! plot each run's E(y | x₀).

use std::sync::Arc;

use egui::{Color32, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotPoints};

use crate::model::state_rule::{COLLAPSE_ENTER, LEARNED_ERROR};

use super::{axis_text, column_of, column_points, key_row_ui, step_text, KeyItem};
use crate::scene::colormap::Mark;
use crate::session::Snapshot;

/// A run as the overlaid plots see it.
pub struct RunTrace {
    pub label: String,
    pub color: Color32,
    pub snap: Arc<Snapshot>,
}

fn runs_key_ui(ui: &mut Ui, runs: &[RunTrace]) {
    let items: Vec<KeyItem> = runs
        .iter()
        .map(|r| KeyItem::new(Mark::Line, r.color, &r.label))
        .collect();
    key_row_ui(ui, &items);
}

/// y-spread / step 0 (solid) and inference error (dashed) of every run.
pub fn runs_metrics_plot_ui(ui: &mut Ui, runs: &[RunTrace]) {
    runs_key_ui(ui, runs);
    ui.weak(format!(
        "solid: y-spread ÷ step 0 (< {COLLAPSE_ENTER} collapsed) · dashed: inference error (< {LEARNED_ERROR} learned)"
    ));
    let last = runs
        .iter()
        .filter_map(|r| r.snap.history.points().last().map(|p| p.step as f64))
        .fold(10.0, f64::max);
    let plot = Plot::new("runs-metrics")
        .x_axis_label("step")
        .y_axis_label("log₁₀")
        .x_axis_formatter(|m, _| step_text(m.value, m.step_size))
        .x_grid_spacer(super::nice_spacer())
        .y_axis_formatter(|m, _| axis_text(m))
        .include_x(0.0)
        .include_x(last)
        .include_y(0.0)
        .include_y(COLLAPSE_ENTER.min(LEARNED_ERROR).log10())
        .allow_scroll(false);
    plot.show(ui, |p| {
        for r in runs {
            let points = r.snap.history.points();
            let first = points.first().map_or(1.0, |h| h.y_spread).max(1e-12);
            let spread = log_series(points, |h| h.y_spread / first);
            let error = log_series(points, |h| h.inference_error);
            p.line(
                Line::new(format!("{} y-spread", r.label), PlotPoints::from(spread))
                    .color(r.color)
                    .width(2.0),
            );
            p.line(
                Line::new(format!("{} error", r.label), PlotPoints::from(error))
                    .color(r.color)
                    .width(1.5)
                    .style(LineStyle::dashed_dense()),
            );
        }
        for t in [COLLAPSE_ENTER, LEARNED_ERROR] {
            p.hline(HLine::new(t.to_string(), t.log10()).color(Color32::GRAY));
        }
    });
}

/// log₁₀ of a metric over steps (zeros floored at 10⁻⁶, non-finite values left out).
fn log_series(
    points: &[crate::session::HistoryPoint],
    f: impl Fn(&crate::session::HistoryPoint) -> f64,
) -> Vec<[f64; 2]> {
    points
        .iter()
        .map(|h| [h.step as f64, f(h).abs().max(1e-6).log10()])
        .filter(|v| v[1].is_finite())
        .collect()
}

/// Every run's E(y | x₀) on one plot.
pub fn runs_slice_plot_ui(ui: &mut Ui, runs: &[RunTrace], slice_x: f64) {
    runs_key_ui(ui, runs);
    let plot = Plot::new("runs-slice")
        .x_axis_label("y")
        .y_axis_label("E(y | x₀)")
        .y_axis_formatter(|m, _| axis_text(m))
        .y_grid_spacer(super::nice_spacer())
        .include_y(0.0)
        .allow_scroll(false);
    plot.show(ui, |p| {
        for r in runs {
            let view = &r.snap.view;
            let ny = view.ys.len();
            if view.xs.is_empty() || view.energy.len() < view.xs.len() * ny {
                continue;
            }
            let i = column_of(view, slice_x);
            let pts = column_points(&view.ys, &view.energy[i * ny..(i + 1) * ny]);
            p.line(
                Line::new(r.label.clone(), PlotPoints::from(pts))
                    .color(r.color)
                    .width(2.0),
            );
        }
    });
}
