//! Pictures without a window: an offscreen EGL renderer for PNG stills and
//! frames, the text drawn into them, and the GIF recorder shared with the window.
pub mod font;
pub mod gif;
pub mod headless;
pub mod overlay;
pub mod pictures;
