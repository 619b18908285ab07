//! SQL text: quoting of identifiers and literals, and text inside comments. Every name
//! and string that pgshift puts into SQL goes through this module, as an identifier
//! ([`ident`], [`qualified`]), a literal ([`literal`]) or comment text ([`comment`], which
//! the Rust comments of sea-orm modules use too); nothing else formats quotes.

mod comment;
pub mod ddl;
mod keywords;
pub mod lex;

pub use comment::{comment, terminal};

use crate::schema::QualifiedName;

/// Quotes an identifier when PostgreSQL would need it, exactly as `quote_ident()` does:
/// anything but a lower-case plain name, or any keyword that is not unreserved.
pub fn ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    push_ident(&mut out, name);
    out
}

/// The longest name PostgreSQL keeps (NAMEDATALEN - 1): it cuts longer ones silently.
pub const MAX_NAME_BYTES: usize = 63;

/// `schema.name`, each part quoted as needed; `name` alone for a name of no schema (the
/// [`UNQUALIFIED`] schema: a tenant model's objects, found on the search path).
pub fn qualified(name: &QualifiedName) -> String {
    // Built in place: a plan of 10,000 tables quotes some 80,000 of these.
    let mut out = String::with_capacity(name.schema.len() + name.name.len() + 5);
    if name.schema != UNQUALIFIED {
        push_ident(&mut out, &name.schema);
        out.push('.');
    }
    push_ident(&mut out, &name.name);
    out
}

/// The schema of names written without one. PostgreSQL has no schema of that name (a
/// zero-length name is an error), so no object read from a database has it: the IR of a
/// schema-per-tenant model is moved there (`Schema::move_schema`) for `generate` to write
/// its files with unqualified names, which each tenant's search path resolves.
pub const UNQUALIFIED: &str = "";

/// Appends `name` to `out`, quoted as [`ident`] quotes it.
fn push_ident(out: &mut String, name: &str) {
    if is_plain(name) && !keywords::needs_quoting(name) {
        out.push_str(name);
    } else {
        out.push('"');
        for part in name.split_inclusive('"') {
            out.push_str(part);
            if part.ends_with('"') {
                out.push('"');
            }
        }
        out.push('"');
    }
}

/// A string literal. Uses the `E''` form, like `quote_literal()`, when the text holds a
/// backslash so the result means the same whatever `standard_conforming_strings` is.
pub fn literal(text: &str) -> String {
    let quoted = text.replace('\'', "''");
    if text.contains('\\') {
        format!("E'{}'", quoted.replace('\\', "\\\\"))
    } else {
        format!("'{quoted}'")
    }
}

/// `literal`, or `NULL` for none (as `COMMENT ON ... IS NULL` takes).
pub fn literal_or_null(text: Option<&str>) -> String {
    text.map(literal).unwrap_or_else(|| "NULL".to_string())
}

fn is_plain(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '$'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(ident("users"), "users");
        assert_eq!(ident("user"), "\"user\"");
        assert_eq!(ident("order"), "\"order\"");
        assert_eq!(ident("Users"), "\"Users\"");
        assert_eq!(ident("my table"), "\"my table\"");
        assert_eq!(ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(ident("a;drop"), "\"a;drop\"");
        assert_eq!(ident("1abc"), "\"1abc\"");
        assert_eq!(ident(""), "\"\"");
        assert_eq!(ident("name"), "name"); // unreserved keyword
        assert_eq!(ident("é"), "\"é\"");
        assert_eq!(ident("\"a\"\""), "\"\"\"a\"\"\"\"\"");
        assert_eq!(
            qualified(&QualifiedName::new("My Schema", "t\"")),
            "\"My Schema\".\"t\"\"\""
        );
    }

    #[test]
    fn literals() {
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal(r"a\b"), r"E'a\\b'");
        assert_eq!(literal(r"it's\"), r"E'it''s\\'");
        assert_eq!(literal_or_null(None), "NULL");
    }

    #[test]
    fn qualified_names() {
        let q = QualifiedName::new("My Schema", "select");
        assert_eq!(qualified(&q), "\"My Schema\".\"select\"");
        let bare = QualifiedName::new(UNQUALIFIED, "Users");
        assert_eq!(qualified(&bare), "\"Users\"");
    }
}
