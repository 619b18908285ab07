//! An enum type nothing uses.

use super::element_type;
use crate::lint::{Hit, Level, Rule};
use crate::schema::{ObjectId, QualifiedName, Schema};
use std::collections::BTreeSet;

pub const RULE: Rule = Rule {
    code: "unused-enum",
    summary: "an enum type that no column, domain, composite type or function uses",
    default_level: Level::Warn,
    check,
};

fn check(schema: &Schema, _: &crate::lint::LintConfig) -> Vec<Hit> {
    let names = |ty: &str| QualifiedName::parse(element_type(ty), "public");
    let mut used: BTreeSet<QualifiedName> = BTreeSet::new();
    for t in schema.tables.values() {
        used.extend(t.columns.iter().filter_map(|c| names(&c.data_type)));
    }
    used.extend(schema.domains.values().filter_map(|d| names(&d.base_type)));
    for c in schema.composites.values() {
        used.extend(c.attributes.iter().filter_map(|a| names(&a.data_type)));
    }
    for v in schema.views.values() {
        used.extend(v.columns.iter().filter_map(|(_, ty)| names(ty)));
    }
    schema
        .enums
        .values()
        .filter(|e| !used.contains(&e.name))
        .filter(|e| {
            // A function's arguments, result or body may name it.
            let text = e.name.to_string();
            !schema
                .functions
                .values()
                .any(|f| f.definition.contains(&text) || f.key.to_string().contains(&text))
        })
        .map(|e| {
            Hit::new(
                ObjectId::Type(e.name.clone()),
                format!(
                    "enum {} is used by no column, domain, composite type, view or function: \
                     a leftover, or a column declared with another type by mistake",
                    e.name
                ),
                "drop it from the model, or give the column that should hold it this type".into(),
            )
        })
        .collect()
}
