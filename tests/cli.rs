//! The program as its users run it, one test binary (one link of the
//! window's dependencies instead of five): the headless command line and its
//! edges, hostile input, headless pictures and the real window under Xvfb.
#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// The `ebm-lab` binary under test.
fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ebm-lab"))
}

/// Runs it with `args` to the end.
fn ebm(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

/// What it wrote to stderr.
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `name` in `dir`, as an argument.
fn p(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

#[path = "cli/commands.rs"]
mod commands;
#[path = "cli/edges.rs"]
mod edges;
#[path = "cli/fuzz.rs"]
mod fuzz;
#[path = "cli/render.rs"]
mod render;
#[path = "cli/window.rs"]
mod window;
