//! Changes -> ordered steps. Each change becomes one or more steps of SQL; objects that a
//! change destroys take their dependents with them, so those are recreated; then a
//! dependency graph orders the steps (types before the columns that use them, tables
//! before the foreign keys that reference them, dependents dropped before what they need).

mod build;
mod build_alter;
mod build_column;
mod build_create;
mod build_drop;
mod build_kinds;
mod build_partitions;
mod build_types;
mod build_views;
mod casts;
mod casts_builtin;
mod cycles;
pub mod hazard;
mod identity_sequences;
mod order;
mod owned_sequences;
mod phases;
mod privileges;
mod recreate;
mod replica_identity;
pub mod rules;

pub use casts::builtin_casts;
pub use hazard::{Hazard, HazardCode};

use crate::diff::diff;
use crate::error::Result;
use crate::schema::{ObjectId, QualifiedName, Schema};
use serde::Serialize;

/// A step's few places in a dependency graph, inline: most steps create or drop one or
/// two objects, and a plan of 10,000 tables has some 15,000 steps (allocating a list for
/// each cost more than filling it).
type Few<T> = smallvec::SmallVec<[T; 2]>;

/// One unit of a migration: statements that belong together, run in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// What the step does, for people: `create table public.users`.
    pub description: String,
    /// SQL statements without trailing semicolons.
    pub statements: Vec<String>,
    /// False for statements PostgreSQL refuses inside a transaction block (or that must
    /// commit before the next step can use their result).
    pub transactional: bool,
    /// Runs in a transaction of its own: whatever ran before it has committed, so it holds
    /// no lock taken by an earlier statement while it scans or writes, and it commits
    /// before the next step starts. `generate` gives such a step a migration of its own
    /// (the runner, sqlx-cli and sea-orm-migration each run a migration in one
    /// transaction); `pgshift diff`'s script runs in autocommit, where every statement
    /// commits on its own anyway.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub own_transaction: bool,
    /// Its statements may run long by design (a validation scan, a batched backfill, a
    /// concurrent build): no lock or statement timeout while they run.
    #[serde(skip)]
    pub long_running: bool,
    pub phase: Phase,
    /// What running this step may do to a live database.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
    /// A note for the reader, printed with the step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Steps of one change that must run in order: (what they change, position).
    #[serde(skip)]
    pub chain: Option<(ObjectId, u32)>,
    /// Objects this step brings into being (or to their new definition).
    #[serde(skip)]
    pub creates: Vec<ObjectId>,
    /// Objects this step destroys: whatever needs them must be gone first.
    #[serde(skip)]
    pub drops: Vec<ObjectId>,
    /// Objects changed in place in a way their dependents cannot survive (a column's type):
    /// views, triggers and policies on them are dropped before and recreated after.
    #[serde(skip)]
    pub rewrites: Vec<ObjectId>,
    /// Further objects that must exist before this step runs.
    #[serde(skip)]
    pub needs: Vec<ObjectId>,
    /// Objects whose drop (by another step) must come first: a column's NOT NULL goes
    /// only once the primary key that needs it is gone.
    #[serde(skip)]
    pub after_drops: Vec<ObjectId>,
}

impl Step {
    pub(crate) fn new(description: impl Into<String>) -> Step {
        Step {
            description: description.into(),
            statements: vec![],
            transactional: true,
            own_transaction: false,
            long_running: false,
            phase: Phase::Expand,
            hazards: vec![],
            note: None,
            chain: None,
            creates: vec![],
            drops: vec![],
            rewrites: vec![],
            needs: vec![],
            after_drops: vec![],
        }
    }

    pub(crate) fn sql(mut self, statement: impl Into<String>) -> Step {
        self.statements.push(statement.into());
        self
    }

    fn creates(mut self, id: ObjectId) -> Step {
        self.creates.push(id);
        self
    }

    fn drops(mut self, id: ObjectId) -> Step {
        self.drops.push(id);
        self
    }

    pub(crate) fn hazard(mut self, hazard: Hazard) -> Step {
        self.hazards.push(hazard);
        self
    }

    /// Runs outside any transaction block, with `why` printed beside it.
    pub(crate) fn outside_transaction(mut self, why: &str) -> Step {
        self.transactional = false;
        self.note = Some(why.to_string());
        self
    }

