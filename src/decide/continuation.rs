//! Continuations: a call to action or notice wrapped onto a second line.
//!
//! Pages and text dumps break a banner where the layout ran out of width:
//! "Get the BTCC app to start your" / "crypto journey". A rule finds the first
//! line; the second, a fragment, says nothing a rule could anchor on. When a
//! removal by a phrase or regex rule of a call or notice category ends a line
//! that stops mid-sentence, the next line goes with it if it is a short
//! fragment that closes the paragraph and the break is visibly inside a
//! sentence: the fragment starts with a lower-case letter, or the removed line
//! ends on a comma, a dash or a word that cannot end one (an article, a preposition, a
//! conjunction, a possessive; a closing quote after the word does not count),
//! or both sides are CJK text, or (in scripts
//! without case, where nothing else shows the break) a long removed line stops
//! on a word and the fragment ends the sentence. When the fragment holds more
//! than one sentence, only the first, the end of the wrapped one, goes; the
//! next sentences are the rules' to judge.

use super::{count_words_up_to, Context, Decision, Target};
use crate::document::LineKind;
use crate::matcher::is_unspaced_script;
use crate::rules::{Action, Category};

/// Most words of the fragment on the second line (spaced scripts).
const FRAGMENT_MAX_WORDS: usize = 9;
/// Most words of the closing fragment of a notice (a disclaimer or a cookie
/// notice): notices run longer than calls (a repost notice wrapped after
/// "sourced from public" leaves 12 words on its second line), and 25 words is a
/// long sentence.
const NOTICE_FRAGMENT_MAX_WORDS: usize = 25;
/// Fewest words of an opening fragment (the line before the removal).
const OPENING_MIN_WORDS: usize = 3;
/// Most characters of the fragment when it is CJK text.
const FRAGMENT_MAX_UNSPACED_CHARS: usize = 24;
/// Most characters of a notice's fragment in CJK text: about as much as
/// [`NOTICE_FRAGMENT_MAX_WORDS`] words say ("仅供参考，实际表现会因驾驶习惯、路况和气温不同而有所差异。"
/// closes a disclaimer in 29).
const NOTICE_FRAGMENT_MAX_UNSPACED_CHARS: usize = 60;
/// Fewest words of a removed line that stops on a word of a caseless script for
/// the stop to count as a break (a heading stops on a word too, but is short).
const CASELESS_BREAK_MIN_WORDS: usize = 8;

/// Words a sentence cannot end on, in the languages of the built-in packs
/// (normalized: lower case). A line ending on one of them is cut mid-sentence.
#[rustfmt::skip]
const DANGLING: &[&str] = &[
    // English
    "a", "an", "the", "your", "our", "my", "their", "to", "and", "or", "of", "for", "with", "in",
    "on", "at", "from", "by", "into", "&", "+",
    // Russian
    "и", "или", "в", "во", "на", "с", "со", "за", "по", "для", "от", "к", "о", "об", "а", "но",
    "чтобы", "до", "из", "ваш", "ваши", "вашу", "наш", "наши", "нашу", "свой", "свои", "не",
    "ни",
    // Spanish, Portuguese
    "y", "o", "e", "u", "de", "del", "al", "en", "con", "para", "por", "tu", "tus", "su", "sus",
    "un", "una", "el", "la", "los", "las", "nuestro", "nuestra", "nuestros", "nuestras", "da",
    "do", "dos", "das", "um", "uma", "seu", "sua", "seus", "suas", "nosso", "nossa", "nossos",
    "nossas", "ao", "aos", "na", "nas", "no", "nos", "pelo", "pela", "com", "em",
    // German
    "und", "oder", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
    "einer", "zu", "zum", "zur", "mit", "für", "auf", "im", "bei", "von", "vom", "an", "am",
    "ihre", "ihren", "ihrem", "ihr", "unser", "unsere", "unseren", "dein", "deine", "deinen",
    "kein", "keine", "keinen", "keinem", "keiner", "sowie",
    // French
    "et", "ou", "du", "des", "le", "les", "à", "au", "aux", "pour", "par", "sur", "avec", "votre",
    "vos", "notre", "nos", "ton", "ta", "tes",
    // Turkish
    "ve", "veya", "ile", "bir", "her",
    // Arabic, Persian (normalized: Persian yeh and kaf)
    "علی", "فی", "من", "إلی", "الی", "عن", "مع", "عبر", "أو", "او", "و", "در", "به", "از", "با",
    "برای", "یا", "را", "که", "تا",
    // Hindi: postpositions, conjunctions, possessives
    "के", "की", "का", "में", "पर", "से", "को", "और", "या", "हमारा", "हमारे", "हमारी", "अपना",
    "अपने", "अपनी",
    // Imperatives of calls to action that need an object ("... and get" / "$20 each")
    "get", "earn", "receive", "claim", "unlock", "enjoy", "win", "grab", "получите", "получи",
    "заберите", "выиграйте", "recibe", "gana", "obtén", "consigue", "llévate", "disfruta",
    "gagnez", "recevez", "obtenez", "profitez", "bénéficiez",
];

