//! Splits a SQL script into statements the way psql does, so each statement runs (and
//! fails) on its own: a `;` ends a statement only outside strings (`'...'`, `E'...'` with
//! backslash escapes, `U&'...'`, `$tag$...$tag$`), quoted identifiers (`"..."`,
//! `U&"..."`), comments (`-- ...` up to a line feed or carriage return, nested `/* */`),
//! parentheses, and the `BEGIN ... END` body of a `CREATE FUNCTION/PROCEDURE ... BEGIN
//! ATOMIC` (psql's heuristic). Each statement keeps its tokens, so the runner can tell
//! what kind of statement it is without a parser.

/// What a token is, as far as the runner needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A keyword or an unquoted identifier.
    Word,
    /// `"..."` or `U&"..."`.
    QuotedIdent,
    /// `'...'`, `E'...'`, `U&'...'`, `B'...'`, `X'...'`, `N'...'`.
    String,
    /// `$tag$...$tag$`.
    DollarString,
    /// Anything else: numbers, operators, punctuation, `$1`.
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    /// Byte offset in the script.
    pub start: usize,
}

impl Token<'_> {
    /// A keyword or unquoted identifier equal to `word`, ignoring case.
    pub fn is(&self, word: &str) -> bool {
        self.kind == TokenKind::Word && self.text.eq_ignore_ascii_case(word)
    }

    /// The name this token stands for: an unquoted identifier folded to lower case as
    /// PostgreSQL folds it, a quoted one unquoted. None for other tokens (and `U&"..."`,
    /// whose escapes are left to the server).
    pub fn name(&self) -> Option<String> {
        match self.kind {
            TokenKind::Word => Some(self.text.to_ascii_lowercase()),
            TokenKind::QuotedIdent if self.text.starts_with('"') => {
                Some(self.text[1..self.text.len() - 1].replace("\"\"", "\""))
            }
            _ => None,
        }
    }

    /// The value of a string literal: `'...'` and `E'...'` (simple backslash escapes).
    /// None for other tokens and for forms whose value the server should compute.
    pub fn string_value(&self) -> Option<String> {
        if self.kind != TokenKind::String || !self.text.ends_with('\'') {
            return None;
        }
        let (escapes, body) = match self.text.as_bytes()[0] {
            b'\'' => (false, &self.text[1..self.text.len() - 1]),
            b'e' | b'E' => (true, &self.text[2..self.text.len() - 1]),
            _ => return None,
        };
        let mut out = String::new();
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    out.push('\'');
                }
                '\\' if escapes => match chars.next()? {
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    c @ ('\\' | '\'' | '"') => out.push(c),
                    // Octal, hex and Unicode escapes: leave those to the server.
                    _ => return None,
                },
                c => out.push(c),
            }
        }
        Some(out)
    }
}

/// One statement of a script, without its `;` and the comments before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The statement as sent to the server: from its first token to its last.
    pub sql: &'a str,
    /// Byte offset of `sql` in the script.
    pub start: usize,
    pub tokens: Vec<Token<'a>>,
    /// Byte ranges (in the script) of the comments inside `sql`.
    comments: Vec<(usize, usize)>,
}

