//! Screenshots of the window: export of the 3D view, GIF frames and the
//! `--frames` screenshot, all through one request-and-arrive pair.

use super::*;

pub(super) enum ScreenshotPurpose {
    /// The whole window, for `--frames`.
    Window(PathBuf),
    /// The 3D view only, for File → Export PNG.
    View(PathBuf, egui::Rect),
    /// A frame of the 3D view for the GIF being recorded.
    Record(egui::Rect),
}

/// Screenshots, recording and the `--frames` run: their own state.
pub(super) struct Capture {
    /// `--frames N --screenshot PATH`.
    pub frames: Option<(u64, PathBuf)>,
    pub frame_count: u64,
    /// Where a requested screenshot arrives, and what it is for.
    pub screenshot: Arc<Mutex<Option<Arc<egui::ColorImage>>>>,
    pub screenshot_purpose: Option<ScreenshotPurpose>,
    /// Where the app reports its exit status.
    pub exit_code: Arc<AtomicI32>,
    pub timings: FrameTimings,
    /// The GIF being recorded.
    pub recording: Option<Recording>,
}

impl Capture {
    pub fn new(frames: Option<(u64, PathBuf)>, exit_code: Arc<AtomicI32>) -> Capture {
        Capture {
            frames,
            frame_count: 0,
            screenshot: Arc::default(),
            screenshot_purpose: None,
            exit_code,
            timings: FrameTimings::from_env(),
            recording: None,
        }
    }
}

impl EbmApp {
    pub(super) fn toggle_recording(&mut self) {
        match self.capture.recording.take() {
            Some(rec) => {
                let path = rec.path.clone();
                self.message = Some(match rec.stop() {
                    Ok(n) => (format!("saved {} ({n} frames)", path.display()), false),
                    Err(e) => (format!("{e:#}"), true),
                });
            }
            None => {
                let name = self
                    .default_name(DialogKind::ExportPng)
                    .replace(".png", ".gif");
                match Recording::start(std::path::Path::new(&name)) {
                    Ok(rec) => {
                        self.message = Some((format!("recording to {name}…"), false));
                        self.capture.recording = Some(rec);
                    }
                    Err(e) => self.message = Some((format!("{e:#}"), true)),
                }
            }
        }
    }

    /// Asks for a frame of the 3D view for the GIF, every few frames.
    pub(super) fn record_frame(&mut self, ctx: &egui::Context) {
        if self.capture.recording.is_none()
            || self.capture.screenshot_purpose.is_some()
            || !self.capture.frame_count.is_multiple_of(CAPTURE_EVERY)
        {
            return;
        }
        self.request_screenshot(ctx, ScreenshotPurpose::Record(self.view_rect()));
    }

    /// Asks egui for a screenshot of the next frame; [`Self::screenshot_arrived`]
    /// handles it according to `purpose`.
    pub(super) fn request_screenshot(&mut self, ctx: &egui::Context, purpose: ScreenshotPurpose) {
        self.capture.screenshot_purpose = Some(purpose);
        let slot = self.capture.screenshot.clone();
        ctx.request_screenshot(move |img| {
            if let Ok(mut s) = slot.lock() {
                *s = Some(img);
            }
        });
    }

    /// Handles a screenshot that arrived (export or `--frames`).
    pub(super) fn screenshot_arrived(&mut self, ctx: &egui::Context) {
        let image = match self.capture.screenshot.lock() {
            Ok(mut s) => s.take(),
            Err(_) => None,
        };
        let Some(image) = image else { return };
        let Some(purpose) = self.capture.screenshot_purpose.take() else {
            return;
        };
        let ppp = ctx.pixels_per_point();
        match purpose {
            ScreenshotPurpose::View(path, rect) => {
                let result = super::super::export::save_png(&image, Some(rect), ppp, &path);
                self.message = Some(match result {
                    Ok(()) => (format!("saved {}", path.display()), false),
                    Err(e) => (format!("{e:#}"), true),
                });
            }
            ScreenshotPurpose::Record(rect) => {
                if let Some(rec) = &mut self.capture.recording {
                    let caption = match &self.snap {
                        Some(s) => {
                            crate::render::overlay::caption(&self.lesson.name, s.step, s.state())
                        }
                        None => String::new(),
                    };
                    rec.push(
                        &super::super::export::crop(&image, Some(rect), ppp),
                        &caption,
                    );
                }
            }
            ScreenshotPurpose::Window(path) => {
                let code = match super::super::export::save_png(&image, None, ppp, &path) {
                    Ok(()) => {
                        let steps = self.snap.as_ref().map_or(0.0, |s| s.steps_per_sec);
                        println!(
                            "{}",
                            self.capture.timings.summary(
                                self.capture
                                    .frames
                                    .as_ref()
                                    .map_or(self.capture.frame_count, |f| f.0),
                                steps
                            )
                        );
                        let partners: Vec<String> = self
                            .partner_snapshots()
                            .iter()
                            .flatten()
                            .map(|s| format!("{:.0}", s.steps_per_sec))
                            .collect();
                        if !partners.is_empty() {
                            println!("partners' steps/s: {}", partners.join(", "));
                        }
                        // Whole-run averages, to set against `ebm-lab train
                        // --steps N` for the same N (a run's speed changes as
                        // it learns).
                        let steps: Vec<String> = std::iter::once(self.snap.as_ref())
                            .chain(self.partner_snapshots().iter().map(|s| s.as_ref()))
                            .map(|s| s.map_or(0, |s| s.step).to_string())
                            .collect();
                        println!(
                            "steps: {} in {:.2} s",
                            steps.join(", "),
                            self.capture.timings.since_start()
                        );
                        let r = self.view_rect();
                        println!(
                            "view: {:.0}x{:.0} at {:.0},{:.0}",
                            r.width(),
                            r.height(),
                            r.left(),
                            r.top()
                        );
                        0
                    }
                    Err(e) => {
                        eprintln!("error: {e:#}");
                        1
                    }
                };
                self.capture.exit_code.store(code, Ordering::SeqCst);
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    pub(super) fn frames_mode(&mut self, ctx: &egui::Context) {
        let Some((n, path)) = &self.capture.frames else {
            return;
        };
        if self.capture.frame_count == *n && self.capture.screenshot_purpose.is_none() {
            let purpose = ScreenshotPurpose::Window(path.clone());
            self.request_screenshot(ctx, purpose);
        }
    }
}
