//! File IO shared by the CLI and the window: reading settings and points,
//! and writing outputs atomically (a temporary file renamed into place), so a
//! failed write never leaves a half-written file under the final name.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};

use crate::model::dataset::parse_points_csv;
use crate::model::DatasetKind;
use crate::settings::Settings;

/// A hidden temporary name beside `path`, for writing before renaming into place.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Checks that `path` can be created, without leaving anything behind.
/// (In the browser every write is a download, so always.)
pub fn check_writable(path: &Path) -> Result<()> {
    if cfg!(target_arch = "wasm32") {
        return Ok(());
    }
    let tmp = temp_path(path);
    std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", path.display()))?;
    let _ = std::fs::remove_file(&tmp);
    if path.is_dir() {
        return Err(anyhow!(
            "cannot write {}: it is a directory",
            path.display()
        ));
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
/// In the browser: downloads them under `path`'s file name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if cfg!(target_arch = "wasm32") {
        return crate::web::download(path, bytes);
    }
    let tmp = temp_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Reads a text file; in the browser, one the user opened or dropped
/// ([`crate::web::store`]).
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    if cfg!(target_arch = "wasm32") {
        let name = path.to_string_lossy();
        return crate::web::store::get(&name).ok_or_else(|| {
            anyhow!("cannot read {what} {name}: open or drop the file onto the page first")
        });
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {what} {}", path.display()))
}

/// Reads a settings file (TOML).
pub fn read_settings(path: &Path) -> Result<Settings> {
    let text = read_text(path, "settings file")?;
    let (s, _) = Settings::from_toml(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok(s)
}

/// The points of the custom dataset, when the settings ask for it.
pub fn read_points(settings: &Settings) -> Result<Option<Vec<(f64, f64)>>> {
    if settings.dataset != DatasetKind::Custom {
        return Ok(None);
    }
    let path = Path::new(&settings.data);
    let text = read_text(path, "data CSV (setting `data`)")?;
    let pts = parse_points_csv(&text).map_err(|e| anyhow!("data CSV {}: {e}", path.display()))?;
    Ok(Some(pts))
}
