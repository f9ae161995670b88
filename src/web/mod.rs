//! The browser build: the same window ([`crate::gui::EbmApp`]) on a canvas,
//! started by the `ebm-lab-web` binary (`scripts/web.sh`).
//!
//! What differs from the desktop lives here: the page's start (settings from
//! the URL fragment, [`fragment`]), the title that shows step and state,
//! "copy link", files through the picker or drag-and-drop ([`store`]),
//! downloads instead of writes, and training that shares each frame with
//! drawing ([`frame`]). The link format, the file store and the frame budget
//! are plain Rust and tested on every target.

pub mod fragment;
pub mod frame;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod browser;

#[cfg(target_arch = "wasm32")]
pub use app::{frame_costs, set_continuous, start};

pub use ebm_core::store;

/// Gives the core's file writes the browser's download.
#[cfg(target_arch = "wasm32")]
pub fn install_download() {
    ebm_core::files::set_download(browser::download);
}
