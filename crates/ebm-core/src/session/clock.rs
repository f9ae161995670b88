//! The session's clock: `std::time` natively, the browser's clock on wasm32
//! (where `std::time::Instant::now` panics). Everything in `session` that
//! measures time goes through these two names.

pub use web_time::{Duration, Instant};