    /// Runs in a transaction of its own (see `own_transaction`).
    pub(crate) fn in_own_transaction(mut self) -> Step {
        self.own_transaction = true;
        self
    }

    /// Long by design: runs without the session's timeouts.
    pub(crate) fn long_running(mut self) -> Step {
        self.long_running = true;
        self
    }

    /// Whether no other step may share its transaction: one that cannot run in a
    /// transaction block, or one that must run in a transaction of its own.
    pub fn runs_alone(&self) -> bool {
        !self.transactional || self.own_transaction
    }

    /// Concurrent builds and validations wait for other transactions, and batched
    /// backfills take as long as the table is large: none may be cut short.
    pub fn unbounded(&self) -> bool {
        self.long_running
            || self.statements.iter().any(|s| s.contains(" CONCURRENTLY "))
            || self
                .hazards
                .iter()
                .any(|h| h.code == HazardCode::ValidationScan)
    }

    pub(crate) fn contract(mut self) -> Step {
        self.phase = Phase::Contract;
        self
    }
}

/// Expand runs first and keeps the old application working; contract enforces what the
/// new application guarantees (NOT NULL after a backfill) and runs once it is deployed
/// and the backfill verified. `pgshift diff` prints both, contract last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Expand,
    Contract,
}

/// Chains `steps` so the graph keeps them in this order.
pub(crate) fn chain(id: &ObjectId, steps: Vec<Step>) -> Vec<Step> {
    steps
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            s.chain = Some((id.clone(), i as u32));
            s
        })
        .collect()
}

/// Session settings at the top of every migration.
#[derive(Clone, Debug)]
pub struct SqlOptions {
    /// `lock_timeout`: how long a statement may wait for a lock before it gives up,
    /// rather than queue every other query on the table behind it.
    pub lock_timeout: String,
    /// `statement_timeout`: the longest any statement may run.
    pub statement_timeout: String,
}

impl Default for SqlOptions {
    fn default() -> Self {
        SqlOptions {
            lock_timeout: "5s".into(),
            statement_timeout: "30min".into(),
        }
    }
}

/// The ordered steps that turn one schema into another.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    pub steps: Vec<Step>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every object its steps create, drop or rewrite, once each.
    pub fn touched(&self) -> Vec<ObjectId> {
        let mut out: Vec<ObjectId> = self
            .steps
            .iter()
            .flat_map(|s| s.creates.iter().chain(&s.drops).chain(&s.rewrites))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The plan as a SQL script that runs top to bottom with `psql -v ON_ERROR_STOP=1 -f`
    /// (autocommit: each statement commits on its own). Empty when there is nothing to do.
    pub fn to_sql(&self) -> String {
        self.to_sql_with(&SqlOptions::default())
    }

    pub fn to_sql_with(&self, options: &SqlOptions) -> String {
        if self.steps.is_empty() {
            return String::new();
        }
        let timeouts = format!(
            "SET lock_timeout = {};\nSET statement_timeout = {};\n",
            crate::sql::literal(&options.lock_timeout),
            crate::sql::literal(&options.statement_timeout)
        );
        let mut out = timeouts.clone();
        out.push('\n');
        if self.creates_functions() {
            // Function bodies may refer to tables created later in the script; like
            // pg_dump, do not validate bodies at CREATE FUNCTION time.
            out.push_str("SET check_function_bodies = false;\n\n");
        }
        for step in &self.steps {
            // Names and messages hold whatever a schema says, line breaks included: each
            // goes through `sql::comment` so that it cannot end its comment line.
            let comment = crate::sql::comment;
            out.push_str(&format!("-- {}\n", comment(&step.description)));
            if step.phase == Phase::Contract {
                out.push_str("-- phase: contract (run once the backfill is verified and the new application deployed)\n");
            }
            if let Some(note) = &step.note {
                out.push_str(&format!("-- note: {}\n", comment(note)));
            }
            for h in &step.hazards {
                out.push_str(&format!(
                    "-- hazard {}: {}\n--   help: {}\n",
                    h.code,
                    comment(&h.message),
                    comment(&h.help)
                ));
            }
            // Long concurrent builds and validations wait for other transactions by
            // design and must not be cut short: no timeouts while they run.
            let unbounded = step.unbounded();
            if unbounded {
                out.push_str("SET lock_timeout = 0;\nSET statement_timeout = 0;\n");
            }
            for s in &step.statements {
                out.push_str(s);
                out.push_str(";\n");
            }
            if unbounded {
                out.push_str(&timeouts);
            }
            out.push('\n');
        }
        if self.creates_functions() {
            out.push_str("RESET check_function_bodies;\n");
        }
        out
    }

    fn creates_functions(&self) -> bool {
        self.steps.iter().flat_map(|s| &s.statements).any(|s| {
            s.starts_with("CREATE OR REPLACE FUNCTION")
                || s.starts_with("CREATE OR REPLACE PROCEDURE")
        })
    }
}

