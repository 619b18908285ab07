//! A full index on a boolean or a small enum: it splits the table into two or three
//! huge groups and the planner rarely uses it.

use super::{element_type, enum_of, tables};
use crate::lint::keys;
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "low-cardinality-index",
    summary: "an index without a predicate on a boolean or an enum of few values",
    default_level: Level::Warn,
    check,
};

/// Enums with at most this many values count as low cardinality.
const FEW_VALUES: usize = 3;

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    let mut out = vec![];
    for t in tables(schema) {
        for k in keys::of_table(t)
            .into_iter()
            .filter(|k| !k.constraint && !k.unique)
        {
            let columns = k.columns();
            let ([Some(column)], None) = (&columns[..], &k.predicate) else {
                continue;
            };
            let Some(c) = t.column(column) else {
                continue;
            };
            let name = crate::sql::ident(column);
            let (values, predicate) = match element_type(&c.data_type) {
                "boolean" => (2, format!("WHERE {name}` or `WHERE NOT {name}")),
                ty => match enum_of(schema, ty) {
                    Some(e) if e.values.len() <= FEW_VALUES => {
                        (e.values.len(), format!("WHERE {name} = '<the rare value>'"))
                    }
                    _ => continue,
                },
            };
            out.push(
                Hit::new(
                    ObjectId::Index(t.name.clone(), k.name.as_str().into()),
                    format!(
                        "index {} on {} ({}) keys a {} column of {values} values with no \
                         predicate: each value matches a large share of the table, where a \
                         sequential scan wins, yet every write maintains the index",
                        crate::sql::ident(&k.name),
                        t.name,
                        crate::sql::ident(column),
                        c.data_type
                    ),
                    format!(
                        "index only the rare value, with a predicate (`CREATE INDEX ... ON {} \
                         (id) {predicate}`), or lead a composite index with a selective column",
                        t.name
                    ),
                )
                .on_columns(&[column]),
            );
        }
    }
    out
}
