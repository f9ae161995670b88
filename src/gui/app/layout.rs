//! Where the panels go. The working layout: menu and toolbar on top, status bar
//! below, settings on the left, plots on the right, the 3D view in the middle.
//! The side columns' widths follow the window's width in points each frame, so
//! interface zoom (Ctrl +/−) and resizing never starve the 3D view and never
//! leave a column at an old width. The presentation layout (F5) shows only a
//! large toolbar, the banner and the 3D view.

use egui::Ui;

use super::*;

/// Preferred widths (points) of the settings and plots columns.
const LEFT_WIDTH: f32 = 300.0;
const RIGHT_WIDTH: f32 = 380.0;
/// Below these a column is not worth showing.
const LEFT_MIN: f32 = 220.0;
const RIGHT_MIN: f32 = 240.0;
/// The 3D view keeps at least this fraction of the window's width.
pub const VIEW_SHARE: f32 = 0.5;

/// Widths of the settings and plots columns (0 = hidden) for a window `w`
/// points wide. The columns share `1 − VIEW_SHARE` of the width; when the
/// plots would be too narrow they are hidden, then the settings.
pub fn side_widths(w: f32) -> (f32, f32) {
    let budget = (1.0 - VIEW_SHARE) * w;
    let (l, r) = (LEFT_WIDTH.min(0.25 * w), RIGHT_WIDTH.min(0.3 * w));
    let scale = (budget / (l + r)).min(1.0);
    let (l, r) = (l * scale, r * scale);
    if l >= LEFT_MIN && r >= RIGHT_MIN {
        (l, r)
    } else if budget >= LEFT_MIN {
        (LEFT_WIDTH.min(budget), 0.0)
    } else {
        (0.0, 0.0)
    }
}

/// The losses with their own button in the presentation bar (the rest are
/// in its "more…" menu): the lessons' losses.
const PRESENT_LOSSES: [Loss; 4] = [Loss::Energy, Loss::SquareSquare, Loss::Nll, Loss::Hinge];

/// Below this width (points, at text scale 1) the 3D view's key is a row
/// above the view instead of a card inside it.
const KEY_CARD_MIN_VIEW: f32 = 560.0;

/// Text size of the presentation layout (points, before interface zoom).
pub const PRESENT_TEXT: f32 = 24.0;

