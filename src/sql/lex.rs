//! A lexer that sees SQL text the way PostgreSQL's scanner does where it matters for
//! telling one statement from the next: string constants (standard, `E''` with backslash
//! escapes, `U&''`, `B''`, `X''`), quoted identifiers, dollar quotes, `--` comments (ended
//! by a line feed or a carriage return) and `/* */` comments (which nest in PostgreSQL).
//! Model text that pgshift pastes into DDL is checked with it: an expression field must be
//! one piece of SQL that stays inside the slot it is written into.

/// Where a piece of SQL text leaves the slot it was meant for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escape {
    /// Byte offset of the offending character in the checked text.
    pub offset: usize,
    pub problem: &'static str,
}

/// What a slot may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// An expression, a type, or a clause of a statement (a default, a check, an index
    /// key, a partition bound): no `;`, and no `,` outside brackets (a comma there would
    /// start the next column or constraint of the statement around it).
    Clause,
    /// A complete statement (a function or trigger definition, a view query): one, with
    /// an optional `;` at the end and nothing after it.
    Statement,
}

/// The tokens that matter for slot checks, with byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Open(u8),
    Close(u8),
    Semicolon,
    Comma,
    /// An unquoted word: byte range.
    Word(usize, usize),
    /// Anything else that is code (an operator, a constant, a quoted name).
    Code,
    /// Text that ends inside a quote or a `/* */` comment: what it is.
    Unterminated(&'static str),
    /// Text that ends inside a `--` comment.
    LineCommentAtEnd,
    /// A `--` or `/* */` comment (only from `spans`; `tokens` skips them).
    Comment,
    /// A `"quoted identifier"`.
    Quoted,
}

/// Checks that `text` is one piece of SQL for `slot`: every quote, dollar quote and
/// comment closed, every parenthesis and bracket closed by a matching one, no `;` (but a
/// last one for a statement) and, for a clause, no `,` outside brackets.
pub fn check_slot(text: &str, slot: Slot) -> Result<(), Escape> {
    let mut depth: Vec<u8> = vec![];
    let mut ended_at: Option<usize> = None;
    let mut code = false;
    let mut body = Body::default();
    for (offset, token) in tokens(text) {
        body.see(text, token);
        let escape = |problem| Err(Escape { offset, problem });
        if let Some(end) = ended_at {
            if !matches!(token, Token::Semicolon | Token::LineCommentAtEnd) {
                return Err(Escape {
                    offset: end,
                    problem: "has a `;` and more SQL after it: it holds more than one statement",
                });
            }
        }
        match token {
            Token::Unterminated(what) => return escape(what),
            // Nothing is written after a statement: a comment may end it.
            Token::LineCommentAtEnd if slot == Slot::Statement => continue,
            Token::LineCommentAtEnd => {
                return escape(
                    "ends inside a `--` comment, which would hide the SQL written after it",
                )
            }
            Token::Open(c) => depth.push(c),
            Token::Close(c) => {
                let open = if c == b')' { b'(' } else { b'[' };
                if depth.pop() != Some(open) {
                    return escape(if c == b')' {
                        "closes a parenthesis it did not open"
                    } else {
                        "closes a bracket it did not open"
                    });
                }
            }
            Token::Semicolon => match slot {
                Slot::Clause => {
                    return escape("has a `;`: it would end the statement it is written into")
                }
                Slot::Statement if !depth.is_empty() => {
                    return escape("has a `;` inside parentheses")
                }
                Slot::Statement if body.inside() => {}
                Slot::Statement => ended_at = Some(offset),
            },
            Token::Comma if depth.is_empty() && slot == Slot::Clause => {
                return escape(
                    "has a `,` outside parentheses: it would start the next item of the statement it is written into",
                )
            }
            Token::Comma | Token::Code | Token::Quoted | Token::Word(..) | Token::Comment => {}
        }
        code = true;
    }
    if !depth.is_empty() {
        return Err(Escape {
            offset: text.len(),
            problem: "leaves a parenthesis or bracket open",
        });
    }
    if !code {
        return Err(Escape {
            offset: 0,
            problem: "is empty",
        });
    }
    Ok(())
}

