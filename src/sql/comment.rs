//! Text inside comments. Names and messages are printed into `--` comments of SQL (step
//! descriptions, hazards, headers) and `//!` comments of Rust (sea-orm modules); a line
//! break inside one ends the comment and the rest of the line runs as code. [`comment`]
//! makes any text one inert line of comment.
//!
//! What ends or escapes a comment:
//! - PostgreSQL's scanner (`scan.l`: `newline [\n\r]`, `comment ("--"{non_newline}*)`) and
//!   psql's lexer (`psqlscan.l`, the same rules) end a `--` comment at `\n` and at a lone
//!   `\r`.
//! - `/* */` comments nest in PostgreSQL and in Rust: a `/*` inside one opens another, so
//!   the `*/` meant to close it no longer does and the statements after it become comment;
//!   a `*/` closes it early.
//! - Rust ends a `//` comment at `\n` only, and refuses a bare `\r` in a doc comment.
//!   Editors and terminals also break lines at `\u{b}`, `\u{c}`, U+0085, U+2028 and
//!   U+2029, so a reviewer would see a line break that the parser does not.
//! - Bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) reorder what an
//!   editor shows, so a comment can appear to hold text it does not, or code to sit in a
//!   comment ("Trojan Source", CVE-2021-42574); rustc refuses them in comments and literals
//!   (`text_direction_codepoint_in_comment`, deny by default). Zero-width and other
//!   invisible characters hide text the same way.

/// `text` as one line that is safe inside any comment: a `--` or `/* */` comment of SQL,
/// a `//`, `//!` or `/* */` comment of Rust.
///
/// - `\n`, `\r` and `\t` become the two characters `\n`, `\r`, `\t`;
/// - every other control character (C0, DEL, C1 such as U+0085), the line and paragraph
///   separators U+2028 and U+2029, and invisible formatting characters (bidirectional
///   marks, overrides and isolates, zero-width spaces and joiners, the byte order mark,
///   Unicode tag characters) become `\u{...}` with the code point in hex;
/// - `/*` and `*/` get a `\` between their two characters (`/\*`, `*\/`).
///
/// Everything else, backslashes included, is kept as it is: ordinary text reads as
/// written, and `comment(comment(t)) == comment(t)`. The escapes are for reading only (a
/// backslash followed by `n` in a name reads like an escaped line break); the exact name
/// is in the statement the comment describes, where it is quoted by [`super::ident`].
pub fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = None;
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_invisible(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            '*' if last == Some('/') => out.push_str("\\*"),
            '/' if last == Some('*') => out.push_str("\\/"),
            c => out.push(c),
        }
        last = Some(c);
    }
    out
}

/// `text` for a terminal: line breaks and tabs kept (messages span lines), every other
/// control character escaped as [`comment`] escapes it. ESC starts the escape sequences a
/// terminal obeys (colours, cursor moves, window titles, hyperlinks), and a lone `\r`
/// returns to the start of the line: a name that holds them, read from a database and
/// printed in an error, could rewrite what the user sees.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || is_invisible(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters that show as nothing, or break a line, or change the order in which the
/// characters around them are shown.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'                        // soft hyphen
        | '\u{34f}'                     // combining grapheme joiner
        | '\u{61c}'                     // Arabic letter mark
        | '\u{115f}' | '\u{1160}'       // Hangul fillers
        | '\u{17b4}' | '\u{17b5}'       // Khmer inherent vowels
        | '\u{180e}'                    // Mongolian vowel separator
        | '\u{200b}'..='\u{200f}'       // zero-width space, (non-)joiner, LRM, RLM
        | '\u{2028}'..='\u{202e}'       // line/paragraph separators, bidi embeddings, overrides
        | '\u{2060}'..='\u{206f}'       // word joiner, invisible operators, bidi isolates
        | '\u{3164}'                    // Hangul filler
        | '\u{feff}'                    // zero-width no-break space, byte order mark
        | '\u{ffa0}'                    // halfwidth Hangul filler
        | '\u{fff9}'..='\u{fffb}'       // interlinear annotation
        | '\u{1d173}'..='\u{1d17a}'     // musical formatting
        | '\u{e0000}'..='\u{e007f}' // tags: invisible copies of ASCII
    )
}

