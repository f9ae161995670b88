//! Points drawn in the window (`Command::SetPoints`): the run trains on them
//! from the next step, with its weights, optimiser state and step count.

use std::sync::Arc;

use super::TrainerCore;
use crate::model::{DatasetKind, Run};
use crate::session::MIN_POINTS;
use crate::settings::DRAWN_DATA;

/// The training points of `run`, as snapshots hand them out.
pub(super) fn points_of(run: &Run) -> Arc<Vec<(f64, f64)>> {
    Arc::new(
        run.data
            .xs
            .iter()
            .copied()
            .zip(run.data.ys.iter().copied())
            .collect(),
    )
}

/// Why `points` cannot be a training set (the rules of a loaded CSV).
pub(crate) fn check_points(points: &[(f64, f64)]) -> Result<(), String> {
    if points.len() < MIN_POINTS {
        return Err(format!(
            "a set keeps at least {MIN_POINTS} points (got {})",
            points.len()
        ));
    }
    let bad = |v: f64| !v.is_finite() || v.abs() > f32::MAX as f64;
    match points.iter().position(|&(x, y)| bad(x) || bad(y)) {
        Some(i) => Err(format!(
            "point {} = ({}, {}) is not finite or does not fit f32",
            i + 1,
            points[i].0,
            points[i].1
        )),
        None => Ok(()),
    }
}

impl TrainerCore {
    /// Trains on `points` as the custom set named `data`, without a reset.
    pub(super) fn set_points(&mut self, points: Vec<(f64, f64)>, data: String) {
        // Refused or not, the GUI learns that its edit was handled.
        self.points_version += 1;
        if let Err(e) = check_points(&points) {
            self.reject(format!("points refused, nothing changed: {e}"));
            return;
        }
        if data.trim().is_empty() {
            self.reject("points refused, nothing changed: their `data` name is empty".into());
            return;
        }
        if self.settings.dataset != DatasetKind::Custom || self.settings.data != data {
            self.settings.dataset = DatasetKind::Custom;
            self.settings.data = data;
            self.settings_version += 1;
            self.shared_settings = Arc::new(self.settings.clone());
        }
        self.run.set_points(&points);
        self.data_points = points_of(&self.run);
        let what = if self.settings.data == DRAWN_DATA {
            format!("{} drawn points", points.len())
        } else {
            format!("{} points of {}", points.len(), self.settings.data)
        };
        let notice = format!(
            "{what}, in force from step {} (no reset)",
            self.run.step() + 1
        );
        self.points = Some(points);
        self.accept(Some(notice));
    }
}
