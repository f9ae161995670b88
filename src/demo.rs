//! What `ebm-lab` shows where there is no display: the window's lesson as text.
//! The default preset collapses under the energy loss, then the loss is switched
//! to NLL, as a lecturer would click in the window, and a valley forms.

use anyhow::Result;

use crate::console::out;
use crate::model::{Loss, Run, State};
use crate::session::COLLAPSE_CHECK;
use crate::settings::Settings;

fn line(run: &mut Run) -> Result<()> {
    let m = run.metrics();
    out(&format!(
        "  step {:>6}  {:<10} loss {:>8.4}  spread {:>8.4}  inference error {:.3}\n",
        run.step(),
        m.state.name(),
        m.loss,
        m.spread,
        m.inference_error
    ))
}

fn train(run: &mut Run, steps: u64, every: u64) -> Result<()> {
    for i in 1..=steps {
        run.train_step()?;
        if i % every == 0 {
            line(run)?;
        }
    }
    Ok(())
}

/// Trains until the state is collapsed at a check (every `COLLAPSE_CHECK`
/// steps, as the window pauses), at most `steps`; a line every `every` steps
/// and at the collapse.
fn train_until_collapse(run: &mut Run, steps: u64, every: u64) -> Result<()> {
    for i in 1..=steps {
        run.train_step()?;
        let check = i.is_multiple_of(COLLAPSE_CHECK);
        if check && run.metrics().state == State::Collapsed {
            return line(run);
        }
        if i.is_multiple_of(every) {
            line(run)?;
        }
    }
    Ok(())
}

pub fn headless_demo(settings: &Settings, story: &str) -> Result<()> {
    out(&format!("{story}\nloss = {}:\n", settings.loss.name()))?;
    let mut run = Run::new(settings, None);
    line(&mut run)?;
    if settings.loss == Loss::Energy {
        train_until_collapse(&mut run, 10_000, 1000)?;
    } else {
        train(&mut run, 6000, 1000)?;
    }
    if settings.loss == Loss::Energy {
        let switched = settings.with_changes([("loss", "nll")])?;
        run.set_live(&switched);
        out("switching the loss to nll while it runs (one click in the window):\n")?;
        train(&mut run, 8000, 1000)?;
    }
    Ok(())
}
