//! Standard output, colour, and the quiet end on a closed pipe.

use super::args::ColorArg;
use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

/// Buffered standard output.
pub struct Out {
    writer: BufWriter<StdoutLock<'static>>,
}

impl Out {
    pub fn new() -> Out {
        Out {
            writer: BufWriter::new(io::stdout().lock()),
        }
    }

    pub fn write(&mut self, bytes: impl AsRef<[u8]>) -> io::Result<()> {
        self.writer.write_all(bytes.as_ref())
    }

    pub fn line(&mut self, line: impl AsRef<str>) -> io::Result<()> {
        self.writer.write_all(line.as_ref().as_bytes())?;
        self.writer.write_all(b"\n")
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Whether an error chain is a write to a closed pipe (`deboil ... | head`).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Whether to colour standard output: `always`, `never`, or (`auto`) when it is
/// a terminal and `NO_COLOR` is unset or empty.
pub fn use_color(choice: ColorArg) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

/// Colours a unified diff: headers bold, hunks cyan, removed lines red, added green.
pub fn color_diff(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let code = if body.starts_with("---") || body.starts_with("+++") {
            "1"
        } else if body.starts_with("@@") {
            "36"
        } else if body.starts_with('-') {
            "31"
        } else if body.starts_with('+') {
            "32"
        } else {
            ""
        };
        if code.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&format!("\x1b[{code}m{body}\x1b[0m{end}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_diff_colours_by_line_kind_and_keeps_the_text() {
        let diff = "--- a\n+++ b\n@@ -1,2 +1 @@\n keep\n-gone\n+new";
        let colored = color_diff(diff);
        assert_eq!(
            colored,
            "\x1b[1m--- a\x1b[0m\n\x1b[1m+++ b\x1b[0m\n\x1b[36m@@ -1,2 +1 @@\x1b[0m\n keep\n\x1b[31m-gone\x1b[0m\n\x1b[32m+new\x1b[0m"
        );
    }
}