/// A step that rewrites or drops an object others depend on (a column's type under a
/// view) has them dropped before and recreated after, and all of these share one
/// transaction, so that the application never finds a view missing: such a step does not
/// run in a transaction of its own (it blocks its table for its whole run anyway).
fn keep_dependents_atomic(old: &Schema, steps: &mut [Step]) {
    let dropped: std::collections::BTreeSet<ObjectId> = steps
        .iter()
        .filter(|s| !s.own_transaction)
        .flat_map(|s| s.drops.iter().cloned())
        .collect();
    if dropped.is_empty() {
        return;
    }
    for s in steps.iter_mut().filter(|s| s.own_transaction) {
        let touched = s.rewrites.iter().chain(&s.drops);
        let mut dependents = touched.flat_map(|x| old.dependencies.direct_dependents_of(x));
        if dependents.any(|d| dropped.contains(d)) {
            s.own_transaction = false;
        }
    }
}

/// The steps that turn `old` into `new`, in an order PostgreSQL accepts.
pub fn plan(old: &Schema, new: &Schema) -> Result<Plan> {
    plan_with(old, new, &crate::source::Hints::default())
}

/// `plan`, with what the model says that a schema cannot: renames and backfills.
pub fn plan_with(old: &Schema, new: &Schema, hints: &crate::source::Hints) -> Result<Plan> {
    hints.check(old, new)?;
    rules::citus::check_changes(old, new)?;
    rules::move_extension::check(old, new)?;
    // Hinted table renames: plan the rest against the old schema with the tables already
    // under their new names; the rename steps come first.
    let renames: Vec<(QualifiedName, QualifiedName)> = hints
        .renamed_tables
        .iter()
        .filter(|(to, from)| {
            old.tables.contains_key(*from)
                && !old.tables.contains_key(*to)
                && new.tables.contains_key(*to)
                && !new.tables.contains_key(*from)
        })
        .map(|(to, from)| (from.clone(), to.clone()))
        .collect();
    let renamed;
    let old = if renames.is_empty() {
        old
    } else {
        renamed = rules::rename_table::renamed(old, &renames);
        &renamed
    };
    let changes =
        crate::diff::match_by_definition(crate::diff::apply_renames(diff(old, new), hints), hints);
    let usings = casts::usings(old, new, &changes, hints)?;
    let mut steps: Vec<Step> = renames
        .iter()
        .flat_map(|(from, to)| rules::rename_table::steps(from, to))
        .collect();
    steps.extend(build::steps(old, new, &changes, hints, usings));
    rules::citus::placement_changes(old, new, &mut steps);
    recreate::dependents(old, new, &mut steps);
    privileges::add_steps(old, new, &mut steps)?;
    keep_dependents_atomic(old, &mut steps);
    let mut steps = cycles::sort(old, new, steps)?;
    // A change may leave a step with nothing to say (its work moved to a rule's steps).
    steps.retain(|s| !s.statements.is_empty());
    Ok(Plan { steps })
}

/// The upgrade and its exact inverse: the downgrade is planned from the same pair of
/// schemas, the other way round, by the same rules.
pub fn plan_both(old: &Schema, new: &Schema) -> Result<(Plan, Plan)> {
    Ok((plan(old, new)?, plan(new, old)?))
}

/// `plan_both` with hints; the downgrade renames back.
pub fn plan_both_with(
    old: &Schema,
    new: &Schema,
    hints: &crate::source::Hints,
) -> Result<(Plan, Plan)> {
    Ok((
        plan_with(old, new, hints)?,
        plan_with(new, old, &hints.inverted())?,
    ))
}
