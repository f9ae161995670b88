//! The window: eframe (glow) with the 3D scene in a paint callback. Everything
//! here draws from session snapshots; no training happens on this thread.

pub mod app;
pub mod compare;
pub mod controls;
pub mod dialogs;
pub mod export;
mod gl_cell;
pub mod native_dialog;
pub mod plane;
pub mod plots;
pub mod record;
pub mod timing;
pub mod view3d;

#[cfg(not(target_arch = "wasm32"))]
use std::sync::atomic::{AtomicI32, Ordering};
#[cfg(not(target_arch = "wasm32"))]
use std::sync::Arc;

#[cfg(not(target_arch = "wasm32"))]
use anyhow::{anyhow, Result};

pub use app::{EbmApp, LaunchOptions};

/// Opens the window and blocks until it closes; returns the process exit code.
/// (In the browser, [`crate::web`] starts the same app on a canvas.)
#[cfg(not(target_arch = "wasm32"))]
pub fn run_window(mut opts: LaunchOptions) -> Result<i32> {
    // On Mesa's software renderer (llvmpipe) rasterising on every core starves the
    // trainer thread: measured at 1280×800 on 2 cores, 41 fps with training at 74%
    // of its headless speed, against 38 fps and 100% with one render thread. Only
    // llvmpipe reads this variable; a user's own setting wins.
    if std::env::var_os("LP_NUM_THREADS").is_none() {
        std::env::set_var("LP_NUM_THREADS", "1");
    }
    let exit = Arc::new(AtomicI32::new(0));
    opts.exit_code = exit.clone();
    let title = match &opts.preset {
        Some(p) => format!("ebm-lab · {p}"),
        None => "ebm-lab".to_string(),
    };
    let native = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        depth_buffer: 24,
        // Dithering changes colours by less than one 8-bit step and is a
        // shader's work on every pixel of every frame in software GL.
        dithering: false,
        viewport: egui::ViewportBuilder::default()
            .with_title(title)
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "ebm-lab",
        native,
        Box::new(move |cc| Ok(Box::new(EbmApp::new(cc, opts)))),
    )
    .map_err(|e| anyhow!("could not open the window: {e}"))?;
    Ok(exit.load(Ordering::SeqCst))
}

/// Whether a display server is reachable (X11 or Wayland).
#[cfg(not(target_arch = "wasm32"))]
pub fn display_available() -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    set("DISPLAY") || set("WAYLAND_DISPLAY")
}
