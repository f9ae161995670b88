//! The computation without any front end, one test binary that links no
//! window, GL or dialog crate: gradients against finite differences, NLL's
//! stability, every preset's promise, and the live session.

#[path = "core/gradients.rs"]
mod gradients;
#[path = "core/nll_stability.rs"]
mod nll_stability;
#[path = "core/presets.rs"]
mod presets;
#[path = "core/session.rs"]
mod session;
