//! The settings table is the single source: every key round-trips through
//! `--set` text, TOML and the GUI's widget ranges, and README.md's settings
//! table is the one generated from it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ebm_lab::gui::controls::widget_ranges;
use ebm_lab::settings::{keys, markdown_table, Change, Domain, Key, Settings};

const BEGIN: &str = "<!-- settings-table:begin -->\n";
const END: &str = "<!-- settings-table:end -->";

#[test]
fn readme_holds_the_generated_settings_table() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find(BEGIN).expect("README has the begin marker") + BEGIN.len();
    let end = readme.find(END).expect("README has the end marker");
    let table = markdown_table();
    assert_eq!(
        &readme[start..end],
        table,
        "README's settings table is stale; paste this between the markers:\n{table}"
    );
}

/// A value of each key different from the default, as text.
fn other_value(key: &str) -> &'static str {
    match key {
        "dataset" => "eye",
        "samples" => "37",
        "spacing" => "random",
        "noise" => "0.25",
        "data" => "some/points.csv",
        "architecture" => "regressor",
        "hidden" => "9",
        "out_dim" => "2",
        "cost" => "saturated",
        "loss" => "hinge",
        "margin" => "1.5",
        "radius" => "0.2",
        "radius_late" => "0.05",
        "radius_late_step" => "500",
        "beta" => "2.5",
        "kappa" => "3",
        "grid" => "64",
        "lr" => "0.003",
        "momentum" => "0.5",
        "weight_decay" => "0.001",
        "grid_jitter" => "0.5",
        "partition" => "grid",
        "inference" => "descent",
        "inference_steps" => "7",
        "inference_eta" => "0.125",
        "inference_start" => "sample",
        "batch" => "10",
        "optimizer" => "adam",
        "seed" => "18446744073709551615",
        other => panic!("the test has no value for the new key `{other}`: add one"),
    }
}

#[test]
fn every_key_round_trips_through_set_toml_and_get() {
    for k in keys() {
        let v = other_value(k.name);
        let mut s = Settings::default();
        s.set(k.name, v)
            .unwrap_or_else(|e| panic!("{}: {e}", k.name));
        assert_ne!(s, Settings::default(), "{} = {v} changed nothing", k.name);
        assert_eq!(s.get(k.name).as_deref(), Some(v), "{} reads back", k.name);
        let toml = s.to_toml(None);
        let (back, _) =
            Settings::from_toml(&toml).unwrap_or_else(|e| panic!("{}: {e}\n{toml}", k.name));
        assert_eq!(back, s, "{} survives TOML", k.name);
        assert_eq!(s.validated_whole(), Ok(s.clone()), "{}", k.name);
        // The typed form: the key enum names the row, a parsed change sets
        // the same value.
        let key = Key::from_name(k.name).unwrap_or_else(|| panic!("{} has no Key", k.name));
        assert_eq!(key.name(), k.name);
        let change = Change::parse(k.name, v).unwrap_or_else(|e| panic!("{}: {e}", k.name));
        assert_eq!(change.key(), key);
        assert_eq!(Settings::default().with_typed(&[change]), Ok(s.clone()));
    }
    let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
    let rows: Vec<&str> = keys().iter().map(|k| k.name).collect();
    assert_eq!(names, rows, "one key per row, in the table's order");
}

#[test]
fn every_key_refuses_junk_naming_itself() {
    for k in keys().iter().filter(|k| k.name != "data") {
        let err = Settings::default()
            .with_changes([(k.name, "junk\u{1}")])
            .expect_err(k.name)
            .to_string();
        assert!(err.contains(k.name), "{err}");
        assert!(err.contains("allowed: "), "{err}");
        assert!(
            !err.ends_with("allowed: "),
            "the allowed values are listed: {err}"
        );
    }
}

#[test]
fn every_widget_end_is_accepted_and_every_numeric_key_has_a_widget() {
    let ranges = widget_ranges();
    for k in keys() {
        let numeric = matches!(k.domain, Domain::Int { .. } | Domain::Real { .. });
        if numeric {
            assert!(
                ranges.iter().any(|(n, _, _)| *n == k.name),
                "{} has no widget",
                k.name
            );
        }
    }
}
