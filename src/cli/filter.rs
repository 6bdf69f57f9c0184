//! Filter mode: standard input or each named file, in order, one document at a time.

use super::args::FilterArgs;
use super::output::{color_diff, use_color, Out};
use super::render::{file_diff, Record};
use super::stats::Stats;
use super::{input, report_error, setup, Status};
use anyhow::{Context as _, Result};
use deboil::{Cleaned, Engine};
use std::io::Read;
use std::path::{Path, PathBuf};

pub fn run(args: FilterArgs) -> Result<Status> {
    let (_, engine) = setup(&args.doc.rules)?;
    if args.jsonl {
        return super::jsonl::run(engine, &args);
    }
    let mut status = Status::default();
    let mut stats = Stats::default();
    let mut out = Out::new();
    let color = use_color(args.doc.color);
    let stdin_only = [PathBuf::from("-")];
    let paths = if args.paths.is_empty() {
        &stdin_only[..]
    } else {
        &args.paths[..]
    };
    for path in paths {
        let is_stdin = path == Path::new("-");
        let name = if is_stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        match clean_one(engine, &args, path, is_stdin, &name) {
            Ok(cleaned) => {
                stats.add(&cleaned);
                let shown = (!is_stdin).then_some(name.as_str());
                if args.report.is_some() {
                    out.line(Record::Document(cleaned.report(shown)).to_line())?;
                } else if args.diff {
                    let diff = match shown {
                        Some(name) => file_diff(name, &cleaned),
                        None => cleaned.unified_diff(),
                    };
                    out.write(if color { color_diff(&diff) } else { diff })?;
                } else {
                    out.write(cleaned.text())?;
                }
            }
            Err(error) => {
                if args.report.is_some() {
                    out.line(Record::error(Some(&name), &error).to_line())?;
                }
                out.flush()?;
                report_error(&error);
                status.error = true;
            }
        }
    }
    out.flush()?;
    if args.doc.stats {
        eprint!("{}", stats.render());
    }
    Ok(status)
}

fn clean_one(
    engine: &Engine,
    args: &FilterArgs,
    path: &Path,
    is_stdin: bool,
    name: &str,
) -> Result<Cleaned<'static>> {
    let bytes = if is_stdin {
        let mut bytes = Vec::with_capacity(stdin_file_size().unwrap_or(0));
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| name.to_string())?
    };
    let format = input::format_for((!is_stdin).then_some(path), args.doc.format);
    input::clean(
        engine,
        name,
        bytes,
        format,
        args.doc.lossy,
        &args.html_options(),
    )
}

/// The size of standard input when it is a regular file (`deboil < big.txt`), so
/// that reading it takes one allocation of its size rather than doubling up to
/// a third more than that.
#[cfg(unix)]
fn stdin_file_size() -> Option<usize> {
    use std::os::fd::AsFd;
    let file = std::fs::File::from(std::io::stdin().as_fd().try_clone_to_owned().ok()?);
    let metadata = file.metadata().ok()?;
    metadata
        .is_file()
        .then(|| usize::try_from(metadata.len()).ok())
        .flatten()
}

#[cfg(not(unix))]
fn stdin_file_size() -> Option<usize> {
    None
}
