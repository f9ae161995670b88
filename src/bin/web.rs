//! `ebm-lab-web`: the browser build's entry (`scripts/web.sh` builds it for
//! wasm32 with `--features web`). `main` starts the app on the page's canvas;
//! `bench()`, `frame_stats()` and `set_continuous()` are callable from JavaScript.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(target_arch = "wasm32")]
fn main() {
    ebm_lab::web::start();
}

/// `ebm-lab bench --json` in the page: the standard step, the energy grid and
/// a snapshot, timed in this browser on the main thread, each row within about
/// `budget_ms` (browsers round `performance.now()` to as much as 0.1 ms, so
/// give each row a second or more: its rounds then last ≥ 6 ms).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn bench(budget_ms: u32) -> String {
    let budget = std::time::Duration::from_millis(budget_ms.into());
    match ebm_lab::bench::measure(budget) {
        Ok(rows) => ebm_lab::bench::to_json(&rows),
        Err(e) => format!("{{\"error\": {:?}}}", e.to_string()),
    }
}

/// The page's frame costs so far (JSON: frames, and the summed milliseconds of
/// the frame intervals, training, `ui` and painting; see `web::frame`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn frame_stats() -> String {
    ebm_lab::web::frame_costs()
}

/// Draw every frame even when nothing changes (`true`), to measure drawing
/// alone, e.g. while paused; `false` returns to drawing on change.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn set_continuous(on: bool) {
    ebm_lab::web::set_continuous(on);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ebm-lab-web is the browser build: run ./scripts/web.sh");
    std::process::exit(1);
}
