//! Writing to standard output and standard error without panicking: a closed
//! pipe (`ebm-lab presets | head -1`) ends the program quietly, a full disk
//! is an error, and notes on stderr are dropped when stderr cannot be written.

use std::io::Write;

use anyhow::{Context, Result};

/// Writes `text` to standard output and flushes it.
pub fn out(text: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())
        .and_then(|()| o.flush())
        .context("cannot write to standard output")
}

/// Writes a line to standard error; a failure to do so is ignored.
pub fn note(text: &str) {
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{text}");
}

/// Whether `e` comes from writing to a pipe whose reader has gone.
pub fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// An error as one line: its causes joined by ": ", line breaks shown as `\n`.
pub fn one_line(e: &anyhow::Error) -> String {
    format!("{e:#}").replace('\r', "\\r").replace('\n', "\\n")
}