/// The statements of a script: (byte offset where each starts, its text without the
/// `;`). Statements with only comments and space are left out.
pub fn statements(text: &str) -> Vec<(usize, &str)> {
    let mut out = vec![];
    let mut start = 0;
    let mut code_seen = false;
    let mut body = Body::default();
    let mut depth = 0usize;
    for (offset, token) in tokens(text) {
        body.see(text, token);
        match token {
            // A rule's actions, `DO (a; b)`, are one statement.
            Token::Open(_) => depth += 1,
            Token::Close(_) => depth = depth.saturating_sub(1),
            Token::Semicolon if !body.inside() && depth == 0 => {
                if code_seen {
                    out.push((start, &text[start..offset]));
                }
                start = offset + 1;
                code_seen = false;
                body = Body::default();
                continue;
            }
            _ => {}
        }
        if token != Token::LineCommentAtEnd {
            code_seen = true;
        }
    }
    if code_seen {
        out.push((start, &text[start..]));
    }
    out
}

/// The words and quoted identifiers of a statement, for recognising a few simple
/// statements exactly: None when it holds anything else (an operator, a parenthesis, a
/// constant other than a plain `'...'` string).
pub fn words(text: &str) -> Option<Vec<Word>> {
    let b = text.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
            i = line_comment_end(b, i).unwrap_or(b.len());
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = block_comment_end(b, i)?;
        } else if c == b'"' {
            let end = quoted_end(b, i, b'"', false)?;
            out.push(Word::Quoted(text[i + 1..end - 1].replace("\"\"", "\"")));
            i = end;
        } else if c == b'\'' {
            let end = quoted_end(b, i, b'\'', false)?;
            let inner = &text[i + 1..end - 1];
            if inner.contains('\\') {
                return None;
            }
            out.push(Word::String(inner.replace("''", "'")));
            i = end;
        } else if is_ident_start(c) {
            let end = ident_end(b, i);
            out.push(Word::Plain(text[i..end].to_string()));
            i = end;
        } else {
            return None;
        }
    }
    Some(out)
}

/// A word of a simple statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Word {
    /// An unquoted word, as written (PostgreSQL folds it to lower case).
    Plain(String),
    /// A `"quoted identifier"`, unescaped.
    Quoted(String),
    /// A `'string'` without backslashes, unescaped.
    String(String),
}

impl Word {
    /// Whether this is the keyword `kw` (case-insensitive, never a quoted name).
    pub fn is(&self, kw: &str) -> bool {
        matches!(self, Word::Plain(w) if w.eq_ignore_ascii_case(kw))
    }

    /// The name this word stands for: unquoted words fold to lower case.
    pub fn name(&self) -> Option<String> {
        match self {
            Word::Plain(w) => Some(w.to_ascii_lowercase()),
            Word::Quoted(w) => Some(w.clone()),
            Word::String(_) => None,
        }
    }
}

/// A SQL-standard routine body (`CREATE FUNCTION ... BEGIN ATOMIC ...; ... END`) holds
/// `;`s that do not end the statement. As psql does: in a statement that starts `CREATE
/// [OR REPLACE] FUNCTION|PROCEDURE`, `BEGIN` and `CASE` open a block and `END` closes one.
#[derive(Default)]
struct Body {
    /// The statement's first words, lower-cased, up to four.
    head: Vec<String>,
    depth: usize,
}

