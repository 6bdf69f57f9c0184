//! One JSON Lines record: parse the line, clean one string field, put the
//! report under the `deboil` key, pass every other member through byte for
//! byte. Pure (no I/O) and self-contained (serde, serde_json and deboil only),
//! so the `jsonl` fuzz target compiles this very file.

use deboil::Cleaned;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// The key the removals are added under.
pub const KEY: &str = "deboil";

/// A JSON object's members in order, values left as raw JSON text.
pub struct Members<'a>(pub Vec<(String, &'a RawValue)>);

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

/// Cleans one record (a line without its `\n`; a trailing `\r` is dropped):
/// `clean` gets the value of `field` and returns its cleaned document. Returns
/// the output line (without `\n`) and the cleaned document, or what is wrong
/// with the record.
pub fn clean_record(
    raw: &[u8],
    field: &str,
    clean: impl FnOnce(String) -> Result<Cleaned<'static>, String>,
) -> Result<(String, Cleaned<'static>), String> {
    let text = std::str::from_utf8(raw)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let members: Members =
        serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
    let value = members
        .0
        .iter()
        .find(|(key, _)| key == field)
        .ok_or_else(|| format!("no field `{field}`"))?
        .1;
    let document: String = serde_json::from_str(value.get())
        .map_err(|_| format!("field `{field}` is not a string"))?;
    let cleaned = clean(document)?;
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
