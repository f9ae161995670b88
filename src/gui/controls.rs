//! The settings panel: one widget per setting, ranges enforced by the widgets,
//! each change turned into a `(key, value)` pair for the session.
//!
//! Live settings (loss, margin, lr, …) are sent as they change; structural ones
//! (dataset, H, …) rebuild the model, so sliders for those send on release.

use egui::Ui;

use crate::model::inference_spec::InferenceKind;
use crate::model::{Architecture, DatasetKind, Loss};
use crate::settings::{keys, Domain, KeyInfo, Section, Settings, Widget};

/// Every numeric widget's range, by setting key, from the settings table. Each
/// end is a valid value of the setting (tests/gui.rs checks), so a widget cannot
/// produce a rejected value.
pub fn widget_ranges() -> Vec<(&'static str, f64, f64)> {
    keys()
        .iter()
        .filter_map(|k| match k.widget {
            Widget::Slider { lo, hi, .. } | Widget::Drag { lo, hi, .. } => Some((k.name, lo, hi)),
            Widget::Choice | Widget::Path => None,
        })
        .collect()
}

/// Collects the changes the user made this frame.
#[derive(Default)]
pub struct Changes(pub Vec<(String, String)>);

impl Changes {
    fn push(&mut self, s: &Settings, key: &str) {
        if let Some(v) = s.get(key) {
            self.0.retain(|(k, _)| k != key);
            self.0.push((key.to_string(), v));
        }
    }
}

fn section(ui: &mut Ui, title: &str, open: bool, add: impl FnOnce(&mut Ui)) {
    egui::CollapsingHeader::new(egui::RichText::new(title).strong())
        .default_open(open)
        .show(ui, add);
}

/// A widget that reports a change only when the user lets go (for structural keys).
fn on_release(resp: &egui::Response) -> bool {
    resp.drag_stopped() || (resp.changed() && !resp.dragged())
}

/// The loss buttons: the first thing a lecturer reaches for.
pub fn loss_ui(ui: &mut Ui, s: &mut Settings, ch: &mut Changes) {
    ui.horizontal_wrapped(|ui| {
        for loss in Loss::ALL {
            let info = loss.info();
            let selected = s.loss == loss;
            let resp = ui
                .selectable_label(selected, info.name)
                .on_hover_text(format!("{}\n\npulls: {}", info.formula, info.pulls));
            if resp.clicked() && !selected {
                s.loss = loss;
                ch.push(s, "loss");
            }
        }
    });
    let info = s.loss.info();
    ui.label(egui::RichText::new(info.formula).monospace());
    ui.weak(format!("pulls {}", info.pulls));
}

/// Every setting of the table, by section; the loss first, as buttons with
/// formulas. `points`: how many points the run trains on (shown for the custom
/// set, whose N comes from its file or from drawing).
pub fn settings_ui(ui: &mut Ui, s: &mut Settings, ch: &mut Changes, points: Option<usize>) {
    // The sliders give way so that every row's value stays in view in a
    // narrow panel (a 1024-px window, interface zoom).
    ui.spacing_mut().slider_width = slider_width_for(ui.available_width());
    for sec in Section::ALL {
        let open = matches!(sec, Section::Loss | Section::Training);
        section(ui, sec.title(), open, |ui| {
            if sec == Section::Loss {
                loss_ui(ui, s, ch);
            }
            egui::Grid::new(sec.title()).num_columns(2).show(ui, |ui| {
                let rows: Vec<&KeyInfo> = keys()
                    .iter()
                    .filter(|k| k.section == sec && k.name != "loss" && shown(s, k.name))
                    .collect();
                for key in rows {
                    if key.name == "samples" && s.dataset == DatasetKind::Custom {
                        let source = if s.data == crate::settings::DRAWN_DATA {
                            "drawn"
                        } else {
                            "from the file"
                        };
                        ui.label(key.label);
                        ui.label(points.map_or(source.into(), |n| format!("{n} points, {source}")));
                        ui.end_row();
                        continue;
                    }
                    key_row_ui(ui, s, key, ch);
                }
            });
        });
    }
}

/// Whether a key has a row at all: the search's numbers only when ȳ is
/// found by a search (the paper's demos keep a short panel).
fn shown(s: &Settings, key: &str) -> bool {
    match key {
        "inference_steps" | "inference_eta" => s.inference != InferenceKind::Grid,
        "inference_start" => s.inference == InferenceKind::Descent,
        _ => true,
    }
}

/// Whether a key's widget is usable with the other settings as they are (the
/// custom set's points come from its file: N, spacing and noise do not apply).
fn enabled(s: &Settings, key: &str) -> bool {
    match key {
        "out_dim" => s.architecture == Architecture::Dual,
        "samples" | "spacing" | "noise" => s.dataset != DatasetKind::Custom,
        _ => true,
    }
}

