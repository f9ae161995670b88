//! Compare mode in the window (Compare menu, `ebm-lab compare`): the window's
//! own run and up to three partners side by side, one column each with its
//! caption, badge and 3D view; one Play/Step/Reset for all, cameras linked,
//! the plots overlaid with one colour per run (`gui::compare` holds the
//! partners; this file is what the window does with them).

use egui::{RichText, Ui};

use super::*;
use crate::gui::compare::{Compare, RUN_COLORS};
use crate::gui::plots::RunTrace;
use crate::gui::view3d::ViewOptions;
use crate::settings::partner::{partners_from, Partner, MAX_PARTNERS};

/// The loss a new partner gets: the first of these no run uses yet.
const PARTNER_LOSSES: [Loss; 6] = [
    Loss::Nll,
    Loss::SquareSquare,
    Loss::Energy,
    Loss::Hinge,
    Loss::Log,
    Loss::Perceptron,
];

/// Below this height (points) compare's grid drops its key row and shrinks
/// its captions.
const TIGHT_HEIGHT: f32 = 420.0;

/// Points a column's caption (loss, badge, step) takes at text scale 1.
const CAPTION_HEIGHT: f32 = 64.0;

/// What a pass over the grid's cells asks of the compare state afterwards.
#[derive(Default)]
struct GridPass {
    moved: Option<crate::scene::OrbitCamera>,
    remove: Option<usize>,
}

/// Columns and rows for `n` views in `avail`: the shape whose smallest view
/// is largest, measured as the width a surface of aspect `fit` can use (a
/// narrow, tall column only lends its width; the fitted camera shrinks
/// the surface further there). Side by side on a tie.
pub fn grid_shape(n: usize, avail: egui::Vec2, fit: f32, caption: f32) -> (usize, usize) {
    let usable = |cols: usize| {
        let rows = n.div_ceil(cols);
        let w = avail.x / cols as f32;
        let h = (avail.y / rows as f32 - caption).max(0.0);
        w.min(h * fit)
    };
    // `max_by` keeps the last of equals: the most columns.
    let cols = (1..=n.max(1))
        .max_by(|a, b| usable(*a).total_cmp(&usable(*b)))
        .unwrap_or(n);
    (cols, n.div_ceil(cols).max(1))
}

impl EbmApp {
    /// Whether partners run beside the window's own run.
    pub fn comparing(&self) -> bool {
        self.compare.as_ref().is_some_and(|c| !c.runs.is_empty())
    }

    /// The partners' newest snapshots, in column order.
    pub fn partner_snapshots(&self) -> Vec<Option<Arc<Snapshot>>> {
        self.compare
            .as_ref()
            .map(|c| c.runs.iter().map(|r| r.snap.clone()).collect())
            .unwrap_or_default()
    }

    /// The partners as `--with` takes them ("loss=nll,beta=1"), in column order.
    pub fn partner_lists(&self) -> Vec<String> {
        let list = |p: &Partner| {
            let kv: Vec<String> = p
                .overrides
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            kv.join(",")
        };
        self.compare
            .as_ref()
            .map(|c| c.runs.iter().map(|r| list(&r.partner)).collect())
            .unwrap_or_default()
    }

    /// The partners' captions ("loss = nll"), in column order.
    pub fn partner_labels(&self) -> Vec<String> {
        self.compare
            .as_ref()
            .map(|c| c.runs.iter().map(|r| r.partner.label()).collect())
            .unwrap_or_default()
    }

    /// Compare mode with these partners (`loss=nll`, …) of the settings in
    /// force, all from step 0: the window's run is reset (same seed, so the
    /// same initial weights) and does not pause at a collapse, so that both
    /// sides keep running. Nothing changes when a partner is refused.
    pub fn start_compare(&mut self, lists: &[String]) -> Result<(), String> {
        let partners = partners_from(&self.edit, lists).map_err(|e| e.to_string())?;
        self.leave_compare();
        let mut c = Compare::new(self.gl.clone(), self.view.camera());
        for p in partners {
            self.add_partner_to(&mut c, p);
        }
        self.session.send(Command::PauseOnCollapse(false));
        self.session.send(Command::Reset { seed: None });
        self.compare = Some(c);
        Ok(())
    }

