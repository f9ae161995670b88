use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use ebm_lab::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let args = Cli::parse();
    let result = match &args.command {
        Some(Command::Train(t)) => cli::train(t),
        Some(Command::Presets) => {
            cli::presets();
            Ok(())
        }
        Some(Command::Bench { json }) => ebm_lab::bench::run(*json),
        None => {
            let _ = Cli::command().print_help();
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
