//! `deboil check` and `deboil fix`: walk, clean in parallel, report in order.

use super::args::{CheckArgs, CheckReport, DocArgs, FixArgs};
use super::config::Config;
use super::output::{color_diff, use_color, Out};
use super::render::{file_diff, finding, Record, Sarif};
use super::stats::Stats;
use super::{atomic, input, parallel, progress, report_error, setup, Status};
use anyhow::{anyhow, Result};
use deboil::{Cleaned, Engine};
use std::path::{Path, PathBuf};

/// Files cleaned at once (bounds memory; results are printed in order).
const CHUNK: usize = 64;

enum Outcome {
    Cleaned(Cleaned<'static>),
    Binary,
    Failed(anyhow::Error),
}

struct Processed {
    name: String,
    outcome: Outcome,
    /// For `fix`: the write failed (the file is untouched).
    write_error: Option<anyhow::Error>,
}

fn process(engine: &Engine, doc: &DocArgs, path: PathBuf, write: bool) -> Processed {
    let name = path.display().to_string();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let outcome = Outcome::Failed(anyhow!("{name}: {error}"));
            return Processed {
                name,
                outcome,
                write_error: None,
            };
        }
    };
    if input::is_binary(&bytes) {
        return Processed {
            name,
            outcome: Outcome::Binary,
            write_error: None,
        };
    }
    let format = input::format_for(Some(&path), doc.format);
    let cleaned = match input::clean(engine, &name, bytes, format, doc.lossy) {
        Ok(cleaned) => cleaned,
        Err(error) => {
            return Processed {
                name,
                outcome: Outcome::Failed(error),
                write_error: None,
            }
        }
    };
    let write_error = if write && cleaned.is_changed() {
        atomic::replace(&path, cleaned.text().as_bytes())
            .err()
            .map(|e| anyhow!("{name}: cannot write, left untouched: {e}"))
    } else {
        None
    };
    Processed {
        name,
        outcome: Outcome::Cleaned(cleaned),
        write_error,
    }
}

/// Walks and processes the files, handing each result to `sink` in order.
fn run(
    doc: &DocArgs,
    paths: &[PathBuf],
    write: bool,
    status: &mut Status,
    mut sink: impl FnMut(&str, Result<&Cleaned<'static>, &anyhow::Error>, &mut Out) -> Result<()>,
) -> Result<(Engine, Stats, Out)> {
    let (config, engine): (Config, Engine) = setup(&doc.rules)?;
    let excludes = super::walk::excludes(&config.dir, &config.exclude)?;
    let walked = super::walk::walk(paths, &excludes);
    if write {
        // Temporary files of a run that was killed go before this run writes.
        let mut folders: Vec<&Path> = walked
            .files
            .iter()
            .map(|f| match f.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            })
            .collect();
        folders.sort();
        folders.dedup();
        for folder in folders {
            atomic::remove_stale(folder);
        }
    }
    let mut out = Out::new();
    for (name, error) in &walked.errors {
        report_error(error);
        status.error = true;
        sink(name, Err(error), &mut out)?;
    }
    let bar = progress::bar(walked.files.len());
    let mut stats = Stats::default();
    parallel::ordered(
        walked.files.into_iter(),
        CHUNK,
        |path| process(&engine, doc, path, write),
        |processed| {
            bar.inc(1);
            match &processed.outcome {
                Outcome::Binary => stats.binary += 1,
                Outcome::Failed(error) => {
                    bar.suspend(|| report_error(error));
                    status.error = true;
                    bar.suspend(|| sink(&processed.name, Err(error), &mut out))?;
                }
                Outcome::Cleaned(_) if processed.write_error.is_some() => {
                    if let Some(error) = &processed.write_error {
                        bar.suspend(|| report_error(error));
                    }
                    status.error = true;
                }
                Outcome::Cleaned(cleaned) => {
                    stats.add(cleaned);
                    bar.suspend(|| sink(&processed.name, Ok(cleaned), &mut out))?;
                }
            }
            Ok::<(), anyhow::Error>(())
        },
    )?;
    bar.finish_and_clear();
    Ok((engine, stats, out))
}

pub fn check(args: CheckArgs) -> Result<Status> {
    let mut status = Status::default();
    let color = use_color(args.doc.color);
    let mut sarif = Sarif::default();
    let mut found = false;
    let (engine, stats, mut out) = run(
        &args.doc,
        &args.paths,
        false,
        &mut status,
        |name, cleaned, out| {
            let cleaned = match (cleaned, args.report) {
                (Ok(cleaned), _) => cleaned,
                (Err(error), Some(CheckReport::Json)) => {
                    let path = (!name.is_empty()).then_some(name);
                    return Ok(out.line(Record::error(path, error).to_line())?);
                }
                (Err(_), _) => return Ok(()),
            };
            found |= cleaned.is_changed();
            match args.report {
                Some(CheckReport::Sarif) => sarif.add(name, cleaned),
                Some(CheckReport::Json) => {
                    out.line(Record::Document(cleaned.report(Some(name))).to_line())?
                }
                None if args.diff => {
                    let diff = file_diff(name, cleaned);
                    out.write(if color { color_diff(&diff) } else { diff })?;
                }
                None => {
                    for removal in cleaned.removals() {
                        out.line(finding(name, removal))?;
                    }
                }
            }
            Ok(())
        },
    )?;
    if args.report == Some(CheckReport::Sarif) {
        out.write(sarif.render(&engine))?;
    }
    out.flush()?;
    if args.doc.stats {
        eprint!("{}", stats.render());
    }
    status.found = found;
    Ok(status)
}

pub fn fix(args: FixArgs) -> Result<Status> {
    let mut status = Status::default();
    let mut fixed = 0usize;
    let mut removed = 0usize;
    let (_, stats, mut out) = run(
        &args.doc,
        &args.paths,
        true,
        &mut status,
        |name, cleaned, out| {
            let Ok(cleaned) = cleaned else {
                return Ok(());
            };
            if cleaned.is_changed() {
                fixed += 1;
                removed += cleaned.removals().len();
                for removal in cleaned.removals() {
                    out.line(finding(name, removal))?;
                }
            }
            Ok(())
        },
    )?;
    out.flush()?;
    if fixed > 0 {
        let files = if fixed == 1 { "file" } else { "files" };
        let removals = if removed == 1 { "removal" } else { "removals" };
        eprintln!("deboil: fixed {fixed} {files} ({removed} {removals})");
    }
    if args.doc.stats {
        eprint!("{}", stats.render());
    }
    Ok(status)
}
