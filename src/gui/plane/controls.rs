//! The plane mode's left panel: the story, the live settings (loss, the
//! free energy's β, the loss's own parameters), x for a conditional set,
//! drawing points, and the run's numbers.

use egui::{RichText, Ui};

use super::PlaneMode;
use crate::model::plane::presets::plane_preset;
use crate::model::plane::run::{InferenceKind, InferenceSpec};
use crate::model::{Contrast, Loss};

/// The loss combo: the loss table, and cd for a density.
fn loss_ui(ui: &mut Ui, spec: &mut crate::model::plane::PlaneSpec) {
    egui::ComboBox::from_label("loss")
        .selected_text(spec.loss_name())
        .show_ui(ui, |ui| {
            // A density's own loss first: the list scrolls below nll.
            if spec.density
                && ui
                    .selectable_label(spec.cd, "cd")
                    .on_hover_text(
                        "contrastive divergence: E(data) down, sampled negatives up, \
                         + α·(E(data)² + E(neg)²)",
                    )
                    .clicked()
            {
                spec.cd = true;
            }
            for l in Loss::ALL {
                if ui
                    .selectable_label(!spec.cd && spec.loss == l, l.name())
                    .on_hover_text(l.describe())
                    .clicked()
                {
                    spec.loss = l;
                    spec.cd = false;
                }
            }
        });
}

/// The latent β slider's range (a log scale); ∞ is a checkbox beside it.
const BETA_RANGE: std::ops::RangeInclusive<f64> = 0.05..=100.0;

impl PlaneMode {
    pub(super) fn controls_ui(&mut self, ui: &mut Ui) {
        if let Some(c) = &self.caption {
            ui.label(RichText::new(c).size(17.0));
        } else if let Some(p) = plane_preset(self.preset) {
            ui.label(RichText::new(p.story).italics());
            let density = p
                .density
                .map_or(String::new(), |d| format!(", {}", d.describe()));
            ui.label(format!(
                "Promise: {}{density} by {} steps (seeds 0-99: {}/100).",
                p.expect.describe(),
                p.steps,
                p.kept
            ));
        }
        ui.separator();
        self.live_ui(ui);
        ui.separator();
        if self.run.data.conditional() {
            let (lo, hi) = self.run.data.x_range;
            ui.add(egui::Slider::new(&mut self.x, lo..=hi).text("x (the plane's F(y | x))"));
        }
        self.drawing_ui(ui);
        ui.separator();
        self.numbers_ui(ui);
    }

    /// Loss, β of the free energy, margin and the loss's β: applied live.
    fn live_ui(&mut self, ui: &mut Ui) {
        let mut spec = self.run.spec.clone();
        loss_ui(ui, &mut spec);
        if spec.density {
            self.density_live_ui(ui, spec);
            return;
        }
        let mut zero_t = spec.latent.beta.is_infinite();
        ui.checkbox(&mut zero_t, "zero temperature: F = min over z")
            .on_hover_text("Off: F_β = −(1/β)·log((1/|Z|)·Σ_z e^(−βE))");
        if !zero_t {
            if spec.latent.beta.is_infinite() {
                spec.latent.beta = 2.0;
            }
            ui.add(
                egui::Slider::new(&mut spec.latent.beta, BETA_RANGE)
                    .logarithmic(true)
                    .text("β of the free energy"),
            );
        } else {
            spec.latent.beta = f64::INFINITY;
        }
        let contrast = spec.loss.contrast();
        if matches!(contrast, Contrast::MostOffending | Contrast::GridMin) {
            ui.add(egui::Slider::new(&mut spec.params.margin, 0.0..=5.0).text("margin m"));
        }
        if contrast.reads_partition() || spec.loss == Loss::SquareExp {
            ui.add(
                egui::Slider::new(&mut spec.params.beta, 0.1..=50.0)
                    .logarithmic(true)
                    .text("β of the loss"),
            );
        }
        if matches!(contrast, Contrast::MostOffending | Contrast::GridMin) {
            inference_ui(ui, &mut spec.inference, "finds ȳ");
        }
        if spec != self.run.spec {
            self.run.set_inference(spec.inference);
            self.run.set_live(spec.loss, spec.params, spec.latent.beta);
            self.shown = None;
            self.numbers = None;
        }
    }