    fn add_partner_to(&self, c: &mut Compare, p: Partner) {
        // A custom set trains on the window's own points (drawn ones have no file).
        let custom = p.settings.dataset == crate::model::DatasetKind::Custom;
        let points = match &self.snap {
            Some(s) if custom && !s.points.is_empty() => Some(s.points.to_vec()),
            _ => crate::files::read_points(&p.settings).ok().flatten(),
        };
        // Before the first snapshot the window's run is starting to play.
        let running = self.snap.as_ref().is_none_or(|s| s.running);
        c.add(
            p,
            points,
            running,
            (!self.transport.speed_max).then_some(self.transport.speed),
            self.resolution,
            self.publish_rate,
        );
    }

    /// The Compare menu's first item: the lesson against the loss that
    /// teaches most beside it (nll, or energy when the lesson is nll).
    pub fn compare_default(&mut self) {
        let other = if self.edit.loss == Loss::Nll {
            Loss::Energy
        } else {
            Loss::Nll
        };
        let list = format!("loss={}", other.name());
        if let Err(e) = self.start_compare(&[list]) {
            self.message = Some((e, true));
        }
    }

    /// One more partner (at most four runs), with a loss no run uses yet; it
    /// starts at step 0 while the others go on.
    pub fn add_compare_run(&mut self) {
        let used: Vec<Loss> = std::iter::once(self.edit.loss)
            .chain(self.partner_losses())
            .collect();
        let Some(loss) = PARTNER_LOSSES.into_iter().find(|l| !used.contains(l)) else {
            return;
        };
        if !self.comparing() {
            return self.compare_default();
        }
        let list = format!("loss={}", loss.name());
        match Partner::parse(&self.edit, &list) {
            Ok(p) => {
                if let Some(mut c) = self.compare.take() {
                    if c.runs.len() < MAX_PARTNERS {
                        self.add_partner_to(&mut c, p);
                    }
                    self.compare = Some(c);
                }
            }
            Err(e) => self.message = Some((e.to_string(), true)),
        }
    }

    fn partner_losses(&self) -> Vec<Loss> {
        self.partner_snapshots()
            .iter()
            .flatten()
            .map(|s| s.settings.loss)
            .collect()
    }

    /// Back to one run; the window's run goes on where it is.
    pub fn leave_compare(&mut self) {
        if let Some(mut c) = self.compare.take() {
            c.shutdown();
            self.session
                .send(Command::PauseOnCollapse(self.pause_on_collapse));
        }
    }

    /// A command for every run (play, step, reset, speed, display grid).
    pub(super) fn send_all(&self, cmd: Command) {
        if let Some(c) = &self.compare {
            c.send_all(&cmd);
        }
        self.session.send(cmd);
    }

    /// The title's suffix in compare mode: " vs loss = nll vs …".
    pub(super) fn compare_title(&self) -> String {
        self.partner_labels()
            .iter()
            .map(|l| format!(" vs {l}"))
            .collect()
    }

    /// The 3D views in a grid, each under its caption (side by side while
    /// the columns are wide enough, else in rows: `grid_shape`); the cameras
    /// follow whichever view the user moved.
    pub(super) fn compare_views_ui(&mut self, ui: &mut Ui, opts: &ViewOptions) {
        let Some(mut c) = self.compare.take() else {
            return;
        };
        let n = c.runs.len() + 1;
        // Short of height (a projector at 200 %, the lecture's text above):
        // no key row and captions at working size, so the views keep room.
        let tight = ui.available_height() < TIGHT_HEIGHT;
        if opts.show_key && !tight {
            crate::gui::view3d::key_row_ui(ui, opts.show_ghost, opts.text_scale);
        }
        let opts = &ViewOptions {
            text_scale: if tight {
                opts.text_scale.min(0.85)
            } else {
                opts.text_scale
            },
            ..*opts
        };
        let caption = CAPTION_HEIGHT * opts.text_scale;
        let (cols, rows) = grid_shape(n, ui.available_size(), opts.fit_aspect, caption);
        let gap = ui.spacing().item_spacing.y;
        let row_h = ((ui.available_height() - gap * (rows - 1) as f32) / rows as f32).max(1.0);
        let width = ui.available_width();
        let shared = c.camera();
        let mut grid = GridPass::default();
        for row in 0..rows {
            let cells = row * cols..((row + 1) * cols).min(n);
            ui.allocate_ui(egui::vec2(width, row_h), |ui| {
                ui.columns(cols, |uis| {
                    self.compare_row_ui(uis, cells, &mut c, opts, shared, &mut grid);
                });
            });
        }
        if let Some(cam) = grid.moved {
            c.camera_moved_to(cam);
        }
        if let Some(i) = grid.remove {
            c.remove(i);
        }
        let keep = !c.runs.is_empty();
        self.compare = Some(c);
        if !keep {
            self.leave_compare();
        }
    }

