//! Changes -> ordered steps. Each change becomes one or more steps of SQL; objects that a
//! change destroys take their dependents with them, so those are recreated; then a
//! dependency graph orders the steps (types before the columns that use them, tables
//! before the foreign keys that reference them, dependents dropped before what they need).

mod build;
mod build_column;
mod order;
mod recreate;

use crate::diff::diff;
use crate::error::Result;
use crate::schema::{ObjectId, Schema};
use serde::Serialize;

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
}

impl Step {
    fn new(description: impl Into<String>) -> Step {
        Step {
            description: description.into(),
            statements: vec![],
            transactional: true,
            creates: vec![],
            drops: vec![],
            rewrites: vec![],
            needs: vec![],
        }
    }

    fn sql(mut self, statement: impl Into<String>) -> Step {
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

    /// The plan as a SQL script that runs top to bottom with `psql -v ON_ERROR_STOP=1 -f`
    /// (autocommit: each statement commits on its own). Empty when there is nothing to do.
    pub fn to_sql(&self) -> String {
        if self.steps.is_empty() {
            return String::new();
        }
        let mut out = String::new();
        if self.creates_functions() {
            // Function bodies may refer to tables created later in the script; like
            // pg_dump, do not validate bodies at CREATE FUNCTION time.
            out.push_str("SET check_function_bodies = false;\n\n");
        }
        for step in &self.steps {
            // A name may hold a line break: keep the description inside its comment.
            let description: String = step
                .description
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            out.push_str(&format!("-- {description}\n"));
            if !step.transactional {
                out.push_str("-- (cannot run inside a transaction block)\n");
            }
            for s in &step.statements {
                out.push_str(s);
                out.push_str(";\n");
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

/// The steps that turn `old` into `new`, in an order PostgreSQL accepts.
pub fn plan(old: &Schema, new: &Schema) -> Result<Plan> {
    let changes = diff(old, new);
    let mut steps = build::steps(old, new, &changes);
    recreate::dependents(old, new, &mut steps);
    let steps = order::sort(old, new, steps)?;
    Ok(Plan { steps })
}

/// The upgrade and its exact inverse: the downgrade is planned from the same pair of
/// schemas, the other way round, by the same rules.
pub fn plan_both(old: &Schema, new: &Schema) -> Result<(Plan, Plan)> {
    Ok((plan(old, new)?, plan(new, old)?))
}
