//! `train --compare k=v[,k=v…]`: the same run next to up to three partners
//! that differ in live settings only (so they share the data and the initial
//! weights), trained in lockstep and drawn side by side, each captioned with
//! what differs and its state (issue 15's headless compare).

use anyhow::{anyhow, Result};

use crate::console::note;
use crate::lecture::{Event, EventClock};
use crate::model::{Divergence, Metrics, Run};
use crate::render::gif::GifRecorder;
use crate::render::pictures::{png_bytes, PicturePlan, Pictures, GIF_GRID, STILL_GRID};
use crate::settings::partner::partners_from;
use crate::settings::Settings;

/// The aspect the default camera frames the surface for.
const FRAMED_ASPECT: f32 = 1.6;

/// The partners' settings: `base` with each `--compare` list applied. Only
/// live keys may differ (a structural key would change the data or the
/// initial weights, and the comparison would not be of the loss alone).
pub fn partners(base: &Settings, lists: &[String]) -> Result<Vec<(String, Settings)>> {
    let found = partners_from(base, lists).map_err(|e| anyhow!("--compare {e}"))?;
    Ok(found.into_iter().map(|p| (p.label(), p.settings)).collect())
}

/// The runs of `done` that diverged, as one line naming each and the advice,
/// or `None` when every run is finite (after the pictures are written, so a
/// diverged partner still shows in them, and the exit status says so).
pub fn divergences(done: &[(String, Metrics, Option<Divergence>)]) -> Option<String> {
    let lines: Vec<String> = done
        .iter()
        .filter_map(|(label, _, d)| {
            d.as_ref()
                .map(|d| format!("{label}: {}", crate::settings::explain_divergence(d)))
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

/// Trains every run `steps` steps in lockstep and writes the side-by-side
/// PNG and GIF asked for. `events` (a lecture scene's) fire on the first
/// run, checked every [`crate::session::COLLAPSE_CHECK`] steps as the window
/// does; their `set` changes that run only. Returns each run's final metrics
/// and its divergence, if it diverged.
pub fn train_compared(
    steps: u64,
    runs: Vec<(String, Settings)>,
    plan: PicturePlan,
    events: &[Event],
) -> Result<Vec<(String, Metrics, Option<Divergence>)>> {
    let mut live: Vec<(String, Run)> = Vec::new();
    for (label, s) in &runs {
        let points = crate::files::read_points(s)?;
        live.push((label.clone(), Run::new(s, points.as_deref())));
    }
    let n = live.len() as u32;
    let mut pictures = Vec::new();
    // The camera is framed for a 1.6 aspect; narrower panels step back so
    // the whole surface stays in view (`--size 1920x600` gives two 960×600).
    let panel_aspect = |(w, h): (u32, u32)| (w / n) as f32 / h.max(1) as f32;
    let aspect = match (&plan.png, &plan.gif) {
        (Some(_), Some(_)) => panel_aspect(plan.size).min(panel_aspect(plan.gif_size)),
        (None, Some(_)) => panel_aspect(plan.gif_size),
        (Some(_), None) => panel_aspect(plan.size),
        // Nothing to draw: no GL device is opened.
        (None, None) => 0.0,
    };
    for (label, run) in live.iter_mut().filter(|_| aspect > 0.0) {
        let mut p = plan.clone();
        (p.png, p.gif, p.png_every) = (None, None, None);
        p.title = label.clone();
        p.camera.distance *= (FRAMED_ASPECT / aspect).max(1.0);
        pictures.push(Pictures::start(p, run)?);
    }
    let mut gif = match &plan.gif {
        Some(path) => Some(GifRecorder::new(
            path,
            plan.gif_size.0,
            plan.gif_size.1,
            plan.fps,
        )?),
        None => None,
    };
    let mut clock = EventClock::new(events);
    let mut own = runs.first().map(|r| r.1.clone()).unwrap_or_default();
    for step in 0..=steps {
        if step > 0 {
            for (_, run) in &mut live {
                // A diverged run stays as it was; its caption says so.
                let _ = run.train_step();
            }
        }
        if !events.is_empty() && step.is_multiple_of(crate::session::COLLAPSE_CHECK) {
            if let Some((_, first)) = live.first_mut() {
                fire_events(events, &mut clock, &mut own, first, step)?;
            }
        }
        let due = step.is_multiple_of(plan.gif_every) || step == steps;
        if let (Some(g), true) = (gif.as_mut(), due) {
            g.push_frame(&side_by_side(
                &mut live,
                &mut pictures,
                GIF_GRID,
                plan.gif_size,
                n,
            )?)?;
        }
    }
    if let Some(path) = &plan.png {
        let px = side_by_side(&mut live, &mut pictures, STILL_GRID, plan.size, n)?;
        crate::files::write_atomic(path, &png_bytes(&px, plan.size)?)?;
    }
    if let Some(g) = gif {
        g.finish()?;
    }
    let mut out = Vec::new();
    for (label, run) in &mut live {
        let m = run.metrics();
        note(&format!(
            "{label}: step {}: {} (loss {:.4}, y_spread {:.4}, inference error {:.4})",
            run.step(),
            m.state.name(),
            m.loss,
            m.y_spread,
            m.inference_error
        ));
        out.push((label.clone(), m, run.diverged().cloned()));
    }
    Ok(out)
}

/// Fires the events `run` (of `settings`) has reached at `step`, once each.
fn fire_events(
    events: &[Event],
    clock: &mut EventClock,
    settings: &mut Settings,
    run: &mut Run,
    step: u64,
) -> Result<()> {
    let state = run.metrics().state;
    for e in clock.due(events, step, state) {
        if !e.set.is_empty() {
            *settings =
                settings.with_changes(e.set.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
            run.set_live(&*settings);
        }
    }
    Ok(())
}

/// One picture per run, each `size.0 / n` wide, placed left to right.
fn side_by_side(
    live: &mut [(String, Run)],
    pictures: &mut [Pictures],
    grid: usize,
    size: (u32, u32),
    n: u32,
) -> Result<Vec<u8>> {
    let (w, h) = size;
    let part = w / n;
    let mut out = vec![0u8; (4 * w * h) as usize];
    for (i, ((_, run), p)) in live.iter_mut().zip(pictures.iter_mut()).enumerate() {
        let px = p.frame(run, grid, (part, h))?;
        for y in 0..h as usize {
            let src = &px[4 * y * part as usize..4 * (y + 1) * part as usize];
            let at = 4 * (y * w as usize + i * part as usize);
            out[at..at + src.len()].copy_from_slice(src);
        }
    }
    Ok(out)
}
