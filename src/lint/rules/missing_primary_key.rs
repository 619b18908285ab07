//! A table without a primary key.

use super::{primary_key, tables};
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "missing-primary-key",
    summary: "a table has no primary key",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    tables(schema)
        .filter(|t| primary_key(t).is_none())
        .map(|t| {
            Hit::new(
                ObjectId::Table(t.name.clone()),
                format!(
                    "{} has no primary key: nothing identifies a row, so duplicates go \
                     unnoticed, UPDATE and DELETE by key cannot be written, logical \
                     replication cannot replicate its UPDATEs and DELETEs, and pgshift's \
                     batched backfills have no key to walk",
                    t.name
                ),
                "add a primary key: an identity column (`id bigint GENERATED ALWAYS AS \
                 IDENTITY PRIMARY KEY`) or the columns that identify a row"
                    .into(),
            )
        })
        .collect()
}
