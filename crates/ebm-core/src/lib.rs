//! ebm-core: the computation behind ebm-lab, with no window, GL, dialog or
//! image dependency, for every front end (the window, the headless renderer,
//! the command line, the page) and for wasm32.
//!
//! Data flows one way: [`settings`] → [`model`] (datasets, architectures,
//! losses, inference, training, metrics) → [`session`] (the trainer on its own
//! thread or driven by frames) → the front ends. [`presets`] and [`lecture`]
//! are the lessons as data; [`export`] and [`files`] the formats and the
//! careful file I/O; [`store`] the files a browser page was given.

pub mod console;
pub mod export;
pub mod files;
pub mod lecture;
pub mod model;
pub mod presets;
pub mod promises;
pub mod session;
pub mod settings;
pub mod store;
