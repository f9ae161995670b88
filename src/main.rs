use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use ebm_lab::cli::{self, Cli, Command, WindowArgs};

/// What the window is asked to show besides its settings.
#[derive(Default)]
struct Mode {
    compare: Vec<String>,
    lecture: Option<(ebm_lab::lecture::Lecture, usize)>,
    plane: Option<String>,
}

fn window(args: &WindowArgs, mode: Mode) -> Result<i32> {
    let preset = match (&args.preset, &args.settings) {
        (Some(p), _) => Some(p.clone()),
        (None, None) => Some(ebm_lab::presets::DEFAULT_PRESET.to_string()),
        (None, Some(_)) => None,
    };
    let settings = cli::resolve_settings(preset.as_deref(), args.settings.as_deref(), &[])?;
    // Partners are checked before anything opens: a bad one is a one-line error.
    if !mode.compare.is_empty() {
        ebm_lab::settings::partner::partners_from(&settings, &mode.compare)
            .map_err(|e| anyhow::anyhow!("--with {e}"))?;
    }
    let story = match &preset {
        Some(p) => ebm_lab::presets::load_preset(p)?.1,
        None => String::new(),
    };
    if !ebm_lab::gui::display_available() {
        if args.frames.is_some() {
            anyhow::bail!("--frames needs a display (DISPLAY or WAYLAND_DISPLAY); try xvfb-run");
        }
        ebm_lab::console::note(
            "no display found (DISPLAY and WAYLAND_DISPLAY are unset), so no window: \
             showing the headless run instead. Run on a desktop, or under `xvfb-run`, for the window.",
        );
        ebm_lab::demo::headless_demo(&settings, &story)?;
        return Ok(0);
    }
    let points = ebm_lab::files::read_points(&settings)?;
    ebm_lab::gui::run_window(ebm_lab::gui::LaunchOptions {
        settings,
        points,
        story,
        preset,
        frames: args.frames.zip(args.screenshot.clone()),
        exit_code: Default::default(),
        compare: mode.compare,
        lecture: mode.lecture,
        plane: mode.plane,
    })
}

/// `ebm-lab lecture`: the window on the lecture, or its handout.
fn lecture(args: &cli::LectureArgs) -> Result<i32> {
    let (lecture, scene) = cli::lecture_from_args(args)?;
    if let Some(dir) = &args.export {
        cli::export_lecture(&lecture, dir, &args.size)?;
        return Ok(0);
    }
    let window_args = WindowArgs {
        frames: args.frames,
        screenshot: args.screenshot.clone(),
        ..WindowArgs::default()
    };
    let mode = Mode {
        lecture: Some((lecture, scene)),
        ..Mode::default()
    };
    window(&window_args, mode)
}

/// `ebm-lab latent --window`: the window on the latent-variable lessons.
fn latent_window(args: &cli::LatentArgs) -> Result<i32> {
    if ebm_lab::model::plane::presets::plane_preset(args.preset_name()).is_none() {
        anyhow::bail!(
            "--preset {}: not a plane preset (see `ebm-lab latent --list`)",
            args.preset_name()
        );
    }
    if !ebm_lab::gui::display_available() {
        anyhow::bail!(
            "--window needs a display (DISPLAY or WAYLAND_DISPLAY); try xvfb-run, or drop --window"
        );
    }
    let mode = Mode {
        plane: Some(args.preset_name().to_string()),
        ..Mode::default()
    };
    window(&WindowArgs::default(), mode)
}

/// On SIGINT or SIGTERM: delete the temporary files of outputs being
/// written, then exit as the signal would (128 + its number).
#[cfg(not(target_arch = "wasm32"))]
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            ebm_lab::files::remove_temporaries_and_exit(128 + sig);
        }
    });
}

fn main() -> ExitCode {
    #[cfg(not(target_arch = "wasm32"))]
    clean_up_on_signals();
    let args = Cli::parse();
    let result = match &args.command {
        Some(Command::Train(t)) => cli::train(t).map(|()| 0),
        Some(Command::Presets(p)) => cli::presets(p).map(|()| 0),
        Some(Command::Latent(l)) if l.window => latent_window(l),
        Some(Command::Latent(l)) => cli::latent(l).map(|()| 0),
        Some(Command::Density(l)) => {
            let l = cli::LatentArgs {
                density: true,
                ..l.clone()
            };
            if l.window {
                latent_window(&l)
            } else {
                cli::latent(&l).map(|()| 0)
            }
        }
        Some(Command::Sample(a)) => cli::sample(a).map(|()| 0),
        Some(Command::Bench { json }) => ebm_lab::bench::run(*json).map(|()| 0),
        Some(Command::Compare(c)) => window(
            &c.window,
            Mode {
                compare: c.with.clone(),
                ..Mode::default()
            },
        ),
        Some(Command::Lecture(l)) => lecture(l),
        None => window(&args.window, Mode::default()),
    };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        // The reader of our output has gone (`ebm-lab presets | head -1`): nothing to say.
        Err(e) if ebm_lab::console::is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            ebm_lab::console::note(&format!("error: {}", ebm_lab::console::one_line(&e)));
            ExitCode::FAILURE
        }
    }
}
