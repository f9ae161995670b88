//! The program as its users run it, one test binary (one link of the
//! window's dependencies instead of five): the headless command line and its
//! edges, hostile input, headless pictures and the real window under Xvfb.

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