fn is_plain(kind: LineKind) -> bool {
    matches!(kind, LineKind::Text | LineKind::Quote)
}

fn eligible(category: Category) -> bool {
    matches!(
        category,
        Category::Promo
            | Category::AppBanner
            | Category::Newsletter
            | Category::Comments
            | Category::Cookie
            | Category::Disclaimer
            | Category::Share
    )
}

/// Adds a decision for the wrapped second line of each eligible removal.
pub(super) fn extend(context: &Context, decisions: &mut Vec<Decision>) {
    let lines = &context.document.lines;
    let is_candidate = |decision: &Decision| {
        let rule = &context.rules[decision.rule];
        rule.detector.is_none() && rule.action == Action::Remove && eligible(rule.category)
    };
    if !decisions.iter().any(is_candidate) {
        return;
    }
    let mut removed = vec![false; lines.len()];
    for decision in decisions.iter() {
        if let Target::Lines(range) = &decision.target {
            for line in range.clone().filter(|&i| i < lines.len()) {
                removed[line] = true;
            }
        }
    }
    let mut added = Vec::new();
    let free = |i: usize| !removed[i] && is_plain(lines[i].kind) && !lines[i].protected;
    for decision in decisions.iter().filter(|d| is_candidate(d)) {
        let (line, whole) = match &decision.target {
            Target::Lines(range) if range.len() == 1 => (range.start, true),
            Target::Span { line, range } if range.end == lines[*line].end => (*line, false),
            _ => continue,
        };
        if !is_plain(lines[line].kind) {
            continue;
        }
        let gone = |i: usize| i >= lines.len() || lines[i].kind == LineKind::Blank || removed[i];
        // Forward: the removal reaches the end of its line, and the next line is
        // a fragment that closes the paragraph (or the line after it goes too).
        let next = line + 1;
        let notice = matches!(
            context.rules[decision.rule].category,
            Category::Disclaimer | Category::Cookie
        );
        if next < lines.len() && free(next) && gone(next + 1) {
            if let Some(end) = wraps(context, line, next, next, notice) {
                added.push((next, decision.rule, end));
            }
        }
        // Backward: the removal is the whole line, and the line before it is a
        // fragment that opens the paragraph.
        if whole && line > 0 {
            let previous = line - 1;
            let opens = previous == 0 || gone(previous - 1);
            if free(previous) && opens {
                if let Some(end) = wraps(context, previous, line, previous, false) {
                    added.push((previous, decision.rule, end));
                }
            }
        }
    }
    // Two removals may claim the same fragment (one line's forward, the next one's backward).
    added.sort_by_key(|&(line, _, _)| line);
    added.dedup_by_key(|&mut (line, _, _)| line);
    for (line, rule, end) in added {
        let target = match end {
            Some(mut end) => {
                let start = lines[line].start;
                let raw = context.document.raw.as_bytes();
                while end < lines[line].end && matches!(raw.get(end), Some(b' ' | b'\t')) {
                    end += 1;
                }
                Target::Span {
                    line,
                    range: start..end,
                }
            }
            None => Target::Lines(line..line + 1),
        };
        decisions.push(Decision { rule, target });
    }
}

