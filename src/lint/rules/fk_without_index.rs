//! A foreign key whose referencing columns lead no index.

use super::{foreign_keys, list, tables};
use crate::lint::keys;
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "fk-without-index",
    summary: "a foreign key's columns lead no index",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    let mut out = vec![];
    for t in tables(schema) {
        let indexes = keys::of_table(t);
        for fk in foreign_keys(t) {
            if fk.columns.is_empty() || indexes.iter().any(|k| k.leads_with(&fk.columns)) {
                continue;
            }
            let parent = fk
                .references
                .as_ref()
                .map_or_else(|| "the referenced table".to_string(), |r| r.to_string());
            out.push(
                Hit::new(
                    ObjectId::Constraint(t.name.clone(), fk.name.clone()),
                    format!(
                        "foreign key {} on {} ({}) has no index that starts with its \
                         columns: every DELETE or key UPDATE on {parent} scans all of {} \
                         for referencing rows, under a lock, and joins on these columns \
                         scan too",
                        crate::sql::ident(&fk.name),
                        t.name,
                        list(&fk.columns),
                        t.name
                    ),
                    format!(
                        "add an index on {} ({}) to the model (pgshift builds it \
                         CONCURRENTLY on an existing table)",
                        t.name,
                        list(&fk.columns)
                    ),
                )
                .on_columns(&fk.columns),
            );
        }
    }
    out
}
