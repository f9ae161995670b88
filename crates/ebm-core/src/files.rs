//! File IO shared by the CLI and the window: reading settings and points,
//! and writing outputs.
//!
//! How an output path is written (what a Unix user expects of `cmd > PATH`):
//! * a symlink is followed to its final target, and that target is written;
//! * a regular file (or a new name) is replaced atomically: the bytes go to a
//!   hidden temporary file in the same directory, renamed into place only when
//!   complete, so a failed or interrupted write never leaves a half-written file;
//! * a FIFO or a character device (`/dev/null`, `/dev/stdout`, a terminal) is
//!   written straight, never replaced;
//! * a directory, a block device or a socket is refused, and so is an existing
//!   file whose permission bits do not let this user write it (checked from the
//!   bits even as root, who could otherwise clobber anyone's read-only file).
//!
//! Temporary files are registered while they exist; [`remove_temporaries`]
//! deletes them (the CLI calls it on SIGINT/SIGTERM).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use anyhow::{anyhow, bail, Context, Result};

use crate::model::dataset::parse_points_csv;
use crate::model::DatasetKind;
use crate::settings::Settings;

#[cfg(unix)]
#[path = "files_unix.rs"]
mod unix;

static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Where the bytes of an output end up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A regular file (existing or not), replaced atomically.
    Replace(PathBuf),
    /// A FIFO or character device, written straight.
    Stream(PathBuf),
}

/// Follows symlinks from `path` to the final name (which may not exist yet).
fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)
                    .with_context(|| format!("cannot read symlink {}", p.display()))?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    bail!(
        "cannot write {}: too many levels of symlinks",
        path.display()
    )
}

/// Resolves an output path to where its bytes go, refusing what must not be written.
/// (A browser has no file system: its outputs are downloads, see [`write_atomic`].)
pub fn output_target(path: &Path) -> Result<Target> {
    if cfg!(target_arch = "wasm32") {
        bail!(
            "cannot write {}: the browser has no files; only exports (downloads) are written",
            path.display()
        );
    }
    if path.as_os_str().to_string_lossy().ends_with('/') {
        bail!(
            "cannot write {}: a name ending in / is a directory's; give a file name",
            path.display()
        );
    }
    let target = follow_links(path)?;
    let shown = || {
        if target == path {
            path.display().to_string()
        } else {
            format!("{} (→ {})", path.display(), target.display())
        }
    };
    let meta = match std::fs::metadata(&target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::Replace(target));
        }
        Err(e) => return Err(anyhow!("cannot write {}: {e}", shown())),
    };
    if meta.is_dir() {
        bail!("cannot write {}: it is a directory", shown());
    }
    #[cfg(unix)]
    {
        if let Some(kind) = unix::refused_kind(&meta) {
            bail!(
                "cannot write {}: it is a {kind}; outputs go to regular files, FIFOs or character devices",
                shown()
            );
        }
        if !unix::may_write(&meta) {
            bail!(
                "cannot write {}: permission denied (its mode does not let this user write it)",
                shown()
            );
        }
        if unix::is_stream(&meta) {
            return Ok(Target::Stream(target));
        }
    }
    Ok(Target::Replace(target))
}

/// Where `path` leads, to tell whether two paths name one file: the resolved
/// target, absolute, with its directory canonicalised (the file itself may
/// not exist yet). `None` for a FIFO or device, which may serve twice.
fn identity(path: &Path) -> Option<PathBuf> {
    let target = follow_links(path).ok()?;
    if let Ok(meta) = std::fs::metadata(&target) {
        if !meta.is_file() {
            return None;
        }
        return std::fs::canonicalize(&target).ok();
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(target.file_name()?))
}

/// Refuses two outputs that name one file (one would be lost) and an output
/// that names an input (the input would be replaced), except the pairs in
/// `may_replace` (`--save-model` over `--load-model`). Each path comes with
/// the flag or setting that gave it.
pub fn check_distinct(
    inputs: &[(&str, &Path)],
    outputs: &[(&str, &Path)],
    may_replace: &[(&str, &str)],
) -> Result<()> {
    let ids: Vec<_> = outputs.iter().map(|(_, p)| identity(p)).collect();
    for (i, (flag, path)) in outputs.iter().enumerate() {
        let Some(id) = &ids[i] else { continue };
        if let Some((other, _)) = outputs[..i]
            .iter()
            .zip(&ids)
            .find(|(_, o)| o.as_ref() == Some(id))
            .map(|(o, _)| o)
        {
            bail!(
                "{other} and {flag} both name {}; give each output its own file",
                path.display()
            );
        }
        for (input, ipath) in inputs {
            let allowed = may_replace.contains(&(input, flag));
            if !allowed && identity(ipath).as_ref() == Some(id) {
                bail!(
                    "{flag} {} is the {input} file; writing it would replace it (give another path)",
                    path.display()
                );
            }
        }
    }
    Ok(())
}

