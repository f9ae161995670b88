//! Pictures without a window: an offscreen EGL renderer for PNG stills and
//! frames, the text drawn into them, and the GIF recorder shared with the window.
//! The EGL parts are desktop-only.
pub mod font;
pub mod gif;
#[cfg(not(target_arch = "wasm32"))]
pub mod headless;
pub mod overlay;
#[cfg(not(target_arch = "wasm32"))]
pub mod pictures;
