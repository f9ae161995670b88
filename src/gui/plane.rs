//! The latent-variable lessons in the window: answers in the plane, F over
//! (y₁, y₂). A mode of the window (Lessons → Latent variables, or
//! `ebm-lab latent --window`) that owns its run and its views and trains in
//! the frame loop within a time budget; it returns [`PlaneAction::Leave`]
//! when the user goes back to the paper's demos.

mod controls;
mod efficiency;
mod heat;
mod pair;

use std::sync::Arc;

use egui::{RichText, Ui};
use web_time::Instant;

use super::app::state_badge_ui;
use super::dialogs::DialogKind;
use super::view3d::{Shown, View3d, ViewOptions};
use crate::model::plane::presets::{base_spec, plane_preset, plane_presets};
use crate::model::plane::view::{plane_view, z_profile, PlaneView};
use crate::model::plane::{PlaneRun, PlaneSpec};
use crate::model::State;

/// Training speeds offered, steps per second (`None`: as fast as the frame allows).
pub const SPEEDS: [Option<f64>; 5] = [Some(30.0), Some(100.0), Some(300.0), Some(1000.0), None];
/// The share of a frame training may take.
const TRAIN_BUDGET_MS: f64 = 12.0;
/// Seconds between two measurements of the panel's numbers while training.
const NUMBERS_EVERY_S: f64 = 0.25;
/// Cells per axis of the picture (3D and heat map).
const VIEW_GRID: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaneAction {
    Stay,
    Leave,
    /// Export the 3D view (PNG) or F over the plane (CSV): the app's
    /// file dialog asks where.
    Export(DialogKind),
}

pub struct PlaneMode {
    preset: &'static str,
    run: PlaneRun,
    /// The spec the run started from (Reset restarts it).
    spec: PlaneSpec,
    /// Drawn points (x, y₁, y₂) the run trains on, if any.
    drawn: Option<Vec<(f64, f64, f64)>>,
    running: bool,
    speed: Option<f64>,
    /// Steps owed by the speed limit (fractions carry over between frames).
    owed: f64,
    last_frame: Option<Instant>,
    /// The x the plane is drawn at (a conditional set's slider).
    x: f64,
    /// The point whose E against z is plotted.
    picked: Option<[f32; 2]>,
    drawing: bool,
    /// In a lecture: no way back and no preset menu (the lecture's bar
    /// moves between scenes).
    in_lecture: bool,
    /// A lecture scene's caption, shown instead of the preset's story.
    caption: Option<String>,
    view3d: View3d,
    /// The picture of the run at (step, x), rebuilt when either changes or
    /// the run restarts (`None`).
    shown: Option<(u64, f64, PlaneView)>,
    /// Bumped at every rebuild: the 3D view rebuilds its geometry then.
    seq: u64,
    /// The numbers shown and when they were measured: at most every
    /// [`NUMBERS_EVERY_S`] while training (measuring costs a frame's worth
    /// on the big latent models).
    numbers: Option<(Instant, crate::model::plane::metrics::PlaneMetrics)>,
    /// The heat map's texture and the `seq` it shows.
    heat: Option<(u64, egui::TextureHandle)>,
    error: Option<String>,
    /// The last refused input (a dropped file), shown until the next one.
    problem: Option<String>,
    /// Density compare: the other version (exact or sampled) beside this run.
    pair: Option<pair::Pair>,
    gl: Option<Arc<eframe::glow::Context>>,
}

impl PlaneMode {
    /// The mode on `preset` (a plane preset; the ellipse if unknown).
    pub fn new(gl: Option<Arc<eframe::glow::Context>>, preset: &str) -> PlaneMode {
        let (name, spec) =
            plane_preset(preset).map_or(("ellipse-zero-t", base_spec()), |p| (p.name, p.spec));
        PlaneMode::with_spec(gl, name, spec)
    }

    fn with_spec(
        gl: Option<Arc<eframe::glow::Context>>,
        name: &'static str,
        spec: PlaneSpec,
    ) -> PlaneMode {
        let run = PlaneRun::new(spec.clone(), None);
        let x = mid_x(&run);
        PlaneMode {
            preset: name,
            spec,
            run,
            drawn: None,
            running: true,
            speed: Some(100.0),
            owed: 0.0,
            last_frame: None,
            x,
            picked: None,
            drawing: false,
            in_lecture: false,
            caption: None,
            view3d: View3d::new(gl.clone()),
            gl,
            pair: None,
            shown: None,
            seq: 0,
            heat: None,
            numbers: None,
            problem: None,
            error: None,
        }
    }

