//! A unique constraint or unique index on exactly the primary key's columns.

use super::{list, primary_key, tables};
use crate::lint::keys;
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, Schema};

pub const RULE: Rule = Rule {
    code: "unique-duplicates-primary-key",
    summary: "a unique constraint or index repeats the primary key",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    let mut out = vec![];
    for t in tables(schema) {
        let Some(pk) = primary_key(t) else {
            continue;
        };
        for k in keys::of_table(t) {
            let columns: Vec<String> = k.columns().into_iter().flatten().collect();
            let same = k.unique
                && k.name != pk.name.as_str()
                && k.predicate.is_none()
                && columns.len() == k.elements.len()
                && columns.len() == pk.columns.len()
                && pk
                    .columns
                    .iter()
                    .all(|c| columns.iter().any(|x| x == c.as_str()));
            if !same {
                continue;
            }
            let object = if k.constraint {
                ObjectId::Constraint(t.name.clone(), k.name.as_str().into())
            } else {
                ObjectId::Index(t.name.clone(), k.name.as_str().into())
            };
            out.push(
                Hit::new(
                    object,
                    format!(
                        "{} on {} ({}) enforces what primary key {} already enforces: a second \
                         unique index on the same columns that every write maintains",
                        crate::sql::ident(&k.name),
                        t.name,
                        list(&columns),
                        crate::sql::ident(&pk.name)
                    ),
                    format!(
                        "drop {} from the model; a foreign key may reference the primary key \
                         instead",
                        crate::sql::ident(&k.name)
                    ),
                )
                .on_columns(&columns),
            );
        }
    }
    out
}