impl Body {
    fn see(&mut self, text: &str, token: Token) {
        let Token::Word(from, to) = token else {
            if self.head.len() < 4 {
                // Anything but a word ends the statement's head.
                self.head.resize(4, String::new());
            }
            return;
        };
        let word = text[from..to].to_ascii_lowercase();
        if self.head.len() < 4 {
            self.head.push(word);
            return;
        }
        let routine = self.head[0] == "create"
            && (matches!(self.head[1].as_str(), "function" | "procedure")
                || (self.head[1] == "or"
                    && self.head[2] == "replace"
                    && matches!(self.head[3].as_str(), "function" | "procedure")));
        if !routine {
            return;
        }
        match word.as_str() {
            "begin" | "case" => self.depth += 1,
            "end" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    fn inside(&self) -> bool {
        self.depth > 0
    }
}

/// A piece of SQL text as `lexemes` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lexeme {
    /// An unquoted word (a keyword or a name).
    Word,
    /// A `"quoted identifier"`, quotes included.
    Quoted,
    /// `(` or `[`.
    Open,
    /// `)` or `]`.
    Close,
    Comma,
    Semicolon,
    /// A `--` comment (to the end of its line, line break excluded) or a `/* */` one.
    Comment,
    /// Anything else: an operator, a `.`, a constant.
    Other,
}

/// Every lexeme of `text` with its byte range, comments included. Scanning stops at text
/// that ends inside a quote or a `/* */` comment.
pub fn lexemes(text: &str) -> Vec<(std::ops::Range<usize>, Lexeme)> {
    let b = text.as_bytes();
    let mut out = vec![];
    for (start, end, token) in spans(text) {
        let lexeme = match token {
            Token::Word(..) => Lexeme::Word,
            Token::Quoted => Lexeme::Quoted,
            Token::Open(_) => Lexeme::Open,
            Token::Close(_) => Lexeme::Close,
            Token::Comma => Lexeme::Comma,
            Token::Semicolon => Lexeme::Semicolon,
            Token::Comment | Token::LineCommentAtEnd => Lexeme::Comment,
            Token::Code => Lexeme::Other,
            Token::Unterminated(_) => break,
        };
        // A `--` comment's range leaves out the line break that ends it.
        let mut end = end;
        if lexeme == Lexeme::Comment && b[start + 1] == b'-' {
            while end > start && matches!(b[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
        }
        out.push((start..end, lexeme));
    }
    out
}

fn tokens(text: &str) -> impl Iterator<Item = (usize, Token)> + '_ {
    spans(text)
        .filter(|(_, _, t)| *t != Token::Comment)
        .map(|(start, _, t)| (start, t))
}

/// The tokens of `text`, comments included: (start, end, token).
fn spans(text: &str) -> impl Iterator<Item = (usize, usize, Token)> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        loop {
            if i >= b.len() {
                return None;
            }
            let start = i;
            let c = b[i];
            let unterminated = |what| Some((start, b.len(), Token::Unterminated(what)));
            let next = match c {
                _ if c.is_ascii_whitespace() => {
                    i += 1;
                    continue;
                }
                b'-' if b.get(i + 1) == Some(&b'-') => match line_comment_end(b, i) {
                    Some(end) => {
                        i = end;
                        Token::Comment
                    }
                    None => {
                        done = true;
                        return Some((start, b.len(), Token::LineCommentAtEnd));
                    }
                },
                b'/' if b.get(i + 1) == Some(&b'*') => match block_comment_end(b, i) {
                    Some(end) => {
                        i = end;
                        Token::Comment
                    }
                    None => {
                        done = true;
                        return unterminated("has a `/*` comment that is not closed");
                    }
                },
                b'\'' => {
                    let escapes = i > 0
                        && matches!(b[i - 1], b'e' | b'E')
                        && (i < 2 || !is_ident_char(b[i - 2]));
                    match quoted_end(b, i, b'\'', escapes) {
                        Some(end) => {
                            i = end;
                            Token::Code
                        }
                        None => {
                            done = true;
                            return unterminated("has a string constant that is not closed");
                        }
                    }
                }
                b'"' => match quoted_end(b, i, b'"', false) {
                    Some(end) => {
                        i = end;
                        Token::Quoted
                    }
                    None => {
                        done = true;
                        return unterminated("has a quoted name that is not closed");
                    }
                },
                b'$' => match dollar_tag(b, i) {
                    Some(tag_end) => {
                        let tag = &b[i..tag_end];
                        match find(b, tag_end, tag) {
                            Some(p) => {
                                i = p + tag.len();
                                Token::Code
                            }
                            None => {
                                done = true;
                                return unterminated("has a dollar quote that is not closed");
                            }
                        }
                    }
                    None => {
                        i += 1;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                        Token::Code
                    }
                },
                _ if is_ident_start(c) => {
                    i = ident_end(b, i);
                    Token::Word(start, i)
                }
                b'(' | b'[' => {
                    i += 1;
                    Token::Open(c)
                }
                b')' | b']' => {
                    i += 1;
                    Token::Close(c)
                }
                b';' => {
                    i += 1;
                    Token::Semicolon
                }
                b',' => {
                    i += 1;
                    Token::Comma
                }
                _ => {
                    // Any other byte, one character at a time (multi-byte characters are
                    // skipped whole, so offsets stay on character boundaries).
                    i += utf8_len(c);
                    Token::Code
                }
            };
            return Some((start, i, next));
        }
    })
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// PostgreSQL's identifier characters: letters, digits, `_`, `$` and every non-ASCII byte.
fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn ident_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ident_char(b[i]) {
        // `E'...'`, `U&'...'`, `B'...'`, `X'...'` end the word before the quote.
        i += 1;
    }
    i
}

