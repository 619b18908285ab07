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
use super::{Few, Step};
use crate::diff::{find_object, Change};
use crate::schema::{Dependencies, ObjectId, Schema};
use rustc_hash::FxHashSet;
use std::collections::BTreeSet;

pub fn dependents(old: &Schema, new: &Schema, steps: &mut Vec<Step>) {
    let ctx = Context::new(old, new, &[] as &[Change]);
    let graph = &old.dependencies;
    let mut dropped = Marks::new(graph);
    let mut created = Marks::new(graph);
    // Each round looks only at the steps the round before added (at first, all of them):
    // what an earlier step's drops excluded stays excluded, as both sets only grow. Each
    // round may drop more (a view on a recreated view); stop when nothing is added.
    let mut first_new = 0;
    while first_new < steps.len() {
        let fresh = &steps[first_new..];
        let places = Resolved::all(graph, fresh);
        // (place, really dropped) of what the fresh steps drop or rewrite.
        let mut affected: Vec<(u32, bool)> = vec![];
        for (s, p) in fresh.iter().zip(&places) {
            for (id, &at) in s.drops.iter().zip(&p.drops) {
                dropped.mark(id, at);
                affected.extend(at.map(|x| (x, true)));
            }
            for (id, &at) in s.creates.iter().zip(&p.creates) {
                created.mark(id, at);
            }
            affected.extend(p.rewrites.iter().map(|&x| (x, false)));
        }
        // A dependent redefined in place so that it no longer needs `x` (a view that
        // stops reading a dropped column) is released by its own step, which the graph
        // orders first; it needs no drop and create.
        let released = |d: u32, x: u32| {
            created.has_at(d) && {
                let x = graph.id(x);
                !new.dependencies.needs(graph.id(d)).any(|y| y == x)
            }
        };
        let mut to_replace: BTreeSet<&ObjectId> = BTreeSet::new();
        for &(x, really_dropped) in &affected {
            for &d in graph.dependents_at(x) {
                let d_id = graph.id(d);
                if recreatable(d_id, really_dropped) && !dropped.has_at(d) && !released(d, x) {
                    to_replace.insert(d_id);
                }
            }
        }
        let to_create: BTreeSet<ObjectId> = fresh
            .iter()
            .zip(&places)
            .flat_map(|(s, p)| s.drops.iter().zip(&p.drops))
            .filter(|&(d, &at)| recreatable(d, true) && !created.has(d, at))
            .map(|(d, _)| d.clone())
            .collect();
        // What is recreated supersedes any in-place change planned for it.
        steps.retain(|s| !(s.drops.is_empty() && s.creates.iter().any(|c| to_replace.contains(c))));
        first_new = steps.len();
        for id in to_replace {
            if let (Some(o), Some(n)) = (find_object(old, id), find_object(new, id)) {
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

/// A step's ids in the old graph, looked up once.
struct Resolved {
    drops: Few<Option<u32>>,
    creates: Few<Option<u32>>,
    /// Rewritten objects the graph holds (others have no dependents to recreate).
    rewrites: Few<u32>,
}

impl Resolved {
    /// Every step's, in order, on all cores: these lookups are most of the work.
    fn all(graph: &Dependencies, steps: &[Step]) -> Vec<Resolved> {
        crate::par::map_chunks(steps, |part| {
            part.iter()
                .map(|s| Resolved {
                    drops: s.drops.iter().map(|id| graph.index_of(id)).collect(),
                    creates: s.creates.iter().map(|id| graph.index_of(id)).collect(),
                    rewrites: s
                        .rewrites
                        .iter()
                        .filter_map(|id| graph.index_of(id))
                        .collect(),
                })
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A set of objects, kept as flags over the old schema's dependency graph; objects
/// outside that graph are kept by id. Callers pass each id with its place in the graph
/// (`Resolved`), so nothing is looked up twice.
struct Marks {
    in_graph: Vec<bool>,
    others: FxHashSet<ObjectId>,
}

impl Marks {
    fn new(graph: &Dependencies) -> Marks {
        Marks {
            in_graph: vec![false; graph.len()],
            others: FxHashSet::default(),
        }
    }

    fn mark(&mut self, id: &ObjectId, at: Option<u32>) {
        match at {
            Some(i) => self.in_graph[i as usize] = true,
            None => {
                self.others.insert(id.clone());
            }
        }
    }

    fn has(&self, id: &ObjectId, at: Option<u32>) -> bool {
        match at {
            Some(i) => self.in_graph[i as usize],
            None => self.others.contains(id),
        }
    }

    fn has_at(&self, i: u32) -> bool {
        self.in_graph[i as usize]
    }
}

/// Kinds of object that can be dropped and recreated from their definition alone. When a
/// column's type changes in place PostgreSQL rebuilds its indexes and constraints itself,
/// so only when the object is really dropped do those need recreating.
fn recreatable(id: &ObjectId, really_dropped: bool) -> bool {
    match id {
        // A statistics object is rebuilt by PostgreSQL when a column's type changes, but
        // its expressions may not survive the new type: it is dropped and recreated.
        ObjectId::View(_)
        | ObjectId::Trigger(..)
        | ObjectId::Policy(..)
        | ObjectId::Statistics(_) => true,
        ObjectId::Index(..) | ObjectId::Constraint(..) => really_dropped,
        // A function whose signature names a type that is dropped and made again (a
        // range type recreated beside the old one, the old one then dropped) would
        // follow the old type and block its DROP: it goes before and comes back after.
        ObjectId::Function(_) => really_dropped,
        _ => false,
    }
}
