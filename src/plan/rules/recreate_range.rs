//! A range type whose options change while columns use it. A range type has no
//! `ALTER TYPE` for its subtype, collation or functions, and `DROP TYPE` refuses while a
//! column holds it, so the type is recreated beside the old one: the old type and its
//! multirange are renamed aside, the new ones created under the names, each column
//! converted through text (ranges print and parse the same whatever their options), and
//! the old types dropped. Each `ALTER COLUMN ... TYPE` rewrites its table under an
//! ACCESS EXCLUSIVE lock.

use super::{helper_name, table_label};
use crate::plan::{Hazard, HazardCode, Step};
use crate::schema::{Column, ObjectId, QualifiedName, RangeType};
use crate::sql::{ddl, ident, qualified};

/// A column of the range (or of its multirange, or an array of either) that stays.
pub struct RangeColumn {
    pub table: QualifiedName,
    /// The column as the new schema has it.
    pub column: Column,
    /// Whether it had a default before: a default calling the old type's constructor
    /// must go before the conversion.
    pub had_default: bool,
    /// Of the multirange type rather than the range.
    pub multirange: bool,
}

pub fn step(o: &RangeType, n: &RangeType, columns: &[RangeColumn]) -> Step {
    let id = ObjectId::Type(n.name.clone());
    let old_range = QualifiedName::new(
        o.name.schema.clone(),
        helper_name(&o.name.name, "__pgshift_old"),
    );
    let old_multi = QualifiedName::new(
        o.multirange.schema.clone(),
        helper_name(&o.multirange.name, "__pgshift_old"),
    );
    let mut step = Step::new(format!(
        "recreate range type {} with new options, converting its columns",
        n.name
    ));
    // The constructors keep their names when the types are renamed: they are renamed
    // too, or the new type's constructors would collide with them.
    for (i, signature) in ddl::range_constructors(o).iter().enumerate() {
        let to = if i < 2 {
            &old_range.name
        } else {
            &old_multi.name
        };
        step = step.sql(ddl::rename_function(signature, to));
    }
    step = step
        .sql(ddl::alter_type(
            &o.name,
            &format!("RENAME TO {}", ident(&old_range.name)),
        ))
        .sql(ddl::alter_type(
            &o.multirange,
            &format!("RENAME TO {}", ident(&old_multi.name)),
        ))
        .sql(ddl::create_range(n))
        .drops(id.clone())
        .creates(id);
    let mut tables: Vec<(QualifiedName, Vec<String>)> = vec![];
    for c in columns {
        let col = ident(&c.column.name);
        let base = qualified(if c.multirange { &n.multirange } else { &n.name });
        let (text, target) = if c.column.data_type.ends_with("[]") {
            ("text[]", format!("{base}[]"))
        } else {
            ("text", base)
        };
        let mut actions = vec![];
        if c.had_default {
            actions.push(format!("ALTER COLUMN {col} DROP DEFAULT"));
        }
        actions.push(format!(
            "ALTER COLUMN {col} TYPE {target} USING {col}::{text}::{target}"
        ));
        if let Some(d) = &c.column.default {
            actions.push(format!("ALTER COLUMN {col} SET DEFAULT {d}"));
        }
        step.rewrites
            .push(ObjectId::Column(c.table.clone(), c.column.name.clone()));
        // One ALTER TABLE per table: one rewrite, however many columns it converts.
        match tables.iter_mut().find(|(t, _)| t == &c.table) {
            Some((_, all)) => all.extend(actions),
            None => tables.push((c.table.clone(), actions)),
        }
    }
    for (table, actions) in &tables {
        step = step.sql(ddl::alter_table(table, &actions.join(", ")));
    }
    let labels: Vec<String> = tables.iter().map(|(t, _)| table_label(t)).collect();
    step = step.sql(ddl::drop_type(&old_range)).hazard(Hazard::new(
        HazardCode::TableRewrite,
        format!(
            "recreates range type {} and converts its columns: {} rewritten under an \
                 ACCESS EXCLUSIVE lock",
            table_label(&n.name),
            labels.join(", ")
        ),
        "run it at a quiet time; for large tables, add a column of a new range type, \
             backfill it and switch over instead",
    ));
    step.in_own_transaction()
}
