//! Names qualified with a schema in a migration of a schema-per-tenant fleet, found as
//! PostgreSQL reads them rather than by their spelling.
//!
//! In PostgreSQL's grammar a dotted name `a.b` means `schema.object` where an object is
//! named (after `FROM`, `JOIN`, `TABLE`, `REFERENCES`, ...; a function call `a.b(`; a
//! type, `::a.b` or a column's type), and `table.column` in an expression, where `a` must
//! be a relation of the statement's `FROM` (or its alias): a qualifier that is not one is
//! an error there ("missing FROM-clause entry"). `a.b.c` is `schema.table.column` (or
//! `schema.table` after a catalog). So a dotted name whose first part is one of the
//! statement's range names (a table or an alias it declares, a `WITH` query) is a
//! column, unless it stands where an object is named; any other dotted name with a
//! schema's name in front names that schema. The range names are those of the whole
//! statement (subqueries included), which errs towards reading a name as a column only
//! when the same word is both a range name and, elsewhere in the statement, a schema.

use super::split::{split, Token, TokenKind};

/// Words after which a name is an object's, never a column: `FROM a.b`, `ALTER TABLE a.b`.
const OBJECT_BEFORE: [&str; 8] = [
    "from",
    "join",
    "update",
    "into",
    "table",
    "only",
    "references",
    "truncate",
];

/// Words after which a relation's name (then its alias) follows.
const RANGE_BEFORE: [&str; 7] = ["from", "join", "update", "into", "using", "only", "lateral"];

/// Words that end a relation in a `FROM` list rather than alias it.
const NOT_ALIAS: [&str; 24] = [
    "where",
    "join",
    "inner",
    "left",
    "right",
    "full",
    "cross",
    "natural",
    "on",
    "using",
    "set",
    "group",
    "order",
    "limit",
    "offset",
    "having",
    "window",
    "union",
    "except",
    "intersect",
    "returning",
    "values",
    "select",
    "default",
];

/// (offset, schema, the name as written) of the first name in `text` qualified with one
/// of `schemas`; offsets start at `base` in the file. Dollar-quoted bodies (`DO` blocks,
/// functions) are read as statements of their own.
pub fn find(text: &str, base: usize, schemas: &[String]) -> Option<(usize, String, String)> {
    for statement in split(text) {
        let tokens = &statement.tokens;
        let ranges = range_names(tokens);
        for (i, t) in tokens.iter().enumerate() {
            if t.kind == TokenKind::DollarString {
                let open = t.text[1..].find('$').map_or(t.text.len(), |p| p + 2);
                let close = t.text.len().saturating_sub(open).max(open);
                let body = &t.text[open.min(close)..close];
                if let Some(found) = find(body, base + t.start + open, schemas) {
                    return Some(found);
                }
                continue;
            }
            // `a.b.c` is read from `a`.
            if i > 0 && is_dot(tokens, i - 1) {
                continue;
            }
            let Some(name) = t.name() else { continue };
            if !is_dot(tokens, i + 1) || !schemas.contains(&name) {
                continue;
            }
            if tokens.get(i + 2).and_then(Token::name).is_none() {
                continue;
            }
            let mut last = i + 2;
            let three =
                is_dot(tokens, i + 3) && tokens.get(i + 4).is_some_and(|n| n.name().is_some());
            if three {
                last = i + 4;
            }
            let call = tokens.get(last + 1).is_some_and(|n| n.text == "(");
            let cast = i >= 2 && tokens[i - 1].text == ":" && tokens[i - 2].text == ":";
            let object = i > 0 && OBJECT_BEFORE.iter().any(|w| tokens[i - 1].is(w));
            let column = !three && !call && !cast && !object && ranges.contains(&name);
            if column {
                continue;
            }
            let end = tokens[last].start + tokens[last].text.len();
            return Some((base + t.start, name, text[t.start..end].to_string()));
        }
    }
    None
}

fn is_dot(tokens: &[Token], k: usize) -> bool {
    tokens
        .get(k)
        .is_some_and(|d| d.kind == TokenKind::Other && d.text == ".")
}

