//! How the trainer core takes new settings: live keys in place at the next
//! step, structural ones (or a replace) with a new run, and what it says.

use std::sync::Arc;

use super::TrainerCore;
use crate::model::{Run, State};
use crate::settings::Settings;

impl TrainerCore {
    /// Applies validated settings: live keys in place, structural ones (or
    /// `force_reset`) with a new model.
    pub(super) fn apply_settings(
        &mut self,
        new: Settings,
        points: Option<Vec<(f64, f64)>>,
        force_reset: bool,
    ) {
        let (changed, structural) = self.settings.diff(&new);
        if changed.is_empty() && !force_reset {
            self.accept(None);
            return;
        }
        let keys = changed.join(", ");
        if !(structural || force_reset) {
            self.apply_live(new, &keys, changed.contains(&"loss"));
            return;
        }
        let pts = match crate::session::points::for_settings(
            &new,
            &self.settings,
            points,
            &self.points,
        ) {
            Ok(p) => p,
            Err(e) => {
                self.reject(format!("rejected, nothing changed: {e}"));
                return;
            }
        };
        let notice = if force_reset {
            "model reset: new settings loaded".to_string()
        } else {
            format!("model reset: {keys} changed")
        };
        self.settings_version += 1;
        self.reset_run(new, pts);
        self.accept(Some(notice));
    }

    pub(super) fn apply_live(&mut self, new: Settings, keys: &str, loss_changed: bool) {
        let collapsed = loss_changed && self.run.metrics().state == State::Collapsed;
        self.run.set_live(&new);
        self.settings = new;
        self.settings_version += 1;
        self.shared_settings = Arc::new(self.settings.clone());
        let mut notice = format!(
            "{keys} changed, in force from step {} (no reset)",
            self.run.step() + 1
        );
        if collapsed {
            notice.push_str(
                "; the surface has collapsed: nll recovers from that, square-square often not (reset if it stays flat)",
            );
        }
        self.accept(Some(notice));
    }

    pub(super) fn reset_run(&mut self, settings: Settings, points: Option<Vec<(f64, f64)>>) {
        self.collapse_armed = true;
        self.run = Run::new(&settings, points.as_deref());
        self.initial_model = self.run.model.clone();
        self.data_points = super::drawn::points_of(&self.run);
        self.points_version += 1;
        self.snapshots.new_run();
        self.shared_settings = Arc::new(settings.clone());
        self.settings = settings;
        self.points = points;
        self.pending = 0;
    }
}
