//! Thin calls into the page: title, location, clipboard, downloads, the file
//! picker. Every failure is returned as text (or ignored where nothing can be
//! done about it, e.g. a title that cannot be set).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Files picked and read, waiting for the app: (name, text).
pub type Picked = Rc<RefCell<Vec<(String, Result<String, String>)>>>;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn js_err(what: &str, e: JsValue) -> String {
    format!(
        "{what}: {}",
        e.as_string().unwrap_or_else(|| format!("{e:?}"))
    )
}

pub fn set_title(title: &str) {
    if let Some(d) = document() {
        d.set_title(title);
    }
}

/// The status message as an attribute of `<html>`, for scripts and tests
/// (the canvas itself has no readable text).
pub fn set_message_attr(message: &str) {
    if let Some(el) = document().and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-message", message);
    }
}

/// The URL fragment, with its `#` (empty when there is none).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Asks `ctx` for a frame whenever the address bar's fragment changes (a
/// typed `#scene=1`, a script's `location.hash = …`): the page may be paused
/// and drawing no frames of its own.
pub fn repaint_on_hash_change(ctx: egui::Context) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_change = Closure::<dyn FnMut()>::new(move || ctx.request_repaint());
    let _ =
        window.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    // The page lives as long as the listener: it is never removed.
    on_change.forget();
}

/// Puts `fragment` in the address bar without reloading or adding history;
/// returns the whole URL.
pub fn replace_hash(fragment: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let loc = window.location();
    let base = loc.href().map_err(|e| js_err("location", e))?;
    let base = base.split('#').next().unwrap_or_default().to_string();
    let url = format!("{base}#{fragment}");
    let history = window.history().map_err(|e| js_err("history", e))?;
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&url))
        .map_err(|e| js_err("history", e))?;
    Ok(url)
}

/// Starts copying `text` to the clipboard (it completes asynchronously).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Saves `bytes` as a download named `name`.
pub fn download(name: &str, bytes: &[u8]) -> Result<(), String> {
    let doc = document().ok_or("no document")?;
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|e| js_err("blob", e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_err("url", e))?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| js_err("link", e))?
        .dyn_into()
        .map_err(|_| "not a link".to_string())?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has handed the blob to the download; it can go.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Opens the browser's file picker; the chosen file's text arrives in `picked`
/// and `ctx` is asked to repaint.
pub fn pick_file(picked: Picked, ctx: egui::Context) -> Result<(), String> {
    let doc = document().ok_or("no document")?;
    let input: web_sys::HtmlInputElement = doc
        .create_element("input")
        .map_err(|e| js_err("file picker", e))?
        .dyn_into()
        .map_err(|_| "not an input".to_string())?;
    input.set_type("file");
    input.set_accept(".toml,.csv,.txt");
    let target = input.clone();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        let Some(file) = target.files().and_then(|f| f.get(0)) else {
            return;
        };
        let (picked, ctx, name) = (picked.clone(), ctx.clone(), file.name());
        let promise = file.text();
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .map_err(|e| js_err("cannot read the file", e))
                .and_then(|v| v.as_string().ok_or_else(|| "the file is not text".into()));
            picked.borrow_mut().push((name, text));
            ctx.request_repaint();
        });
    });
    input.set_onchange(Some(on_change.as_ref().unchecked_ref()));
    // The handler must outlive this call (it runs when the user has chosen).
    on_change.forget();
    input.click();
    Ok(())
}
