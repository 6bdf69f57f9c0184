//! Typed errors of the library.
//!
//! Every error that comes from a rule pack names where it happened: the pack's
//! origin (a file path or `builtin:<name>`), the line and column, and the rule id
//! when there is one, so a message reads like a compiler's.

use std::fmt;

/// Where in a rule pack (or other named input) something happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file path, or `builtin:<pack file>` for an embedded pack.
    pub origin: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` inside `source`, which was read from `origin`.
    pub fn at(origin: &str, source: &str, offset: usize) -> Location {
        let offset = offset.min(source.len());
        let mut start = offset;
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        let before = &source[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location {
            origin: origin.to_string(),
            line,
            column,
        }
    }

    /// A location that names only the origin.
    pub fn file(origin: &str) -> Location {
        Location {
            origin: origin.to_string(),
            line: 0,
            column: 0,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.origin),
            (line, 0) => write!(f, "{}:{}", self.origin, line),
            (line, column) => write!(f, "{}:{}:{}", self.origin, line, column),
        }
    }
}

/// What went wrong in a rule pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackErrorKind {
    /// The file is not valid TOML, or does not fit the schema (unknown key,
    /// unknown category or scope, wrong type).
    Syntax,
    /// A `regex` (or `unless_regex`) does not compile.
    InvalidRegex,
    /// A regex can match the empty string, so it would fire everywhere.
    EmptyMatchRegex,
    /// A phrase is empty, or normalizes to nothing.
    EmptyPhrase,
    /// Two rules share an id and the later one does not say `override = true`.
    DuplicateId,
    /// `override = true`, or `disable`, names a rule id that no earlier pack defines.
    UnknownRule,
    /// A rule has no matcher (`phrases`, `regex`, `detector` or `selector`).
    NoMatcher,
    /// A value is out of its range or two keys contradict each other.
    InvalidValue,
    /// A limit (phrase count, regex size) was exceeded.
    Limit,
    /// A `selector` does not parse in the supported subset.
    InvalidSelector,
}

/// An error in a rule pack, with its location and rule id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    /// Where it happened.
    pub location: Location,
    /// The rule's id, when the error belongs to one rule.
    pub rule: Option<String>,
    /// The class of error, for callers that branch on it.
    pub kind: PackErrorKind,
    /// A human-readable explanation.
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for PackError {}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule pack is malformed or inconsistent.
    #[error("{0}")]
    Pack(Box<PackError>),
    /// A rule pack file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path that was read.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The input exceeds a configured limit.
    #[error("input too large: {what} is {actual}, the limit is {limit}")]
    Limit {
        /// Which limit.
        what: &'static str,
        /// The measured value.
        actual: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The input could not be parsed or decoded in the requested format.
    #[error("{0}")]
    Input(String),
}

impl From<PackError> for Error {
    fn from(error: PackError) -> Self {
        Error::Pack(Box::new(error))
    }
}

impl Error {
    /// The pack error inside, if this is one.
    pub fn as_pack_error(&self) -> Option<&PackError> {
        match self {
            Error::Pack(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let source = "a = 1\nbé = \"x\"\n";
        let offset = source.find('=').unwrap();
        assert_eq!(
            Location::at("f.toml", source, offset).to_string(),
            "f.toml:1:3"
        );
        let offset = source.rfind('=').unwrap();
        assert_eq!(
            Location::at("f.toml", source, offset).to_string(),
            "f.toml:2:4"
        );
    }
}
