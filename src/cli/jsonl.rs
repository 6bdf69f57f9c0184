//! `--jsonl`: clean one field of each JSON Lines record, in order, on all cores,
//! with bounded memory. Every other field's value is passed through byte for byte.

use super::args::FilterArgs;
use super::output::Out;
use super::stats::Stats;
use super::{input, parallel, report_error, Status};
use anyhow::{anyhow, Result};
use deboil::{Cleaned, Engine, Format};
use std::io::BufRead;

mod record;

/// Records read and not yet written at most (the rest of the stream waits).
const WINDOW: usize = 256;

enum Line {
    Done(String, Cleaned<'static>),
    Bad {
        number: usize,
        raw: Vec<u8>,
        problem: String,
    },
    Unreadable(std::io::Error),
}

pub fn run(engine: &Engine, args: &FilterArgs) -> Result<Status> {
    let mut status = Status::default();
    let mut stats = Stats::default();
    let mut out = Out::new();
    let format = input::format_for(None, args.doc.format);
    let stdin = std::io::stdin().lock();
    let lines = stdin.split(b'\n').enumerate();
    let result = parallel::ordered(
        lines,
        WINDOW,
        |(index, line)| match line {
            Ok(raw) => record(engine, args, format, index + 1, raw),
            Err(error) => Line::Unreadable(error),
        },
        |line| match line {
            Line::Done(text, cleaned) => {
                stats.add(&cleaned);
                out.line(text).map_err(anyhow::Error::from)
            }
            Line::Bad { raw, .. } if args.skip_bad_records => {
                stats.bad_records += 1;
                out.write(&raw)?;
                out.write(b"\n").map_err(anyhow::Error::from)
            }
            Line::Bad {
                number, problem, ..
            } => Err(anyhow!("standard input, line {number}: {problem}")),
            Line::Unreadable(error) => Err(anyhow!("reading standard input: {error}")),
        },
    );
    out.flush()?;
    if let Err(error) = result {
        if super::output::is_broken_pipe(&error) {
            return Err(error);
        }
        report_error(&error);
        status.error = true;
    }
    if stats.bad_records > 0 && !args.doc.stats {
        eprintln!(
            "deboil: {} bad records passed through unchanged",
            stats.bad_records
        );
    }
    if args.doc.stats {
        eprint!("{}", stats.render());
    }
    Ok(status)
}

fn record(engine: &Engine, args: &FilterArgs, format: Format, number: usize, raw: Vec<u8>) -> Line {
    match clean_record(engine, args, format, &raw) {
        Ok((text, cleaned)) => Line::Done(text, cleaned),
        Err(problem) => Line::Bad {
            number,
            raw,
            problem,
        },
    }
}

fn clean_record(
    engine: &Engine,
    args: &FilterArgs,
    format: Format,
    raw: &[u8],
) -> Result<(String, Cleaned<'static>), String> {
    let field = &args.field;
    record::clean_record(raw, field, |document| {
        if format == Format::Html {
            input::clean(
                engine,
                field,
                document.into_bytes(),
                format,
                false,
                &args.html_options(),
            )
        } else {
            input::clean_str(engine, field, document, format)
        }
        .map_err(|e| format!("{e:#}"))
    })
}