impl Statement<'_> {
    /// The statement with its comments removed, blank lines dropped and lines trimmed at
    /// the end: what a person reading an error wants to see.
    pub fn code(&self) -> String {
        let mut text = String::new();
        let mut at = self.start;
        for &(from, to) in &self.comments {
            text.push_str(&self.sql[at - self.start..from - self.start]);
            at = to;
        }
        text.push_str(&self.sql[at - self.start..]);
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        lines.join("\n")
    }

    /// The first `n` words of the statement, lower case, for telling kinds apart.
    pub fn words(&self, n: usize) -> Vec<String> {
        self.tokens
            .iter()
            .take(n)
            .map(|t| match t.kind {
                TokenKind::Word => t.text.to_ascii_lowercase(),
                _ => String::new(),
            })
            .collect()
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `script`.
pub fn line_col(script: &str, at: usize) -> (usize, usize) {
    let at = floor_char_boundary(script, at);
    let before = &script[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The byte offset in the script of the character at 1-based `position` in the
/// statement's text (PostgreSQL reports error positions so).
pub fn offset_of_position(statement: &Statement, position: usize) -> usize {
    let within = statement
        .sql
        .char_indices()
        .nth(position.saturating_sub(1))
        .map_or(statement.sql.len(), |(i, _)| i);
    statement.start + within
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The statements of `sql`, as text (for callers that need no positions).
pub fn statements(sql: &str) -> Vec<String> {
    split(sql).into_iter().map(|s| s.sql.to_string()).collect()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Statements of `script` in order. Comment-only stretches make no statement.
pub fn split(script: &str) -> Vec<Statement<'_>> {
    let b = script.as_bytes();
    let mut out = vec![];
    let mut current = Builder::default();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let (end, kind) = match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'-' if next == Some(b'-') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n' || c == b'\r')
                    .map_or(b.len(), |p| i + p);
                current.comment(i, end);
                i = end;
                continue;
            }
            b'/' if next == Some(b'*') => {
                let end = block_comment_end(b, i);
                current.comment(i, end);
                i = end;
                continue;
            }
            b';' if current.paren_depth == 0 && current.begin_depth == 0 => {
                if let Some(s) = current.finish(script) {
                    out.push(s);
                }
                current = Builder::default();
                i += 1;
                continue;
            }
            b'\'' => (quoted_end(b, i, b'\'', false), TokenKind::String),
            b'"' => (quoted_end(b, i, b'"', false), TokenKind::QuotedIdent),
            b'$' => match dollar_tag_end(b, i) {
                Some(tag_end) => {
                    let tag = &b[i..tag_end];
                    let end = find(b, tag_end, tag).map_or(b.len(), |p| p + tag.len());
                    (end, TokenKind::DollarString)
                }
                None => (i + 1 + digits(b, i + 1), TokenKind::Other),
            },
            c if is_ident_start(c) => {
                let mut j = i + 1;
                while j < b.len() && is_ident_cont(b[j]) {
                    j += 1;
                }
                let word = &b[i..j];
                match (word, b.get(j), b.get(j + 1)) {
                    ([b'e' | b'E'], Some(b'\''), _) => {
                        (quoted_end(b, j, b'\'', true), TokenKind::String)
                    }
                    ([b'b' | b'B' | b'x' | b'X' | b'n' | b'N'], Some(b'\''), _) => {
                        (quoted_end(b, j, b'\'', false), TokenKind::String)
                    }
                    ([b'u' | b'U'], Some(b'&'), Some(b'\'')) => {
                        (quoted_end(b, j + 1, b'\'', false), TokenKind::String)
                    }
                    ([b'u' | b'U'], Some(b'&'), Some(b'"')) => {
                        (quoted_end(b, j + 1, b'"', false), TokenKind::QuotedIdent)
                    }
                    _ => (j, TokenKind::Word),
                }
            }
            c if c.is_ascii_digit() => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.')
                {
                    j += 1;
                }
                (j, TokenKind::Other)
            }
            _ => (i + 1, TokenKind::Other),
        };
        current.token(Token {
            kind,
            text: &script[i..end],
            start: i,
        });
        i = end;
    }
    if let Some(s) = current.finish(script) {
        out.push(s);
    }
    out
}

#[derive(Default)]
struct Builder<'a> {
    tokens: Vec<Token<'a>>,
    comments: Vec<(usize, usize)>,
    paren_depth: usize,
    begin_depth: usize,
    /// psql's test for `CREATE [OR REPLACE] FUNCTION|PROCEDURE`: the first letters of
    /// the statement's first words among create/or/replace/function/procedure.
    heads: [u8; 4],
    words: usize,
}

impl<'a> Builder<'a> {
    fn comment(&mut self, from: usize, to: usize) {
        // Comments before the first token are not part of the statement.
        if !self.tokens.is_empty() {
            self.comments.push((from, to));
        }
    }

    fn token(&mut self, token: Token<'a>) {
        match token.text {
            "(" => self.paren_depth += 1,
            ")" => self.paren_depth = self.paren_depth.saturating_sub(1),
            _ => {}
        }
        if token.kind == TokenKind::Word {
            self.track_begin_atomic(&token);
        }
        self.tokens.push(token);
    }

