//! Objects that go down with something a step drops or rewrites, and must come back.
//!
//! PostgreSQL refuses to drop or retype an object others depend on (a view reading a
//! column, a foreign key using a unique constraint), and dropping a view or table takes
//! its indexes with it. So: dependents that live on in the new schema are dropped before
//! and recreated after; objects dropped along with their owner are recreated.
//!
//! Only direct dependents are taken each round: a dependent that is itself recreated
//! brings its own dependents in the next round, while one that stays (a column whose
//! default used a dropped sequence) shields what depends on it.

use super::build::Context;
use super::Step;
use crate::diff::{find_object, Change};
use crate::schema::{ObjectId, Schema};
use rustc_hash::FxHashSet;
use std::collections::BTreeSet;

pub fn dependents(old: &Schema, new: &Schema, steps: &mut Vec<Step>) {
    let ctx = Context::new(old, new, &[] as &[Change]);
    let mut dropped = Marks::new(old);
    let mut created = Marks::new(old);
    // Each round looks only at the steps the round before added (at first, all of them):
    // what an earlier step's drops excluded stays excluded, as both sets only grow. Each
    // round may drop more (a view on a recreated view); stop when nothing is added.
    let mut first_new = 0;
    while first_new < steps.len() {
        let fresh = &steps[first_new..];
        for s in fresh {
            s.drops.iter().for_each(|id| dropped.insert(id));
            s.creates.iter().for_each(|id| created.insert(id));
        }
        // A dependent redefined in place so that it no longer needs `x` (a view that
        // stops reading a dropped column) is released by its own step, which the graph
        // orders first; it needs no drop and create.
        let released = |d: &ObjectId, x: &ObjectId| {
            created.contains(d) && !new.dependencies.needs(d).any(|y| y == x)
        };
        let mut to_replace: BTreeSet<ObjectId> = BTreeSet::new();
        for step in fresh {
            let affected = step.drops.iter().map(|x| (x, true));
            for (x, really_dropped) in affected.chain(step.rewrites.iter().map(|x| (x, false))) {
                for d in old.dependencies.direct_dependents_of(x) {
                    if recreatable(d, really_dropped) && !dropped.contains(d) && !released(d, x) {
                        to_replace.insert(d.clone());
                    }
                }
            }
        }
        let to_create: BTreeSet<ObjectId> = fresh
            .iter()
            .flat_map(|s| &s.drops)
            .filter(|d| !created.contains(d) && recreatable(d, true))
            .cloned()
            .collect();
        // What is recreated supersedes any in-place change planned for it.
        steps.retain(|s| !(s.drops.is_empty() && s.creates.iter().any(|c| to_replace.contains(c))));
        first_new = steps.len();
        for id in to_replace {
            if let (Some(o), Some(n)) = (find_object(old, &id), find_object(new, &id)) {
                steps.extend(ctx.drop(&o));
                steps.extend(ctx.create(&n));
            }
        }
        for id in to_create {
            if let Some(n) = find_object(new, &id) {
                steps.extend(ctx.create(&n));
            }
        }
    }
}

/// A set of objects, kept as flags over the old schema's dependency graph (no name is
/// copied or hashed twice); objects outside that graph are kept by id.
struct Marks<'a> {
    graph: &'a crate::schema::Dependencies,
    in_graph: Vec<bool>,
    others: FxHashSet<ObjectId>,
}

impl<'a> Marks<'a> {
    fn new(old: &'a Schema) -> Marks<'a> {
        Marks {
            graph: &old.dependencies,
            in_graph: vec![false; old.dependencies.len()],
            others: FxHashSet::default(),
        }
    }

    fn insert(&mut self, id: &ObjectId) {
        match self.graph.index_of(id) {
            Some(i) => self.in_graph[i as usize] = true,
            None => {
                self.others.insert(id.clone());
            }
        }
    }

    fn contains(&self, id: &ObjectId) -> bool {
        match self.graph.index_of(id) {
            Some(i) => self.in_graph[i as usize],
            None => self.others.contains(id),
        }
    }
}

/// Kinds of object that can be dropped and recreated from their definition alone. When a
/// column's type changes in place PostgreSQL rebuilds its indexes and constraints itself,
/// so only when the object is really dropped do those need recreating.
fn recreatable(id: &ObjectId, really_dropped: bool) -> bool {
    match id {
        ObjectId::View(_) | ObjectId::Trigger(..) | ObjectId::Policy(..) => true,
        ObjectId::Index(..) | ObjectId::Constraint(..) => really_dropped,
        _ => false,
    }
}
