//! The settings panel: one widget per setting, ranges enforced by the widgets,
//! each change turned into a `(key, value)` pair for the session.
//!
//! Live settings (loss, margin, lr, …) are sent as they change; structural ones
//! (dataset, H, …) rebuild the model, so sliders for those send on release.

use egui::Ui;

use crate::model::{Architecture, Cost, DatasetKind, Loss, OptimizerKind, Spacing};
use crate::settings::Settings;

/// Every numeric widget's range, by setting key. Each end is a valid value of
/// the setting (tests/gui.rs checks), so a widget cannot produce a rejected value.
pub const RANGES: &[(&str, f64, f64)] = &[
    ("margin", 0.0, 10.0),
    ("radius", 0.0, 2.0),
    ("radius_late", 0.0, 2.0),
    ("radius_late_step", 0.0, 1e9),
    ("beta", 0.01, 1000.0),
    ("kappa", 0.01, 100.0),
    ("lr", 1e-5, 100.0),
    ("momentum", 0.0, 0.999),
    ("hidden", 1.0, 256.0),
    ("out_dim", 1.0, 32.0),
    ("grid", 2.0, 1024.0),
    ("samples", 1.0, 2000.0),
    ("noise", 0.0, 1.0),
    ("seed", 0.0, 4294967295.0),
];

fn range_of(key: &str) -> (f64, f64) {
    RANGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or((0.0, 1.0), |(_, a, b)| (*a, *b))
}

fn rf(key: &str) -> std::ops::RangeInclusive<f64> {
    let (a, b) = range_of(key);
    a..=b
}

fn ru(key: &str) -> std::ops::RangeInclusive<usize> {
    let (a, b) = range_of(key);
    (a as usize)..=(b as usize)
}

