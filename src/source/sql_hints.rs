//! Planner hints in a `.sql` model. PostgreSQL stores nothing of them, so they are written
//! as comments and the file stays plain SQL that `psql` runs as is:
//!
//! ```sql
//! CREATE TABLE tickets (
//!     id bigint PRIMARY KEY,
//!     opened timestamptz NOT NULL, -- pgshift: using to_timestamp(opened)
//!                                  -- ...
//! );
//! ```
//!
//! A hint is a `--` or `/* */` comment that starts `pgshift:`, written on a line of the
//! column it is for, after the column's own text (or after the comma that ends it), inside
//! `CREATE TABLE`. A comment on a line of its own, after a table constraint, or outside
//! a column list is an error located at the comment: read as the column above or below,
//! it would convert the wrong column.

use super::model::{Hints, Origin};
use crate::error::Result;
use crate::schema::{QualifiedName, Schema};
use crate::sql::lex::{self, Lexeme};
use std::ops::Range;
use std::path::Path;

/// The hints a `.sql` model gives, resolved against the schema it builds: `using` and
/// `downgrade_using` of column type changes. A file without hint comments gives none.
/// `narrowed`: the schema was read with `--schema` or `--exclude`, so a hint on a table
/// it lacks is for a table left out, not a mistake.
pub fn read(path: &Path, text: &str, schema: &Schema, narrowed: bool) -> Result<Hints> {
    let mut hints = Hints::default();
    let found = scan(text).map_err(|e| {
        Origin::at_offset(path, text, e.offset).error(e.message, Some(e.hint.into()))
    })?;
    for hint in found {
        let origin = Origin::at_offset(path, text, hint.offset);
        let Some(table) = resolve(schema, &hint.table) else {
            if narrowed {
                continue;
            }
            return Err(origin.error(
                format!(
                    "this `{}` hint is for table {}, which the model does not create",
                    hint.key.word(),
                    hint.table.display()
                ),
                Some(WHERE.into()),
            ));
        };
        let has_column = schema
            .tables
            .get(&table)
            .is_some_and(|t| t.column(&hint.column).is_some());
        if !has_column {
            return Err(origin.error(
                format!(
                    "this `{}` hint names no column: {table} has no column {}",
                    hint.key.word(),
                    crate::sql::ident(&hint.column)
                ),
                Some(WHERE.into()),
            ));
        }
        let map = match hint.key {
            Key::Using => &mut hints.usings,
            Key::DowngradeUsing => &mut hints.downgrade_usings,
        };
        let columns = map.entry(table.clone()).or_default();
        if columns.contains_key(&hint.column) {
            return Err(origin.error(
                format!(
                    "column {table}.{} has a second `{}` hint",
                    crate::sql::ident(&hint.column),
                    hint.key.word()
                ),
                Some("keep one".into()),
            ));
        }
        columns.insert(hint.column, hint.expression);
    }
    Ok(hints)
}

const WHERE: &str = "write the hint at the end of the column's line in its CREATE TABLE: \
                     `price numeric NOT NULL, -- pgshift: using price_text::numeric`";

