//! `varchar(n)` where the limit has no reason.

use super::{columns, element_type};
use crate::lint::{Hit, Level, LintConfig, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "varchar-limit",
    summary: "a column is varchar(n) with a length limit that carries no meaning",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, config: &LintConfig) -> Vec<Hit> {
    columns(schema)
        .filter_map(|(t, c)| {
            let n: u32 = element_type(&c.data_type)
                .strip_prefix("character varying(")?
                .strip_suffix(')')?
                .parse()
                .ok()?;
            if config.varchar_allowed_lengths.contains(&n) {
                return None;
            }
            Some(Hit::new(
                ObjectId::Column(t.name.clone(), c.name.clone()),
                format!(
                    "{}.{} is {}: PostgreSQL stores text and varchar alike, so the limit buys \
                     no space or speed, but a value one character longer is refused at run \
                     time, and raising the limit later is a schema change on a live table",
                    t.name,
                    crate::sql::ident(&c.name),
                    c.data_type
                ),
                format!(
                    "use text, with a CHECK (char_length(...) <= {n}) where the limit is a \
                     rule of the domain; or list the length in [lint] \
                     varchar_allowed_lengths when it has a meaning (an ISO code)"
                ),
            ))
        })
        .collect()
}
