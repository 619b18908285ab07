//! Steps for a column whose definition changed.

use super::build::replace;
use super::Step;
use crate::schema::{Column, ObjectId, QualifiedName};
use crate::sql::{ddl, ident, qualified};

pub fn alter_column(table: &QualifiedName, o: &Column, n: &Column) -> Vec<Step> {
    let id = ObjectId::Column(table.clone(), n.name.clone());
    if n.generated.is_some() && o.generated != n.generated {
        // A generation expression cannot be added or changed in place (PostgreSQL 15):
        // the column is dropped and added again, its values computed anew.
        let drop = Step::new(format!("drop column {table}.{}", o.name))
            .sql(ddl::alter_table(
                table,
                &format!("DROP COLUMN {}", ident(&o.name)),
            ))
            .drops(id.clone());
        let add = Step::new(format!("add column {table}.{}", n.name))
            .sql(ddl::alter_table(
                table,
                &format!("ADD COLUMN {}", ddl::column_definition(n)),
            ))
            .creates(id);
        return replace(vec![drop], vec![add]);
    }

    let col = ident(&n.name);
    let mut actions: Vec<String> = vec![];
    let mut step = Step::new(format!("alter column {table}.{}", n.name)).creates(id.clone());
    let type_change = o.data_type != n.data_type || o.collation != n.collation;
    let identity_added = o.identity.is_none() && n.identity.is_some();

    if o.generated.is_some() && n.generated.is_none() {
        // Keeps the stored values; the column becomes an ordinary one.
        actions.push(format!("ALTER COLUMN {col} DROP EXPRESSION"));
    }
    // A default in the way of a type change (it may not cast) or of a new identity.
    let mut current_default = o.default.clone();
    if current_default.is_some() && (type_change || identity_added) {
        actions.push(format!("ALTER COLUMN {col} DROP DEFAULT"));
        current_default = None;
    }
    if o.identity.is_some() && n.identity.is_none() {
        actions.push(format!("ALTER COLUMN {col} DROP IDENTITY"));
    }
    if type_change {
        let collate = n
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        // An explicit cast converts what an assignment cast would not (text -> integer);
        // where the types are binary coercible PostgreSQL still skips the rewrite.
        actions.push(format!(
            "ALTER COLUMN {col} TYPE {}{collate} USING {col}::{}",
            n.data_type, n.data_type
        ));
        // Views, triggers and policies that read the column block a type change.
        step.rewrites.push(id);
    }
    if !o.not_null && n.not_null {
        actions.push(format!("ALTER COLUMN {col} SET NOT NULL"));
    }
    match (&o.identity, &n.identity) {
        (None, Some(i)) => actions.push(format!(
            "ALTER COLUMN {col} ADD {}",
            ddl::identity_clause(i)
        )),
        (Some(oi), Some(ni)) => {
            if oi.always != ni.always {
                let kind = if ni.always { "ALWAYS" } else { "BY DEFAULT" };
                actions.push(format!("ALTER COLUMN {col} SET GENERATED {kind}"));
            }
            // The sequence follows a column type change by itself.
            let mut from = oi.sequence.clone();
            if from.data_type != ni.sequence.data_type {
                from.data_type = ni.sequence.data_type.clone();
                if from.max_value
                    == crate::schema::SequenceOptions::type_max(&oi.sequence.data_type)
                {
                    from.max_value = crate::schema::SequenceOptions::type_max(&from.data_type);
                }
            }
            let sets: Vec<String> = ddl::sequence_option_changes(&from, &ni.sequence)
                .into_iter()
                .filter(|c| !c.starts_with("AS "))
                .map(|c| format!("SET {c}"))
                .collect();
            if !sets.is_empty() {
                actions.push(format!("ALTER COLUMN {col} {}", sets.join(" ")));
            }
        }
        _ => {}
    }
    if o.not_null && !n.not_null {
        actions.push(format!("ALTER COLUMN {col} DROP NOT NULL"));
    }
    if n.identity.is_none() && n.generated.is_none() && current_default != n.default {
        actions.push(match &n.default {
            Some(d) => format!("ALTER COLUMN {col} SET DEFAULT {d}"),
            None => format!("ALTER COLUMN {col} DROP DEFAULT"),
        });
    }
    for a in actions {
        step = step.sql(ddl::alter_table(table, &a));
    }
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(
            &format!("COLUMN {}.{col}", qualified(table)),
            n.comment.as_deref(),
        ));
    }
    vec![step]
}