/// Whether line `next` continues the sentence line `line` stops in, where
/// `fragment` (one of the two) is the short piece that no rule found: at most
/// so many words (more for a `notice`), and one sentence when over
/// [`FRAGMENT_MAX_WORDS`]. `Some(None)`: the fragment goes whole;
/// `Some(Some(end))`: a closing fragment of several sentences goes up to `end`
/// (a raw offset), the end of its first.
fn wraps(
    context: &Context,
    line: usize,
    next: usize,
    fragment: usize,
    notice: bool,
) -> Option<Option<usize>> {
    let above = context.text(line);
    let below = context.text(next);
    let piece = context.text(fragment);
    // A closing quote after a word leaves the sentence open ('By clicking
    // "Accept all"' / 'you agree to ...'): the word inside it is the stop.
    let above = above.trim_end_matches(['"', '\'', '”', '’', '»', '」', '』']);
    let last = above.chars().last()?;
    // The first line stops on a word, a comma or a dash ("... от 1000 ₽ —"), not
    // on other punctuation or an emoji.
    let open_end = matches!(last, ',' | '、' | '،' | '，' | '-' | '–' | '—');
    if !(last.is_alphanumeric() || open_end) || below.is_empty() {
        return None;
    }
    let unspaced = piece.chars().filter(|&c| is_unspaced_script(c)).count();
    if unspaced * 2 >= piece.chars().count() {
        // CJK: both sides are CJK text and the fragment is short.
        let max_chars = if notice {
            NOTICE_FRAGMENT_MAX_UNSPACED_CHARS
        } else {
            FRAGMENT_MAX_UNSPACED_CHARS
        };
        let wrapped = (open_end || is_unspaced_script(last))
            && below.chars().next().is_some_and(is_unspaced_script)
            && piece.chars().count() <= max_chars;
        return wrapped.then_some(None);
    }
    let max_words = if notice {
        NOTICE_FRAGMENT_MAX_WORDS
    } else {
        FRAGMENT_MAX_WORDS
    };
    // A closing fragment of several sentences: the first closes the wrapped one.
    let sentences = super::sentences(piece);
    let (measured, end) = match sentences.as_slice() {
        [first, second, ..] if fragment == next => {
            let rest = &piece[second.start..];
            if rest.chars().any(char::is_alphabetic) {
                let view = &context.view.map;
                let end = view.raw_end(context.lines[next].start + first.end);
                (&piece[first.clone()], Some(end))
            } else {
                (piece, None)
            }
        }
        _ => (piece, None),
    };
    let words = count_words_up_to(measured, max_words + 1);
    // An opening fragment carries the start of the call: a lone word ("A" /
    // "Advert") is a line of its own.
    if words > max_words || (fragment == line && words < OPENING_MIN_WORDS) {
        return None;
    }
    if fragment == line && words > FRAGMENT_MAX_WORDS && sentences.len() > 1 {
        return None;
    }
    let raw =
        &context.document.raw[context.document.lines[next].start..context.document.lines[next].end];
    let starts_lower = raw
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase);
    let last_word = above
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default();
    // Arabic, Persian and Hindi show no break by case: a long removed line that
    // stops on a word, and a fragment that ends its sentence, are the sign.
    let caseless_break = last.is_alphabetic()
        && !last.is_lowercase()
        && !last.is_uppercase()
        && fragment == next
        && count_words_up_to(above, CASELESS_BREAK_MIN_WORDS) >= CASELESS_BREAK_MIN_WORDS
        && measured
            .trim_end()
            .ends_with(['.', '!', '?', '؟', '।', '…']);
    // A lone lower-case word after a complete call ("Get the app now" / "ok")
    // is not enough: the lower-case signal needs a fragment of two words.
    let wrapped =
        (starts_lower && words >= 2) || open_end || DANGLING.contains(&last_word) || caseless_break;
    wrapped.then_some(end)
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Format};

    fn clean(text: &str) -> String {
        Engine::builtin()
            .clean(text, Format::Text)
            .expect("clean")
            .text()
            .to_string()
    }

    #[test]
    fn a_wrapped_call_goes_whole() {
        let out = clean("Body of the article.\n\nGet the BTCC app to start your\ncrypto journey\n\nMore body.\n");
        assert!(!out.contains("crypto journey"), "{out:?}");
        assert!(out.contains("More body."));
    }

    #[test]
    fn a_long_wrapped_disclaimer_sentence_goes_whole_and_the_next_sentence_stays() {
        let cases = [
            // (document, kept, gone)
            (
                "Body of the article.\n\nAll articles reposted on this platform are sourced from public\nnetworks and are intended solely for the purpose of disseminating industry information.\n\nMore body.\n",
                "More body.",
                "disseminating",
            ),
            // Two sentences on the second line: the fragment is not the notice's end.
            (
                "Body of the article.\n\nAll articles reposted on this platform are sourced from public\nnetworks. The harbour reopened on Monday after the storm had passed the coast.\n",
                "The harbour reopened",
                "reposted",
            ),
        ];
        for (document, kept, gone) in cases {
            let out = clean(document);
            assert!(out.contains(kept), "{out:?}");
            assert!(!out.contains(gone), "{out:?}");
        }
    }

    #[test]
    fn a_sentence_after_a_call_stays() {
        // The next line starts a sentence of its own.
        let out = clean("Body.\n\nGet the BTCC app to start trading\nPrices fell on Monday.\n");
        assert!(out.contains("Prices fell on Monday."), "{out:?}");
        // The next line does not close the paragraph.
        let out = clean("Body.\n\nGet the BTCC app to start your\ncrypto journey\nwith the rest of a long paragraph\n");
        assert!(out.contains("crypto journey"), "{out:?}");
    }

    #[test]
    fn a_wrapped_opening_goes_with_the_call() {
        // Only the second line is a call a rule finds; the first opens it.
        let out = clean("Body of the article.\n\nDon't miss a thing from our\nnewsletter: sign up for our weekly digest\n\nMore body.\n");
        assert!(!out.contains("miss a thing"), "{out:?}");
        assert!(out.contains("More body."), "{out:?}");
        let out = clean("Body.\n\nThe council met on Monday\nGet the BTCC app to start trading\n");
        assert!(out.contains("The council met on Monday"), "{out:?}");
    }

    #[test]
    fn a_call_cut_at_a_comma_goes_whole() {
        let out = clean(
            "正文第一段。\n\n🧧 新用户注册即领188元红包，\n还有更多惊喜等你来\n\n正文第二段。\n",
        );
        assert!(!out.contains("惊喜"), "{out:?}");
        assert!(out.contains("正文第二段"), "{out:?}");
    }

    #[test]
    fn a_call_cut_after_a_preposition_of_a_caseless_script_goes_whole() {
        // Arabic and Hindi have no lower case: the dangling preposition or
        // possessive at the end of the removed line is the sign of the wrap.
        let out = clean("نص المقال.\n\nتابع أحدث المراجعات عبر تطبيقنا المتوفر على\nأندرويد وآيفون\n\nنص آخر.\n");
        assert!(!out.contains("أندرويد"), "{out:?}");
        assert!(out.contains("نص آخر."), "{out:?}");
        let out = clean("पहला पैराग्राफ।\n\nताज़ा खबरों के लिए डाउनलोड करें हमारा\nऐप\n\nदूसरा पैराग्राफ।\n");
        assert!(!out.contains("ऐप"), "{out:?}");
        assert!(out.contains("दूसरा पैराग्राफ।"), "{out:?}");
    }

    #[test]
    fn a_fragment_of_two_sentences_loses_only_the_first() {
        let out = clean("Cuerpo del artículo.\n\nUsamos cookies propias y de terceros para analizar el tráfico. Puedes aceptarlas todas,\nconfigurarlas o rechazarlas cuando quieras. El ayuntamiento aprobó ayer el presupuesto de 2026.\n\nMás texto.\n");
        assert!(!out.contains("configurarlas"), "{out:?}");
        assert!(
            out.contains("\nEl ayuntamiento aprobó ayer el presupuesto de 2026.\n"),
            "{out:?}"
        );
        // What follows the first sentence goes with it when it has no letters.
        let out = clean("Текст статьи.\n\nФрибет до 5000 ₽ новым клиентам при первой ставке от 500 ₽ —\nусловия акции на официальном сайте. 18+\n\nЕщё текст.\n");
        assert_eq!(out, "Текст статьи.\n\nЕщё текст.\n");
    }

    #[test]
    fn wraps_shown_by_a_possessive_a_comma_a_caseless_stop_a_quote_or_a_negation_go_whole() {
        let cases = [
            // A possessive the sentence cannot end on (Portuguese).
            "Corpo do texto.\n\nUsamos cookies para melhorar sua experiência. Ao continuar navegando, você concorda com a nossa\nPolítica de Privacidade.\n\nMais texto.\n",
            // A full-width comma, and a notice's longer CJK fragment.
            "正文第一段。\n\n声明：本文为原创内容，未经授权禁止转载。文中数据均为编辑部实测结果，\n仅供参考，实际表现会因驾驶习惯、路况和气温不同而有所差异。\n\n正文第二段。\n",
            // A caseless script: a long removed line that stops on a word.
            "نص المقال.\n\nهذا المحتوى لا يعد نصيحة استثمارية، والتداول في الأصول الرقمية ينطوي على مخاطر عالية جدا\nلذلك ننصح القراء بمراجعة مستشار مختص قبل أي خطوة.\n\nنص آخر.\n",
            // A quoted button name before the break.
            "Body of the review.\n\nWe use cookies to analyse our traffic. By clicking \"Accept all\"\nyou agree to the storing of cookies on your device.\n\nMore body.\n",
            // A German negation, before a capitalised noun.
            "Text des Artikels.\n\nKeine Anlageberatung: Die Inhalte dienen ausschließlich der Information und stellen keine\nAufforderung zum Kauf oder Verkauf von Wertpapieren dar.\n\nMehr Text.\n",
        ];
        for document in cases {
            let out = clean(document);
            let lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
            assert_eq!(lines.len(), 2, "{out:?}");
        }
    }

    #[test]
    fn a_sentence_after_a_short_caseless_notice_stays() {
        // Five words stopping on a word may be a heading: the next line is its own.
        let out = clean("نص المقال.\n\nهذا المحتوى لا يعد نصيحة استثمارية\nلذلك ننصح القراء بمراجعة مستشار مختص قبل أي خطوة.\n\nنص آخر.\n");
        assert!(out.contains("لذلك ننصح القراء"), "{out:?}");
    }

    #[test]
    fn a_quoted_title_at_the_end_of_a_call_does_not_take_the_next_sentence() {
        // The next line starts with a capital: a sentence of its own.
        let out = clean("Body.\n\nGet the app \"Daily Quotes\"\nThe harbour reopened on Monday.\n");
        assert!(out.contains("The harbour reopened on Monday."), "{out:?}");
    }

    #[test]
    fn a_lone_lower_case_word_after_a_complete_call_stays() {
        let out = clean("Get the app now\nok\n");
        assert!(out.contains("ok"), "{out:?}");
    }

    #[test]
    fn a_long_next_line_stays() {
        let out = clean("Body.\n\nGet the BTCC app to start your\nday with a walk along the river and a coffee in the old market square\n");
        assert!(out.contains("walk along the river"), "{out:?}");
    }
}
