//! The page's app: [`EbmApp`] plus a thin bar (copy link, open a file), files
//! dropped on the page, and `document.title` = "ebm-lab · step N · state".
//!
//! Drawing is what a frame of the page costs, not training: with software
//! WebGL (SwiftShader, headless Chromium) the browser's GPU process spends
//! ~10× the page's own main-thread time per frame (docs/PERFORMANCE.md). So the
//! page draws what the desktop window draws, without what costs there and
//! shows nowhere: no multisampling (the desktop window has none either), no
//! dithering, the panels' background as the canvas's clear colour instead of
//! a second full-window fill (as on the desktop, [`EbmApp`]); snapshots (and so the 3D mesh, the plots and
//! the heat map) at most [`PUBLISH_RATE`] a second; and training takes what is
//! left of a 30 fps frame, at most 8 ms ([`super::frame`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use wasm_bindgen::{JsCast, JsValue};
use web_time::Instant;

use super::browser::{self, Picked};
use super::fragment;
use super::frame::{FrameCosts, RecentFrames};
use crate::gui::{EbmApp, LaunchOptions};

/// Snapshots a second while training (the desktop: 60). Each one rebuilds and
/// uploads the 3D mesh, the heat map and the plots' data; 15 a second keep
/// the surface moving smoothly and leave the frame to drawing.
const PUBLISH_RATE: f64 = 15.0;

/// The id of the canvas in `web/index.html`.
const CANVAS_ID: &str = "ebm_canvas";

