//! Offscreen OpenGL without any window system: an EGL device (Mesa's software
//! device on GPU-less machines), a surfaceless GL 3.3 core context, and
//! three-d rendering into a texture that is read back as RGBA rows, top-down.

use std::num::NonZeroU32;
use std::sync::Arc;

use anyhow::{anyhow, Context as _, Result};
use glutin::api::egl::{context::PossiblyCurrentContext, device::Device, display::Display};
use glutin::config::{Api, ConfigSurfaceTypes, ConfigTemplateBuilder};
use glutin::context::{ContextApi, ContextAttributesBuilder, GlProfile, Version};
use glutin::prelude::*;
use three_d::{DepthTexture2D, Interpolation, RenderTarget, Texture2D, Wrapping};

use crate::model::SurfaceView;
use crate::scene::{OrbitCamera, Scene, SceneOptions};

const HINT: &str = "headless rendering needs EGL with an OpenGL 3.3 driver \
    (on Debian/Ubuntu: apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri)";

/// A GL context with no window, and a scene to draw with it.
pub struct Headless {
    // Field order matters: GL objects go before the context that owns them.
    targets: Option<Targets>,
    scene: Scene,
    context: three_d::Context,
    _gl: PossiblyCurrentContext,
    _display: Display,
}

fn create_gl() -> Result<(Display, PossiblyCurrentContext, three_d::Context)> {
    let devices: Vec<Device> = Device::query_devices()
        .map_err(|e| anyhow!("no EGL library or devices ({e}); {HINT}"))?
        .collect();
    if devices.is_empty() {
        return Err(anyhow!("no EGL device found; {HINT}"));
    }
    let mut errors = Vec::new();
    for device in &devices {
        match context_on(device) {
            Ok(r) => return Ok(r),
            Err(e) => errors.push(format!("{}: {e:#}", device.name().unwrap_or("EGL device"))),
        }
    }
    Err(anyhow!(
        "no EGL device gave an OpenGL 3.3 context ({}); {HINT}",
        errors.join("; ")
    ))
}

fn context_on(device: &Device) -> Result<(Display, PossiblyCurrentContext, three_d::Context)> {
    // SAFETY: no native display handle is passed; glutin creates the display from the device.
    let display = unsafe { Display::with_device(device, None) }.context("EGL display")?;
    let template = ConfigTemplateBuilder::new()
        .with_api(Api::OPENGL)
        .with_surface_type(ConfigSurfaceTypes::empty())
        .with_depth_size(24)
        .build();
    // SAFETY: the display is alive for the whole call.
    let config = unsafe { display.find_configs(template) }
        .context("EGL configs")?
        .next()
        .ok_or_else(|| anyhow!("no EGL config with OpenGL"))?;
    let attributes = ContextAttributesBuilder::new()
        .with_profile(GlProfile::Core)
        .with_context_api(ContextApi::OpenGl(Some(Version::new(3, 3))))
        .build(None);
    // SAFETY: the config belongs to this display; no window handle is involved.
    let not_current = unsafe { display.create_context(&config, &attributes) }
        .context("OpenGL 3.3 core context")?;
    let current = not_current
        .make_current_surfaceless()
        .context("making the context current without a surface")?;
    // SAFETY: the context is current on this thread and the loader returns its functions.
    let gl = unsafe {
        three_d::context::Context::from_loader_function_cstr(|name| display.get_proc_address(name))
    };
    let context = three_d::Context::from_gl_context(Arc::new(gl))
        .map_err(|e| anyhow!("three-d on the EGL context: {e}"))?;
    Ok((display, current, context))
}

/// The colour and depth textures of the last size asked for, reused across frames.
struct Targets {
    size: (u32, u32),
    color: Texture2D,
    depth: DepthTexture2D,
}

impl Targets {
    fn new(context: &three_d::Context, (w, h): (u32, u32)) -> Targets {
        let clamp = Wrapping::ClampToEdge;
        Targets {
            size: (w, h),
            color: Texture2D::new_empty::<[u8; 4]>(
                context,
                w,
                h,
                Interpolation::Nearest,
                Interpolation::Nearest,
                None,
                clamp,
                clamp,
            ),
            depth: DepthTexture2D::new::<f32>(context, w, h, clamp, clamp),
        }
    }
}

impl Headless {
    /// Opens the EGL device. Fails with a message naming the missing packages.
    pub fn new() -> Result<Headless> {
        let (display, gl, context) = create_gl()?;
        Ok(Headless {
            targets: None,
            scene: Scene::new(&context),
            context,
            _gl: gl,
            _display: display,
        })
    }

    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    /// Draws `view` (with the step-0 `ghost`) as the window does and returns
    /// `width` × `height` RGBA pixels, rows top-down. Labels are not drawn here
    /// (see `overlay`).
    pub fn render(
        &mut self,
        view: &SurfaceView,
        ghost: Option<&[f32]>,
        opts: &SceneOptions,
        camera: &OrbitCamera,
        (width, height): (u32, u32),
    ) -> Result<Vec<u8>> {
        let (w, h) = (nonzero(width)?, nonzero(height)?);
        self.scene.update(view, ghost, opts);
        let size = (w.get(), h.get());
        if self.targets.as_ref().map(|t| t.size) != Some(size) {
            self.targets = Some(Targets::new(&self.context, size));
        }
        let t = self
            .targets
            .as_mut()
            .ok_or_else(|| anyhow!("no render target"))?;
        let target = RenderTarget::new(t.color.as_color_target(None), t.depth.as_depth_target());
        self.scene.render(&target, camera);
        let pixels: Vec<[u8; 4]> = target.read_color();
        self.context
            .error_check()
            .map_err(|e| anyhow!("OpenGL error while rendering: {e}"))?;
        Ok(pixels.into_iter().flatten().collect())
    }
}

fn nonzero(v: u32) -> Result<NonZeroU32> {
    NonZeroU32::new(v).ok_or_else(|| anyhow!("image size must be at least 1×1"))
}
