//! One dropped object -> the steps that drop it; a table with what depends on it.

use super::build::*;
use super::build_kinds::*;
use super::{rules, Step};
use crate::diff::Object;
use crate::schema::*;
use crate::sql::{ddl, ident, qualified};

impl Context<'_> {
    pub fn drop(&self, object: &Object) -> Vec<Step> {
        let id = object.id();
        let step = |what: String, sql: String| vec![Step::new(what).sql(sql).drops(id.clone())];
        match object {
            Object::Schema(s) => step(
                format!("drop schema {}", ident(&s.name)),
                ddl::drop_schema(&s.name),
            ),
            Object::Extension(e) => step(
                format!("drop extension {}", ident(&e.name)),
                ddl::drop_extension(&e.name),
            ),
            Object::Enum(EnumType { name, .. })
            | Object::Domain(Domain { name, .. })
            | Object::Composite(CompositeType { name, .. }) => {
                let kw = if matches!(object, Object::Domain(_)) {
                    "DOMAIN"
                } else {
                    "TYPE"
                };
                step(
                    format!("drop {} {name}", kw.to_lowercase()),
                    format!("DROP {kw} {}", qualified(name)),
                )
            }
            Object::Range(t) => vec![drop_range(t)],
            // Dropped with its table.
            Object::Statistics(s) if self.dropped_tables.contains(&s.table) => vec![],
            Object::Statistics(s) => vec![drop_statistics(s)],
            Object::Sequence(s) => {
                // A sequence owned by a column that goes away goes with it.
                let owner_dropped = s.owned_by.as_ref().is_some_and(|(t, c)| {
                    self.dropped_tables.contains(t)
                        || self.dropped_columns.contains(&(t.clone(), c.clone()))
                });
                let replaced_by_identity = s.owned_by.as_ref().is_some_and(|(t, c)| {
                    match (column_of(self.old, t, c), column_of(self.new, t, c)) {
                        (Some(o), Some(n)) => {
                            self.sequence_retired_by_identity(t, o, n).as_ref() == Some(&s.name)
                        }
                        _ => false,
                    }
                });
                if owner_dropped || replaced_by_identity {
                    return vec![];
                }
                step(
                    format!("drop sequence {}", s.name),
                    ddl::drop_sequence(&s.name),
                )
            }
            // The old application may still call it: it goes in the contract phase.
            Object::Function(f) => vec![Step::new(format!(
                "drop {} {}",
                ddl::routine_keyword(f).to_lowercase(),
                f.key
            ))
            .sql(ddl::drop_function(f))
            .drops(id.clone())
            .contract()],
            Object::Table(t) => self.drop_table(t),
            Object::Column { table, column } => {
                let mut s = Step::new(format!("drop column {table}.{}", ident(&column.name)))
                    .sql(ddl::alter_table(
                        table,
                        &format!("DROP COLUMN {}", ident(&column.name)),
                    ))
                    .drops(id.clone());
                s.hazards = rules::drop_object::column(table, &column.name);
                let s = super::owned_sequences::untie_before_drop(
                    self.old,
                    self.new,
                    table,
                    Some(&column.name),
                    s,
                );
                vec![s.contract()]
            }
            Object::Constraint { table, constraint } => step(
                format!("drop constraint {} on {table}", ident(&constraint.name)),
                ddl::drop_constraint(table, &constraint.name),
            ),
            Object::Index { relation, index } => {
                if self.dropped_tables.contains(relation) || self.dropped_views.contains(relation) {
                    return vec![];
                }
                // Attached to a new index of the partitioned parent instead.
                if rules::partitioned_index::attached_by_new_parent_index(
                    self.old,
                    self.new,
                    relation,
                    &index.name,
                ) {
                    return vec![];
                }
                if !self.is_partitioned(relation) {
                    return vec![rules::create_index::drop(relation, index)];
                }
                step(
                    format!("drop index {}", ddl::index_name(relation, &index.name)),
                    ddl::drop_index(relation, &index.name),
                )
            }
            Object::Trigger { table, trigger } => {
                if self.dropped_tables.contains(table) || self.dropped_views.contains(table) {
                    return vec![];
                }
                step(
                    format!("drop trigger {} on {table}", ident(&trigger.name)),
                    ddl::drop_trigger(table, &trigger.name),
                )
            }
            Object::Policy { table, policy } => step(
                format!("drop policy {} on {table}", ident(&policy.name)),
                ddl::drop_policy(table, &policy.name),
            ),
            Object::View(v) => {
                let mut s = Step::new(format!(
                    "drop {} {}",
                    ddl::view_keyword(v).to_lowercase(),
                    v.name
                ))
                .sql(ddl::drop_view(v))
                .drops(id.clone());
                if let Some(full) = self.old.views.get(&v.name) {
                    for i in full.indexes.keys() {
                        s = s.drops(ObjectId::Index(v.name.clone(), i.clone()));
                    }
                    for t in full.triggers.keys() {
                        s = s.drops(ObjectId::Trigger(v.name.clone(), t.clone()));
                    }
                }
                vec![s.contract()]
            }
        }
    }

    /// Foreign keys to other tables are dropped on their own first, so that tables that
    /// reference each other can be dropped at all; everything else goes with the table.
    pub(super) fn drop_table(&self, t: &Table) -> Vec<Step> {
        let name = &t.name;
        let mut steps = vec![];
        let mut step = Step::new(format!("drop table {name}"))
            .sql(ddl::drop_table(name))
            .drops(ObjectId::Table(name.clone()));
        step.hazards = rules::drop_object::table(name);
        for id in super::build_partitions::column_ids(self.old, t) {
            step = step.drops(id);
        }
        for c in t.constraints.values() {
            let id = ObjectId::Constraint(name.clone(), c.name.clone());
            if c.references.as_ref().is_some_and(|r| r != name) {
                steps.push(
                    Step::new(format!("drop constraint {} on {name}", ident(&c.name)))
                        .sql(ddl::drop_constraint(name, &c.name))
                        .drops(id),
                );
            } else {
                step = step.drops(id);
            }
        }
        for i in t.indexes.keys() {
            step = step.drops(ObjectId::Index(name.clone(), i.clone()));
        }
        for n in t.triggers.keys() {
            step = step.drops(ObjectId::Trigger(name.clone(), n.clone()));
        }
        for n in t.policies.keys() {
            step = step.drops(ObjectId::Policy(name.clone(), n.clone()));
        }
        for s in self.old.statistics.values().filter(|s| &s.table == name) {
            step = step.drops(ObjectId::Statistics(s.name.clone()));
        }
        steps.push(
            super::owned_sequences::untie_before_drop(self.old, self.new, name, None, step)
                .contract(),
        );
        steps
    }
}
