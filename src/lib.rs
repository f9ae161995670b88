//! ebm-lab: watch loss functions carve the energy surface of an energy-based model.
//! The front ends (window, headless renderer, command line, page) over `ebm-core`.
//!
//! The same library builds for the desktop and for the browser (wasm32, see
//! [`web`]); the modules that need a command line, threads of their own or
//! headless EGL are desktop-only.

// The computation lives in `ebm-core` (no window, GL or dialog dependency);
// its modules are re-exported so front-end code names them as before.
pub use ebm_core::{
    console, export, files, lecture, model, named_enum, presets, promises, session, settings,
};

pub mod bench;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod demo;
pub mod gui;
pub mod render;
pub mod scene;
pub mod web;