thread_local! {
    /// The page's frame costs so far (`ebmFrameStats()`).
    static COSTS: Cell<FrameCosts> = Cell::new(FrameCosts::default());
    /// When the last paint callback of the frame ran: the end of its GL calls.
    static PAINT_END: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Draw every frame even when nothing changes (`ebmContinuous(true)`: to
    /// measure what drawing alone costs, e.g. while paused).
    static CONTINUOUS: Cell<bool> = const { Cell::new(false) };
}

/// The page's frame costs so far, as JSON (see [`FrameCosts`]).
pub fn frame_costs() -> String {
    COSTS.with(|c| c.get().to_json())
}

/// Draws every frame (`true`) or only when something changes (the default).
pub fn set_continuous(on: bool) {
    CONTINUOUS.with(|c| c.set(on));
}

/// Where the page's frames' time goes, measured as they run. A frame is
/// accounted when the next one starts: its paint has ended by then.
#[derive(Default)]
struct FrameClock {
    /// The previous frame: its start, the end of its `ui`, and its costs
    /// without the paint.
    last_start: Option<Instant>,
    last_ui_end: Option<Instant>,
    last: FrameCosts,
    recent: RecentFrames,
}

impl FrameClock {
    /// Accounts the previous frame and returns this frame's training budget.
    fn frame_started(&mut self, now: Instant) -> crate::session::Duration {
        if let (Some(start), Some(ui_end)) = (self.last_start, self.last_ui_end) {
            let paint_ms = PAINT_END
                .with(Cell::take)
                .filter(|&t| t >= ui_end)
                .map_or(0.0, |t| (t - ui_end).as_secs_f64() * 1e3);
            let last = self.last;
            COSTS.with(|k| {
                let mut sum = k.get();
                sum.frames += 1;
                sum.interval_ms += (now - start).as_secs_f64() * 1e3;
                sum.train_ms += last.train_ms;
                sum.ui_ms += last.ui_ms;
                sum.paint_ms += paint_ms;
                sum.steps += last.steps;
                sum.budget_ms += last.budget_ms;
                k.set(sum);
            });
            let interval_ms = (now - start).as_secs_f64() * 1e3;
            self.recent
                .add(last.train_ms, last.ui_ms + paint_ms, interval_ms);
        }
        self.last_start = Some(now);
        self.recent.budget()
    }

    /// Keeps this frame's training and `ui` times, and marks the end of its
    /// painting with an empty paint callback drawn last (egui paints the
    /// debug layer last, after the 3D view's callback).
    fn frame_built(
        &mut self,
        ctx: &egui::Context,
        spans: [Instant; 3],
        steps: u64,
        budget_ms: f64,
    ) {
        let [start, trained, end] = spans;
        self.last = FrameCosts {
            train_ms: (trained - start).as_secs_f64() * 1e3,
            ui_ms: (end - trained).as_secs_f64() * 1e3,
            steps,
            budget_ms,
            ..FrameCosts::default()
        };
        self.last_ui_end = Some(end);
        let mark = egui_glow::CallbackFn::new(|_info, _painter| {
            PAINT_END.with(|t| t.set(Some(Instant::now())));
        });
        ctx.layer_painter(egui::LayerId::debug())
            .add(egui::PaintCallback {
                rect: ctx.content_rect(),
                callback: Arc::new(mark),
            });
    }
}

pub struct WebApp {
    app: EbmApp,
    picked: Picked,
    title: String,
    message: String,
    clock: FrameClock,
    /// The fragment the page last followed (or wrote, by "Copy link").
    hash: String,
    /// When "Copy link" last copied: the bar says so beside the button for
    /// `COPIED_SHOWN` (the presentation and lecture layouts have no status bar).
    copied_at: Option<Instant>,
}

const COPIED_SHOWN: std::time::Duration = std::time::Duration::from_secs(3);

impl WebApp {
    fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let hash = browser::location_hash();
        browser::repaint_on_hash_change(cc.egui_ctx.clone());
        // Ctrl +/−/0 zoom the interface as on the desktop (Help lists them);
        // index.html keeps these keys from the browser's own page zoom.
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = true);
        let (start, error) = match fragment::parse(&hash) {
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
                plane: start.plane,
            },
        );
        if let Some(e) = error {
            app.show_message(format!("{e} (kept the defaults)"), true);
        }
        app.set_publish_rate(PUBLISH_RATE);
        // Present from the start (empty: no message), so a script reading it
        // never finds it missing.
        browser::set_message_attr(app.message().map_or("", |m| m.0.as_str()));
        WebApp {
            app,
            picked: Rc::new(RefCell::new(Vec::new())),
            title: String::new(),
            message: String::new(),
            clock: FrameClock::default(),
            hash,
            copied_at: None,
        }
    }

    /// A fragment changed in the open tab is followed as a new link would
    /// open (the settings, partners or lecture scene it names); a bad one is
    /// refused in the message line and the run goes on.
    fn follow_fragment(&mut self) {
        let hash = browser::location_hash();
        if hash == self.hash {
            return;
        }
        self.hash = hash;
        match fragment::parse(&self.hash) {
            Ok(start) => {
                let lecture = start
                    .scene
                    .and_then(|i| crate::lecture::Lecture::paper().ok().map(|l| (l, i)));
                self.app.open_start(
                    start.settings,
                    start.story,
                    start.preset,
                    &start.compare,
                    lecture,
                );
            }
            Err(e) => self.app.show_message(format!("{e} (kept the run)"), true),
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
                self.hash = browser::location_hash();
                browser::copy_to_clipboard(&url);
                self.copied_at = Some(Instant::now());
                let custom = self.app.settings().dataset == crate::model::DatasetKind::Custom;
                let text = if custom {
                    format!("link copied, without the points (a link cannot carry them; it opens on the preset's data): {url}")
                } else {
                    format!("link copied: {url}")
                };
                self.app.show_message(text, false);
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
            if let Some(at) = self.copied_at {
                if at.elapsed() < COPIED_SHOWN {
                    ui.label(
                        egui::RichText::new("link copied to the clipboard")
                            .color(egui::Color32::from_rgb(90, 190, 110)),
                    );
                    ui.ctx().request_repaint_after(COPIED_SHOWN);
                } else {
                    self.copied_at = None;
                }
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
        let title = match (self.app.plane(), self.app.snapshot()) {
            (Some(p), _) => format!(
                "ebm-lab · latent · step {} · {}",
                p.step(),
                p.state().name().to_uppercase()
            ),
            (None, Some(s)) => format!(
                "ebm-lab · step {} · {}",
                s.step,
                s.state().name().to_uppercase()
            ),
            (None, None) => "ebm-lab · starting".to_string(),
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
        let start = Instant::now();
        let budget = self.clock.frame_started(start);
        let ctx = ui.ctx().clone();
        if self.app.take_open_request() {
            self.open_picker(&ctx);
        }
        self.follow_fragment();
        self.read_dropped(&ctx);
        self.take_files();
        // Training shares the frame (see the module's doc).
        let steps = self.app.pump_session(budget);
        let trained = Instant::now();
        egui::Panel::top("web").show(ui, |ui| self.bar_ui(ui));
        self.app.ui(ui, frame);
        self.publish();
        if CONTINUOUS.with(Cell::get) {
            ctx.request_repaint();
        }
        let spans = [start, trained, Instant::now()];
        self.clock
            .frame_built(&ctx, spans, steps, budget.as_secs_f64() * 1e3);
    }

    /// The panels' fill, which [`EbmApp`] leaves to the clear colour.
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        eframe::App::clear_color(&self.app, visuals)
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        self.app.on_exit(gl);
    }
}

/// Starts the app on the page's canvas (called once by the binary's `main`).
pub fn start() {
    console_error_panic_hook::set_once();
    super::install_download();
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
    // WebGL2 without multisampling (WebGL's default is on): the desktop window
    // has none, and software WebGL pays it on every pixel of every frame.
    // eframe asks for "webgl2" with default attributes next and gets this
    // context (a canvas keeps the attributes of its first context).
    let attrs = js_sys::Object::new();
    js_sys::Reflect::set(&attrs, &"antialias".into(), &JsValue::FALSE)?;
    js_sys::Reflect::set(&attrs, &"depth".into(), &JsValue::TRUE)?;
    let _ = canvas.get_context_with_context_options("webgl2", &attrs)?;
    let options = eframe::WebOptions {
        depth_buffer: 24,
        // Dithering changes colours by less than one 8-bit step and costs a
        // shader's work on every pixel in software WebGL.
        dithering: false,
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
