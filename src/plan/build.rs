//! One change -> the steps that carry it out.

use super::build_column::SequenceHandover;
use super::build_kinds::*;
use super::build_types::*;
use super::build_views::*;
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
    dropped_tables: BTreeSet<QualifiedName>,
    dropped_views: BTreeSet<QualifiedName>,
    dropped_columns: BTreeSet<(QualifiedName, Name)>,
    /// Tables dropped and created again because a change cannot be made in place
    /// (partition key, partitioned <-> plain).
    rebuilt_tables: BTreeSet<QualifiedName>,
    /// Backfill expressions from the model, by table and column.
    backfills:
        std::collections::BTreeMap<QualifiedName, std::collections::BTreeMap<String, String>>,
    /// `USING` expressions of column type changes (`casts`).
    usings: super::casts::Usings,
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

    fn create_table(&self, t: &Table) -> Vec<Step> {
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

    // ---- drop --------------------------------------------------------------------------

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
    fn drop_table(&self, t: &Table) -> Vec<Step> {
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

    /// A table that exists before the migration and after it (not dropped, not rebuilt):
    /// it may be large and busy, so the zero-downtime rules apply to it.
    /// The one column of the primary key that `table` has before and after the change,
    /// which a backfill walks; None for no key or a composite one.
    fn single_key(&self, table: &QualifiedName) -> Option<String> {
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

    fn existing_table(&self, table: &QualifiedName) -> bool {
        self.old.tables.contains_key(table)
            && self.new.tables.contains_key(table)
            && !self.dropped_tables.contains(table)
            && !self.rebuilt_tables.contains(table)
    }

    /// An existing table, or a materialized view kept from before.
    fn existing_relation(&self, relation: &QualifiedName) -> bool {
        self.existing_table(relation)
            || (self.old.views.contains_key(relation) && !self.dropped_views.contains(relation))
    }

    fn is_partitioned(&self, table: &QualifiedName) -> bool {
        let partitioned = |s: &Schema| {
            s.tables
                .get(table)
                .is_some_and(|t| t.partition_key.is_some())
        };
        partitioned(self.old) || partitioned(self.new)
    }

    /// A serial column becoming an identity: its sequence goes, and must be gone before
    /// the identity's own sequence is made under the same name.
    fn sequence_retired_by_identity(
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
    fn sequence_adopted_from_identity(
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

    fn alter_table(&self, o: &Table, n: &Table) -> Vec<Step> {
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

fn column_of<'s>(schema: &'s Schema, table: &QualifiedName, column: &str) -> Option<&'s Column> {
    schema.tables.get(table).and_then(|t| t.column(column))
}

/// A partition key cannot be changed, nor a table made partitioned or plain, in place.
fn needs_rebuild(o: &Table, n: &Table) -> bool {
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
fn trigger_firing(table: &QualifiedName, t: &Trigger) -> Option<String> {
    Some(ddl::trigger_firing(table, &t.name, t.firing.as_deref()?))
}

pub(super) fn with_comment(step: Step, object: &str, comment: &Option<String>) -> Step {
    match comment {
        Some(c) => step.sql(ddl::comment_on(object, Some(c))),
        None => step,
    }
}

fn constraint_comment(table: &QualifiedName, c: &Constraint) -> String {
    ddl::comment_on(
        &format!("CONSTRAINT {} ON {}", ident(&c.name), qualified(table)),
        c.comment.as_deref(),
    )
}

fn add_constraint(table: &QualifiedName, c: &Constraint) -> Step {
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

fn create_index(relation: &QualifiedName, i: &Index) -> Step {
    with_comment(
        Step::new(format!("create index {} on {relation}", ident(&i.name)))
            .sql(i.definition.clone()),
        &format!("INDEX {}", ddl::index_name(relation, &i.name)),
        &i.comment,
    )
}
