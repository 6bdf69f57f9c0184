//! Command-line front end: argument parsing, configuration, the file system
//! and the terminal. The library does the cleaning; each module here has one job:
//!
//! - [`args`]: the options (clap);
//! - [`config`]: `deboil.toml` discovery and parsing, building the engine;
//! - [`input`]: reading and decoding one document, choosing its format;
//! - [`filter`]: filter mode (standard input or files to standard output);
//! - [`jsonl`]: `--jsonl` record cleaning, ordered and parallel;
//! - [`lint`]: `check` and `fix`, over [`walk`] and [`parallel`];
//! - [`atomic`]: the atomic in-place write of `fix`;
//! - [`render`]: finding lines, JSON records and SARIF; [`output`]: standard
//!   output, colour, closed pipes; [`stats`]: `--stats`; [`progress`]: the bar;
//! - [`rules_cmd`]: `explain`, `rules list` and `rules test`.

mod args;
mod atomic;
mod config;
mod filter;
mod input;
mod jsonl;
mod lint;
mod output;
mod parallel;
mod progress;
mod render;
mod rules_cmd;
mod stats;
mod walk;

use anyhow::Result;
use args::{Cli, Command, RuleArgs, RulesCommand};
use clap::Parser;
use config::Config;
use deboil::Engine;
use std::process::ExitCode;

/// What a run found, for its exit code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Status {
    /// Something could not be read, cleaned or written (exit 2).
    pub error: bool,
    /// `check` found boilerplate, or `rules test` a failing example (exit 1).
    pub found: bool,
}

impl Status {
    fn exit_code(self) -> ExitCode {
        if self.error {
            ExitCode::from(2)
        } else if self.found {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

pub fn main() -> ExitCode {
    // Usage errors exit with 2 (clap's convention, and ours).
    let cli = Cli::parse();
    let result = match cli.command {
        None => filter::run(cli.filter),
        Some(Command::Check(args)) => lint::check(args),
        Some(Command::Fix(args)) => lint::fix(args),
        Some(Command::Explain(args)) => rules_cmd::explain(args),
        Some(Command::Rules(RulesCommand::List(args))) => rules_cmd::list(args),
        Some(Command::Rules(RulesCommand::Test(args))) => rules_cmd::test(args),
    };
    match result {
        Ok(status) => status.exit_code(),
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            report_error(&error);
            ExitCode::from(2)
        }
    }
}

/// Prints an error on standard error, with its causes.
fn report_error(error: &anyhow::Error) {
    eprintln!("deboil: {error:#}");
}

/// The configuration and the engine the rule options ask for. The engine lives
/// until the process exits: dropping its compiled regexes and automata was 2% of
/// the instructions of `check` on 1,000 small files (callgrind), and frees
/// nothing the exit would not.
fn setup(rules: &RuleArgs) -> Result<(Config, &'static Engine)> {
    let config = Config::load(rules)?;
    let engine = config::build_engine(rules, &config, &[])?;
    Ok((config, Box::leak(Box::new(engine))))
}