    /// One row of the grid: every caption first, then the views from one
    /// common top, so the surfaces line up whichever captions wrapped.
    fn compare_row_ui(
        &mut self,
        uis: &mut [Ui],
        cells: std::ops::Range<usize>,
        c: &mut Compare,
        opts: &ViewOptions,
        shared: crate::scene::OrbitCamera,
        grid: &mut GridPass,
    ) {
        let uis = &mut uis[..cells.len()];
        for (ui, idx) in uis.iter_mut().zip(cells.clone()) {
            match idx.checked_sub(1) {
                None => self.column_caption_ui(ui, opts.text_scale),
                Some(i) => {
                    if partner_caption_ui(ui, i, &mut c.runs[i], opts.text_scale) {
                        grid.remove = Some(i);
                    }
                }
            }
        }
        let top = uis
            .iter()
            .map(|ui| ui.cursor().top())
            .fold(f32::MIN, f32::max);
        for ui in uis.iter_mut() {
            let gap = top - ui.cursor().top();
            ui.add_space(gap);
        }
        // The key is the row above the grid: the views show the same marks.
        let o = ViewOptions {
            show_key: false,
            ..*opts
        };
        for (ui, idx) in uis.iter_mut().zip(cells) {
            let (view, snap) = match idx.checked_sub(1) {
                None => (&mut self.view, self.snap.as_deref()),
                Some(i) => {
                    let r = &mut c.runs[i];
                    (&mut r.view, r.snap.as_deref())
                }
            };
            view.set_camera(shared);
            view.ui(ui, snap, &o);
            if view.camera() != shared {
                grid.moved = Some(view.camera());
            }
        }
    }

    /// The window's own column: its colour, its loss (the panel's run) and badge.
    fn column_caption_ui(&mut self, ui: &mut Ui, scale: f32) {
        let size = 16.0 * scale;
        ui.horizontal(|ui| {
            swatch_ui(ui, RUN_COLORS[0], size);
            let mut loss = self.edit.loss;
            if loss_combo_ui(ui, "run-0", &mut loss, size) {
                self.apply_pairs(&[("loss", loss.name())]);
            }
        });
        ui.horizontal(|ui| {
            match &self.snap {
                Some(s) => state_line_ui(ui, s, size),
                None => {
                    ui.label(RichText::new("starting…").size(size));
                }
            };
        });
    }

    /// The runs for the overlaid plots: the window's own first.
    pub(super) fn run_traces(&self) -> Vec<RunTrace> {
        let mut out = Vec::new();
        if let Some(s) = &self.snap {
            out.push(RunTrace {
                label: format!("loss = {}", s.settings.loss.name()),
                color: RUN_COLORS[0],
                snap: s.clone(),
            });
        }
        if let Some(c) = &self.compare {
            for r in &c.runs {
                if let Some(s) = &r.snap {
                    out.push(RunTrace {
                        label: r.partner.label(),
                        color: r.color,
                        snap: s.clone(),
                    });
                }
            }
        }
        out
    }

    /// Compare mode's bar over the columns: add a run, leave.
    pub(super) fn compare_bar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Compare").strong());
            ui.weak("same data, same initial weights; one Play / Step / Reset for all");
            let room = self
                .compare
                .as_ref()
                .is_some_and(|c| c.runs.len() < MAX_PARTNERS);
            if ui
                .add_enabled(room, egui::Button::new("Add a run"))
                .clicked()
            {
                self.add_compare_run();
            }
            if ui.button("Leave compare").clicked() {
                self.leave_compare();
            }
        });
    }
}