/// A `--` comment runs to a line feed or a carriage return (PostgreSQL's scanner ends it
/// at either). None when the text ends inside it.
fn line_comment_end(b: &[u8], i: usize) -> Option<usize> {
    b[i..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map(|p| i + p + 1)
}

/// `/* ... */`, nested as PostgreSQL nests them.
fn block_comment_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0;
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The end (past the closing quote) of a quoted token starting at `i`: a doubled quote
/// stands for itself, and in an `E''` string a backslash escapes the next byte.
fn quoted_end(b: &[u8], start: usize, quote: u8, backslash_escapes: bool) -> Option<usize> {
    let mut i = start + 1;
    while i < b.len() {
        if backslash_escapes && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// The end of `$tag$` starting at `i` (a `$` that does not follow an identifier
/// character; `$1` is a parameter, not a tag).
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    if i > 0 && is_ident_char(b[i - 1]) {
        return None;
    }
    if b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() && b[j] != b'$' {
        if !(b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
            return None;
        }
        j += 1;
    }
    (j < b.len()).then_some(j + 1)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(text: &str) -> Result<(), &'static str> {
        check_slot(text, Slot::Clause).map_err(|e| e.problem)
    }

    #[test]
    fn one_expression_passes() {
        for ok in [
            "now()",
            "'it''s; fine'",
            "E'a\\'; b'",
            "\"we;ird\" > 0",
            "ARRAY[1, 2]",
            "numeric(10,2)",
            "$$a;b$$ || $x$;$x$",
            "a$b$c > 0",
            "x > 0 -- trailing comment\n",
            "/* a /* nested ; */ comment */ 1",
            "abcdé > 0",
            "lower(email) text_pattern_ops",
        ] {
            assert_eq!(clause(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn escapes_are_refused() {
        for (bad, why) in [
            ("1; COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'", "has a `;`"),
            ("1) ; DROP TABLE t; --", "closes a parenthesis"),
            ("1, evil int", "has a `,`"),
            ("E'\\''; COPY x TO '/tmp/f'; SELECT '", "has a `;`"),
            ("'open", "string constant"),
            ("\"open", "quoted name"),
            ("$q$ open", "dollar quote"),
            ("1 -- hides the rest", "`--` comment"),
            ("1 --\r", ""),
            ("/* a /* b */ still open", "`/*` comment"),
            ("(1", "open"),
            ("", "is empty"),
        ] {
            let got = clause(bad);
            if why.is_empty() {
                assert_eq!(got, Ok(()), "{bad:?}");
            } else {
                assert!(got.is_err_and(|p| p.contains(why)), "{bad:?}: {got:?}");
            }
        }
    }

    #[test]
    fn statements_take_a_last_semicolon_only() {
        let f = "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;";
        assert_eq!(check_slot(f, Slot::Statement), Ok(()));
        let two = "CREATE VIEW v AS SELECT 1; COPY (SELECT 1) TO PROGRAM 'id'";
        assert!(check_slot(two, Slot::Statement).is_err());
        assert_eq!(check_slot("SELECT 1; -- done", Slot::Statement), Ok(()));
        let atomic =
            "CREATE OR REPLACE FUNCTION public.f(x integer)\n RETURNS integer\n LANGUAGE sql\n\
                      BEGIN ATOMIC\n SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n SELECT 2;\nEND\n";
        assert_eq!(check_slot(atomic, Slot::Statement), Ok(()));
        let after = format!("{atomic}; COPY (SELECT 1) TO PROGRAM 'id'");
        assert!(check_slot(&after, Slot::Statement).is_err());
        let script = format!("{atomic};\nSELECT 3;");
        assert_eq!(statements(&script).len(), 2);
        let rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b);\nSELECT 1";
        assert_eq!(statements(rule).len(), 2);
    }

    #[test]
    fn splits_statements_with_offsets() {
        let sql =
            "-- head; x\nCREATE TABLE a (x text DEFAULT ';');\r\n/* ; */ SELECT E'\\';';\n-- end";
        let parts = statements(sql);
        assert_eq!(parts.len(), 2, "{parts:#?}");
        assert_eq!(parts[0].0, 0);
        assert!(parts[0].1.ends_with("DEFAULT ';')"));
        assert_eq!(&sql[parts[1].0..parts[1].0 + 2], "\r\n");
        assert!(parts[1].1.contains("SELECT E'\\';'"));
    }

    #[test]
    fn words_of_simple_statements() {
        let w = words("CREATE EXTENSION IF NOT EXISTS \"pg Trgm\" WITH SCHEMA ext VERSION '1.6'")
            .unwrap();
        assert!(w[0].is("create"));
        assert_eq!(w[5].name().unwrap(), "pg Trgm");
        assert_eq!(w[10], Word::String("1.6".into()));
        assert_eq!(words("CREATE EXTENSION x; SELECT 1"), None);
        assert_eq!(words("CREATE EXTENSION x WITH SCHEMA (s)"), None);
    }
}
