//! One rule per file. Each exports `RULE`: its code (the docs page is
//! `docs/lint/<code>.md`), a one-line summary, its default level, and the check.

mod fk_to_soft_deleted_table;
mod fk_without_index;
mod float_for_money;
mod long_identifier;
mod low_cardinality_index;
mod missing_primary_key;
mod nullable_foreign_key;
mod prefer_identity;
mod quoted_identifier;
mod redundant_index;
mod timestamp_without_time_zone;
mod unique_duplicates_primary_key;
mod unused_enum;
mod varchar_limit;

use super::Rule;
use crate::schema::{Column, Constraint, ConstraintKind, QualifiedName, Schema, Table};

/// Every rule, in the order findings are printed.
pub static ALL: &[Rule] = &[
    missing_primary_key::RULE,
    fk_without_index::RULE,
    nullable_foreign_key::RULE,
    fk_to_soft_deleted_table::RULE,
    float_for_money::RULE,
    timestamp_without_time_zone::RULE,
    varchar_limit::RULE,
    prefer_identity::RULE,
    redundant_index::RULE,
    unique_duplicates_primary_key::RULE,
    low_cardinality_index::RULE,
    unused_enum::RULE,
    quoted_identifier::RULE,
    long_identifier::RULE,
];

/// Tables the rules look at: partitions inherit their parent's keys and indexes, and a
/// finding on every partition would repeat the parent's.
fn tables(schema: &Schema) -> impl Iterator<Item = &Table> {
    schema.tables.values().filter(|t| t.partition_of.is_none())
}

/// Each column of each table, with its table.
fn columns(schema: &Schema) -> impl Iterator<Item = (&Table, &Column)> {
    tables(schema).flat_map(|t| t.columns.iter().map(move |c| (t, c)))
}

fn foreign_keys(table: &Table) -> impl Iterator<Item = &Constraint> {
    table
        .constraints
        .values()
        .filter(|c| c.kind == ConstraintKind::ForeignKey)
}

fn primary_key(table: &Table) -> Option<&Constraint> {
    table
        .constraints
        .values()
        .find(|c| c.kind == ConstraintKind::PrimaryKey)
}

/// A column type without its array brackets: `integer[]` -> `integer`.
fn element_type(data_type: &str) -> &str {
    data_type.trim_end_matches("[]")
}

/// The enum a column type names, if any.
fn enum_of<'a>(schema: &'a Schema, data_type: &str) -> Option<&'a crate::schema::EnumType> {
    let name = QualifiedName::parse(element_type(data_type), "public")?;
    schema.enums.get(&name)
}

/// `a, b` for messages.
fn list(columns: &[impl AsRef<str>]) -> String {
    columns
        .iter()
        .map(|c| crate::sql::ident(c.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The words of a snake_case or camelCase name, lower-cased: `totalAmount_usd` ->
/// `total`, `amount`, `usd`.
fn name_words(name: &str) -> Vec<String> {
    let mut words = vec![];
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The user-given names of the schema, each with its object: schemas, types, sequences,
/// tables, columns, constraints, indexes, views.
fn names(schema: &Schema) -> Vec<(crate::schema::ObjectId, String)> {
    use crate::schema::ObjectId;
    let mut out = vec![];
    for s in schema.schemas.keys() {
        out.push((ObjectId::Schema(s.clone()), s.to_string()));
    }
    let types = schema
        .enums
        .keys()
        .chain(schema.domains.keys())
        .chain(schema.composites.keys());
    for q in types {
        out.push((ObjectId::Type(q.clone()), q.name.to_string()));
    }
    for q in schema.sequences.keys() {
        out.push((ObjectId::Sequence(q.clone()), q.name.to_string()));
    }
    for q in schema.views.keys() {
        out.push((ObjectId::View(q.clone()), q.name.to_string()));
    }
    for t in tables(schema) {
        out.push((ObjectId::Table(t.name.clone()), t.name.name.to_string()));
        for c in &t.columns {
            out.push((
                ObjectId::Column(t.name.clone(), c.name.clone()),
                c.name.to_string(),
            ));
        }
        for n in t.constraints.keys() {
            out.push((
                ObjectId::Constraint(t.name.clone(), n.clone()),
                n.to_string(),
            ));
        }
        for n in t.indexes.keys() {
            out.push((ObjectId::Index(t.name.clone(), n.clone()), n.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_of_names() {
        assert_eq!(
            super::name_words("totalAmount_usd"),
            ["total", "amount", "usd"]
        );
        assert_eq!(super::name_words("PRICE"), ["price"]);
    }

    #[test]
    fn every_rule_has_a_docs_page_and_a_unique_code() {
        let mut codes = std::collections::BTreeSet::new();
        for rule in super::ALL {
            assert!(codes.insert(rule.code), "{} twice", rule.code);
            let page = format!("{}/docs/lint/{}.md", env!("CARGO_MANIFEST_DIR"), rule.code);
            assert!(std::path::Path::new(&page).exists(), "{page} is missing");
        }
    }
}