    /// A lecture's plane scene: `spec` (the preset's with the scene's
    /// settings), drawn at `x` if given, played at `speed` steps per second.
    pub fn for_scene(
        gl: Option<Arc<eframe::glow::Context>>,
        preset: &'static str,
        spec: &PlaneSpec,
        x: Option<f64>,
        speed: f64,
        caption: &str,
    ) -> PlaneMode {
        let mut m = PlaneMode::with_spec(gl, preset, spec.clone());
        if let Some(x) = x {
            m.x = x;
        }
        m.speed = Some(speed);
        m.in_lecture = true;
        m.caption = Some(caption.to_string());
        m
    }

    /// Trains on `points` (x, y₁, y₂) from step 0: a dropped or drawn set.
    pub fn train_on(&mut self, points: Vec<(f64, f64, f64)>) {
        self.drawn = Some(points);
        self.picked = None;
        self.restart(self.spec.clone());
        self.running = true;
    }

    /// A message for the panel (a refused file), in the error's place.
    pub fn show_problem(&mut self, message: String) {
        self.problem = Some(message);
    }

    /// Plots E against z at the point `y` of the plane.
    pub fn pick(&mut self, y: [f32; 2]) {
        self.picked = Some(y);
    }

    /// The run beside this one in density compare, if on.
    pub fn partner(&self) -> Option<&PlaneRun> {
        self.pair.as_ref().map(|p| &p.run)
    }

    /// Stops training (a lecture's event).
    pub fn pause(&mut self) {
        self.running = false;
    }

    /// F over the plane as shown, as CSV (`y1,y2,F` or `x,y1,y2,F`).
    /// Samples of a density run's Gibbs density as CSV (`None` for a latent
    /// model), drawn as `ebm-lab sample` draws them by default.
    pub fn samples_csv(&self) -> Option<String> {
        use crate::model::plane::negatives::{samples_csv, SAMPLE_DEFAULT};
        use crate::model::plane::run::{InferenceKind, InferenceSpec};
        if !self.run.spec.density {
            return None;
        }
        let (chains, steps, eps) = SAMPLE_DEFAULT;
        let spec = InferenceSpec {
            kind: InferenceKind::Langevin,
            steps,
            eta: eps,
            beta: self.run.spec.params.beta,
            persistent: false,
            start: crate::model::inference_spec::StartKind::Uniform,
        };
        Some(samples_csv(
            &self.run.model,
            self.run.data.ranges,
            spec,
            chains,
            self.run.step(),
        ))
    }

    pub fn surface_csv(&mut self) -> String {
        self.picture().surface_csv()
    }

    /// The 3D view's rectangle (for exporting exactly what is shown).
    pub fn view_rect(&self) -> egui::Rect {
        self.view3d.rect()
    }

    /// How many samples the run trains on.
    pub fn samples(&self) -> usize {
        self.run.data.len()
    }