    /// A density's live settings: the loss's β (nll), cd's sampler and α.
    fn density_live_ui(&mut self, ui: &mut Ui, mut spec: crate::model::plane::PlaneSpec) {
        let contrast = spec.loss.contrast();
        if !spec.cd && contrast.reads_partition() {
            ui.add(
                egui::Slider::new(&mut spec.params.beta, 0.1..=10.0)
                    .logarithmic(true)
                    .text("β of the density"),
            );
        }
        if !spec.cd && matches!(contrast, Contrast::MostOffending | Contrast::GridMin) {
            ui.add(egui::Slider::new(&mut spec.params.margin, 0.0..=5.0).text("margin m"));
        }
        if spec.cd || matches!(contrast, Contrast::MostOffending | Contrast::GridMin) {
            inference_ui(
                ui,
                &mut spec.inference,
                if spec.cd {
                    "finds the negatives"
                } else {
                    "finds ȳ"
                },
            );
        }
        if spec.cd {
            ui.add(
                egui::Slider::new(&mut spec.cd_alpha, 0.0..=1.0)
                    .logarithmic(true)
                    .smallest_positive(1e-3)
                    .text("α (E² regulariser)"),
            );
        }
        if spec != self.run.spec {
            self.run.set_inference(spec.inference);
            self.run.spec.cd_alpha = spec.cd_alpha;
            if let Err(e) = self.run.set_cd(spec.cd) {
                self.error = Some(e);
            }
            self.run.set_live(spec.loss, spec.params, spec.latent.beta);
            self.shown = None;
            self.numbers = None;
        }
    }

    fn drawing_ui(&mut self, ui: &mut Ui) {
        ui.weak("Or drop a CSV of y1,y2 or x,y1,y2 points on the window.");
        ui.checkbox(&mut self.drawing, "Draw points (click the heat map)")
            .on_hover_text("Each click adds a sample at x; the run restarts on the drawn points");
        if self.drawn.is_some() && ui.button("Back to the preset's data").clicked() {
            self.drawn = None;
            self.restart(self.spec.clone());
        }
    }

    fn numbers_ui(&mut self, ui: &mut Ui) {
        let m = self.numbers();
        let spec = &self.run.spec;
        egui::Grid::new("plane-numbers")
            .num_columns(2)
            .show(ui, |ui| {
                let mut row = |k: &str, v: String| {
                    ui.label(k);
                    ui.label(v);
                    ui.end_row();
                };
                row("architecture", spec.architecture_name().to_string());
                if let Some(m) = self.run.model.latent() {
                    row("|Z|", m.z_count().to_string());
                }
                row("loss", format!("{:.4}", m.loss));
                row("mean rank", format!("{:.3} (learned < 0.10)", m.rank));
                let ratio = m
                    .spread_ratio
                    .map_or("–".to_string(), |r| format!("{r:.3}"));
                row("spread ÷ start", format!("{ratio} (collapsed < 0.05)"));
                if m.manifold_distance.is_finite() {
                    row("to the manifold", format!("{:.3}", m.manifold_distance));
                }
                row("pulled up / step", self.run.pulled_up.to_string());
                row("energies / step", self.run.evaluations.to_string());
                if let Some(off) = m.off_data_mass {
                    row("mass off the data", format!("{off:.3}"));
                }
            });
        for e in [&self.error, &self.problem].into_iter().flatten() {
            ui.colored_label(egui::Color32::from_rgb(230, 80, 60), e);
        }
        let key = if spec.density {
            "White: the samples. Red beads: the negatives (cd) or the most offending answers ȳ; \
             red lines: the first chains' paths in the last step (pause and Step to follow them)."
        } else {
            "Orange: the decoder's manifold {Dec(x, z)} on F. White: the samples. \
             Red: the most offending answers ȳ. Click the heat map to plot E against z there."
        };
        ui.label(RichText::new(key).small());
    }
}

/// How ȳ (or cd's negatives) is found: the grid, descent or Langevin, and
/// their steps.
fn inference_ui(ui: &mut Ui, inf: &mut InferenceSpec, what: &str) {
    egui::ComboBox::from_label(what)
        .selected_text(inf.kind.name())
        .show_ui(ui, |ui| {
            for k in InferenceKind::ALL {
                ui.selectable_value(&mut inf.kind, k, k.name())
                    .on_hover_text(k.describe());
            }
        });
    if inf.kind == InferenceKind::Grid {
        return;
    }
    ui.add(egui::Slider::new(&mut inf.steps, 1..=200).text("steps T"));
    let eta = if inf.kind == InferenceKind::Descent {
        "step η"
    } else {
        "noise ε"
    };
    ui.add(
        egui::Slider::new(&mut inf.eta, 0.001..=1.0)
            .logarithmic(true)
            .text(eta),
    );
    if inf.kind == InferenceKind::Langevin {
        ui.add(
            egui::Slider::new(&mut inf.beta, 0.1..=100.0)
                .logarithmic(true)
                .text("β of the chains"),
        );
        ui.checkbox(&mut inf.persistent, "persistent chains (5 % restarted)");
    }
}
