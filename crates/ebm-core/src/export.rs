//! Text formats written by the CLI and the window: the surface CSV, the
//! training points CSV and the metrics JSON. Pure formatting; the writing is
//! in `files`.

use std::fmt::Write as _;

use crate::model::{Metrics, Run};

/// `x,y,energy`, one row per point of the metrics grid (64 probe x × the K Y-grid values).
pub fn surface_csv(run: &Run) -> String {
    let (xs, ys, e) = surface(run, crate::model::metrics::PROBES);
    let mut out = String::with_capacity(xs.len() * ys.len() * 32 + 16);
    out.push_str("x,y,energy\n");
    for (i, x) in xs.iter().enumerate() {
        for (k, y) in ys.iter().enumerate() {
            let _ = writeln!(out, "{x},{y},{}", e[i * ys.len() + k]);
        }
    }
    out
}

/// The training points as `x,y` lines under an `x,y` header: what `data =`
/// (a custom set) reads back, value for value (Rust prints the shortest
/// decimal that parses to the same f64).
pub fn points_csv(points: &[(f64, f64)]) -> String {
    let mut out = String::with_capacity(points.len() * 24 + 4);
    out.push_str("x,y\n");
    for (x, y) in points {
        let _ = writeln!(out, "{x},{y}");
    }
    out
}

/// `x,y,energy` for a display surface (what the window shows).
pub fn csv_from_view(view: &crate::model::SurfaceView) -> String {
    let mut out = String::with_capacity(view.energy.len() * 32 + 16);
    out.push_str("x,y,energy\n");
    for (i, x) in view.xs.iter().enumerate() {
        for (k, y) in view.ys.iter().enumerate() {
            let _ = writeln!(out, "{x},{y},{}", view.at(i, k));
        }
    }
    out
}

/// The energy on `nx` x values spanning the x range × the Y grid, row per x.
pub fn surface(run: &Run, nx: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let xs: Vec<f32> = (0..nx).map(|i| run.data.probe(i, nx) as f32).collect();
    let ys = run.y_grid.clone();
    let mut ws = crate::model::GridWorkspace::default();
    let mut e = Vec::new();
    run.model.energy_grid(&xs, &ys, &mut ws, &mut e);
    (xs, ys, e)
}

pub fn metrics_json(
    preset: Option<&str>,
    steps: u64,
    settings: &crate::settings::Settings,
    initial: &Metrics,
    last: &Metrics,
) -> String {
    let v = serde_json::json!({
        "preset": preset,
        "steps": steps,
        "settings": settings.to_json(),
        "initial": metrics_value(initial),
        "final": metrics_value(last),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn metrics_value(m: &Metrics) -> serde_json::Value {
    let num = |v: f64| {
        if v.is_finite() {
            serde_json::json!(v)
        } else {
            serde_json::Value::Null
        }
    };
    serde_json::json!({
        "loss": num(m.loss),
        "spread": num(m.spread),
        "y_spread": num(m.y_spread),
        "contrast": num(m.contrast),
        "inference_error": num(m.inference_error),
        "coverage": m.coverage.map(num),
        "state": m.state.name(),
    })
}

#[cfg(test)]
mod points_tests {
    use super::points_csv;
    use crate::model::dataset::parse_points_csv;

    #[test]
    fn saved_points_read_back_exactly() {
        let pts = vec![
            (-1.0, 0.5),
            (0.1, -1.0 / 3.0),
            (0.1, 1.0 / 3.0),
            (2.5e-7, 1e30),
            (-0.0, 3.0e38),
            (std::f64::consts::PI, -std::f64::consts::E),
        ];
        let text = points_csv(&pts);
        assert!(
            text.starts_with("x,y\n-1,0.5\n0.1,-0.3333333333333333\n"),
            "{text}"
        );
        assert_eq!(parse_points_csv(&text), Ok(pts));
    }
}
