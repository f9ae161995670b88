//! ebm-lab: watch loss functions carve the energy surface of an energy-based model.

pub mod bench;
pub mod cli;
pub mod console;
pub mod demo;
pub mod export;
pub mod files;
pub mod gui;
pub mod model;
pub mod presets;
pub mod render;
pub mod scene;
pub mod session;
pub mod settings;