/// An unqualified name is the table of that name in `public`, else the only table of that
/// name in any schema (a model that sets `search_path`).
fn resolve(schema: &Schema, table: &TableName) -> Option<QualifiedName> {
    if let Some(s) = &table.schema {
        let q = QualifiedName::new(s.as_str(), table.name.as_str());
        return schema.tables.contains_key(&q).then_some(q);
    }
    let public = QualifiedName::new("public", table.name.as_str());
    if schema.tables.contains_key(&public) {
        return Some(public);
    }
    let mut named = schema.tables.keys().filter(|q| q.name == table.name);
    match (named.next(), named.next()) {
        (Some(q), None) => Some(q.clone()),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Using,
    DowngradeUsing,
}

impl Key {
    fn word(self) -> &'static str {
        match self {
            Key::Using => "using",
            Key::DowngradeUsing => "downgrade_using",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
struct TableName {
    schema: Option<String>,
    name: String,
}

impl TableName {
    fn display(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", crate::sql::ident(s), crate::sql::ident(&self.name)),
            None => crate::sql::ident(&self.name),
        }
    }
}

/// A hint as written: where its comment starts, the table and column it is on.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    offset: usize,
    table: TableName,
    column: String,
    key: Key,
    expression: String,
}

/// Why a hint comment cannot be read, at a byte offset.
#[derive(Debug)]
struct Unreadable {
    offset: usize,
    message: String,
    hint: &'static str,
}

fn unreadable(offset: usize, message: impl Into<String>, hint: &'static str) -> Unreadable {
    Unreadable {
        offset,
        message: message.into(),
        hint,
    }
}

/// Every hint comment of the file, with the column it is on.
fn scan(text: &str) -> std::result::Result<Vec<Found>, Unreadable> {
    let lexemes = lex::lexemes(text);
    let statements: Vec<Range<usize>> = lex::statements(text)
        .into_iter()
        .map(|(start, s)| start..start + s.len())
        .collect();
    let mut out = vec![];
    for (range, kind) in &lexemes {
        if *kind != Lexeme::Comment {
            continue;
        }
        let Some(directive) = directive(&text[range.clone()]) else {
            continue;
        };
        let at = range.start;
        let (key, expression) = parse_directive(directive).map_err(|m| unreadable(at, m, KEYS))?;
        if let Err(e) = lex::check_slot(expression, lex::Slot::Clause) {
            return Err(unreadable(
                at,
                format!("the expression of this `{}` hint {}", key.word(), e.problem),
                "give one SQL expression of the column's old value, such as `to_timestamp(opened)`",
            ));
        }
        let Some(statement) = statements.iter().find(|s| s.contains(&at)) else {
            return Err(unreadable(
                at,
                format!("this `{}` hint is outside any statement", key.word()),
                WHERE,
            ));
        };
        let code: Vec<(Range<usize>, Lexeme)> = lexemes
            .iter()
            .filter(|(r, k)| *k != Lexeme::Comment && statement.contains(&r.start))
            .cloned()
            .collect();
        let (table, column) = column_at(text, &code, at, key)?;
        out.push(Found {
            offset: at,
            table,
            column,
            key,
            expression: expression.to_string(),
        });
    }
    Ok(out)
}

const KEYS: &str = "a `.sql` model takes `-- pgshift: using EXPRESSION` and \
                    `-- pgshift: downgrade_using EXPRESSION` at the end of a column's line";

/// The text after `pgshift:` of a comment that starts with it.
fn directive(comment: &str) -> Option<&str> {
    let body = match comment.strip_prefix("--") {
        Some(line) => line,
        None => comment.strip_prefix("/*")?.strip_suffix("*/")?,
    };
    body.trim_start().strip_prefix("pgshift:").map(str::trim)
}

fn parse_directive(directive: &str) -> std::result::Result<(Key, &str), String> {
    let (word, rest) = directive
        .split_once(char::is_whitespace)
        .unwrap_or((directive, ""));
    let key = match word {
        "using" => Key::Using,
        "downgrade_using" => Key::DowngradeUsing,
        other => {
            return Err(format!(
                "unknown pgshift hint {}",
                crate::sql::literal(other.trim_end_matches([':', '=']))
            ))
        }
    };
    let expression = rest.trim();
    if expression.is_empty() {
        return Err(format!("this `{}` hint gives no expression", key.word()));
    }
    Ok((key, expression))
}

/// The table and column a hint comment at `at` is on: the column of `CREATE TABLE` whose
/// text comes last before the comment (its ending comma aside), on the comment's line.
fn column_at(
    text: &str,
    code: &[(Range<usize>, Lexeme)],
    at: usize,
    key: Key,
) -> std::result::Result<(TableName, String), Unreadable> {
    let not_here = |what: &str| unreadable(at, format!("this `{}` hint {what}", key.word()), WHERE);
    let word = |i: usize| -> Option<String> {
        let (r, k) = code.get(i)?;
        (*k == Lexeme::Word).then(|| text[r.clone()].to_ascii_lowercase())
    };
    let name = |i: usize| -> Option<String> {
        let (r, k) = code.get(i)?;
        match k {
            Lexeme::Word => Some(text[r.clone()].to_ascii_lowercase()),
            Lexeme::Quoted => Some(text[r.start + 1..r.end - 1].replace("\"\"", "\"")),
            _ => None,
        }
    };
    // CREATE [GLOBAL | LOCAL] [TEMPORARY | TEMP | UNLOGGED] TABLE [IF NOT EXISTS] name (
    let mut i = 0;
    let outside = "is not in the column list of a CREATE TABLE statement";
    if word(i).as_deref() != Some("create") {
        return Err(not_here(outside));
    }
    i += 1;
    while matches!(
        word(i).as_deref(),
        Some("global" | "local" | "temporary" | "temp" | "unlogged")
    ) {
        i += 1;
    }
    if word(i).as_deref() != Some("table") {
        return Err(not_here(outside));
    }
    i += 1;
    if word(i).as_deref() == Some("if")
        && word(i + 1).as_deref() == Some("not")
        && word(i + 2).as_deref() == Some("exists")
    {
        i += 3;
    }
    let first = name(i).ok_or_else(|| not_here(outside))?;
    i += 1;
    let dot = code
        .get(i)
        .is_some_and(|(r, k)| *k == Lexeme::Other && &text[r.clone()] == ".");
    let table = if dot {
        let second = name(i + 1).ok_or_else(|| not_here(outside))?;
        i += 2;
        TableName {
            schema: Some(first),
            name: second,
        }
    } else {
        TableName {
            schema: None,
            name: first,
        }
    };
    let open = i;
    if code
        .get(open)
        .is_none_or(|(r, k)| *k != Lexeme::Open || &text[r.clone()] != "(")
    {
        return Err(not_here(outside));
    }
    // The column list: each item's first lexeme, by lexeme.
    let mut depth = 0usize;
    let mut item_start = open + 1;
    let mut item_of: Vec<Option<usize>> = vec![None; code.len()];
    let mut close = code.len();
    for (j, (_, k)) in code.iter().enumerate().skip(open) {
        match k {
            Lexeme::Open => depth += 1,
            Lexeme::Close => {
                depth -= 1;
                if depth == 0 {
                    close = j;
                    break;
                }
            }
            Lexeme::Comma if depth == 1 => {
                item_start = j + 1;
                continue;
            }
            _ => {}
        }
        if j > open {
            item_of[j] = Some(item_start);
        }
    }
    // The last code before the comment: in an item, or the comma that ends one.
    let before = code
        .iter()
        .enumerate()
        .take_while(|(_, (r, _))| r.end <= at)
        .last();
    let Some((j, (last, _))) = before else {
        return Err(not_here(outside));
    };
    if j <= open || j >= close {
        return Err(not_here(outside));
    }
    let ending_comma = item_of[j].is_none();
    let Some(start) = (if ending_comma {
        item_of[j - 1]
    } else {
        item_of[j]
    }) else {
        return Err(not_here(outside));
    };
    if text[last.end..at].contains(['\n', '\r']) {
        return Err(not_here(
            "is on a line of its own: it must follow the column it is for on the same line",
        ));
    }
    let is_constraint = matches!(
        word(start).as_deref(),
        Some("constraint" | "primary" | "unique" | "check" | "foreign" | "exclude" | "like")
    );
    if is_constraint {
        return Err(not_here("follows a table constraint, not a column"));
    }
    let column = name(start).ok_or_else(|| not_here(outside))?;
    Ok((table, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(text: &str) -> Vec<(Option<String>, String, String, Key, String)> {
        scan(text)
            .unwrap_or_else(|e| panic!("{}: {}", e.offset, e.message))
            .into_iter()
            .map(|f| (f.table.schema, f.table.name, f.column, f.key, f.expression))
            .collect()
    }

    fn error(text: &str) -> (usize, String) {
        let e = scan(text).expect_err("an error");
        (e.offset, e.message)
    }

    #[test]
    fn reads_hints_on_column_lines() {
        let sql = "-- pgshift: not a hint of a column? no: a plain comment\n\
            CREATE TABLE IF NOT EXISTS app.\"Tickets\" (\n\
            \x20 id bigint PRIMARY KEY, -- the key\n\
            \x20 \"Opened\" timestamptz NOT NULL, -- pgshift: using to_timestamp(\"Opened\")\n\
            \x20 status public.st /* pgshift: using (CASE status WHEN 1 THEN 'a' END)::public.st */\n\
            \x20   NOT NULL DEFAULT 'a' -- pgshift: downgrade_using CASE status WHEN 'a' THEN 1 END\n\
            );\n\
            CREATE UNLOGGED TABLE t (x numeric(10, 2) -- pgshift: using x::numeric(10, 2)\n);";
        assert!(matches!(scan(sql), Err(e) if e.message.contains("unknown pgshift hint")));
        let sql = sql.replacen("-- pgshift: not", "-- not", 1);
        let app = || Some("app".to_string());
        assert_eq!(
            hints(&sql),
            [
                (
                    app(),
                    "Tickets".into(),
                    "Opened".into(),
                    Key::Using,
                    "to_timestamp(\"Opened\")".into()
                ),
                (
                    app(),
                    "Tickets".into(),
                    "status".into(),
                    Key::Using,
                    "(CASE status WHEN 1 THEN 'a' END)::public.st".into()
                ),
                (
                    app(),
                    "Tickets".into(),
                    "status".into(),
                    Key::DowngradeUsing,
                    "CASE status WHEN 'a' THEN 1 END".into()
                ),
                (
                    None,
                    "t".into(),
                    "x".into(),
                    Key::Using,
                    "x::numeric(10, 2)".into()
                ),
            ]
        );
    }

    #[test]
    fn comments_in_strings_and_bodies_are_not_hints() {
        let sql = "CREATE TABLE t (x text DEFAULT '-- pgshift: using 1');\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 -- pgshift: using 2\n$$;";
        // The second is part of a function body: text PostgreSQL keeps, not a hint.
        assert_eq!(hints(sql), []);
    }

    #[test]
    fn a_hint_not_on_a_column_line_is_an_error_at_the_comment() {
        let own_line = "CREATE TABLE t (\n  a int,\n  -- pgshift: using b::int\n  b int\n);";
        let (at, message) = error(own_line);
        assert_eq!(at, own_line.find("-- pgshift").unwrap());
        assert!(message.contains("line of its own"), "{message}");

        let constraint = "CREATE TABLE t (a int, CHECK (a > 0) -- pgshift: using a::int\n);";
        assert!(error(constraint).1.contains("table constraint"));

        let view = "CREATE VIEW v AS SELECT 1 AS a -- pgshift: using a::int\n;";
        assert!(error(view).1.contains("not in the column list"));

        let after = "CREATE TABLE t (a int); -- pgshift: using a::int\n";
        assert!(error(after).1.contains("outside any statement"));

        let after_list = "CREATE TABLE t (a int) -- pgshift: using a::int\n;";
        assert!(error(after_list).1.contains("not in the column list"));

        let open = "CREATE TABLE t ( -- pgshift: using a::int\n a int);";
        assert!(error(open).1.contains("not in the column list"));

        let empty = "CREATE TABLE t (a int -- pgshift: using\n);";
        assert!(error(empty).1.contains("no expression"));

        let escape = "CREATE TABLE t (a int -- pgshift: using a::int); DROP TABLE x\n);";
        assert!(error(escape)
            .1
            .contains("the expression of this `using` hint"));
    }
}
