//! Where a run's custom points come from: given with the command, kept from
//! the current run, or read from the `data` path (in a browser: the name of a
//! file the user opened or dropped onto the page, see `crate::web::store`).

use crate::model::DatasetKind;
use crate::settings::Settings;

type Points = Option<Vec<(f64, f64)>>;

/// The custom points of `settings`, read from its `data` path.
pub(crate) fn read(settings: &Settings) -> Result<Points, String> {
    crate::files::read_points(settings).map_err(|e| format!("{e:#}"))
}

/// The points a run of `new` needs: given ones, the current ones when the custom
/// source did not change, or the CSV at `data`.
pub(crate) fn for_settings(
    new: &Settings,
    old: &Settings,
    given: Points,
    current: &Points,
) -> Result<Points, String> {
    if new.dataset != DatasetKind::Custom {
        return Ok(None);
    }
    if given.is_some() {
        return Ok(given);
    }
    if old.dataset == DatasetKind::Custom && old.data == new.data && current.is_some() {
        return Ok(current.clone());
    }
    read(new)
}
