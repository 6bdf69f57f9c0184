//! A rule's regex, compiled for the two searches the engine makes of it: where
//! it matches in one line (a removal rule's regex), or whether it matches a text
//! at all (an `unless_regex`).
//!
//! `regex_automata::meta::Regex` compiles each pattern twice: a forward NFA,
//! whose lazy DFA finds where a match ends, and a reverse one, whose lazy DFA
//! finds where it starts. Neither search needs the reverse half when every match
//! must start at the haystack's start (a pattern that begins with `^`: a third of
//! the built-in regexes), nor when only whether there is a match is asked. Those
//! regexes are compiled forward only ([`LineRegex::Forward`]): a forward lazy DFA,
//! with the bounded backtracker and the PikeVM behind it for the searches it gives
//! up on, the order `meta` falls back in (a Unicode word boundary next to
//! non-ASCII text, a cache cleared too often). The others stay `meta` regexes:
//! finding their starts forward (the backtracker over the span up to the end the
//! DFA found) gave the same matches but took the warm text stream from 389M to
//! 513M instructions (callgrind, `--stream-only --warm --mb 2`).
//!
//! Measured on the 501 start-anchored built-in regexes: 762 ms and 66 MB
//! (`memory_usage`) compiled as `meta` regexes, 418 ms and 22 MB forward only.
//! Results are the same: a leftmost-first search anchored at 0 ends where
//! `meta`'s match ends, and that match starts at 0.

use regex_automata::hybrid;
use regex_automata::meta;
use regex_automata::nfa::thompson::{self, backtrack, pikevm, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, Match};
use std::ops::Range;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

/// What the engine asks of a regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    /// Its matches in a line.
    Find,
    /// Only whether it matches.
    Test,
}

/// A compiled rule regex; cloning it shares the compiled engines.
#[derive(Clone)]
pub(crate) enum LineRegex {
    /// Compiled forward only (see the module docs).
    Forward(Forward),
    /// Every other regex.
    Meta(meta::Regex),
}

impl std::fmt::Debug for LineRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineRegex::Forward(forward) => f
                .debug_struct("Forward")
                .field("start_anchored", &forward.engines.start_anchored)
                .finish_non_exhaustive(),
            LineRegex::Meta(regex) => f.debug_tuple("Meta").field(regex).finish(),
        }
    }
}

impl LineRegex {
    /// Compiles `pattern` for `use_`, its NFA within `size_limit` bytes.
    pub(crate) fn new(pattern: &str, size_limit: usize, use_: Use) -> Result<LineRegex, String> {
        let hir = syntax::parse(pattern).map_err(|error| error.to_string())?;
        let start_anchored = hir
            .properties()
            .look_set_prefix()
            .contains(regex_syntax::hir::Look::Start);
        if !start_anchored && use_ == Use::Find {
            return meta_regex(&hir, size_limit).map(LineRegex::Meta);
        }
        Forward::new(&hir, size_limit, start_anchored).map(LineRegex::Forward)
    }

    /// Whether the regex matches somewhere in `haystack`.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        match self {
            LineRegex::Forward(forward) => forward.is_match(haystack),
            LineRegex::Meta(regex) => regex.is_match(haystack),
        }
    }

    /// Calls `each` with the range of every match in `haystack`, in order: the
    /// leftmost-first matches `meta::Regex::find_iter` reports.
    pub(crate) fn for_each_match(&self, haystack: &str, mut each: impl FnMut(Range<usize>)) {
        match self {
            LineRegex::Forward(forward) => forward.for_each_match(haystack, each),
            LineRegex::Meta(regex) => regex.find_iter(haystack).for_each(|m| each(m.range())),
        }
    }
}

/// The `meta` regex: no one-pass DFA, which only capture searches use and which
/// was a sixth of the memory of the built-in regexes (103 MB -> 86 MB).
fn meta_regex(hir: &regex_syntax::hir::Hir, size_limit: usize) -> Result<meta::Regex, String> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(size_limit))
        .onepass(false);
    meta::Regex::builder()
        .configure(config)
        .build_from_hir(hir)
        .map_err(|error| build_error(error.size_limit(), &error))
}

/// The message of a failed build: the size limit when it was exceeded.
fn build_error(size_limit: Option<usize>, error: &dyn std::fmt::Display) -> String {
    match size_limit {
        Some(limit) => format!("the compiled regex exceeds the size limit of {limit} bytes"),
        None => error.to_string(),
    }
}

/// A regex searched forward only.
pub(crate) struct Forward {
    engines: Arc<Engines>,
    caches: CachePool,
}

struct Engines {
    /// Every match starts at the haystack's start.
    start_anchored: bool,
    dfa: hybrid::dfa::DFA,
    backtracker: backtrack::BoundedBacktracker,
    pikevm: pikevm::PikeVM,
}

