//! A foreign key to a soft-deleted table (one with a `deleted_at` column) that says
//! nothing about deletes: soft deletes never fire it, and the day old rows are purged,
//! the purge fails on the first row still referenced.

use super::{foreign_keys, tables};
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "fk-to-soft-deleted-table",
    summary: "a foreign key to a soft-deleted table has no ON DELETE action",
    default_level: Level::Warn,
    check,
};

/// The column that marks a soft-deleted row.
pub const SOFT_DELETE_COLUMN: &str = "deleted_at";

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    let mut out = vec![];
    for t in tables(schema) {
        for fk in foreign_keys(t) {
            let Some(parent) = fk.references.as_ref() else {
                continue;
            };
            let soft = schema
                .tables
                .get(parent)
                .is_some_and(|p| p.column(SOFT_DELETE_COLUMN).is_some());
            // pg_get_constraintdef prints ON DELETE only when it is not NO ACTION.
            if !soft || fk.definition.contains(" ON DELETE ") || parent == &t.name {
                continue;
            }
            out.push(
                Hit::new(
                    ObjectId::Constraint(t.name.clone(), fk.name.clone()),
                    format!(
                        "foreign key {} on {} references {parent}, whose rows are soft-deleted \
                         ({SOFT_DELETE_COLUMN}), with no ON DELETE action: a soft delete is an \
                         UPDATE and leaves {} rows pointing at a deleted parent, and purging \
                         deleted rows later fails on the first one still referenced",
                        crate::sql::ident(&fk.name),
                        t.name,
                        t.name
                    ),
                    format!(
                        "say what a purge does: ON DELETE CASCADE (children go with the parent), \
                         SET NULL, or RESTRICT (purge children first); and filter or soft-delete \
                         {} rows together with their parent",
                        t.name
                    ),
                )
                .on_columns(&fk.columns),
            );
        }
    }
    out
}
