//! One altered object -> the steps that change it in place, or replace it; a table
//! whose partitioning changes is rebuilt.

use super::build::*;
use super::build_column::SequenceHandover;
use super::build_kinds::*;
use super::build_types::*;
use super::build_views::*;
use super::{rules, Step};
use crate::diff::Object;
use crate::schema::*;
use crate::sql::{ddl, ident, qualified};

impl Context<'_> {
    pub fn alter(&self, from: &Object, to: &Object) -> Vec<Step> {
        let id = to.id();
        match (from, to) {
            (Object::Schema(_), Object::Schema(n)) => {
                vec![Step::new(format!("comment on schema {}", ident(&n.name)))
                    .sql(ddl::comment_on(
                        &format!("SCHEMA {}", ident(&n.name)),
                        n.comment.as_deref(),
                    ))
                    .creates(id)]
            }
            (Object::Extension(o), Object::Extension(n)) => rules::move_extension::steps(o, n),
            (Object::Enum(o), Object::Enum(n)) => self.alter_enum(o, n),
            (Object::Domain(o), Object::Domain(n)) => alter_domain(o, n),
            (Object::Composite(o), Object::Composite(n)) => alter_composite(o, n),
            (Object::Range(o), Object::Range(n)) => self.alter_range(o, n),
            (Object::Statistics(o), Object::Statistics(n)) => alter_statistics(o, n),
            (Object::Sequence(o), Object::Sequence(n)) => {
                let owner_dropped = o.owned_by.as_ref().is_some_and(|(t, c)| {
                    self.dropped_tables.contains(t)
                        || self.dropped_columns.contains(&(t.clone(), c.clone()))
                });
                let mut steps = alter_sequence(o, n);
                if owner_dropped && o.owned_by != n.owned_by {
                    if let Some(tie) = steps.pop() {
                        steps.push(super::owned_sequences::tie_after_drop(tie, &n.name));
                    }
                }
                steps
            }
            (Object::Function(o), Object::Function(n)) => alter_function(o, n),
            (Object::Table(o), Object::Table(n)) => self.alter_table(o, n),
            (Object::Column { table, column: o }, Object::Column { column: n, .. }) => {
                let retired = self.sequence_retired_by_identity(table, o, n);
                let adopted = self.sequence_adopted_from_identity(table, o, n);
                let handover = match (&retired, adopted) {
                    (Some(seq), _) => SequenceHandover::Retired(seq),
                    (None, Some(seq)) => SequenceHandover::Adopted(seq),
                    (None, None) => SequenceHandover::None,
                };
                let using = self.usings.get(&(table.clone(), n.name.clone()));
                let mut steps = super::build_column::alter_column(
                    table,
                    o,
                    n,
                    handover,
                    using.map(String::as_str),
                );
                if o.not_null && !n.not_null {
                    // PostgreSQL refuses DROP NOT NULL on a primary key's column.
                    let keys = self.old.tables.get(table).into_iter().flat_map(|t| {
                        t.constraints.values().filter(|c| {
                            c.kind == ConstraintKind::PrimaryKey && c.columns.contains(&n.name)
                        })
                    });
                    let ids: Vec<ObjectId> = keys
                        .map(|c| ObjectId::Constraint(table.clone(), c.name.clone()))
                        .collect();
                    for s in &mut steps {
                        s.after_drops.extend(ids.iter().cloned());
                    }
                }
                steps
            }
            (Object::View(o), Object::View(n)) if replaceable_in_place(o, n) => {
                replace_view_in_place(o, n)
            }
            (Object::View(o), Object::View(n)) if !same_view_but_comments(o, n) => {
                replace(self.drop(from), self.create(to))
            }
            (Object::View(o), Object::View(n)) => view_comments(o, n),
            (
                Object::Constraint {
                    table,
                    constraint: o,
                },
                Object::Constraint { constraint: n, .. },
            ) if o.definition == n.definition => {
                vec![Step::new(format!(
                    "comment on constraint {} on {table}",
                    ident(&n.name)
                ))
                .sql(constraint_comment(table, n))
                .creates(id)]
            }
            (Object::Index { relation, index: o }, Object::Index { index: n, .. })
                if o.definition == n.definition && o.valid == n.valid =>
            {
                vec![Step::new(format!(
                    "comment on index {}",
                    ddl::index_name(relation, &n.name)
                ))
                .sql(ddl::comment_on(
                    &format!("INDEX {}", ddl::index_name(relation, &n.name)),
                    n.comment.as_deref(),
                ))
                .creates(id)]
            }
            (Object::Index { relation, index: o }, Object::Index { index: n, .. })
                if self.existing_relation(relation) && !self.is_partitioned(relation) =>
            {
                let needs = self.new.dependencies.needs(&id).cloned().collect();
                rules::create_index::replace(relation, o, n, needs)
            }
            (Object::Trigger { table, trigger: o }, Object::Trigger { trigger: n, .. })
                if o.definition == n.definition =>
            {
                let mut step =
                    Step::new(format!("alter trigger {} on {table}", ident(&n.name))).creates(id);
                if o.firing != n.firing {
                    let enable = trigger_firing(table, n).unwrap_or_else(|| {
                        ddl::alter_table(table, &format!("ENABLE TRIGGER {}", ident(&n.name)))
                    });
                    step = step.sql(enable);
                }
                if o.comment != n.comment {
                    step = step.sql(ddl::comment_on(
                        &format!("TRIGGER {} ON {}", ident(&n.name), qualified(table)),
                        n.comment.as_deref(),
                    ));
                }
                vec![step]
            }
            (Object::Policy { table, policy: o }, Object::Policy { policy: n, .. })
                if Policy {
                    comment: None,
                    ..o.clone()
                } == Policy {
                    comment: None,
                    ..n.clone()
                } =>
            {
                vec![
                    Step::new(format!("comment on policy {} on {table}", ident(&n.name)))
                        .sql(ddl::comment_on(
                            &format!("POLICY {} ON {}", ident(&n.name), qualified(table)),
                            n.comment.as_deref(),
                        ))
                        .creates(id),
                ]
            }
            (Object::Policy { table, policy: o }, Object::Policy { policy: n, .. })
                if alterable_policy(o, n) =>
            {
                vec![alter_policy(table, o, n).creates(id)]
            }
            // Constraints, indexes, triggers and policies whose definition changed: drop the
            // old one, then create the new one.
            _ => replace(self.drop(from), self.create(to)),
        }
    }

    pub(super) fn alter_table(&self, o: &Table, n: &Table) -> Vec<Step> {
        let name = &n.name;
        if needs_rebuild(o, n) {
            let (Some(full_old), Some(full_new)) =
                (self.old.tables.get(name), self.new.tables.get(name))
            else {
                return vec![];
            };
            let mut create = self.create_table(full_new);
            // Its sequences were untied before the drop: tie them again.
            for s in self.new.sequences.values() {
                let owner = s.owned_by.as_ref().filter(|(t, _)| t == name);
                if let Some(owner) = owner.filter(|_| self.old.sequences.contains_key(&s.name)) {
                    let tie = owned_by_step(s, Some(owner));
                    create.push(super::owned_sequences::tie_after_drop(tie, &s.name));
                }
            }
            return replace(self.drop_table(full_old), create);
        }
        let id = ObjectId::Table(name.clone());
        let mut step = Step::new(format!("alter table {name}")).creates(id);
        let moved = match (&o.partition_of, &n.partition_of) {
            (Some(a), Some(b)) => !a.same_place(b),
            (a, b) => a.is_some() != b.is_some(),
        };
        if moved {
            step = step
                .hazard(rules::drop_object::partition_bounds(name))
                .in_own_transaction();
            if let Some(p) = &o.partition_of {
                step = step.sql(ddl::alter_table(
                    &p.parent,
                    &format!("DETACH PARTITION {}", qualified(name)),
                ));
            }
            if let Some(p) = &n.partition_of {
                step = step.sql(ddl::alter_table(
                    &p.parent,
                    &format!("ATTACH PARTITION {} {}", qualified(name), p.bound),
                ));
            }
        }
        if o.options != n.options {
            for action in ddl::option_changes(&o.options, &n.options) {
                step = step.sql(ddl::alter_table(name, &action));
            }
        }
        if o.unlogged != n.unlogged {
            let what = if n.unlogged {
                "SET UNLOGGED"
            } else {
                "SET LOGGED"
            };
            step = step.sql(ddl::alter_table(name, what));
        }
        if o.row_security != n.row_security {
            let what = if n.row_security { "ENABLE" } else { "DISABLE" };
            step = step.sql(ddl::alter_table(
                name,
                &format!("{what} ROW LEVEL SECURITY"),
            ));
        }
        if o.force_row_security != n.force_row_security {
            let what = if n.force_row_security {
                "FORCE"
            } else {
                "NO FORCE"
            };
            step = step.sql(ddl::alter_table(
                name,
                &format!("{what} ROW LEVEL SECURITY"),
            ));
        }
        if o.comment != n.comment {
            step = step.sql(ddl::comment_on(
                &format!("TABLE {}", qualified(name)),
                n.comment.as_deref(),
            ));
        }
        let mut steps = vec![step];
        steps.extend(super::replica_identity::change(
            name,
            &o.replica_identity,
            &n.replica_identity,
        ));
        steps.extend(super::build_partitions::not_null_changes(o, n));
        steps
    }
}