    /// psql's heuristic: inside `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, `BEGIN` opens
    /// a block that `END` closes (`CASE` too, within one), and `;` inside does not end
    /// the statement.
    fn track_begin_atomic(&mut self, t: &Token) {
        let lower = t.text.to_ascii_lowercase();
        if self.words < self.heads.len()
            && matches!(
                lower.as_str(),
                "create" | "or" | "replace" | "function" | "procedure"
            )
        {
            self.heads[self.words] = lower.as_bytes()[0];
        }
        self.words += 1;
        let h = self.heads;
        let routine = h[0] == b'c'
            && (h[1] == b'f'
                || h[1] == b'p'
                || (h[1] == b'o' && h[2] == b'r' && (h[3] == b'f' || h[3] == b'p')));
        if !routine || self.paren_depth > 0 {
            return;
        }
        match lower.as_str() {
            "begin" => self.begin_depth += 1,
            "case" if self.begin_depth > 0 => self.begin_depth += 1,
            "end" => self.begin_depth = self.begin_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn finish(self, script: &'a str) -> Option<Statement<'a>> {
        let first = self.tokens.first()?;
        let last = self.tokens.last()?;
        let (start, end) = (first.start, last.start + last.text.len());
        let comments = self
            .comments
            .into_iter()
            .filter(|&(from, _)| from < end)
            .collect();
        Some(Statement {
            sql: &script[start..end],
            start,
            tokens: self.tokens,
            comments,
        })
    }
}

/// The end of a `/* */` comment starting at `i`; they nest.
fn block_comment_end(b: &[u8], i: usize) -> usize {
    let mut depth = 0;
    let mut j = i;
    while j < b.len() {
        if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
            depth += 1;
            j += 2;
        } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    b.len()
}

/// The end of a quoted token whose opening quote is at `i`; a doubled quote stays
/// inside, and with `backslashes` (E'') so does a quote after a backslash.
fn quoted_end(b: &[u8], i: usize, quote: u8, backslashes: bool) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        if backslashes && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == quote {
            if b.get(j + 1) == Some(&quote) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    b.len()
}

/// The end of the `$tag$` starting at `i`, if one starts there (`$1` is a parameter).
fn dollar_tag_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if j < b.len() && b[j] != b'$' && !(is_ident_start(b[j])) {
        return None;
    }
    while j < b.len() && b[j] != b'$' {
        if !(is_ident_start(b[j]) || b[j].is_ascii_digit()) {
            return None;
        }
        j += 1;
    }
    (j < b.len()).then_some(j + 1)
}

fn digits(b: &[u8], from: usize) -> usize {
    b[from.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqls(script: &str) -> Vec<&str> {
        split(script).into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let sql = "-- header; not a statement\nCREATE TABLE a (x text DEFAULT ';');\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1; $f$;\n\
                   /* c; */ SELECT \"a;b\" FROM t;\nSELECT $1";
        assert_eq!(
            sqls(sql),
            [
                "CREATE TABLE a (x text DEFAULT ';')",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $f$ SELECT 1; $f$",
                "SELECT \"a;b\" FROM t",
                "SELECT $1"
            ]
        );
    }

    #[test]
    fn comment_only_script_has_no_statements() {
        assert!(statements("-- nothing\n\n-- here\n/* or; here */").is_empty());
    }

    #[test]
    fn standard_strings_keep_backslashes_literal() {
        assert_eq!(
            sqls(r"SELECT 'a\'; SELECT 'it''s;'; SELECT 2"),
            [r"SELECT 'a\'", "SELECT 'it''s;'", "SELECT 2"]
        );
    }

    #[test]
    fn e_strings_escape_quotes_with_backslashes() {
        assert_eq!(
            sqls(r"SELECT E'a\';b\\'; SELECT e'x''; y'; SELECT 1"),
            [r"SELECT E'a\';b\\'", "SELECT e'x''; y'", "SELECT 1"]
        );
        // An identifier ending in e followed by a string is not an E string.
        assert_eq!(sqls(r"SELECT somee'\'; SELECT 1").len(), 2);
    }

    #[test]
    fn dollar_quotes_with_tags() {
        let sql = "DO $body$ BEGIN PERFORM 1; END $body$; \
                   SELECT $$a;$b$ ;$$; SELECT $_x1$ $$; $_x1$; SELECT a$b; SELECT 1";
        assert_eq!(
            sqls(sql),
            [
                "DO $body$ BEGIN PERFORM 1; END $body$",
                "SELECT $$a;$b$ ;$$",
                "SELECT $_x1$ $$; $_x1$",
                "SELECT a$b",
                "SELECT 1"
            ]
        );
    }

    #[test]
    fn nested_block_comments() {
        assert_eq!(
            sqls("SELECT /* a /* b; */ c; */ 1; SELECT 2"),
            ["SELECT /* a /* b; */ c; */ 1", "SELECT 2"]
        );
    }

    #[test]
    fn unicode_strings_and_identifiers() {
        assert_eq!(
            sqls(r#"SELECT U&'d\0061t;a' AS U&"x;y"; SELECT u&'it''s;'; SELECT 1"#),
            [
                r#"SELECT U&'d\0061t;a' AS U&"x;y""#,
                "SELECT u&'it''s;'",
                "SELECT 1"
            ]
        );
    }

    #[test]
    fn quoted_identifiers() {
        assert_eq!(
            sqls(r#"CREATE TABLE "a;""b" (x int); SELECT 1"#),
            [r#"CREATE TABLE "a;""b" (x int)"#, "SELECT 1"]
        );
    }

    #[test]
    fn line_comments_end_at_line_feed_or_carriage_return() {
        assert_eq!(
            sqls("SELECT 1 -- x;\rSELECT 2; SELECT 3 -- y;\nSELECT 4"),
            ["SELECT 1 -- x;\rSELECT 2", "SELECT 3 -- y;\nSELECT 4"]
        );
    }

    #[test]
    fn bit_hex_and_national_strings() {
        assert_eq!(
            sqls("SELECT B'1;0', X'1;F', N'a;b'; SELECT 1").len(),
            2,
            "strings hide their semicolons"
        );
    }

    #[test]
    fn sql_standard_function_bodies_stay_whole() {
        let sql = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\n\
                   BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\n\
                   CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nSELECT 3";
        let parts = sqls(sql);
        assert_eq!(parts.len(), 3, "{parts:#?}");
        assert!(parts[0].ends_with("SELECT 2;\nEND"), "{}", parts[0]);
        assert!(parts[1].ends_with("VALUES (1); END"), "{}", parts[1]);
    }

    #[test]
    fn parentheses_hide_semicolons() {
        assert_eq!(
            sqls("CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2); SELECT 3").len(),
            2
        );
    }

    #[test]
    fn code_drops_comments_and_positions_map_to_the_file() {
        let script =
            "-- no-transaction\n-- step\nCREATE INDEX /* why */ i\n  -- note\n  ON t (x);\n";
        let s = &split(script)[0];
        assert_eq!(s.code(), "CREATE INDEX  i\n  ON t (x)");
        assert_eq!(line_col(script, s.start), (3, 1));
        // Position 37 of the statement is the `t` of `ON t`.
        let at = offset_of_position(s, s.sql.find("t (x)").unwrap() + 1);
        assert_eq!(line_col(script, at), (5, 6));
    }

    #[test]
    fn string_values() {
        let s = &split(r"ALTER TYPE m ADD VALUE E'it\'s', 'a''b'")[0];
        let strings: Vec<_> = s.tokens.iter().filter_map(|t| t.string_value()).collect();
        assert_eq!(strings, ["it's", "a'b"]);
    }

    #[test]
    fn unterminated_forms_run_to_the_end_without_panicking() {
        for sql in [
            "SELECT 'a",
            "SELECT E'a\\",
            "SELECT $x$ a",
            "/* a",
            "SELECT \"a",
            "$",
            "U&",
        ] {
            let _ = split(sql);
        }
    }
}
