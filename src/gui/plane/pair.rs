//! Compare for densities: the exact version (nll over the plane's grid, the
//! reference) beside the sampled one (contrastive divergence with the
//! sampler of the settings), started together from the same data and the
//! same initial weights and stepped together, with the total variation
//! between their Gibbs densities as the number that says how far apart they
//! are (issue 24, item 3).

use std::sync::Arc;

use egui::{RichText, Ui};
use web_time::Instant;

use crate::gui::app::state_badge_ui;
use crate::gui::view3d::{Shown, View3d, ViewOptions};
use crate::model::plane::density_metrics::{gibbs, total_variation};
use crate::model::plane::presets::plane_preset;
use crate::model::plane::view::{plane_view, PlaneView};
use crate::model::plane::{PlaneRun, PlaneSpec};
use crate::model::Loss;

/// Seconds between two measurements of the total variation while training.
const TV_EVERY_S: f64 = 0.5;

/// The run beside the window's own in density compare.
pub struct Pair {
    pub run: PlaneRun,
    view3d: View3d,
    /// The picture at (step, x) and the bump the 3D view rebuilds on.
    shown: Option<(u64, f64, PlaneView)>,
    seq: u64,
    /// TV between the two Gibbs densities, at (own step, partner step), and
    /// when it was measured.
    tv: Option<(u64, u64, f64, Instant)>,
    pub error: Option<String>,
}

/// Whether `spec` is the exact version (nll over the grid, no sampling).
pub fn is_exact(spec: &PlaneSpec) -> bool {
    !spec.cd && spec.loss == Loss::Nll
}

/// The other version of a density's `spec`: the exact nll for a sampled run;
/// for the exact run, CD with the `density-cd` preset's sampler and
/// regulariser. Data, seed, net, β and learning rate stay, so both runs start
/// from the same data and the same weights.
pub fn partner_spec(spec: &PlaneSpec) -> PlaneSpec {
    let mut p = spec.clone();
    if is_exact(spec) {
        let sampled = plane_preset("density-cd").map(|q| q.spec);
        p.cd = true;
        if let Some(q) = sampled {
            p.inference = q.inference;
            p.cd_alpha = q.cd_alpha;
            p.chains = q.chains;
        }
    } else {
        p.cd = false;
        p.loss = Loss::Nll;
    }
    p
}

/// A short name of what a density's run trains by.
pub fn version_name(run: &PlaneRun) -> String {
    if is_exact(&run.spec) {
        "exact: nll over the grid".to_string()
    } else if run.spec.cd {
        let i = &run.spec.inference;
        let how = if i.persistent {
            "persistent"
        } else {
            "short-run"
        };
        format!(
            "sampled: cd, {} {} × {} ({how})",
            run.inference_name(),
            run.spec.chains,
            i.steps
        )
    } else {
        format!("sampled: {} with sampled ȳ", run.spec.loss_name())
    }
}

impl Pair {
    pub fn new(
        gl: Option<Arc<eframe::glow::Context>>,
        spec: &PlaneSpec,
        points: Option<&[(f64, f64, f64)]>,
    ) -> Pair {
        Pair {
            run: PlaneRun::new(partner_spec(spec), points),
            view3d: View3d::new(gl),
            shown: None,
            seq: 0,
            tv: None,
            error: None,
        }
    }

    /// One step, as the window's run takes one (a failure stops this run only).
    pub fn train_step(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.run.train_step() {
                self.error = Some(e);
            }
        }
    }

    /// The total variation between `own`'s Gibbs density and this run's,
    /// measured again when either has stepped, at most every `TV_EVERY_S`
    /// while they train (two 64² Gibbs densities cost a frame's share).
    pub fn tv_to(&mut self, own: &PlaneRun) -> f64 {
        let key = (own.step(), self.run.step());
        match self.tv {
            Some((a, b, tv, _)) if (a, b) == key => tv,
            Some((_, _, tv, at)) if at.elapsed().as_secs_f64() < TV_EVERY_S => tv,
            _ => {
                let beta = own.spec.params.beta;
                let p = gibbs(&own.model, own.data.ranges, beta);
                let q = gibbs(&self.run.model, self.run.data.ranges, beta);
                let tv = total_variation(&p, &q);
                self.tv = Some((key.0, key.1, tv, Instant::now()));
                tv
            }
        }
    }

    /// The partner's caption and 3D view in `ui`, drawn at `x` on a grid of
    /// `cells` per axis.
    pub fn view_ui(&mut self, ui: &mut Ui, x: f64, cells: usize, opts: &ViewOptions) {
        caption_ui(ui, &self.run, self.error.as_deref());
        let key = (self.run.step(), x);
        if self.shown.as_ref().is_none_or(|(s, x, _)| (*s, *x) != key) {
            self.shown = Some((key.0, key.1, plane_view(&self.run, x, cells)));
            self.seq += 1;
        }
        let Some((_, _, view)) = &self.shown else {
            return;
        };
        let surface = view.as_surface();
        let ghost: [f32; 0] = [];
        let shown = Shown {
            seq: self.seq,
            view: &surface,
            ghost: &ghost,
        };
        self.view3d.surface_ui(ui, Some(shown), opts);
    }
}

/// A compare column's caption: what the run trains by, its badge and step.
pub fn caption_ui(ui: &mut Ui, run: &PlaneRun, error: Option<&str>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(version_name(run)).strong());
        state_badge_ui(ui, run.state(), 14.0);
        ui.label(format!("step {}", run.step()));
        if let Some(e) = error {
            ui.colored_label(egui::Color32::from_rgb(230, 60, 60), e);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::energy_model::EnergyModel;

    #[test]
    fn the_partner_is_the_other_version_from_the_same_start() {
        let cd = plane_preset("density-cd").map(|p| p.spec);
        let nll = plane_preset("density-nll").map(|p| p.spec);
        let (Some(cd), Some(nll)) = (cd, nll) else {
            panic!("the density presets");
        };
        let exact = partner_spec(&cd);
        assert!(is_exact(&exact) && !is_exact(&cd));
        assert_eq!((exact.seed, exact.set, exact.lr), (cd.seed, cd.set, cd.lr));
        let sampled = partner_spec(&nll);
        assert!(sampled.cd && sampled.inference == cd.inference);
        // Same data and the same initial weights.
        let a = PlaneRun::new(cd.clone(), None);
        let b = PlaneRun::new(exact, None);
        assert_eq!(a.data.ys, b.data.ys);
        assert_eq!(a.model.params(), b.model.params());
    }
}
