//! ebm-lab: watch loss functions carve the energy surface of an energy-based model.
//!
//! The same library builds for the desktop and for the browser (wasm32, see
//! [`web`]); the modules that need a command line, threads of their own or
//! headless EGL are desktop-only.

pub mod bench;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod console;
#[cfg(not(target_arch = "wasm32"))]
pub mod demo;
pub mod export;
pub mod files;
pub mod gui;
pub mod lecture;
pub mod model;
pub mod presets;
pub mod render;
pub mod scene;
pub mod session;
pub mod settings;
pub mod web;
