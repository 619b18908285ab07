//! Steps for a column whose definition changed.

use super::build::add_column;
use super::rules::identity_handover;
use super::{chain, rules, Hazard, HazardCode, Step};
use crate::schema::{Column, ObjectId, QualifiedName, Sequence, SequenceOptions};
use crate::sql::{ddl, ident, qualified};

/// A sequence that changes hands with an identity: a serial column's sequence retired as
/// the column becomes an identity (dropped after the old default, before the identity
/// makes its own sequence under the same name), or one adopted as an identity column
/// becomes serial (created after the identity and its sequence are gone).
#[derive(Clone, Copy)]
pub enum SequenceHandover<'a> {
    None,
    Retired(&'a QualifiedName),
    Adopted(&'a Sequence),
}

pub fn alter_column(
    table: &QualifiedName,
    o: &Column,
    n: &Column,
    handover: SequenceHandover<'_>,
    using: Option<&str>,
) -> Vec<Step> {
    let id = ObjectId::Column(table.clone(), n.name.clone());
    if n.generated.is_some() && o.generated != n.generated {
        // A generation expression cannot be added or changed in place (PostgreSQL 15):
        // the column is dropped and added again, its values computed anew, in one step
        // (one transaction in a migration file) so it is never missing.
        let add = add_column(table, n);
        let mut step = Step::new(format!(
            "recompute generated column {table}.{} (drop and add again)",
            ident(&n.name)
        ))
        .sql(ddl::alter_table(
            table,
            &format!("DROP COLUMN {}", ident(&o.name)),
        ))
        .drops(id.clone())
        .creates(id)
        .hazard(Hazard::new(
            HazardCode::TableRewrite,
            format!(
                "a stored generated column cannot change its expression in place \
                 (PostgreSQL 15): {table}.{col} is dropped and added again, which computes it \
                 for every row under an ACCESS EXCLUSIVE lock",
                col = ident(&n.name)
            ),
            "run both statements in one transaction, at a quiet time",
        ))
        .in_own_transaction();
        step.statements.extend(add.statements);
        return vec![step];
    }

    let col = ident(&n.name);
    let alter = |action: String| ddl::alter_table(table, &format!("ALTER COLUMN {col} {action}"));
    let mut step =
        Step::new(format!("alter column {table}.{}", ident(&n.name))).creates(id.clone());
    let type_change = o.data_type != n.data_type || o.collation != n.collation;
    let identity_added = o.identity.is_none() && n.identity.is_some();

    if o.generated.is_some() && n.generated.is_none() {
        // Keeps the stored values; the column becomes an ordinary one.
        step = step.sql(alter("DROP EXPRESSION".into()));
    }
    // A default in the way of a type change (it may not cast) or of a new identity.
    let mut current_default = o.default.clone();
    if current_default.is_some() && (type_change || identity_added) {
        step = step.sql(alter("DROP DEFAULT".into()));
        current_default = None;
    }
    // serial <-> identity: the new sequence goes on where the old one stopped.
    let handover_hazard = identity_handover::hazard(table, &n.name, identity_added);
    match handover {
        SequenceHandover::Retired(seq) => {
            step.statements
                .extend(identity_handover::retire_before(seq));
            step = step.drops(ObjectId::Sequence(seq.clone()));
        }
        SequenceHandover::Adopted(seq) => {
            let before = identity_handover::adopt_before(table, &n.name, seq);
            step.statements.extend(before);
            step = step.creates(ObjectId::Sequence(seq.name.clone()));
        }
        SequenceHandover::None => {}
    }
    if o.identity.is_some() && n.identity.is_none() {
        step = step.sql(alter("DROP IDENTITY".into()));
    }
    match handover {
        SequenceHandover::Adopted(seq) => {
            step.statements.extend(identity_handover::adopt_after(seq));
            step = step.hazard(handover_hazard);
        }
        SequenceHandover::Retired(_) => step = step.hazard(handover_hazard),
        SequenceHandover::None => {}
    }
    if type_change {
        let collate = n
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        let using = using.map(|u| format!(" USING {u}")).unwrap_or_default();
        step = step.sql(alter(format!("TYPE {}{collate}{using}", n.data_type)));
        if o.data_type == n.data_type {
            step = step.hazard(Hazard::new(
                HazardCode::AccessExclusiveLock,
                format!(
                    "changing the collation of {table}.{col} keeps the rows but rebuilds every \
                     index on the column under an ACCESS EXCLUSIVE lock: reads and writes wait"
                ),
                "for a large indexed column, build a new index with the collation \
                 CONCURRENTLY first, or run at a quiet time",
            ));
        }
        step.hazards.extend(rules::type_change::hazards(
            table,
            &n.name,
            &o.data_type,
            &n.data_type,
        ));
        // Views, triggers and policies that read the column block a type change.
        step.rewrites.push(id.clone());
    }
    // SET NOT NULL scans under ACCESS EXCLUSIVE; a validated check avoids that, except
    // where an identity needs the column NOT NULL at once. On a partitioned table too
    // (PostgreSQL 15): the NOT VALID check goes to every partition, VALIDATE recurses,
    // and SET NOT NULL finds each partition's validated check and skips its scan.
    let two_step_not_null = !o.not_null && n.not_null && !identity_added;
    if !o.not_null && n.not_null && !two_step_not_null {
        step = step.sql(alter("SET NOT NULL".into())).hazard(Hazard::new(
            HazardCode::AccessExclusiveLock,
            format!(
                "SET NOT NULL on {table}.{col} scans the table under an ACCESS EXCLUSIVE lock: \
                 reads and writes wait"
            ),
            "add a CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL",
        ));
    }
    match (&o.identity, &n.identity) {
        (None, Some(i)) => {
            step = step.sql(alter(format!("ADD {}", ddl::identity_clause(i))));
            if let SequenceHandover::Retired(seq) = handover {
                let after = identity_handover::retire_after(table, &n.name, seq);
                step.statements.extend(after);
            }
        }
        (Some(oi), Some(ni)) => {
            // A table renamed since, or a name given by hand: the sequence is renamed
            // (its grants and position go with it). It is always in its table's schema:
            // PostgreSQL refuses to move it alone.
            let (from_seq, to_seq) = (
                oi.sequence_of(table, &o.name),
                ni.sequence_of(table, &n.name),
            );
            if from_seq.name != to_seq.name {
                step = step.sql(ddl::rename_sequence(&from_seq, &to_seq.name));
            }
            if oi.always != ni.always {
                let kind = if ni.always { "ALWAYS" } else { "BY DEFAULT" };
                step = step.sql(alter(format!("SET GENERATED {kind}")));
            }
            // The sequence follows a column type change by itself, bounds included when
            // they were the old type's.
            let mut from = oi.sequence.clone();
            if from.data_type != ni.sequence.data_type {
                from.data_type = ni.sequence.data_type.clone();
                if from.max_value == SequenceOptions::type_max(&oi.sequence.data_type) {
                    from.max_value = SequenceOptions::type_max(&from.data_type);
                }
            }
            let sets: Vec<String> = ddl::sequence_option_changes(&from, &ni.sequence)
                .into_iter()
                .filter(|c| !c.starts_with("AS "))
                .map(|c| format!("SET {c}"))
                .collect();
            if !sets.is_empty() {
                if ddl::sequence_bounds_narrow(&from, &ni.sequence) {
                    let (min, max) = (ni.sequence.min_value, ni.sequence.max_value);
                    let seq = ddl::serial_sequence(table, &n.name);
                    let up = ni.sequence.increment > 0;
                    step = step.sql(ddl::clamp_sequence(&seq, oi.sequence.start, min, max, up));
                }
                step = step.sql(alter(sets.join(" ")));
            }
        }
        _ => {}
    }
    if o.not_null && !n.not_null {
        step = step.sql(alter("DROP NOT NULL".into()));
    }
    if n.identity.is_none() && n.generated.is_none() && current_default != n.default {
        step = step.sql(alter(match &n.default {
            Some(d) => format!("SET DEFAULT {d}"),
            None => "DROP DEFAULT".into(),
        }));
    }
    for action in ddl::column_setting_changes(o, n) {
        step = step.sql(ddl::alter_table(table, &action));
    }
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(
            &format!("COLUMN {}.{col}", qualified(table)),
            n.comment.as_deref(),
        ));
    }
    // A rewrite or a scan under ACCESS EXCLUSIVE: alone in its transaction, so that no
    // lock an earlier statement took is held while it runs.
    if step.hazards.iter().any(|h| {
        matches!(
            h.code,
            HazardCode::TableRewrite | HazardCode::AccessExclusiveLock
        )
    }) {
        step = step.in_own_transaction();
    }
    if two_step_not_null {
        let mut steps = vec![step];
        steps.extend(rules::set_not_null::steps(table, &n.name));
        return chain(&id, steps);
    }
    vec![step]
}