/// A fresh hidden temporary name in the directory of `path` (short, so a
/// 255-byte final name still works), registered for [`remove_temporaries`].
pub fn temp_path(path: &Path) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_file_name(format!(".ebm-lab-{}-{n}.tmp", std::process::id()));
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.push(tmp.clone());
    }
    tmp
}

/// A temporary name for building the output `path` in pieces, to be
/// finished by [`commit_temp`]: beside the resolved target for a regular
/// file, in the system's temporary directory for a FIFO or device.
pub fn temp_for(path: &Path) -> Result<PathBuf> {
    Ok(match output_target(path)? {
        Target::Replace(t) => temp_path(&t),
        Target::Stream(_) => temp_path(&std::env::temp_dir().join("stream")),
    })
}

/// Removes `tmp` (if it exists) and forgets it.
pub fn discard_temp(tmp: &Path) {
    let _ = std::fs::remove_file(tmp);
    forget_temp(tmp);
}

fn forget_temp(tmp: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.retain(|p| p != tmp);
    }
}

/// Deletes every temporary file still registered (on an interrupt).
pub fn remove_temporaries() {
    if let Ok(mut t) = TEMPORARIES.lock() {
        for p in t.drain(..) {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Deletes every registered temporary file and exits with `code`, holding
/// the registry so no new temporary file is registered meanwhile.
///
/// On Unix the process ends by `_exit`: no atexit handler or static
/// destructor runs. A signal arrives on its own thread while the main thread
/// may be rendering; `exit` would tear down Mesa's and LLVM's globals under
/// the running GL context (SIGSEGV, SIGABRT or SIGILL instead of 128 + the
/// signal). Standard output is not flushed (its lock may be held by a
/// blocked write); [`crate::console::out`] flushes every write already.
pub fn remove_temporaries_and_exit(code: i32) -> ! {
    let guard = TEMPORARIES.lock();
    if let Ok(t) = &guard {
        for p in t.iter() {
            let _ = std::fs::remove_file(p);
        }
    }
    #[cfg(unix)]
    {
        // SAFETY: `_exit` takes a plain int and never returns; it is
        // async-signal-safe and touches no Rust state.
        unsafe { libc::_exit(code) }
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

/// Checks that `path` can be written, without leaving anything behind.
/// (In the browser every write is a download, so always.)
pub fn check_writable(path: &Path) -> Result<()> {
    if cfg!(target_arch = "wasm32") {
        return Ok(());
    }
    match output_target(path)? {
        Target::Stream(_) => Ok(()),
        Target::Replace(target) => {
            let tmp = temp_path(&target);
            let made = std::fs::File::create(&tmp);
            discard_temp(&tmp);
            made.map(|_| ())
                .with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

/// Moves a completed temporary file `tmp` (made by [`temp_path`] beside the
/// resolved target) to where `path` points.
pub fn commit_temp(tmp: &Path, path: &Path) -> Result<()> {
    let target = match output_target(path) {
        Ok(t) => t,
        Err(e) => {
            discard_temp(tmp);
            return Err(e);
        }
    };
    let result = match target {
        Target::Replace(target) => {
            #[cfg(unix)]
            unix::keep_mode(&target, tmp);
            std::fs::rename(tmp, &target)
        }
        Target::Stream(target) => std::fs::read(tmp).and_then(|b| write_stream(&target, &b)),
    };
    discard_temp(tmp);
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Writes `bytes` straight to a FIFO or device. A reader that leaves before
/// the end is an error of this output (its kind is no longer `BrokenPipe`,
/// which means "standard output's reader has gone, end quietly").
fn write_stream(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).open(target)?;
    f.write_all(bytes).and_then(|()| f.flush()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::io::Error::other("its reader closed it before everything was written")
        } else {
            e
        }
    })
}

/// How the page hands a file to the user (a download), set once by the browser
/// front end; the core has no browser dependency of its own.
pub type Download = fn(name: &str, bytes: &[u8]) -> std::result::Result<(), String>;

static DOWNLOAD: std::sync::OnceLock<Download> = std::sync::OnceLock::new();

/// Sets the browser's download for [`write_atomic`] on wasm32 (first call wins).
pub fn set_download(download: Download) {
    let _ = DOWNLOAD.set(download);
}

/// Downloads `bytes` under `path`'s file name (the browser's "write a file").
fn download(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ebm-lab-download".into());
    match DOWNLOAD.get() {
        Some(download) => {
            download(&name, bytes).map_err(|e| anyhow!("cannot download {name}: {e}"))
        }
        None => Err(anyhow!("cannot download {name}: only in the browser")),
    }
}

/// Writes `bytes` to `path` as described in the module docs: atomically for
/// a regular file, straight to a FIFO or device.
/// In the browser: downloads them under `path`'s file name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if cfg!(target_arch = "wasm32") {
        return download(path, bytes);
    }
    let target = match output_target(path)? {
        Target::Stream(t) => {
            return write_stream(&t, bytes)
                .with_context(|| format!("cannot write {}", path.display()))
        }
        Target::Replace(t) => t,
    };
    let tmp = temp_path(&target);
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match written {
        Ok(()) => commit_temp(&tmp, path),
        Err(e) => {
            discard_temp(&tmp);
            Err(e).with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

/// The most energies one step of a custom set may evaluate (points × grid
/// K): a step holds them in f32, so this bounds its memory at about 1 GiB
/// (200,000 points × K = 4096 peaked at 3.3 GB before the cap).
pub const MAX_GRID_ENERGIES: usize = 1 << 28;

/// The widest range of x or of y a data CSV may span.
pub const MAX_SPAN: f64 = 1e37;

/// The largest input file of each kind read (a settings file, a lecture, a
/// model file, a data CSV): beyond it the file is refused before it fills
/// memory (`/dev/zero` given as a file, a model file of hundreds of MB).
pub mod caps {
    /// A settings file (TOML): the whole table is a few hundred bytes.
    pub const SETTINGS: u64 = 1 << 20;
    /// A lecture file (TOML): 30 scenes with long captions are ~20 KB.
    pub const LECTURE: u64 = 1 << 20;
    /// A model file (JSON): the largest model (H = 256, d = 32) is ~0.5 MB.
    pub const MODEL: u64 = 16 << 20;
    /// A data CSV: about two million `x,y` lines.
    pub const DATA: u64 = 64 << 20;
}

/// `bytes` for a person: "1 MiB", "64 MiB".
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads a text file of at most `cap` bytes; in the browser, one the user
/// opened or dropped ([`crate::store`]).
pub fn read_text(path: &Path, what: &str, cap: u64) -> Result<String> {
    let too_big = || {
        anyhow!(
            "cannot read {what} {}: larger than {}, the limit for a {what}",
            path.display(),
            size_text(cap)
        )
    };
    if cfg!(target_arch = "wasm32") {
        let name = path.to_string_lossy();
        let text = crate::store::get(&name).ok_or_else(|| {
            anyhow!("cannot read {what} {name}: open or drop the file onto the page first")
        })?;
        return if text.len() as u64 > cap {
            Err(too_big())
        } else {
            Ok(text)
        };
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(cap + 1).read_to_string(&mut text))
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if text.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(text)
}

/// Reads a settings file (TOML) on top of `base`.
pub fn read_settings_over(base: &Settings, path: &Path) -> Result<Settings> {
    let text = read_text(path, "settings file", caps::SETTINGS)?;
    let shown = path.display();
    let (s, meta) =
        Settings::from_toml_meta_over(base, &text).map_err(|e| anyhow!("{shown}: {e}"))?;
    crate::presets::promise_from(&meta, &shown.to_string()).map_err(|e| anyhow!("{e}"))?;
    Ok(s)
}

/// Reads a settings file (TOML); the keys it leaves out take their defaults.
pub fn read_settings(path: &Path) -> Result<Settings> {
    read_settings_over(&Settings::default(), path)
}

/// The points of the custom dataset, when the settings ask for it.
pub fn read_points(settings: &Settings) -> Result<Option<Vec<(f64, f64)>>> {
    if settings.dataset != DatasetKind::Custom {
        return Ok(None);
    }
    if settings.data == crate::settings::DRAWN_DATA {
        bail!(
            "data = {}: points drawn in the window live only there; save them (File → Save points…) and load that CSV",
            crate::settings::DRAWN_DATA
        );
    }
    let path = Path::new(&settings.data);
    let text = read_text(path, "data CSV (setting `data`)", caps::DATA)?;
    let pts = parse_points_csv(&text).map_err(|e| anyhow!("data CSV {}: {e}", path.display()))?;
    // The ranges, padded, must have a finite extent in f32 (±3.4e38 points
    // would give a grid of infinite spacing and an inference error of inf).
    let xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
    for (name, values) in [("x", &xs), ("y", &ys)] {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if hi - lo > MAX_SPAN {
            bail!(
                "data CSV {}: the {name} values span {:.1e}; allowed: a span up to {MAX_SPAN:.0e} (f32 holds the padded range and its grid): rescale the data",
                path.display(),
                hi - lo
            );
        }
    }
    let energies = pts.len().saturating_mul(settings.grid);
    if energies > MAX_GRID_ENERGIES {
        bail!(
            "data CSV {}: {} points × grid {} = {energies} energies a step; allowed: at most {MAX_GRID_ENERGIES} (about 1 GiB): use fewer points or a smaller grid",
            path.display(),
            pts.len(),
            settings.grid
        );
    }
    if settings.batch > pts.len() {
        bail!(
            "batch = {} is not allowed with the {} points of {}; allowed: 0 ..= {} (0 = full batch)",
            settings.batch,
            pts.len(),
            path.display(),
            pts.len()
        );
    }
    Ok(Some(pts))
}
