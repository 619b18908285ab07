//! A nullable foreign key column where every other column of the same name referencing
//! the same table is NOT NULL: most often a forgotten NOT NULL, which lets orphan-like
//! rows in (a row that belongs to nothing) and is costly to add later on a large table.

use super::{foreign_keys, tables};
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, QualifiedName, Schema};
use std::collections::BTreeMap;

pub const RULE: Rule = Rule {
    code: "nullable-foreign-key",
    summary: "a foreign key column is nullable where the same reference is NOT NULL elsewhere",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    // (column name, referenced table) -> whether some such column is NOT NULL.
    let mut not_null_elsewhere: BTreeMap<(&str, &QualifiedName), usize> = BTreeMap::new();
    let nullable = |t: &crate::schema::Table, c: &str| t.column(c).is_some_and(|c| !c.not_null);
    let single = || {
        tables(schema).flat_map(|t| {
            foreign_keys(t).filter_map(move |fk| match (&fk.columns[..], &fk.references) {
                ([c], Some(r)) => Some((t, fk, c.as_str(), r)),
                _ => None,
            })
        })
    };
    for (t, _, c, r) in single() {
        if !nullable(t, c) {
            *not_null_elsewhere.entry((c, r)).or_default() += 1;
        }
    }
    single()
        .filter(|(t, fk, c, r)| {
            nullable(t, c)
                && !fk.definition.contains("ON DELETE SET NULL")
                && not_null_elsewhere.get(&(*c, *r)).copied().unwrap_or(0) > 0
        })
        .map(|(t, fk, c, r)| {
            Hit::new(
                ObjectId::Column(t.name.clone(), fk.columns[0].clone()),
                format!(
                    "{}.{} references {r} and may be NULL, though every other {} column \
                     referencing {r} is NOT NULL: a row without a parent gets in unnoticed, \
                     and SET NOT NULL on a large table later needs a validation scan",
                    t.name,
                    crate::sql::ident(c),
                    crate::sql::ident(c)
                ),
                "make the column NOT NULL in the model if every row has a parent (pgshift adds \
                 it in two phases), or allow this finding with the reason rows may have none"
                    .into(),
            )
        })
        .collect()
}
