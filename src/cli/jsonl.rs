//! `--jsonl`: clean one field of each JSON Lines record, in order, on all cores,
//! with bounded memory. Every other field's value is passed through byte for byte.

use super::args::FilterArgs;
use super::output::Out;
use super::stats::Stats;
use super::{input, parallel, report_error, Status};
use anyhow::{anyhow, Result};
use deboil::{Cleaned, Engine, Format};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::io::BufRead;

/// Records cleaned at once.
const CHUNK: usize = 1024;
/// The key the removals are added under.
const KEY: &str = "deboil";

/// A JSON object's members in order, values left as raw JSON text.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

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
        CHUNK,
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
    let text = std::str::from_utf8(raw)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let members: Members =
        serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
    let field = &args.field;
    let value = members
        .0
        .iter()
        .find(|(key, _)| key == field)
        .ok_or_else(|| format!("no field `{field}`"))?
        .1;
    let document: String = serde_json::from_str(value.get())
        .map_err(|_| format!("field `{field}` is not a string"))?;
    let cleaned = if format == Format::Html {
        input::clean(engine, field, document.into_bytes(), format, false)
    } else {
        input::clean_str(engine, field, document, format)
    }
    .map_err(|e| format!("{e:#}"))?;
    let cleaned_json = serde_json::to_string(cleaned.text()).map_err(|e| e.to_string())?;
    let report = serde_json::to_string(&cleaned.report(None)).map_err(|e| e.to_string())?;
    let mut line = String::with_capacity(text.len() + report.len() + 16);
    line.push('{');
    let mut wrote_report = false;
    for (index, (key, value)) in members.0.iter().enumerate() {
        if index > 0 {
            line.push(',');
        }
        line.push_str(&serde_json::to_string(key).map_err(|e| e.to_string())?);
        line.push(':');
        if key == field {
            line.push_str(&cleaned_json);
        } else if key == KEY {
            line.push_str(&report);
            wrote_report = true;
        } else {
            line.push_str(value.get());
        }
    }
    if !wrote_report {
        line.push_str(&format!(",\"{KEY}\":{report}"));
    }
    line.push('}');
    Ok((line, cleaned))
}
