//! One created object -> the steps that create it; a table with its columns,
//! constraints, indexes, triggers and policies.

use super::build::*;
use super::build_kinds::*;
use super::build_types::*;
use super::build_views::*;
use super::{rules, Step};
use crate::diff::Object;
use crate::schema::*;
use crate::sql::{ddl, ident, qualified};
use std::collections::BTreeSet;

impl Context<'_> {
    pub fn create(&self, object: &Object) -> Vec<Step> {
        let id = object.id();
        match object {
            Object::Schema(s) => {
                let mut step = Step::new(format!("create schema {}", ident(&s.name)))
                    .sql(ddl::create_schema(s))
                    .creates(id);
                if s.comment.is_some() {
                    step = step.sql(ddl::comment_on(
                        &format!("SCHEMA {}", ident(&s.name)),
                        s.comment.as_deref(),
                    ));
                }
                vec![step]
            }
            Object::Extension(e) => vec![Step::new(format!("create extension {}", ident(&e.name)))
                .sql(ddl::create_extension(e))
                .creates(id)],
            Object::Enum(t) => vec![with_comment(
                Step::new(format!("create enum {}", t.name)).sql(ddl::create_enum(t)),
                &format!("TYPE {}", qualified(&t.name)),
                &t.comment,
            )
            .creates(id)],
            Object::Domain(d) => vec![create_domain(d).creates(id)],
            Object::Composite(t) => vec![create_composite(t).creates(id)],
            Object::Range(t) => vec![create_range(t)],
            Object::Statistics(s) => vec![create_statistics(s)],
            Object::Sequence(s) => {
                let adopted = s.owned_by.as_ref().is_some_and(|(t, c)| {
                    match (column_of(self.old, t, c), column_of(self.new, t, c)) {
                        (Some(o), Some(n)) => {
                            self.sequence_adopted_from_identity(t, o, n).is_some()
                        }
                        _ => false,
                    }
                });
                let mut steps = vec![];
                if !adopted {
                    steps.push(
                        with_comment(
                            Step::new(format!("create sequence {}", s.name))
                                .sql(ddl::create_sequence(s)),
                            &format!("SEQUENCE {}", qualified(&s.name)),
                            &s.comment,
                        )
                        .creates(id.clone()),
                    );
                }
                if let Some(owner) = &s.owned_by {
                    steps.push(owned_by_step(s, Some(owner)));
                }
                steps
            }
            Object::Function(f) => vec![create_function(f).creates(id)],
            Object::Table(t) => self.create_table(t),
            Object::Column { table, column } => {
                let step = add_column(table, column).creates(id);
                if self.existing_table(table) {
                    let backfill = self
                        .backfills
                        .get(table)
                        .and_then(|b| b.get(column.name.as_str()));
                    rules::add_column::on_existing(
                        table,
                        column,
                        backfill.map(String::as_str),
                        self.single_key(table).as_deref(),
                        step,
                    )
                } else {
                    vec![step]
                }
            }
            Object::Constraint { table, constraint } => {
                let step = add_constraint(table, constraint).creates(id);
                if self.existing_table(table) {
                    let partitioned = self.is_partitioned(table);
                    rules::add_constraint::on_existing(table, constraint, partitioned, step)
                } else {
                    vec![step]
                }
            }
            Object::Index { relation, index } => {
                let step = create_index(relation, index).creates(id);
                if self.is_partitioned(relation) && self.existing_table(relation) {
                    rules::partitioned_index::steps(self.old, self.new, relation, index)
                        .unwrap_or_else(|| vec![rules::create_index::partitioned(relation, step)])
                } else if self.existing_relation(relation) {
                    vec![rules::create_index::create(relation, index, step)]
                } else {
                    vec![step]
                }
            }
            Object::Trigger { table, trigger } => {
                let mut step = with_comment(
                    Step::new(format!(
                        "create trigger {} on {table}",
                        ident(&trigger.name)
                    ))
                    .sql(trigger.definition.clone()),
                    &format!("TRIGGER {} ON {}", ident(&trigger.name), qualified(table)),
                    &trigger.comment,
                );
                if let Some(firing) = trigger_firing(table, trigger) {
                    step = step.sql(firing);
                }
                vec![step.creates(id)]
            }
            Object::Policy { table, policy } => vec![with_comment(
                Step::new(format!("create policy {} on {table}", ident(&policy.name)))
                    .sql(ddl::create_policy(table, policy)),
                &format!("POLICY {} ON {}", ident(&policy.name), qualified(table)),
                &policy.comment,
            )
            .creates(id)],
            Object::View(v) => vec![create_view(v).creates(id)],
        }
    }

    pub(super) fn create_table(&self, t: &Table) -> Vec<Step> {
        let name = &t.name;
        let mut step = Step::new(format!("create table {name}"))
            .sql(ddl::create_table(t))
            .creates(ObjectId::Table(name.clone()));
        for c in &t.columns {
            for action in ddl::column_settings(c) {
                step = step.sql(ddl::alter_table(name, &action));
            }
        }
        for id in super::build_partitions::column_ids(self.new, t) {
            step = step.creates(id);
        }
        for statement in super::build_partitions::create_not_null(t) {
            step = step.sql(statement);
        }
        let table_sql = qualified(name);
        if t.comment.is_some() {
            step = step.sql(ddl::comment_on(
                &format!("TABLE {table_sql}"),
                t.comment.as_deref(),
            ));
        }
        for c in &t.columns {
            if c.comment.is_some() {
                step = step.sql(ddl::comment_on(
                    &format!("COLUMN {table_sql}.{}", ident(&c.name)),
                    c.comment.as_deref(),
                ));
            }
        }
        for c in ddl::inline_constraints(t) {
            step = step.creates(ObjectId::Constraint(name.clone(), c.name.clone()));
            if c.comment.is_some() {
                step = step.sql(constraint_comment(name, c));
            }
        }
        if t.row_security {
            step = step.sql(ddl::alter_table(name, "ENABLE ROW LEVEL SECURITY"));
        }
        if t.force_row_security {
            step = step.sql(ddl::alter_table(name, "FORCE ROW LEVEL SECURITY"));
        }
        // Placed by Citus in the same step: whatever needs the table (a foreign key to
        // it, a table colocated with it) finds it placed. The table is empty.
        if let Some(citus) = &t.citus {
            step = step
                .sql(ddl::place_table(name, citus))
                .creates(ObjectId::Placement(name.clone()));
            if let Citus::Distributed {
                colocate_with: Some(anchor),
                ..
            } = citus
            {
                step.needs.push(ObjectId::Table(anchor.clone()));
                step.needs.push(ObjectId::Placement(anchor.clone()));
            }
        }
        let mut steps = vec![step];
        let inline: BTreeSet<&str> = ddl::inline_constraints(t)
            .map(|c| c.name.as_str())
            .collect();
        for c in t
            .constraints
            .values()
            .filter(|c| !inline.contains(c.name.as_str()))
        {
            steps.push(
                add_constraint(name, c).creates(ObjectId::Constraint(name.clone(), c.name.clone())),
            );
        }
        for i in t.indexes.values() {
            steps
                .push(create_index(name, i).creates(ObjectId::Index(name.clone(), i.name.clone())));
        }
        steps.extend(super::replica_identity::change(
            name,
            &ReplicaIdentity::Default,
            &t.replica_identity,
        ));
        for trig in t.triggers.values() {
            steps.extend(self.create(&Object::Trigger {
                table: name.clone(),
                trigger: trig.clone(),
            }));
        }
        for p in t.policies.values() {
            steps.extend(self.create(&Object::Policy {
                table: name.clone(),
                policy: p.clone(),
            }));
        }
        steps
    }
}
