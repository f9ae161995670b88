//! The page's app: [`EbmApp`] plus a thin bar (copy link, open a file), files
//! dropped on the page, and `document.title` = "ebm-lab · step N · state".

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use wasm_bindgen::{JsCast, JsValue};

use super::browser::{self, Picked};
use super::fragment;
use crate::gui::{EbmApp, LaunchOptions};

/// Training time per frame (the rest of a 60 fps frame draws the page).
const TRAIN_BUDGET: crate::session::Duration = crate::session::Duration::from_millis(8);

/// The id of the canvas in `web/index.html`.
const CANVAS_ID: &str = "ebm_canvas";

pub struct WebApp {
    app: EbmApp,
    picked: Picked,
    title: String,
    message: String,
}

impl WebApp {
    fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let (start, error) = match fragment::parse(&browser::location_hash()) {
            Ok(s) => (s, None),
            Err(e) => (fragment::default_start(), Some(e)),
        };
        let mut app = EbmApp::new(
            cc,
            LaunchOptions {
                settings: start.settings,
                points: None,
                story: start.story,
                preset: start.preset,
                frames: None,
                exit_code: Arc::default(),
                compare: start.compare,
                lecture: start
                    .scene
                    .and_then(|i| crate::lecture::Lecture::paper().ok().map(|l| (l, i))),
            },
        );
        if let Some(e) = error {
            app.show_message(format!("{e} (kept the defaults)"), true);
        }
        WebApp {
            app,
            picked: Rc::new(RefCell::new(Vec::new())),
            title: String::new(),
            message: String::new(),
        }
    }

    /// Files dropped on the page are read asynchronously into the same queue
    /// as the picker's.
    fn read_dropped(&self, ctx: &egui::Context) {
        for f in ctx.input(|i| i.raw.dropped_files.clone()) {
            let (picked, ctx) = (self.picked.clone(), ctx.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = f.path().to_string_lossy().into_owned();
                let text = f
                    .bytes_async()
                    .await
                    .and_then(|b| String::from_utf8(b).map_err(|_| "not a text file".to_string()));
                picked.borrow_mut().push((name, text));
                ctx.request_repaint();
            });
        }
    }

    /// Files read (picked or dropped): kept by name, then opened.
    fn take_files(&mut self) {
        let files: Vec<(String, Result<String, String>)> =
            self.picked.borrow_mut().drain(..).collect();
        for (name, text) in files {
            match text {
                Ok(t) => {
                    super::store::put(&name, t);
                    self.app.open_named(&name);
                }
                Err(e) => self
                    .app
                    .show_message(format!("cannot open {name}: {e}"), true),
            }
        }
    }

    fn open_picker(&mut self, ctx: &egui::Context) {
        if let Err(e) = browser::pick_file(self.picked.clone(), ctx.clone()) {
            self.app
                .show_message(format!("cannot open the file picker: {e}"), true);
        }
    }

    fn copy_link(&mut self) {
        let mut frag = fragment::encode(self.app.settings(), self.app.preset());
        let scene = self.app.lecture_position().map(|(i, _)| i);
        let modes = fragment::encode_modes(&self.app.partner_lists(), scene);
        if !modes.is_empty() {
            frag = format!("{frag}&{modes}");
        }
        match browser::replace_hash(&frag) {
            Ok(url) => {
                browser::copy_to_clipboard(&url);
                self.app.show_message(format!("link copied: {url}"), false);
            }
            Err(e) => self
                .app
                .show_message(format!("cannot make the link: {e}"), true),
        }
    }

    fn bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if ui
                .button("Copy link")
                .on_hover_text("the URL of this exact demo (settings in the #fragment)")
                .clicked()
            {
                self.copy_link();
            }
            if ui
                .button("Open file…")
                .on_hover_text("settings (.toml) or points x,y (.csv)")
                .clicked()
            {
                self.open_picker(ui.ctx());
            }
            ui.weak("or drop a .toml / .csv onto the page · exports download");
        });
    }

    /// Step and state in the tab's title; the status message on `<html>`.
    fn publish(&mut self) {
        let title = match self.app.snapshot() {
            Some(s) => format!(
                "ebm-lab · step {} · {}",
                s.step,
                s.state().name().to_uppercase()
            ),
            None => "ebm-lab · starting".to_string(),
        };
        if title != self.title {
            browser::set_title(&title);
            self.title = title;
        }
        let message = self.app.message().map(|m| m.0.clone()).unwrap_or_default();
        if message != self.message {
            browser::set_message_attr(&message);
            self.message = message;
        }
    }
}

impl eframe::App for WebApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.app.take_open_request() {
            self.open_picker(&ctx);
        }
        self.read_dropped(&ctx);
        self.take_files();
        // Training shares the frame: a time budget that keeps the page near 60 fps.
        self.app.pump_session(TRAIN_BUDGET);
        egui::Panel::top("web").show(ui, |ui| self.bar_ui(ui));
        self.app.ui(ui, frame);
        self.publish();
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        self.app.on_exit(gl);
    }
}

/// Starts the app on the page's canvas (called once by the binary's `main`).
pub fn start() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        if let Err(e) = run().await {
            let msg = e.as_string().unwrap_or_else(|| format!("{e:?}"));
            web_sys::console::error_1(&format!("ebm-lab could not start: {msg}").into());
            browser::set_title("ebm-lab · failed to start");
        }
    });
}

async fn run() -> Result<(), JsValue> {
    let canvas = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(CANVAS_ID))
        .ok_or_else(|| JsValue::from_str("no canvas #ebm_canvas in the page"))?
        .dyn_into::<web_sys::HtmlCanvasElement>()?;
    let options = eframe::WebOptions {
        depth_buffer: 24,
        ..Default::default()
    };
    eframe::WebRunner::new()
        .start(
            canvas,
            options,
            Box::new(|cc| Ok(Box::new(WebApp::new(cc)))),
        )
        .await
}
