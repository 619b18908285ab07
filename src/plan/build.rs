//! One change -> the steps that carry it out.

use super::{rules, Step};
use crate::diff::{Change, Object};
use crate::schema::*;
use crate::source::Hints;
use crate::sql::{ddl, ident, qualified};
use std::collections::BTreeSet;

/// Steps for every change, drops first (dependents before what they need), then alters,
/// then creates. This is only the tie-break order: the graph in `order` decides.
pub fn steps(
    old: &Schema,
    new: &Schema,
    changes: &[Change],
    hints: &Hints,
    usings: super::casts::Usings,
) -> Vec<Step> {
    let mut ctx = Context::new(old, new, changes);
    ctx.backfills = hints.backfills.clone();
    ctx.usings = usings;
    // Each change is built on its own, so a large diff is split across cores; the parts
    // are joined in change order, as from one loop.
    let parts = crate::par::map_chunks(changes, |part| {
        let (mut drops, mut alters, mut creates) = (vec![], vec![], vec![]);
        for change in part {
            if ctx.belongs_to_rebuilt_table(change) {
                continue;
            }
            match change {
                Change::Drop { object } => drops.push(ctx.drop(object)),
                Change::Create { object } => creates.push(ctx.create(object)),
                Change::Alter { from, to } => alters.push(ctx.alter(from, to)),
                Change::Rename { from, to } => alters.push(ctx.rename(from, to)),
            }
        }
        (drops, alters, creates)
    });
    let (mut drops, mut alters, mut creates) = (vec![], vec![], vec![]);
    for (d, a, c) in parts {
        drops.extend(d);
        alters.extend(a);
        creates.extend(c);
    }
    drops.reverse();
    drops
        .into_iter()
        .chain(alters)
        .chain(creates)
        .flatten()
        .collect()
}

pub(super) struct Context<'a> {
    pub old: &'a Schema,
    pub new: &'a Schema,
    pub(super) dropped_tables: BTreeSet<QualifiedName>,
    pub(super) dropped_views: BTreeSet<QualifiedName>,
    pub(super) dropped_columns: BTreeSet<(QualifiedName, Name)>,
    /// Tables dropped and created again because a change cannot be made in place
    /// (partition key, partitioned <-> plain).
    pub(super) rebuilt_tables: BTreeSet<QualifiedName>,
    /// Backfill expressions from the model, by table and column.
    pub(super) backfills:
        std::collections::BTreeMap<QualifiedName, std::collections::BTreeMap<String, String>>,
    /// `USING` expressions of column type changes (`casts`).
    pub(super) usings: super::casts::Usings,
}

