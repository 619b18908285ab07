//! Cycles in the step graph, broken the way a person would break them.
//!
//! An index that changes (built anew under a temporary name, the old one dropped, the new
//! one renamed) on a column whose type changes in the same migration cannot be ordered:
//! the new index needs the column's new type, the old one must be gone before the column
//! is changed (PostgreSQL re-parses an index's expression and predicate for the new type,
//! and they may not parse: an enum value that no longer exists), and the build comes
//! before the drop. A person drops the old index, changes the column and creates the new
//! index, in the transaction that holds the column change's ACCESS EXCLUSIVE lock anyway
//! (PostgreSQL rebuilds an index on a retyped column under that lock itself). A cycle that
//! remains is an error naming its steps and the edges between them.

use super::order::{self, Cycle};
use super::{Hazard, HazardCode, Step};
use crate::diff::{find_object, Object};
use crate::error::{Error, Result};
use crate::schema::{ObjectId, Schema};
use crate::sql::ddl;
use std::collections::BTreeSet;

/// How many times a cycle is broken before giving up: each round removes at least one
/// index's chain, and a plan with more tangles than this is better reported.
const ROUNDS: usize = 8;

/// `order::sort`, breaking the cycles it finds.
pub fn sort(old: &Schema, new: &Schema, mut steps: Vec<Step>) -> Result<Vec<Step>> {
    for _ in 0..ROUNDS {
        let cycle = match order::sort(old, new, steps) {
            Ok(sorted) => return Ok(sorted),
            Err(cycle) => cycle,
        };
        let Some(broken) = break_index_rebuilds(old, new, &cycle) else {
            return Err(describe(&cycle));
        };
        steps = broken;
        super::keep_dependents_atomic(old, &mut steps);
    }
    Err(Error::Plan(
        "the steps still depend on each other in a cycle after the dependent indexes were \
         rebuilt around the changes"
            .into(),
    ))
}

/// Index replacements caught in the cycle whose old index needs a column a stuck step
/// rewrites, each turned into a plain drop and a plain create; `None` when there is none.
fn break_index_rebuilds(old: &Schema, new: &Schema, cycle: &Cycle) -> Option<Vec<Step>> {
    let stuck: Vec<&Step> = cycle.stuck.iter().map(|&i| &cycle.steps[i]).collect();
    let rewritten: BTreeSet<&ObjectId> = stuck.iter().flat_map(|s| &s.rewrites).collect();
    let indexes: BTreeSet<&ObjectId> = stuck
        .iter()
        .filter_map(|s| s.chain.as_ref().map(|(id, _)| id))
        .filter(|id| matches!(id, ObjectId::Index(..)))
        .filter(|id| old.dependencies.needs(id).any(|y| rewritten.contains(y)))
        .collect();
    if indexes.is_empty() {
        return None;
    }
    let mut steps: Vec<Step> = cycle
        .steps
        .iter()
        .filter(|s| !s.chain.as_ref().is_some_and(|(id, _)| indexes.contains(id)))
        .cloned()
        .collect();
    for id in indexes {
        let (Some(Object::Index { relation, index: o }), Some(Object::Index { index: n, .. })) =
            (find_object(old, id), find_object(new, id))
        else {
            return None;
        };
        let name = ddl::index_name(&relation, &o.name);
        steps.push(
            Step::new(format!("drop index {name} before its column changes"))
                .sql(ddl::drop_index(&relation, &o.name))
                .drops(id.clone()),
        );
        let mut create = Step::new(format!("create index {name} after its column changed"))
            .sql(n.definition.clone())
            .creates(id.clone())
            .hazard(Hazard::new(
                HazardCode::IndexBuild,
                format!(
                    "index {name} is dropped before its column's type changes and built again \
                     after, without CONCURRENTLY: while it is missing queries cannot use it (a \
                     unique index enforces nothing), and the build blocks writes to {relation}"
                ),
                "run the drop, the column change and the build in one transaction (a \
                 generated migration does; with `pgshift diff`, `psql --single-transaction`): \
                 PostgreSQL rebuilds an index on a retyped column under that change's ACCESS \
                 EXCLUSIVE lock anyway",
            ));
        if n.comment.is_some() {
            create = create.sql(ddl::comment_on(
                &format!("INDEX {name}"),
                n.comment.as_deref(),
            ));
        }
        create.needs = new.dependencies.needs(id).cloned().collect();
        steps.push(create);
    }
    Some(steps)
}

/// The error for a cycle that remains: its steps, and which waits for which.
fn describe(cycle: &Cycle) -> Error {
    const MAX_EDGES: usize = 40;
    let stuck: BTreeSet<usize> = cycle.stuck.iter().copied().collect();
    let name = |i: usize| cycle.steps[i].description.as_str();
    let mut edges = vec![];
    for &b in &cycle.stuck {
        for &a in cycle.after[b].iter().filter(|a| stuck.contains(a)) {
            edges.push(format!("{} -> {}", name(a), name(b)));
        }
    }
    let more = edges.len().saturating_sub(MAX_EDGES);
    edges.truncate(MAX_EDGES);
    let mut text = format!(
        "these steps depend on each other in a cycle: {}\n  edges (before -> after):\n    {}",
        cycle
            .stuck
            .iter()
            .map(|&i| name(i))
            .collect::<Vec<_>>()
            .join("; "),
        edges.join("\n    ")
    );
    if more > 0 {
        text.push_str(&format!("\n    ... and {more} more"));
    }
    Error::Plan(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remaining_cycle_names_its_steps_and_edges() {
        let cycle = Cycle {
            steps: vec![Step::new("a"), Step::new("b"), Step::new("c")],
            stuck: vec![0, 1],
            after: vec![vec![1], vec![0], vec![]],
        };
        let err = describe(&cycle).to_string();
        assert!(err.contains("cycle: a; b"), "{err}");
        assert!(err.contains("b -> a"), "{err}");
        assert!(err.contains("a -> b"), "{err}");
        assert!(!err.contains("; c") && !err.contains("-> c"), "{err}");
    }
}