/// A bound on a widget's values set by another key (the table's end otherwise).
fn widget_max(s: &Settings, key: &str) -> f64 {
    crate::settings::CROSS_RULES
        .iter()
        .filter(|r| r.key.name() == key)
        .filter_map(|r| r.widget_max.map(|max| max(s)))
        .fold(f64::INFINITY, f64::min)
}

/// One row: the label (help and allowed values on hover) and the key's widget.
fn key_row_ui(ui: &mut Ui, s: &mut Settings, key: &KeyInfo, ch: &mut Changes) {
    let hover = format!("{}\nallowed: {}", key.help, key.allowed());
    let name = ui.label(key.label).on_hover_text(hover);
    let value = s.get(key.name).unwrap_or_default();
    let new = ui
        .add_enabled_ui(enabled(s, key.name), |ui| match key.widget {
            Widget::Choice => choice_ui(ui, key, &value),
            Widget::Slider { .. } | Widget::Drag { .. } => {
                number_ui(ui, key, &value, name.id, widget_max(s, key.name))
            }
            Widget::Path => path_ui(ui, s, ch, name.id),
        })
        .inner;
    ui.end_row();
    if let Some(text) = new {
        if s.set(key.name, &text).is_ok() {
            ch.push(s, key.name);
            if key.name == "samples" && s.batch > s.samples {
                s.batch = 0;
                ch.push(s, "batch");
            }
        }
    }
}

/// A button per name; the new name when one is clicked.
fn choice_ui(ui: &mut Ui, key: &KeyInfo, value: &str) -> Option<String> {
    let Domain::Names(described) = key.domain else {
        return None;
    };
    let mut picked = None;
    ui.horizontal_wrapped(|ui| {
        for (name, description) in described() {
            let selected = name == value;
            let resp = ui
                .selectable_label(selected, name)
                .on_hover_text(description);
            if resp.clicked() && !selected {
                picked = Some(name.to_string());
            }
        }
    });
    picked
}

/// The sliders' width in a panel `available` points wide: what the label
/// column (~110 points) and the value field (~65) leave, within 36 ..= 140.
pub fn slider_width_for(available: f32) -> f32 {
    (available - 175.0).clamp(36.0, 140.0)
}

/// A slider or drag field over the value's number (at most `max`); the new
/// text when it changed (structural keys: when the user lets go).
fn number_ui(ui: &mut Ui, key: &KeyInfo, value: &str, label: egui::Id, max: f64) -> Option<String> {
    let integer = matches!(key.domain, Domain::Int { .. });
    let mut v: f64 = value.parse().unwrap_or(0.0);
    let resp = match key.widget {
        Widget::Slider { lo, hi, log } => {
            let slider = egui::Slider::new(&mut v, lo..=hi.min(max)).logarithmic(log);
            // Log ranges span decades: three significant digits, not a fixed
            // number of decimals (0.00000… would not fit the panel).
            let slider = if log && !integer {
                slider.custom_formatter(|n, _| crate::scene::numfmt::eng(n, 3))
            } else {
                slider
            };
            ui.add(if integer { slider.integer() } else { slider })
        }
        Widget::Drag { lo, hi, speed } => {
            let drag = egui::DragValue::new(&mut v)
                .range(lo..=hi.min(max))
                .speed(speed);
            ui.add(drag)
        }
        Widget::Choice | Widget::Path => return None,
    }
    .labelled_by(label);
    let changed = if key.structural {
        on_release(&resp)
    } else {
        resp.changed()
    };
    changed.then(|| {
        if integer {
            format!("{}", v.round().max(0.0) as u64)
        } else {
            format!("{v}")
        }
    })
}

/// The custom data path and its Load button (which switches to the custom set).
fn path_ui(ui: &mut Ui, s: &mut Settings, ch: &mut Changes, label: egui::Id) -> Option<String> {
    ui.horizontal(|ui| {
        let edit = egui::TextEdit::singleline(&mut s.data)
            .desired_width(140.0)
            .hint_text("points.csv");
        ui.add(edit).labelled_by(label);
        let load = ui.add_enabled(!s.data.trim().is_empty(), egui::Button::new("Load"));
        if load.clicked() {
            s.dataset = DatasetKind::Custom;
            ch.push(s, "data");
            ch.push(s, "dataset");
        }
    });
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_widget_row() {
        for k in keys() {
            assert!(crate::settings::key_info(k.name).is_some());
            assert!(!k.label.is_empty(), "{} has no label", k.name);
        }
    }
}
