//! Compare mode's partners: up to three runs beside the window's own, each
//! with its own session, snapshot and 3D view. They differ from the window's
//! run in live settings only (`settings::partner`), so all start from the same
//! data and the same initial weights; the app sends them every shared command
//! (play, step, reset, speed, shared setting changes) and links their cameras.

use std::sync::Arc;

use egui::Color32;

use super::view3d::View3d;
use crate::scene::OrbitCamera;
use crate::session::{Command, LiveSession, Session, Snapshot};
use crate::settings::partner::{Partner, PartnerError};
use crate::settings::Settings;

/// One colour per run in the overlaid plots and the columns' captions: the
/// window's own run first.
pub const RUN_COLORS: [Color32; 4] = [
    Color32::from_rgb(240, 120, 60),
    Color32::from_rgb(90, 170, 255),
    Color32::from_rgb(120, 210, 110),
    Color32::from_rgb(220, 120, 230),
];

/// The first partner colour (the window's own run has `RUN_COLORS[0]`)
/// that none of `taken` is.
pub fn free_color(taken: impl Iterator<Item = Color32> + Clone) -> Color32 {
    RUN_COLORS[1..]
        .iter()
        .copied()
        .find(|c| !taken.clone().any(|t| t == *c))
        .unwrap_or(RUN_COLORS[1])
}

/// A run beside the window's own.
pub struct PartnerRun {
    pub partner: Partner,
    pub session: Session,
    pub snap: Option<Arc<Snapshot>>,
    pub view: View3d,
    /// Its colour, kept while it lives (removing another run does not
    /// recolour it): the first of [`RUN_COLORS`] no other run has.
    pub color: Color32,
}

/// The partners and the camera they share with the window's own view.
pub struct Compare {
    pub runs: Vec<PartnerRun>,
    camera: OrbitCamera,
    gl: Option<Arc<eframe::glow::Context>>,
}

impl Compare {
    pub fn new(gl: Option<Arc<eframe::glow::Context>>, camera: OrbitCamera) -> Compare {
        Compare {
            runs: Vec::new(),
            camera,
            gl,
        }
    }

    /// Starts a partner run of `partner` on `points` (the custom data, if
    /// any), paused or running like the window's own and at its speed.
    pub fn add(
        &mut self,
        partner: Partner,
        points: Option<Vec<(f64, f64)>>,
        running: bool,
        speed: Option<f64>,
        resolution: usize,
        publish_rate: Option<f64>,
    ) {
        let session = Session::start(partner.settings.clone(), points);
        session.send(Command::Speed(speed));
        session.send(Command::SurfaceResolution(resolution, resolution));
        if let Some(rate) = publish_rate {
            session.send(Command::PublishRate(rate));
        }
        if running {
            session.send(Command::Resume);
        }
        let mut view = View3d::new(self.gl.clone());
        view.set_camera(self.camera);
        let color = free_color(self.runs.iter().map(|r| r.color));
        self.runs.push(PartnerRun {
            partner,
            session,
            snap: None,
            view,
            color,
        });
    }

    /// Stops and forgets partner `i`.
    pub fn remove(&mut self, i: usize) {
        if i < self.runs.len() {
            let mut run = self.runs.remove(i);
            run.view.destroy();
            run.session.shutdown();
        }
    }

    pub fn send_all(&self, cmd: &Command) {
        for r in &self.runs {
            r.session.send(cmd.clone());
        }
    }

    /// A change of the shared settings: each partner takes the pairs it does
    /// not override. The first refusal is returned (its run named).
    pub fn set_shared(&self, pairs: &[(&str, &str)]) -> Result<(), String> {
        let mut first = Ok(());
        for r in &self.runs {
            let own: Vec<(&str, &str)> = pairs
                .iter()
                .copied()
                .filter(|(k, _)| !r.partner.overrides_key(k))
                .collect();
            if own.is_empty() {
                continue;
            }
            if let Err(e) = r.session.set(&own) {
                if first.is_ok() {
                    first = Err(format!("{}: {e}", r.partner.label()));
                }
            }
        }
        first
    }

    /// New shared settings (a preset or a file): every partner is rebuilt on
    /// them with its own keys on top.
    pub fn replace_all(
        &mut self,
        base: &Settings,
        points: Option<Vec<(f64, f64)>>,
    ) -> Result<(), PartnerError> {
        let rebased: Vec<Partner> = self
            .runs
            .iter()
            .map(|r| r.partner.rebased(base))
            .collect::<Result<_, _>>()?;
        for (r, p) in self.runs.iter_mut().zip(rebased) {
            r.session
                .send(Command::Replace(p.settings.clone(), points.clone()));
            r.partner = p;
        }
        Ok(())
    }

    /// Takes every partner's newest snapshot.
    pub fn sync(&mut self) {
        for r in &mut self.runs {
            if let Some(s) = r.session.latest() {
                r.snap = Some(s);
            }
        }
    }

    /// The shared camera, to be set on every view before drawing.
    pub fn camera(&self) -> OrbitCamera {
        self.camera
    }

    /// After a view was drawn: if the user moved its camera, every view follows.
    pub fn camera_moved_to(&mut self, camera: OrbitCamera) {
        self.camera = camera;
    }

    pub fn shutdown(&mut self) {
        while !self.runs.is_empty() {
            self.remove(self.runs.len() - 1);
        }
    }
}

impl Drop for Compare {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_keeps_its_colour_when_another_is_removed() {
        let first = free_color([].into_iter());
        let second = free_color([first].into_iter());
        let third = free_color([first, second].into_iter());
        assert_eq!(
            [first, second, third],
            [RUN_COLORS[1], RUN_COLORS[2], RUN_COLORS[3]]
        );
        // The first partner removed: the others keep theirs, a new one takes the free one.
        assert_eq!(free_color([second, third].into_iter()), RUN_COLORS[1]);
    }
}