#[cfg(test)]
mod terminal_tests {
    #[test]
    fn terminal_text_keeps_lines_and_escapes_controls() {
        assert_eq!(
            super::terminal("a\n\tb\u{1b}]0;title\u{7}\rc"),
            "a\n\tb\\u{1b}]0;title\\u{7}\\rc"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character that ends a line somewhere: PostgreSQL and psql (`\n`, `\r`), Rust
    /// (`\n`), editors and terminals (the rest).
    const LINE_BREAKS: &[&str] = &[
        "\n", "\r", "\r\n", "\n\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}",
    ];

    #[test]
    fn no_line_break_survives() {
        for brk in LINE_BREAKS {
            let text = format!("v{brk}DELETE FROM precious; --");
            let out = comment(&text);
            assert_eq!(out.lines().count(), 1, "{out:?}");
            assert!(
                !out.chars()
                    .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')),
                "{out:?}"
            );
            assert!(out.starts_with("v\\") && out.ends_with("DELETE FROM precious; --"));
        }
        assert_eq!(comment("a\nb"), "a\\nb");
        assert_eq!(comment("a\rb"), "a\\rb");
        assert_eq!(comment("a\r\nb"), "a\\r\\nb");
        assert_eq!(comment("a\u{b}\u{c}b"), "a\\u{b}\\u{c}b");
        assert_eq!(comment("a\u{85}b"), "a\\u{85}b");
        assert_eq!(comment("a\u{2028}b\u{2029}"), "a\\u{2028}b\\u{2029}");
    }

    #[test]
    fn other_controls_and_invisible_characters_are_shown() {
        assert_eq!(comment("tab\there"), "tab\\there");
        assert_eq!(
            comment("nul\0 esc\u{1b}[31m del\u{7f}"),
            "nul\\u{0} esc\\u{1b}[31m del\\u{7f}"
        );
        assert_eq!(comment("rtl\u{202e}txt"), "rtl\\u{202e}txt");
        assert_eq!(comment("iso\u{2066}x\u{2069}"), "iso\\u{2066}x\\u{2069}");
        assert_eq!(
            comment("zw\u{200b}\u{200d}\u{feff}sp"),
            "zw\\u{200b}\\u{200d}\\u{feff}sp"
        );
        assert_eq!(comment("tag\u{e0041}"), "tag\\u{e0041}");
    }

    #[test]
    fn block_comment_delimiters_are_broken_up() {
        assert_eq!(comment("*/ DROP /*"), "*\\/ DROP /\\*");
        assert_eq!(comment("/*/"), "/\\*\\/");
        assert_eq!(comment("*/*"), "*\\/\\*");
        assert_eq!(comment("a/**/b"), "a/\\**\\/b");
        for text in ["/*/", "*/*", "/**/", "//**//", "*//*"] {
            let out = comment(text);
            assert!(
                !out.contains("/*") && !out.contains("*/"),
                "{text} -> {out}"
            );
        }
    }

    #[test]
    fn ordinary_text_is_kept() {
        for text in [
            "create table public.users",
            "drop column public.t.\"we\"\"ird\"",
            "it's a $$body$$ and a $tag$, -- dashes; back\\slash \\n é 日本 🦀",
            "   ",
            "",
        ] {
            assert_eq!(comment(text), text);
        }
    }

    #[test]
    fn writing_twice_changes_nothing() {
        let hostile = "a\n\r\u{2028}\u{202e}*/ /* /*/ \\n\u{0}\u{e0041}\u{85}";
        let once = comment(hostile);
        assert_eq!(comment(&once), once);
    }
}