struct Caches {
    dfa: hybrid::dfa::Cache,
    backtracker: backtrack::Cache,
    /// Made on first use: the PikeVM serves only what the other two cannot, and its
    /// cache is sized by the NFA (13 MB per thread over the regexes a 5 MB stream
    /// compiles, massif).
    pikevm: Option<pikevm::Cache>,
}

impl Caches {
    fn pikevm(&mut self, engines: &Engines) -> &mut pikevm::Cache {
        self.pikevm
            .get_or_insert_with(|| engines.pikevm.create_cache())
    }
}

type CachePool = Pool<Caches, Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>>;

fn cache_pool(engines: &Arc<Engines>) -> CachePool {
    let engines = Arc::clone(engines);
    Pool::new(Box::new(move || Caches {
        dfa: engines.dfa.create_cache(),
        backtracker: engines.backtracker.create_cache(),
        pikevm: None,
    }))
}

impl Clone for Forward {
    fn clone(&self) -> Forward {
        Forward {
            engines: Arc::clone(&self.engines),
            caches: cache_pool(&self.engines),
        }
    }
}

impl Forward {
    fn new(
        hir: &regex_syntax::hir::Hir,
        size_limit: usize,
        start_anchored: bool,
    ) -> Result<Forward, String> {
        // The NFA `meta` would build (no shrinking, UTF-8 empty matches), with
        // only the whole match's group, which is all the searches below report.
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(size_limit))
                    .shrink(false)
                    .which_captures(WhichCaptures::Implicit),
            )
            .build_from_hir(hir)
            .map_err(|error| build_error(error.size_limit(), &error))?;
        // `meta`'s forward lazy DFA: Unicode word boundaries taken as ASCII ones
        // until non-ASCII text makes the DFA quit, and giving up when its cache
        // is cleared too often; both searches then go to the other engines.
        let prefilter = if start_anchored {
            None
        } else {
            regex_automata::util::prefilter::Prefilter::from_hir_prefix(
                regex_automata::MatchKind::LeftmostFirst,
                hir,
            )
        };
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .specialize_start_states(prefilter.is_some())
                    .prefilter(prefilter)
                    .starts_for_each_pattern(true)
                    .unicode_word_boundary(true)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|error| error.to_string())?;
        let backtracker = backtrack::BoundedBacktracker::new_from_nfa(nfa.clone())
            .map_err(|error| error.to_string())?;
        let pikevm = pikevm::PikeVM::new_from_nfa(nfa).map_err(|error| error.to_string())?;
        let engines = Arc::new(Engines {
            start_anchored,
            dfa,
            backtracker,
            pikevm,
        });
        Ok(Forward {
            caches: cache_pool(&engines),
            engines,
        })
    }

    fn input<'h>(&self, haystack: &'h str) -> Input<'h> {
        let input = Input::new(haystack);
        if self.engines.start_anchored {
            input.anchored(Anchored::Yes)
        } else {
            input
        }
    }

    fn is_match(&self, haystack: &str) -> bool {
        let input = self.input(haystack).earliest(true);
        let mut caches = self.caches.get();
        match self.engines.dfa.try_search_fwd(&mut caches.dfa, &input) {
            Ok(found) => found.is_some(),
            Err(_) => self.without_dfa(&mut caches, &input).is_some(),
        }
    }

    fn for_each_match(&self, haystack: &str, mut each: impl FnMut(Range<usize>)) {
        let mut caches = self.caches.get();
        if !self.engines.start_anchored {
            // Only tests ask this of a `Use::Test` regex: the PikeVM finds the
            // matches `meta` finds, forward.
            let cache = caches.pikevm(&self.engines);
            for found in self.engines.pikevm.find_iter(cache, haystack) {
                each(found.range());
            }
            return;
        }
        // One match at most, from 0: the next search would start past it.
        let input = self.input(haystack);
        let end = match self.engines.dfa.try_search_fwd(&mut caches.dfa, &input) {
            Ok(found) => found.map(|half| half.offset()),
            Err(_) => self.without_dfa(&mut caches, &input).map(|m| m.end()),
        };
        if let Some(end) = end {
            each(0..end);
        }
    }

    /// The backtracker when the haystack is short enough for it, else the PikeVM
    /// (the order `meta` takes when its lazy DFA gives up).
    fn without_dfa(&self, caches: &mut Caches, input: &Input<'_>) -> Option<Match> {
        if input.get_span().len() <= self.engines.backtracker.max_haystack_len() {
            if let Ok(found) = self
                .engines
                .backtracker
                .try_find(&mut caches.backtracker, input.clone())
            {
                return found;
            }
        }
        self.engines
            .pikevm
            .find(caches.pikevm(&self.engines), input.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta;

    /// The matches and yes-or-no answers of `meta` on every haystack: (pattern,
    /// haystacks), anchored and not, with word boundaries next to non-ASCII text
    /// (where the lazy DFA gives up), alternations whose order decides the match,
    /// and several matches in one line.
    #[test]
    fn regexes_find_what_meta_finds() {
        let long = format!("{} read more", "ж".repeat(50_000));
        let cases: &[(&str, &[&str])] = &[
            (
                r"^(?:read more|related)\b[^.]{0,20}$",
                &[
                    "read more here",
                    "related",
                    "relatedness",
                    "not related",
                    "αβγ related",
                    &long,
                ],
            ),
            (
                r"^\w+ ist\b",
                &["das ist gut", "straße ist", "ist", "日本 ist", "x istx"],
            ),
            (r"^a|^ab", &["ab", "abc", "b"]),
            (r"^(?:ab|a)", &["ab", "a"]),
            (
                r"\b(?:sponsored|реклама)\b",
                &[
                    "this is sponsored",
                    "реклама",
                    "реклама. реклама!",
                    "unsponsored",
                    "рекламы",
                    "ad sponsored sponsored",
                ],
            ),
            (r"a|ab", &["ab ab", "xaby", "b"]),
            (r"(?:ab|a)c?", &["abc ac a", "c"]),
            (
                r"\bread more\b[^.]{0,10}",
                &["x read more y. read more", "жread more", &long],
            ),
            (r"[\w ]{2,10}:$", &["categories:", "日本語の説明:", "a:"]),
        ];
        for ((pattern, haystacks), use_) in cases
            .iter()
            .flat_map(|case| [(case, Use::Find), (case, Use::Test)])
        {
            let meta = meta::Regex::new(pattern).unwrap();
            let regex = LineRegex::new(pattern, 1 << 20, use_).unwrap();
            for haystack in *haystacks {
                let expected: Vec<_> = meta.find_iter(haystack).map(|m| m.range()).collect();
                let mut found = Vec::new();
                regex.for_each_match(haystack, |range| found.push(range));
                let shown: String = haystack.chars().take(40).collect();
                assert_eq!(found, expected, "{pattern} on {shown:?} ({use_:?})");
                assert_eq!(
                    regex.is_match(haystack),
                    meta.is_match(haystack),
                    "{pattern} on {shown:?}"
                );
            }
        }
    }

    /// Which regexes are compiled forward only, and which of those are taken as
    /// matching only at the start: (pattern, use, forward and start-anchored).
    #[test]
    fn start_anchored_or_tested_regexes_are_forward() {
        let cases = [
            ("^share", Use::Find, Some(true)),
            ("(?:^share|^follow)", Use::Find, Some(true)),
            ("^share|follow", Use::Find, None),
            ("(?m)^share", Use::Find, None),
            ("share", Use::Find, None),
            ("share", Use::Test, Some(false)),
            ("^share", Use::Test, Some(true)),
        ];
        for (pattern, use_, expected) in cases {
            let anchored = match LineRegex::new(pattern, 1 << 20, use_).unwrap() {
                LineRegex::Forward(forward) => Some(forward.engines.start_anchored),
                LineRegex::Meta(_) => None,
            };
            assert_eq!(anchored, expected, "{pattern} ({use_:?})");
        }
    }

    /// A size limit too small is reported as one.
    #[test]
    fn size_limit_errors_say_so() {
        for (pattern, use_) in [
            (r"^\w{50}", Use::Find),
            (r"\w{50}", Use::Find),
            (r"\w{50}", Use::Test),
        ] {
            let error = LineRegex::new(pattern, 1000, use_).unwrap_err();
            assert!(
                error.contains("size limit of 1000 bytes"),
                "{pattern}: {error}"
            );
        }
    }

    /// A clone shares the engines and searches with caches of its own, on
    /// several threads at once.
    #[test]
    fn clones_search_on_several_threads() {
        let regex = LineRegex::new(r"\bfollow us\b", 1 << 20, Use::Test).unwrap();
        let clone = regex.clone();
        let (LineRegex::Forward(a), LineRegex::Forward(b)) = (&regex, &clone) else {
            panic!("a tested regex is forward only");
        };
        assert!(Arc::ptr_eq(&a.engines, &b.engines));
        std::thread::scope(|scope| {
            for regex in [&regex, &clone, &regex] {
                scope.spawn(move || {
                    for _ in 0..100 {
                        assert!(regex.is_match("please follow us on x"));
                        assert!(!regex.is_match("followers"));
                    }
                });
            }
        });
    }
}