/// A partner's caption: colour, its loss (changed on the spot), badge, step
/// and a button that removes it (true when clicked).
fn partner_caption_ui(
    ui: &mut Ui,
    i: usize,
    r: &mut crate::gui::compare::PartnerRun,
    scale: f32,
) -> bool {
    let size = 16.0 * scale;
    let mut remove = false;
    ui.horizontal(|ui| {
        swatch_ui(ui, r.color, size);
        let now = r
            .snap
            .as_ref()
            .map_or(r.partner.settings.loss, |s| s.settings.loss);
        let mut loss = now;
        if loss_combo_ui(ui, &format!("run-{}", i + 1), &mut loss, size) && loss != now {
            let pairs = [("loss", loss.name())];
            if r.session.set(&pairs).is_ok() {
                own_value(&mut r.partner, "loss", loss.name());
            }
        }
    });
    // What else makes this run differ (the loss is in the menu above):
    // "inference = descent, inference_start = sample".
    let other: Vec<String> = r
        .partner
        .overrides
        .iter()
        .filter(|(k, _)| k != "loss")
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    if !other.is_empty() {
        ui.add(egui::Label::new(RichText::new(other.join(", ")).size(size * 0.8)).truncate());
    }
    // Wrapped within the column: in a narrow one "remove" goes to the next
    // row instead of under the neighbour's badge.
    ui.horizontal_wrapped(|ui| {
        match &r.snap {
            Some(s) => state_line_ui(ui, s, size),
            None => {
                ui.label(RichText::new("starting…").size(size));
            }
        }
        if ui
            .small_button("remove")
            .on_hover_text("remove this run")
            .clicked()
        {
            remove = true;
        }
    });
    remove
}

/// A column's badge and step count.
fn state_line_ui(ui: &mut Ui, s: &Snapshot, size: f32) {
    state_badge_ui(ui, s.state(), size * 0.9);
    ui.label(RichText::new(format!("step {}", s.step)).size(size * 0.8));
}

/// Sets the partner's own `key` (added to its overrides if new).
fn own_value(p: &mut Partner, key: &str, value: &str) {
    match p.overrides.iter_mut().find(|(k, _)| k == key) {
        Some(kv) => kv.1 = value.to_string(),
        None => p.overrides.push((key.into(), value.into())),
    }
}

fn swatch_ui(ui: &mut Ui, color: egui::Color32, size: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    ui.painter().rect_filled(rect.shrink(2.0), 3.0, color);
}

/// A loss picker; true when the user picked another loss.
fn loss_combo_ui(ui: &mut Ui, id: &str, loss: &mut Loss, size: f32) -> bool {
    let before = *loss;
    // Within the column: "loss = " goes first, then the name is cut with "…",
    // so a caption never runs into the next column's.
    let full = format!("loss = {}", loss.name());
    let font = egui::FontId::proportional(size);
    let room = ui.available_width() - 3.0 * size;
    let width_of = |t: &str| {
        ui.painter()
            .layout_no_wrap(t.to_string(), font.clone(), egui::Color32::WHITE)
            .size()
            .x
    };
    let text = if width_of(&full) <= room {
        full
    } else {
        loss.name().to_string()
    };
    let wanted = width_of(&text) + size;
    egui::ComboBox::from_id_salt(id)
        .width(wanted.min(room).max(2.0 * size))
        .truncate()
        .selected_text(RichText::new(text).size(size))
        .show_ui(ui, |ui| {
            for l in Loss::ALL {
                ui.selectable_value(loss, l, l.name());
            }
        });
    *loss != before
}

#[cfg(test)]
mod tests {
    use super::grid_shape;

    #[test]
    fn views_go_in_rows_when_columns_would_be_narrow_and_tall() {
        let wide = egui::vec2(1200.0, 500.0);
        assert_eq!(
            grid_shape(2, wide, 1.6, 64.0),
            (2, 1),
            "a wide area: side by side"
        );
        let area = egui::vec2(630.0, 560.0);
        assert_eq!(
            grid_shape(2, area, 1.6, 64.0),
            (1, 2),
            "two runs in the working layout: one above the other"
        );
        assert_eq!(
            grid_shape(2, egui::vec2(500.0, 900.0), 1.6, 64.0),
            (1, 2),
            "two runs in a tall area: one above the other"
        );
        assert_eq!(grid_shape(3, area, 1.6, 64.0), (2, 2));
        assert_eq!(grid_shape(4, area, 1.6, 64.0), (2, 2));
        assert_eq!(grid_shape(1, area, 1.6, 64.0), (1, 1));
    }
}