/// The range names a statement declares: each relation after `FROM`, `JOIN`, `UPDATE`,
/// `INTO`, `USING` or a comma (its last part) and its alias; every name after `AS`
/// (aliases of subqueries and columns); every `WITH` query's name.
fn range_names(tokens: &[Token]) -> Vec<String> {
    let mut out = vec![];
    for (i, t) in tokens.iter().enumerate() {
        let starts = RANGE_BEFORE.iter().any(|w| t.is(w)) || t.text == ",";
        if starts {
            // The relation: `a`, `a.b` or `a.b.c`; its last part.
            let mut k = i + 1;
            while tokens
                .get(k)
                .is_some_and(|n| n.is("only") || n.is("lateral"))
            {
                k += 1;
            }
            let Some(first) = tokens.get(k).and_then(Token::name) else {
                continue;
            };
            let mut last = first;
            while is_dot(tokens, k + 1) {
                match tokens.get(k + 2).and_then(Token::name) {
                    Some(n) => {
                        last = n;
                        k += 2;
                    }
                    None => break,
                }
            }
            out.push(last);
            // Its alias: `[AS] alias`.
            let mut a = k + 1;
            if tokens.get(a).is_some_and(|n| n.is("as")) {
                a += 1;
            }
            if let Some(alias) = tokens.get(a).filter(|n| !NOT_ALIAS.iter().any(|w| n.is(w))) {
                out.extend(alias.name());
            }
        }
        if t.is("as") {
            out.extend(tokens.get(i + 1).and_then(Token::name));
            // `WITH name AS (`
            if tokens.get(i + 1).is_some_and(|n| n.text == "(") && i > 0 {
                out.extend(tokens[i - 1].name());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::split::line_col;

    fn schemas() -> Vec<String> {
        ["public", "tenant_1", "other"].map(String::from).to_vec()
    }

    /// (line, column, name) of the first qualified name.
    fn first(text: &str) -> Option<(usize, usize, String)> {
        find(text, 0, &schemas()).map(|(at, _, name)| {
            let (l, c) = line_col(text, at);
            (l, c, name)
        })
    }

    #[test]
    fn qualified_names_are_found_in_statements_and_dollar_bodies() {
        let text = "CREATE TABLE t (id int);\nALTER TABLE  public.t ADD c int;\n";
        assert_eq!(first(text), Some((2, 14, "public.t".into())));
        let body = "DO $x$ BEGIN\n  UPDATE \"tenant_1\".t SET c = 1;\nEND $x$;\n";
        assert_eq!(first(body), Some((2, 10, "\"tenant_1\".t".into())));
        // Columns of tables and aliases, pg_catalog, strings: not schemas of the database.
        let fine = "SELECT t.id, pg_catalog.now(), 'public.t' FROM t;\n\
                    CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT t.c FROM t $$;";
        assert_eq!(first(fine), None);
    }

    #[test]
    fn an_alias_named_like_a_schema_is_a_column_qualifier() {
        for fine in [
            "SELECT other.id FROM t AS other WHERE other.id > 0",
            "SELECT other.id FROM t other JOIN u ON u.id = other.id",
            "UPDATE t other SET c = 1 WHERE other.id = 1",
            "DELETE FROM t USING u AS other WHERE t.id = other.id",
            "SELECT x.id FROM t x JOIN u other ON other.id = x.id",
            "SELECT other.n FROM (SELECT 1 AS n) AS other",
            "WITH other AS (SELECT 1 AS n) SELECT other.n FROM other",
            "INSERT INTO t AS other (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = other.id + 1",
            "SELECT other.* FROM t other",
        ] {
            assert_eq!(first(fine), None, "{fine}");
        }
    }

    #[test]
    fn names_of_objects_in_a_schema_are_found_whatever_the_aliases() {
        for (text, at) in [
            ("SELECT 1 FROM other.t", (1, 15)),
            (
                "SELECT x.id FROM t x JOIN other.u y ON y.id = x.id",
                (1, 27),
            ),
            ("SELECT other.f(1) FROM t other", (1, 8)),
            ("SELECT 1::other.mood FROM t other", (1, 11)),
            ("SELECT other.t.id FROM t other", (1, 8)),
            ("CREATE TABLE t (c other.mood)", (1, 19)),
            ("ALTER TABLE t ADD c int REFERENCES other.t (id)", (1, 36)),
            ("CREATE INDEX i ON other.t (c)", (1, 19)),
            ("ALTER TABLE t ALTER c TYPE other.mood", (1, 28)),
        ] {
            let found = first(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((found.0, found.1), at, "{text}");
        }
    }
}