    /// The message of the last refused input, if any.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// "densities" or "latent variables": what the window's title says.
    pub fn family(&self) -> &'static str {
        if self.run.spec.density {
            "densities"
        } else {
            "latent variables"
        }
    }

    pub fn preset(&self) -> &'static str {
        self.preset
    }

    pub fn step(&self) -> u64 {
        self.run.step()
    }

    pub fn state(&self) -> State {
        self.run.state()
    }

    /// Starts `spec` afresh (on the drawn points, if any).
    fn restart(&mut self, spec: PlaneSpec) {
        self.restart_compared(spec, self.pair.is_some());
    }

    /// Starts `spec` afresh, with density compare on or off. Compare restarts
    /// with the run, from the same weights (a latent preset has no second
    /// version: compare ends).
    fn restart_compared(&mut self, spec: PlaneSpec, compare: bool) {
        self.run = PlaneRun::new(spec.clone(), self.drawn.as_deref());
        self.pair = (compare && spec.density)
            .then(|| pair::Pair::new(self.gl.clone(), &spec, self.drawn.as_deref()));
        self.spec = spec;
        self.error = None;
        self.owed = 0.0;
        self.shown = None;
        self.numbers = None;
        let (lo, hi) = self.run.data.x_range;
        if !(lo..=hi).contains(&self.x) {
            self.x = mid_x(&self.run);
        }
    }

    fn choose_preset(&mut self, name: &'static str) {
        if let Some(p) = plane_preset(name) {
            self.preset = p.name;
            self.drawn = None;
            self.picked = None;
            self.restart(p.spec);
            self.x = mid_x(&self.run);
            self.running = true;
        }
    }

    /// Trains what the speed and the frame's budget allow.
    fn train(&mut self) {
        let now = Instant::now();
        let dt = self
            .last_frame
            .map_or(0.0, |t| now.duration_since(t).as_secs_f64().min(0.25));
        self.last_frame = Some(now);
        if !self.running || self.error.is_some() {
            self.owed = 0.0;
            return;
        }
        self.owed += self.speed.map_or(f64::INFINITY, |s| s * dt);
        let started = Instant::now();
        while self.owed >= 1.0 && started.elapsed().as_secs_f64() * 1e3 < TRAIN_BUDGET_MS {
            self.owed -= 1.0;
            if let Err(e) = self.run.train_step() {
                self.error = Some(e);
                self.running = false;
                break;
            }
            if let Some(p) = &mut self.pair {
                p.train_step();
            }
        }
        // What the budget could not do is dropped, not owed (no catch-up burst).
        self.owed = self.owed.min(1.0);
    }

    /// Steps `n` at once (the Step button, when paused).
    fn step_n(&mut self, n: u64) {
        for _ in 0..n {
            if let Err(e) = self.run.train_step() {
                self.error = Some(e);
                break;
            }
            if let Some(p) = &mut self.pair {
                p.train_step();
            }
        }
    }

    /// The picture of the run now (rebuilt when the step or x changed).
    fn picture(&mut self) -> PlaneView {
        let key = (self.run.step(), self.x);
        if self.shown.as_ref().is_none_or(|(s, x, _)| (*s, *x) != key) {
            let v = plane_view(&self.run, self.x, VIEW_GRID);
            self.shown = Some((key.0, key.1, v));
            self.seq += 1;
        }
        self.shown.as_ref().map(|s| s.2.clone()).unwrap_or_default()
    }

    /// The run's metrics, measured again when stale (always when paused).
    fn numbers(&mut self) -> crate::model::plane::metrics::PlaneMetrics {
        let fresh = self
            .numbers
            .as_ref()
            .is_some_and(|(at, _)| self.running && at.elapsed().as_secs_f64() < NUMBERS_EVERY_S);
        if !fresh {
            self.numbers = Some((Instant::now(), self.run.metrics()));
        }
        match &self.numbers {
            Some((_, m)) => *m,
            None => self.run.metrics(),
        }
    }

    /// Draws the mode; trains first.
    pub fn ui(&mut self, ui: &mut Ui) -> PlaneAction {
        self.train();
        let mut action = PlaneAction::Stay;
        egui::Panel::top("plane-bar").show(ui, |ui| action = self.bar_ui(ui));
        egui::Panel::left("plane-controls")
            .resizable(false)
            .exact_size(300.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| self.controls_ui(ui));
            });
        egui::CentralPanel::default_margins().show(ui, |ui| self.central_ui(ui));
        if self.running {
            ui.ctx().request_repaint();
        }
        action
    }

    fn central_ui(&mut self, ui: &mut Ui) {
        let h = ui.available_height();
        let w = ui.available_width();
        let view = self.picture();
        let surface = view.as_surface();
        let ghost: [f32; 0] = [];
        let seq = self.seq;
        let opts = ViewOptions {
            show_ghost: false,
            show_key: false,
            slice_x: None,
            text_scale: 1.0,
            fit_aspect: 1.6,
        };
        let shown = Shown {
            seq,
            view: &surface,
            ghost: &ghost,
        };
        ui.allocate_ui(egui::vec2(w, (h * 0.58).max(120.0)), |ui| {
            let Some(p) = &mut self.pair else {
                self.view3d.surface_ui(ui, Some(shown), &opts);
                return;
            };
            let tv = p.tv_to(&self.run);
            ui.label(format!(
                "Same data, same initial weights, stepped together. Total variation \
                 between the two Gibbs densities: {tv:.3} (0 = the same density, 1 = disjoint)"
            ));
            ui.columns(2, |cols| {
                pair::caption_ui(&mut cols[0], &self.run, self.error.as_deref());
                self.view3d.surface_ui(&mut cols[0], Some(shown), &opts);
                p.view_ui(&mut cols[1], self.x, VIEW_GRID, &opts);
            });
        });
        let profile = self.picked.map(|y| z_profile(&self.run, self.x, y));
        ui.horizontal_top(|ui| {
            let half = (ui.available_width() * 0.5 - 6.0).max(100.0);
            let hh = ui.available_height();
            ui.allocate_ui(egui::vec2(half, hh), |ui| {
                self.heat_ui(ui, &view, profile.as_ref())
            });
            ui.allocate_ui(egui::vec2(half, hh), |ui| {
                if profile.is_some() {
                    heat::z_profile_ui(
                        ui,
                        profile.as_ref(),
                        self.run.spec.latent.beta,
                        self.run.spec.latent.z_dim,
                    )
                } else {
                    ui.vertical(|ui| {
                        if !self.run.spec.density {
                            ui.weak(
                                "Click the heat map: E(y, z) against z at that point appears here.",
                            );
                        }
                        efficiency::efficiency_ui(ui, self.run.costs());
                    });
                }
            });
        });
    }

    fn bar_ui(&mut self, ui: &mut Ui) -> PlaneAction {
        let mut action = PlaneAction::Stay;
        ui.horizontal_wrapped(|ui| {
            if !self.in_lecture {
                if ui
                    .button("Back to the paper's demos")
                    .on_hover_text("Back to the energy surface over (x, y)")
                    .clicked()
                {
                    action = PlaneAction::Leave;
                }
                ui.separator();
                self.preset_menu_ui(ui);
            }
            self.run_buttons_ui(ui);
            ui.separator();
            state_badge_ui(ui, self.run.state(), 16.0);
            ui.label(format!("step {}", self.run.step()));
            ui.separator();
            if ui
                .button("Export PNG…")
                .on_hover_text("The 3D view")
                .clicked()
            {
                action = PlaneAction::Export(DialogKind::ExportPng);
            }
            if ui
                .button("Export CSV…")
                .on_hover_text("F over the plane: y1,y2,F")
                .clicked()
            {
                action = PlaneAction::Export(DialogKind::ExportCsv);
            }
            if self.run.spec.density
                && ui
                    .button("Export samples…")
                    .on_hover_text(
                        "1,000 samples of the density (200 Langevin steps from uniform \
                         starts, ε = 0.1): y1,y2, as `ebm-lab sample`",
                    )
                    .clicked()
            {
                action = PlaneAction::Export(DialogKind::ExportSamples);
            }
            if self.run.spec.density {
                let mut on = self.pair.is_some();
                if ui
                    .toggle_value(&mut on, "Compare exact / sampled")
                    .on_hover_text(
                        "The exact version (nll over the grid) beside the sampled one \
                         (cd), from the same data and initial weights: both restart",
                    )
                    .changed()
                {
                    self.restart_compared(self.spec.clone(), on);
                }
            }
        });
        action
    }

    fn preset_menu_ui(&mut self, ui: &mut Ui) {
        let family = if self.run.spec.density {
            "Densities"
        } else {
            "Latent variables"
        };
        ui.label(RichText::new(family).strong());
        let mut chosen = None;
        egui::ComboBox::from_id_salt("plane-preset")
            .selected_text(self.preset)
            .show_ui(ui, |ui| {
                for p in plane_presets() {
                    if ui
                        .selectable_label(p.name == self.preset, p.name)
                        .on_hover_text(p.story)
                        .clicked()
                    {
                        chosen = Some(p.name);
                    }
                }
            });
        if let Some(name) = chosen {
            self.choose_preset(name);
        }
    }

    fn run_buttons_ui(&mut self, ui: &mut Ui) {
        let label = if self.running { "Pause" } else { "Play" };
        // Space plays and pauses unless a text field (a file prompt) has the keys.
        let typing = ui.ctx().memory(|m| m.focused().is_some());
        let space = !typing && ui.input(|i| i.key_pressed(egui::Key::Space));
        if ui.button(label).clicked() || space {
            self.running = !self.running && self.error.is_none();
        }
        if ui
            .add_enabled(!self.running, egui::Button::new("Step 100"))
            .clicked()
        {
            self.step_n(100);
        }
        if ui
            .button("Reset")
            .on_hover_text("The same seed from step 0")
            .clicked()
        {
            self.restart(self.spec.clone());
        }
        if ui.button("New seed").clicked() {
            let mut spec = self.spec.clone();
            spec.seed = spec.seed.wrapping_add(1);
            self.restart(spec);
        }
        egui::ComboBox::from_id_salt("plane-speed")
            .selected_text(speed_text(self.speed))
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    ui.selectable_value(&mut self.speed, s, speed_text(s));
                }
            });
    }
}

fn speed_text(s: Option<f64>) -> String {
    match s {
        Some(v) => format!("{v} steps/s"),
        None => "max speed".to_string(),
    }
}

fn mid_x(run: &PlaneRun) -> f64 {
    let (lo, hi) = run.data.x_range;
    0.5 * (lo + hi)
}
