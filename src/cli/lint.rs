//! `deboil check` and `deboil fix`: walk, clean in parallel, report in order.

use super::args::{CheckArgs, CheckReport, DocArgs, FixArgs};
use super::output::{color_diff, use_color, Out};
use super::render::{file_diff, finding, Record, Sarif};
use super::stats::Stats;
use super::{atomic, input, parallel, progress, report_error, setup, Status};
use anyhow::{anyhow, Result};
use deboil::{Cleaned, Engine};
use std::path::{Path, PathBuf};

/// Files taken and not yet reported at most (bounds memory; results print in order).
const WINDOW: usize = 64;

enum Outcome {
    Cleaned(Cleaned<'static>),
    Binary,
    /// Unreadable, undecodable, or (for `fix`) unwritable: the file is untouched.
    Failed(anyhow::Error),
}

fn process(engine: &Engine, doc: &DocArgs, path: PathBuf, write: bool) -> (String, Outcome) {
    let name = path.display().to_string();
    let outcome = match read_and_clean(engine, doc, &path, &name) {
        Ok(None) => Outcome::Binary,
        Ok(Some(cleaned)) if write && cleaned.is_changed() => {
            match atomic::replace(&path, cleaned.text().as_bytes()) {
                Ok(()) => Outcome::Cleaned(cleaned),
                Err(e) => Outcome::Failed(anyhow!("{name}: cannot write, left untouched: {e}")),
            }
        }
        Ok(Some(cleaned)) => Outcome::Cleaned(cleaned),
        Err(error) => Outcome::Failed(error),
    };
    (name, outcome)
}

/// The cleaned document, or `None` for a binary file.
fn read_and_clean(
    engine: &Engine,
    doc: &DocArgs,
    path: &Path,
    name: &str,
) -> Result<Option<Cleaned<'static>>> {
    let bytes = std::fs::read(path).map_err(|e| anyhow!("{name}: {e}"))?;
    if input::is_binary(&bytes) {
        return Ok(None);
    }
    let format = input::format_for(Some(path), doc.format);
    input::clean(engine, name, bytes, format, doc.lossy, &doc.html_options()).map(Some)
}

/// Walks and processes the files, handing each result to `sink` in order.
fn run(
    doc: &DocArgs,
    paths: &[PathBuf],
    write: bool,
    status: &mut Status,
    mut sink: impl FnMut(&str, Result<&Cleaned<'static>, &anyhow::Error>, &mut Out) -> Result<()>,
) -> Result<(&'static Engine, Stats, Out)> {
    let (config, engine) = setup(&doc.rules)?;
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
        WINDOW,
        |path| process(engine, doc, path, write),
        |(name, outcome)| {
            bar.inc(1);
            match &outcome {
                Outcome::Binary => stats.binary += 1,
                Outcome::Failed(error) => {
                    bar.suspend(|| report_error(error));
                    status.error = true;
                    bar.suspend(|| sink(&name, Err(error), &mut out))?;
                }
                Outcome::Cleaned(cleaned) => {
                    stats.add(cleaned);
                    bar.suspend(|| sink(&name, Ok(cleaned), &mut out))?;
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
        out.write(sarif.render(engine))?;
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
