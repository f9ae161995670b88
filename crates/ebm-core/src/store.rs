//! Files the user gave the page (file picker or drag-and-drop), by name. In
//! the browser [`crate::files`] reads from here instead of a file system, so
//! opening settings and custom CSV data go through the same code as on the
//! desktop: a dropped `points.csv` is `data = "points.csv"`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

static FILES: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);

/// Keeps `text` under `name`, replacing an earlier file of that name.
pub fn put(name: &str, text: String) {
    let mut files = FILES.lock().unwrap_or_else(PoisonError::into_inner);
    files
        .get_or_insert_with(HashMap::new)
        .insert(name.to_string(), text);
}

/// The text given under `name`.
pub fn get(name: &str) -> Option<String> {
    let files = FILES.lock().unwrap_or_else(PoisonError::into_inner);
    files.as_ref().and_then(|f| f.get(name).cloned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn put_then_get() {
        assert_eq!(super::get("store-test-missing.csv"), None);
        super::put("store-test.csv", "0,1\n".into());
        super::put("store-test.csv", "0,2\n".into());
        assert_eq!(super::get("store-test.csv").as_deref(), Some("0,2\n"));
    }
}