/// One row of a two-column grid: a label with help on hover, and a live slider
/// over the key's range. True when the value changed.
fn slider_row(ui: &mut Ui, label: &str, help: &str, value: &mut f64, key: &str, log: bool) -> bool {
    let name = ui.label(label).on_hover_text(help);
    let slider = egui::Slider::new(value, rf(key)).logarithmic(log);
    let changed = ui.add(slider).labelled_by(name.id).changed();
    ui.end_row();
    changed
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

/// A slider that reports a change only when the user lets go (for structural keys).
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

pub fn settings_ui(ui: &mut Ui, s: &mut Settings, ch: &mut Changes) {
    section(ui, "Loss", true, |ui| {
        loss_ui(ui, s, ch);
        egui::Grid::new("loss_params")
            .num_columns(2)
            .show(ui, |ui| {
                for (label, help, key, log) in [
                    (
                        "margin m",
                        "square-square, hinge: how far ȳ is pushed above the sample",
                        "margin",
                        true,
                    ),
                    (
                        "radius r",
                        "ȳ is searched outside |y − y_i| > r (the forbidden sphere)",
                        "radius",
                        false,
                    ),
                    (
                        "β",
                        "inverse temperature of nll and square-exp",
                        "beta",
                        true,
                    ),
                    ("κ", "weight of square-exp's push-up term", "kappa", true),
                ] {
                    let value = match key {
                        "margin" => &mut s.margin,
                        "radius" => &mut s.radius,
                        "beta" => &mut s.beta,
                        _ => &mut s.kappa,
                    };
                    if slider_row(ui, label, help, value, key, log) {
                        ch.push(s, key);
                    }
                }
                let name = ui
                    .label("late radius")
                    .on_hover_text("r becomes this from the given step on (0 = never)");
                ui.horizontal(|ui| {
                    if ui
                        .add(
                            egui::DragValue::new(&mut s.radius_late)
                                .range(rf("radius_late"))
                                .speed(0.01),
                        )
                        .labelled_by(name.id)
                        .changed()
                    {
                        ch.push(s, "radius_late");
                    }
                    let from = ui.label("from step");
                    if ui
                        .add(
                            egui::DragValue::new(&mut s.radius_late_step)
                                .range(rf("radius_late_step"))
                                .speed(10),
                        )
                        .labelled_by(from.id)
                        .changed()
                    {
                        ch.push(s, "radius_late_step");
                    }
                });
                ui.end_row();
            });
    });
    section(ui, "Training", true, |ui| {
        egui::Grid::new("training").num_columns(2).show(ui, |ui| {
            ui.label("optimizer");
            ui.horizontal(|ui| {
                for o in OptimizerKind::ALL {
                    if ui.selectable_label(s.optimizer == o, o.name()).clicked() && s.optimizer != o
                    {
                        s.optimizer = o;
                        ch.push(s, "optimizer");
                    }
                }
            });
            ui.end_row();
            if slider_row(
                ui,
                "learning rate",
                "step size of the optimiser",
                &mut s.lr,
                "lr",
                true,
            ) {
                ch.push(s, "lr");
            }
            if slider_row(
                ui,
                "momentum",
                "SGD momentum μ",
                &mut s.momentum,
                "momentum",
                false,
            ) {
                ch.push(s, "momentum");
            }
            let name = ui.label("batch").on_hover_text("0 = full batch");
            let max = s.samples.max(1);
            if ui
                .add(egui::Slider::new(&mut s.batch, 0..=max))
                .labelled_by(name.id)
                .changed()
            {
                ch.push(s, "batch");
            }
            ui.end_row();
        });
    });
    section(ui, "Model (resets)", false, |ui| {
        egui::Grid::new("model").num_columns(2).show(ui, |ui| {
            ui.label("architecture");
            ui.horizontal(|ui| {
                for a in Architecture::ALL {
                    let r = ui
                        .selectable_label(s.architecture == a, a.name())
                        .on_hover_text(a.formula());
                    if r.clicked() && s.architecture != a {
                        s.architecture = a;
                        ch.push(s, "architecture");
                    }
                }
            });
            ui.end_row();
            ui.label("cost c");
            ui.horizontal(|ui| {
                for c in Cost::ALL {
                    if ui
                        .selectable_label(s.cost == c, c.name())
                        .on_hover_text(c.formula())
                        .clicked()
                        && s.cost != c
                    {
                        s.cost = c;
                        ch.push(s, "cost");
                    }
                }
            });
            ui.end_row();
            let name = ui.label("hidden H");
            let slider = egui::Slider::new(&mut s.hidden, ru("hidden")).logarithmic(true);
            if on_release(&ui.add(slider).labelled_by(name.id)) {
                ch.push(s, "hidden");
            }
            ui.end_row();
            let name = ui
                .label("output d")
                .on_hover_text("dimension where G1(x) and G2(y) meet (dual only)");
            if on_release(
                &ui.add_enabled(
                    s.architecture == Architecture::Dual,
                    egui::Slider::new(&mut s.out_dim, ru("out_dim")),
                )
                .labelled_by(name.id),
            ) {
                ch.push(s, "out_dim");
            }
            ui.end_row();
            let name = ui
                .label("Y grid K")
                .on_hover_text("values of y searched by inference and the losses");
            let slider = egui::Slider::new(&mut s.grid, ru("grid")).logarithmic(true);
            if on_release(&ui.add(slider).labelled_by(name.id)) {
                ch.push(s, "grid");
            }
            ui.end_row();
            let name = ui.label("seed");
            let drag = egui::DragValue::new(&mut s.seed).range(rf("seed"));
            if on_release(&ui.add(drag).labelled_by(name.id)) {
                ch.push(s, "seed");
            }
            ui.end_row();
        });
    });
    section(ui, "Data (resets)", false, |ui| {
        egui::Grid::new("data").num_columns(2).show(ui, |ui| {
            ui.label("dataset");
            ui.horizontal_wrapped(|ui| {
                for d in DatasetKind::ALL {
                    if d == DatasetKind::Custom && s.data.is_empty() {
                        continue; // needs a CSV: set `data` in a settings file and open it
                    }
                    if ui
                        .selectable_label(s.dataset == d, d.name())
                        .on_hover_text(d.description())
                        .clicked()
                        && s.dataset != d
                    {
                        s.dataset = d;
                        if d == DatasetKind::Custom {
                            ch.push(s, "data");
                        }
                        ch.push(s, "dataset");
                    }
                }
            });
            ui.end_row();
            let name = ui.label("samples N");
            let slider = egui::Slider::new(&mut s.samples, ru("samples")).logarithmic(true);
            if on_release(&ui.add(slider).labelled_by(name.id)) {
                if s.batch > s.samples {
                    s.batch = 0;
                    ch.push(s, "batch");
                }
                ch.push(s, "samples");
            }
            ui.end_row();
            ui.label("spacing");
            ui.horizontal(|ui| {
                for (sp, name) in [(Spacing::Even, "even"), (Spacing::Random, "random")] {
                    if ui.selectable_label(s.spacing == sp, name).clicked() && s.spacing != sp {
                        s.spacing = sp;
                        ch.push(s, "spacing");
                    }
                }
            });
            ui.end_row();
            let name = ui.label("noise σ");
            if on_release(
                &ui.add(egui::Slider::new(&mut s.noise, rf("noise")))
                    .labelled_by(name.id),
            ) {
                ch.push(s, "noise");
            }
            ui.end_row();
            let name = ui
                .label("custom CSV")
                .on_hover_text("a file of `x,y` lines; Load switches the dataset to custom");
            ui.horizontal(|ui| {
                let edit = egui::TextEdit::singleline(&mut s.data)
                    .desired_width(140.0)
                    .hint_text("points.csv");
                ui.add(edit).labelled_by(name.id);
                if ui
                    .add_enabled(!s.data.trim().is_empty(), egui::Button::new("Load"))
                    .clicked()
                {
                    s.dataset = DatasetKind::Custom;
                    ch.push(s, "data");
                    ch.push(s, "dataset");
                }
            });
            ui.end_row();
        });
    });
}
