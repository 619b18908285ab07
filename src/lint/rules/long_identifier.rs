//! Names at PostgreSQL's 63-byte limit: longer names are cut to 63 bytes without an
//! error, so a name at the limit was most likely cut, and two names that share their
//! first 63 bytes become one.

use super::names;
use crate::lint::{Hit, Level, Rule};
use crate::schema::Schema;
use crate::sql::MAX_NAME_BYTES;

pub const RULE: Rule = Rule {
    code: "long-identifier",
    summary: "a name is at PostgreSQL's 63-byte limit",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    names(schema)
        .into_iter()
        .filter(|(_, name)| name.len() >= MAX_NAME_BYTES)
        .map(|(object, name)| {
            Hit::new(
                object,
                format!(
                    "the name {} is {} bytes, PostgreSQL's limit: longer names are cut to 63 \
                     bytes silently, so queries that spell the full name still work while \
                     tools that compare names do not, and names PostgreSQL derives from it \
                     (`_pkey`, `_seq`, `_fkey`) are cut further",
                    crate::sql::ident(&name),
                    name.len()
                ),
                "choose a shorter name (an abbreviation the team agrees on)".into(),
            )
        })
        .collect()
}