impl<'a> Context<'a> {
    pub fn new(old: &'a Schema, new: &'a Schema, changes: &[Change]) -> Context<'a> {
        let mut ctx = Context {
            old,
            new,
            dropped_tables: BTreeSet::new(),
            dropped_views: BTreeSet::new(),
            dropped_columns: BTreeSet::new(),
            rebuilt_tables: BTreeSet::new(),
            backfills: Default::default(),
            usings: Default::default(),
        };
        for c in changes {
            match c {
                Change::Drop {
                    object: Object::Table(t),
                } => {
                    ctx.dropped_tables.insert(t.name.clone());
                }
                Change::Drop {
                    object: Object::View(v),
                } => {
                    ctx.dropped_views.insert(v.name.clone());
                }
                Change::Drop {
                    object: Object::Column { table, column },
                } => {
                    ctx.dropped_columns
                        .insert((table.clone(), column.name.clone()));
                }
                Change::Alter { from, to } => {
                    if let (Object::Table(f), Object::Table(t)) = (from.as_ref(), to.as_ref()) {
                        if needs_rebuild(f, t) {
                            ctx.rebuilt_tables.insert(t.name.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        ctx
    }

    fn belongs_to_rebuilt_table(&self, change: &Change) -> bool {
        match change.id() {
            ObjectId::Column(t, _)
            | ObjectId::Constraint(t, _)
            | ObjectId::Index(t, _)
            | ObjectId::Trigger(t, _)
            | ObjectId::Policy(t, _) => self.rebuilt_tables.contains(&t),
            _ => false,
        }
    }

    // ---- create ------------------------------------------------------------------------

    // ---- drop --------------------------------------------------------------------------

    // ---- rename ------------------------------------------------------------------------

    pub fn rename(&self, from: &Object, to: &Object) -> Vec<Step> {
        match (from, to) {
            (Object::Column { table, column: o }, Object::Column { column: n, .. }) => {
                rules::rename_column::steps(table, self.single_key(table).as_deref(), o, n)
            }
            _ => [self.drop(from), self.create(to)].concat(),
        }
    }

    // ---- alter -------------------------------------------------------------------------

    /// A table that exists before the migration and after it (not dropped, not rebuilt):
    /// it may be large and busy, so the zero-downtime rules apply to it.
    /// The one column of the primary key that `table` has before and after the change,
    /// which a backfill walks; None for no key or a composite one.
    pub(super) fn single_key(&self, table: &QualifiedName) -> Option<String> {
        let key = |s: &Schema| {
            s.tables
                .get(table)?
                .constraints
                .values()
                .find(|c| c.kind == ConstraintKind::PrimaryKey)
                .cloned()
        };
        let (old, new) = (key(self.old)?, key(self.new)?);
        match old.columns.as_slice() {
            [column] if old == new => Some(column.to_string()),
            _ => None,
        }
    }

    pub(super) fn existing_table(&self, table: &QualifiedName) -> bool {
        self.old.tables.contains_key(table)
            && self.new.tables.contains_key(table)
            && !self.dropped_tables.contains(table)
            && !self.rebuilt_tables.contains(table)
    }

    /// An existing table, or a materialized view kept from before.
    pub(super) fn existing_relation(&self, relation: &QualifiedName) -> bool {
        self.existing_table(relation)
            || (self.old.views.contains_key(relation) && !self.dropped_views.contains(relation))
    }

    pub(super) fn is_partitioned(&self, table: &QualifiedName) -> bool {
        let partitioned = |s: &Schema| {
            s.tables
                .get(table)
                .is_some_and(|t| t.partition_key.is_some())
        };
        partitioned(self.old) || partitioned(self.new)
    }

    /// A serial column becoming an identity: its sequence goes, and must be gone before
    /// the identity's own sequence is made under the same name.
    pub(super) fn sequence_retired_by_identity(
        &self,
        table: &QualifiedName,
        o: &Column,
        n: &Column,
    ) -> Option<QualifiedName> {
        if o.identity.is_some() || n.identity.is_none() {
            return None;
        }
        self.old
            .sequences
            .values()
            .find(|s| {
                s.owned_by.as_ref() == Some(&(table.clone(), o.name.clone()))
                    && !self.new.sequences.contains_key(&s.name)
            })
            .map(|s| s.name.clone())
    }

    /// An identity column becoming serial: the new sequence it will own is made after the
    /// identity (and its sequence, which may have the same name) is gone.
    pub(super) fn sequence_adopted_from_identity(
        &self,
        table: &QualifiedName,
        o: &Column,
        n: &Column,
    ) -> Option<&'a Sequence> {
        if o.identity.is_none() || n.identity.is_some() {
            return None;
        }
        self.new.sequences.values().find(|s| {
            s.owned_by.as_ref() == Some(&(table.clone(), n.name.clone()))
                && !self.old.sequences.contains_key(&s.name)
        })
    }
}

pub(super) fn column_of<'s>(
    schema: &'s Schema,
    table: &QualifiedName,
    column: &str,
) -> Option<&'s Column> {
    schema.tables.get(table).and_then(|t| t.column(column))
}

/// A partition key cannot be changed, nor a table made partitioned or plain, in place.
pub(super) fn needs_rebuild(o: &Table, n: &Table) -> bool {
    o.partition_key != n.partition_key || o.partition_of.is_some() != n.partition_of.is_some()
}

/// Drop steps then create steps of one object. They stay separate steps: objects that
/// depend on each other and are both replaced must interleave (drop the dependent, drop
/// the other, create the other, create the dependent).
pub(super) fn replace(drop: Vec<Step>, create: Vec<Step>) -> Vec<Step> {
    drop.into_iter().chain(create).collect()
}

/// `ALTER TABLE ... DISABLE TRIGGER` and the like, for a trigger that does not fire the
/// default way.
pub(super) fn trigger_firing(table: &QualifiedName, t: &Trigger) -> Option<String> {
    Some(ddl::trigger_firing(table, &t.name, t.firing.as_deref()?))
}

pub(super) fn with_comment(step: Step, object: &str, comment: &Option<String>) -> Step {
    match comment {
        Some(c) => step.sql(ddl::comment_on(object, Some(c))),
        None => step,
    }
}

pub(super) fn constraint_comment(table: &QualifiedName, c: &Constraint) -> String {
    ddl::comment_on(
        &format!("CONSTRAINT {} ON {}", ident(&c.name), qualified(table)),
        c.comment.as_deref(),
    )
}

pub(super) fn add_constraint(table: &QualifiedName, c: &Constraint) -> Step {
    let step = Step::new(format!("add constraint {} on {table}", ident(&c.name)))
        .sql(ddl::add_constraint(table, c));
    if c.comment.is_some() {
        step.sql(constraint_comment(table, c))
    } else {
        step
    }
}

pub(super) fn add_column(table: &QualifiedName, c: &Column) -> Step {
    let mut step = Step::new(format!("add column {table}.{}", ident(&c.name))).sql(
        ddl::alter_table(table, &format!("ADD COLUMN {}", ddl::column_definition(c))),
    );
    for action in ddl::column_settings(c) {
        step = step.sql(ddl::alter_table(table, &action));
    }
    with_comment(
        step,
        &format!("COLUMN {}.{}", qualified(table), ident(&c.name)),
        &c.comment,
    )
}

pub(super) fn create_index(relation: &QualifiedName, i: &Index) -> Step {
    with_comment(
        Step::new(format!("create index {} on {relation}", ident(&i.name)))
            .sql(i.definition.clone()),
        &format!("INDEX {}", ddl::index_name(relation, &i.name)),
        &i.comment,
    )
}