impl EbmApp {
    pub(super) fn layout_ui(&mut self, ui: &mut Ui) {
        if self.options.presenting {
            self.presentation_ui(ui);
            return;
        }
        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_ui(ui);
            self.toolbar_ui(ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        let (left, right) = side_widths(ui.available_width());
        if left > 0.0 {
            egui::Panel::left("controls")
                .resizable(false)
                .exact_size(left)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        let mut ch = Changes::default();
                        let points = self.snap.as_ref().map(|s| s.view.samples.len());
                        controls::settings_ui(ui, &mut self.edit, &mut ch, points);
                        self.apply(ch);
                    });
                });
        }
        if right > 0.0 {
            egui::Panel::right("plots")
                .resizable(false)
                .exact_size(right)
                .show(ui, |ui| self.plots_ui(ui));
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            let size = ui.style().text_styles[&egui::TextStyle::Body].size;
            if left == 0.0 {
                // No settings column (a phone, a zoomed page): the losses stay
                // reachable above the banner that asks to switch them.
                ui.horizontal_wrapped(|ui| {
                    ui.label("loss");
                    self.loss_buttons_ui(ui);
                });
            }
            self.lecture_bar_ui(ui, size);
            self.banner_ui(ui, size);
            if self.comparing() {
                self.compare_bar_ui(ui);
            }
            self.view_ui(ui);
        });
    }

    fn view_ui(&mut self, ui: &mut Ui) {
        let slice = self.snap.as_ref().map(|_| self.side.slice_x as f32);
        let opts = super::super::view3d::ViewOptions {
            show_ghost: self.options.show_ghost,
            show_key: self.options.show_key,
            slice_x: slice,
            text_scale: if self.options.presenting { 1.5 } else { 1.0 },
            fit_aspect: if self.comparing() { 1.6 } else { 1.2 },
        };
        if self.comparing() {
            self.compare_views_ui(ui, &opts);
        } else if opts.show_key && ui.available_width() < KEY_CARD_MIN_VIEW * opts.text_scale {
            // A narrow view (zoom, a phone): the key as a row above it, so
            // the card never sits on the axes.
            super::super::view3d::key_row_ui(ui, opts.show_ghost, opts.text_scale);
            let opts = super::super::view3d::ViewOptions {
                show_key: false,
                ..opts
            };
            self.view.ui(ui, self.snap.as_deref(), &opts);
        } else {
            self.view.ui(ui, self.snap.as_deref(), &opts);
        }
    }

    /// F5: a large toolbar (play, reset, the losses, the badge), the banner in
    /// large type and the 3D view over the rest of the window.
    fn presentation_ui(&mut self, ui: &mut Ui) {
        egui::Panel::top("present_bar").show(ui, |ui| {
            large_text(ui);
            self.presentation_bar_ui(ui);
        });
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.lecture_bar_ui(ui, PRESENT_TEXT);
            self.banner_ui(ui, PRESENT_TEXT);
            self.view_ui(ui);
        });
    }

    /// Leave and the badge at the right end; the controls take what is left
    /// and wrap (`badge_bar_ui`: below 36 characters' width the badge takes
    /// its own row, as on a phone).
    fn presentation_bar_ui(&mut self, ui: &mut Ui) {
        let running = self.running();
        let mut bar = (&mut *self, Vec::new());
        super::toolbar::badge_bar_ui(
            ui,
            &mut bar,
            36.0 * PRESENT_TEXT,
            |(app, actions), ui| {
                if ui.button("Leave (F5)").clicked() {
                    actions.push(Action::Present(false));
                }
                app.badge_ui(ui, PRESENT_TEXT * 1.2);
            },
            |(app, actions), ui| {
                let w = 4.0 * PRESENT_TEXT;
                let play = if running { "Pause" } else { "Play" };
                if ui
                    .add(egui::Button::new(play).min_size(egui::vec2(w, 0.0)))
                    .clicked()
                {
                    actions.push(Action::TogglePlay);
                }
                if ui.button("Reset").clicked() {
                    actions.push(Action::Reset { new_seed: false });
                }
                actions.extend(app.transport.speed_menu_ui(ui));
                ui.separator();
                app.loss_buttons_ui(ui);
            },
        );
        let actions = bar.1;
        self.route_all(&ui.ctx().clone(), actions);
    }

    /// The lessons' losses as buttons and the others in a "more…" menu (every
    /// loss as a button no longer fits): the presentation bar, and the loss
    /// row of a window too narrow for the settings column.
    fn loss_buttons_ui(&mut self, ui: &mut Ui) {
        let mut pick = None;
        for loss in PRESENT_LOSSES {
            let selected = self.edit.loss == loss;
            if ui.selectable_label(selected, loss.name()).clicked() && !selected {
                pick = Some(loss);
            }
        }
        let others: Vec<Loss> = Loss::ALL
            .into_iter()
            .filter(|l| !PRESENT_LOSSES.contains(l))
            .collect();
        let more = if others.contains(&self.edit.loss) {
            self.edit.loss.name()
        } else {
            "more…"
        };
        super::toolbar::bar_menu_ui(ui, more, |ui| {
            for loss in others {
                if ui.button(loss.name()).clicked() {
                    pick = Some(loss);
                    ui.close();
                }
            }
        });
        if let Some(loss) = pick.filter(|l| *l != self.edit.loss) {
            self.edit.loss = loss;
            self.apply_pairs(&[("loss", loss.name())]);
        }
    }
}

/// Every text style at presentation size.
pub(super) fn large_text(ui: &mut Ui) {
    for (style, font) in ui.style_mut().text_styles.iter_mut() {
        font.size = match style {
            egui::TextStyle::Small => PRESENT_TEXT * 0.75,
            egui::TextStyle::Heading => PRESENT_TEXT * 1.3,
            _ => PRESENT_TEXT,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_keeps_half_the_width_at_any_zoom() {
        for w in [400.0, 640.0, 853.0, 1000.0, 1280.0, 1600.0, 2560.0] {
            let (l, r) = side_widths(w);
            assert!(w - l - r >= VIEW_SHARE * w - 0.01, "w {w}: {l} + {r}");
            assert!(l == 0.0 || l >= LEFT_MIN, "w {w}: left {l}");
            assert!(r == 0.0 || r >= RIGHT_MIN, "w {w}: right {r}");
        }
        let (l, r) = side_widths(1280.0);
        assert!(l > 250.0 && r > 300.0, "both columns at 1280: {l}, {r}");
        assert_eq!(side_widths(853.0).1, 0.0, "at zoom 1.5 the plots give way");
    }
}
