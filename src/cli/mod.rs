//! Command-line front end: argument parsing, file system and terminal.

use anyhow::{Context as _, Result};
use clap::{Parser, ValueEnum};
use deboil::{Engine, Format, Mode};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ModeArg {
    Default,
    Aggressive,
}

/// Strip boilerplate and disclaimers from text: reads standard input, writes the cleaned text.
#[derive(Debug, Parser)]
#[command(name = "deboil", version)]
struct Args {
    /// Input format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Extra rule pack file or folder (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Cleaning mode.
    #[arg(long, value_enum, default_value = "default")]
    mode: ModeArg,
    /// Print a unified diff instead of the cleaned text.
    #[arg(long)]
    diff: bool,
}

pub fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("deboil: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let args = Args::parse();
    let mut builder = Engine::builder().mode(match args.mode {
        ModeArg::Default => Mode::Default,
        ModeArg::Aggressive => Mode::Aggressive,
    });
    for path in &args.rules {
        builder = builder.add_path(path)?;
    }
    let engine = builder.build()?;
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Markdown => Format::Markdown,
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("reading standard input")?;
    let input = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "<stdin>: invalid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        )
    })?;
    let cleaned = engine.clean(&input, format)?;
    let output = if args.diff {
        cleaned.unified_diff()
    } else {
        cleaned.into_text()
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other.context("writing standard output")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
