//! Own data with the mouse: the heat map's "Draw points" toggle (D), the
//! edits it makes (sent as `Command::SetPoints`: the run trains on without a
//! reset) and "Save points…", which writes the `x,y` CSV that `data =` loads.

use std::path::Path;

use egui::{RichText, Ui};

use super::*;
use crate::settings::DRAWN_DATA;

/// How to draw, said when drawing is turned on.
const HOW: &str =
    "drawing: click adds a point, drag moves one, right-click deletes, shift-drag brushes (D stops)";

impl EbmApp {
    /// Turns drawing on the heat map on or off.
    pub fn set_drawing(&mut self, on: bool) {
        self.side.draw.set_on(on);
        if on {
            self.message = Some((HOW.into(), false));
        }
    }

    /// Sends the edited points: the run goes on training on them.
    pub(super) fn send_points(&mut self, points: Vec<(f64, f64)>) {
        let version = self.snap.as_ref().map_or(0, |s| s.points_version);
        self.send_all(Command::SetPoints {
            points: points.clone(),
            data: DRAWN_DATA.into(),
        });
        self.side.draw.sent(points, version);
        // A refused deletion is old news once an edit went through.
        if self
            .message
            .as_ref()
            .is_some_and(|(m, _)| m.starts_with(plots::draw::TOO_FEW))
        {
            self.message = None;
        }
    }

    /// Writes the training points as `x,y` lines (what `data =` loads back).
    /// A drawn set then names that file as its `data`, so saved settings
    /// find it (the run goes on, no reset).
    pub fn save_points(&mut self, path: &Path) {
        let Some(snap) = self.snap.clone() else {
            self.message = Some(("no points yet: the trainer has not started".into(), true));
            return;
        };
        let points = self.side.draw.points(&snap.points).to_vec();
        let csv = crate::export::points_csv(&points);
        if let Err(e) = crate::files::write_atomic(path, csv.as_bytes()) {
            self.message = Some((format!("{e:#}"), true));
            return;
        }
        let mut text = format!("saved {} points to {}", points.len(), path.display());
        if snap.settings.data == DRAWN_DATA {
            let data = path.display().to_string();
            text.push_str(&format!("; the drawn set is now data = {data}"));
            self.send_all(Command::SetPoints {
                points: points.clone(),
                data,
            });
            self.side.draw.sent(points, snap.points_version);
        }
        self.message = Some((text, false));
    }

    /// The heat map's title with the drawing toggle and, while drawing,
    /// "Save points…" (always in the File menu).
    pub(super) fn heat_title_ui(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            // Short while drawing, so that the buttons fit the row.
            let title = if self.side.draw.on {
                "Heat map"
            } else {
                "Heat map (drag to move x₀)"
            };
            ui.label(RichText::new(title).strong());
            let mut on = self.side.draw.on;
            let toggle = ui
                .toggle_value(&mut on, "Draw points")
                .on_hover_text(format!("D. {HOW}"));
            if toggle.changed() {
                self.set_drawing(on);
            }
            if self.side.draw.on
                && ui
                    .button("Save points…")
                    .on_hover_text("the training points as an x,y CSV (what `data =` loads)")
                    .clicked()
            {
                self.open_dialog(DialogKind::SavePoints);
            }
        });
    }
}
