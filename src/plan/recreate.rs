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
use std::collections::BTreeSet;

pub fn dependents(old: &Schema, new: &Schema, steps: &mut Vec<Step>) {
    let ctx = Context::new(old, new, &[] as &[Change]);
    let old_dependents = old.dependencies.reverse();
    // Each round may drop more (a view on a recreated view); stop when nothing is added.
    loop {
        let dropped: BTreeSet<ObjectId> = steps.iter().flat_map(|s| s.drops.clone()).collect();
        let created: BTreeSet<ObjectId> = steps.iter().flat_map(|s| s.creates.clone()).collect();
        let mut to_replace: BTreeSet<ObjectId> = BTreeSet::new();
        let mut to_create: BTreeSet<ObjectId> = BTreeSet::new();
        // A dependent redefined in place so that it no longer needs `x` (a view that
        // stops reading a dropped column) is released by its own step, which the graph
        // orders first; it needs no drop and create.
        let released = |d: &ObjectId, x: &ObjectId| {
            created.contains(d) && !new.dependencies.needs(d).any(|y| y == x)
        };
        for step in steps.iter() {
            for x in &step.drops {
                for d in old_dependents.direct_dependents_of(x) {
                    if recreatable(&d, true) && !dropped.contains(&d) && !released(&d, x) {
                        to_replace.insert(d);
                    }
                }
            }
            for x in &step.rewrites {
                for d in old_dependents.direct_dependents_of(x) {
                    if recreatable(&d, false) && !dropped.contains(&d) && !released(&d, x) {
                        to_replace.insert(d);
                    }
                }
            }
        }
        // What is recreated supersedes any in-place change planned for it.
        steps.retain(|s| !(s.drops.is_empty() && s.creates.iter().any(|c| to_replace.contains(c))));
        for d in &dropped {
            if !created.contains(d) && recreatable(d, true) {
                to_create.insert(d.clone());
            }
        }
        let mut added = false;
        for id in to_replace {
            if let (Some(o), Some(n)) = (find_object(old, &id), find_object(new, &id)) {
                steps.extend(ctx.drop(&o));
                steps.extend(ctx.create(&n));
                added = true;
            }
        }
        for id in to_create {
            if let Some(n) = find_object(new, &id) {
                steps.extend(ctx.create(&n));
                added = true;
            }
        }
        if !added {
            return;
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
