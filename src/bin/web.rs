//! `ebm-lab-web`: the browser build's entry (`scripts/web.sh` builds it for
//! wasm32 with `--features web`). `main` starts the app on the page's canvas;
//! `bench()` is callable from JavaScript.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(target_arch = "wasm32")]
fn main() {
    ebm_lab::web::start();
}

/// `ebm-lab bench --json` in the page: the standard step, the energy grid and
/// a snapshot, timed in this browser (a few seconds, on the main thread).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn bench() -> String {
    match ebm_lab::bench::measure(std::time::Duration::from_millis(300)) {
        Ok(rows) => ebm_lab::bench::to_json(&rows),
        Err(e) => format!("{{\"error\": {:?}}}", e.to_string()),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ebm-lab-web is the browser build: run ./scripts/web.sh");
    std::process::exit(1);
}
