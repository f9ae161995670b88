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
pub mod store;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod browser;

#[cfg(target_arch = "wasm32")]
pub use app::{frame_costs, set_continuous, start};

use std::path::Path;

use anyhow::Result;

/// Downloads `bytes` under `path`'s file name (the browser's "write a file").
pub fn download(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ebm-lab-download".into());
    #[cfg(target_arch = "wasm32")]
    {
        browser::download(&name, bytes).map_err(|e| anyhow::anyhow!("cannot download {name}: {e}"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = bytes;
        Err(anyhow::anyhow!(
            "cannot download {name}: only in the browser"
        ))
    }
}
