//! Orders steps with a dependency graph and a topological sort. Ties keep the order the
//! steps were built in, so the result is deterministic.

use super::{Few, Step};
use crate::schema::{ConstraintKind, Dependencies, Name, ObjectId, Schema};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

/// Edges, `a` before `b`:
/// 1. `b` creates (or rewrites) X and X needs Y in the new schema (or `b` names Y in
///    `needs`): every step that creates Y comes first.
/// 2. `a` drops (or rewrites) X and X needs Y in the old schema: `a` comes before every
///    step that drops Y.
/// 3. A step that drops X comes before a step that creates X (replacement).
/// 5. Steps of one chain (the parts of one change) keep their order.
/// 4. `a` alters X so that it no longer needs Y (a default that stops using a sequence):
///    `a` comes before every step that drops Y. Not when another step drops X (then `a`
///    creates X anew, and rule 2 orders the drop).
/// 6. `b` names Y in `after_drops`: every step that drops Y comes first.
/// 7. `b` creates a relation whose name another step's dropped relation holds (tables,
///    views, sequences, indexes and the indexes of primary key, unique and exclusion
///    constraints share one namespace per schema): the drop comes first, or the create
///    fails with "relation already exists". The same for a routine of the name of a
///    dropped one: PostgreSQL tells routines apart by their input arguments only, so one
///    whose output arguments change cannot be created beside the old one (and overloads
///    of one name are ordered that way too, which is never wrong).
///
/// Phases are settled over the same edges first (`phases`).
pub fn sort(old: &Schema, new: &Schema, mut steps: Vec<Step>) -> Result<Vec<Step>, Cycle> {
    let index = StepIndex::new(&old.dependencies, &new.dependencies, &steps);
    let positions: Vec<usize> = (0..steps.len()).collect();
    let edges = crate::par::map_chunks(&positions, |part| {
        let mut edges = vec![];
        for &i in part {
            index.edges_of(i, &mut edges);
        }
        edges
    });
    let mut after: Vec<Vec<usize>> = vec![vec![]; steps.len()];
    let mut edge = |a: usize, b: usize| {
        if a != b {
            after[b].push(a);
        }
    };
    for (a, b) in edges.into_iter().flatten() {
        edge(a, b);
    }
    // 7: a name freed by one step and taken by another.
    let mut freed: FxHashMap<(Namespace, &Name, &Name), Vec<usize>> = FxHashMap::default();
    for (a, s) in steps.iter().enumerate() {
        for id in &s.drops {
            if let Some(key) = taken_name(old, id) {
                freed.entry(key).or_default().push(a);
            }
        }
    }
    if !freed.is_empty() {
        for (b, s) in steps.iter().enumerate() {
            let taken = s.creates.iter().filter_map(|id| taken_name(new, id));
            for a in taken.flat_map(|key| freed.get(&key)).flatten() {
                edge(*a, b);
            }
        }
    }
    // 5: the steps of one chain keep their order.
    let mut chains: BTreeMap<&ObjectId, Vec<(u32, usize)>> = BTreeMap::new();
    for (i, s) in steps.iter().enumerate() {
        if let Some((id, pos)) = &s.chain {
            chains.entry(id).or_default().push((*pos, i));
        }
    }
    for links in chains.values_mut() {
        links.sort();
        for w in links.windows(2) {
            edge(w[0].1, w[1].1);
        }
    }
    for preds in &mut after {
        preds.sort_unstable();
        preds.dedup();
    }
    super::phases::settle(&mut steps, &after);
    topological(steps, after)
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Namespace {
    Relation,
    Routine,
}

/// The name `id` takes in its schema: in the relation namespace (`pg_class`), or as a
/// routine (`pg_proc`, arguments aside).
fn taken_name<'s>(schema: &'s Schema, id: &'s ObjectId) -> Option<(Namespace, &'s Name, &'s Name)> {
    let relation = |schema, name| Some((Namespace::Relation, schema, name));
    match id {
        ObjectId::Table(q) | ObjectId::View(q) | ObjectId::Sequence(q) => {
            relation(&q.schema, &q.name)
        }
        ObjectId::Index(on, name) => relation(&on.schema, name),
        ObjectId::Function(key) => Some((Namespace::Routine, &key.schema, &key.name)),
        ObjectId::Constraint(table, name) => {
            let c = schema.tables.get(table)?.constraints.get(name)?;
            let indexed = matches!(
                c.kind,
                ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
            );
            if indexed {
                relation(&table.schema, name)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The steps laid over the two schemas' dependency graphs, so that following an edge
/// is an array lookup rather than a hash of a name.
struct StepIndex<'a> {
    old: &'a Dependencies,
    new: &'a Dependencies,
    steps: &'a [Step],
    places: Vec<Places<'a>>,
    /// Steps by what they create or rewrite, by index in the new graph.
    creators: StepsBy,
    /// The same for objects outside the new graph (no edge either way), by id.
    other_creators: FxHashMap<&'a ObjectId, Vec<usize>>,
    /// Steps by what they drop or rewrite, by index in the old graph.
    droppers: StepsBy,
}

impl<'a> StepIndex<'a> {
    fn new(old: &'a Dependencies, new: &'a Dependencies, steps: &'a [Step]) -> StepIndex<'a> {
        // Each step's objects looked up once, on all cores: this is most of the work.
        let places: Vec<Places<'a>> = crate::par::map_chunks(steps, |part| {
            part.iter()
                .map(|s| Places::of(old, new, s))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        let mut index = StepIndex {
            old,
            new,
            steps,
            places,
            creators: StepsBy::default(),
            other_creators: FxHashMap::default(),
            droppers: StepsBy::default(),
        };
        for (i, p) in index.places.iter().enumerate() {
            for &x in &p.created {
                index.creators.add(x, i);
            }
            for &id in &p.created_outside {
                index.other_creators.entry(id).or_default().push(i);
            }
            for &x in &p.dropped {
                index.droppers.add(x, i);
            }
        }
        index
    }

    fn creators_of(&self, id: &ObjectId, at: Option<u32>) -> &[usize] {
        match at {
            Some(x) => self.creators.of(x),
            None => self.other_creators.get(id).map_or(&[], Vec::as_slice),
        }
    }

    /// Edges (before, after) that rules 1 to 4 give step `i`.
    fn edges_of(&self, i: usize, edges: &mut Vec<(usize, usize)>) {
        let (s, p) = (&self.steps[i], &self.places[i]);
        // 1: what `i` creates needs what other steps create.
        for &x in &p.created {
            for &y in self.new.needs_at(x) {
                edges.extend(self.creators.of(y).iter().map(|&a| (a, i)));
            }
        }
        for y in &s.needs {
            let creators = self.creators_of(y, self.new.index_of(y));
            edges.extend(creators.iter().map(|&a| (a, i)));
        }
        // 6: after the steps that drop what `i` waits for.
        for y in &s.after_drops {
            if let Some(at) = self.old.index_of(y) {
                edges.extend(self.droppers.of(at).iter().map(|&a| (a, i)));
            }
        }
        // 2: what `i` drops needed what other steps drop.
        for &x in &p.dropped {
            for &y in self.old.needs_at(x) {
                edges.extend(self.droppers.of(y).iter().map(|&b| (i, b)));
            }
        }
        // 3: drop before create of the same object.
        for (x, &at) in s.drops.iter().zip(&p.drops_in_new) {
            edges.extend(self.creators_of(x, at).iter().map(|&b| (i, b)));
        }
        // 4: what `i` redefines no longer needs what other steps drop. Not when another
        // step drops X itself (X replaced: a table made partitioned or plain, a constraint
        // created anew under the name of one on a column dropped later): the old X is gone
        // before `i` creates the new one (3), and its drop already comes before the drops
        // of what the old X needed (2).
        for &(ox, nx) in &p.redefined {
            if self.droppers.of(ox).iter().any(|&d| d != i) {
                continue;
            }
            let still_needed = nx.map_or(&[][..], |nx| self.new.needs_at(nx));
            for &y in self.old.needs_at(ox) {
                let y_id = self.old.id(y);
                if !still_needed.iter().any(|&n| self.new.id(n) == y_id) {
                    edges.extend(self.droppers.of(y).iter().map(|&b| (i, b)));
                }
            }
        }
    }
}

/// Steps by a graph index. Few objects of the graph have a step (a plan touches a
/// fraction of the schema), so a small map rather than a list the size of the graph.
#[derive(Default)]
struct StepsBy(FxHashMap<u32, Few<usize>>);

impl StepsBy {
    fn add(&mut self, at: u32, step: usize) {
        self.0.entry(at).or_default().push(step);
    }

    fn of(&self, at: u32) -> &[usize] {
        self.0.get(&at).map_or(&[], |steps| steps.as_slice())
    }
}

/// Where one step's objects sit in the two graphs.
struct Places<'s> {
    /// What it creates or rewrites, in the new graph.
    created: Few<u32>,
    /// What it creates or rewrites that the new graph does not hold.
    created_outside: Vec<&'s ObjectId>,
    /// What it drops or rewrites, in the old graph.
    dropped: Few<u32>,
    /// Each of its `drops`, in the new graph.
    drops_in_new: Few<Option<u32>>,
    /// Each of its `creates` that the old graph holds too: (old, new).
    redefined: Few<(u32, Option<u32>)>,
}

impl<'s> Places<'s> {
    fn of(old: &Dependencies, new: &Dependencies, s: &'s Step) -> Places<'s> {
        let in_new = |id: &ObjectId| new.index_of(id);
        let in_old = |id: &ObjectId| old.index_of(id);
        let creates_new: Few<Option<u32>> = s.creates.iter().map(in_new).collect();
        let rewrites_new: Few<Option<u32>> = s.rewrites.iter().map(in_new).collect();
        let made = s.creates.iter().zip(&creates_new);
        let made = made.chain(s.rewrites.iter().zip(&rewrites_new));
        let created_outside = made.filter(|(_, at)| at.is_none()).map(|(id, _)| id);
        let redefined = s
            .creates
            .iter()
            .zip(&creates_new)
            .filter_map(|(id, &nx)| Some((in_old(id)?, nx)))
            .collect();
        let created = creates_new.iter().chain(&rewrites_new).flatten().copied();
        let dropped = s.drops.iter().filter_map(in_old);
        Places {
            created_outside: created_outside.collect(),
            created: created.collect(),
            dropped: dropped
                .chain(s.rewrites.iter().filter_map(in_old))
                .collect(),
            drops_in_new: s.drops.iter().map(in_new).collect(),
            redefined,
        }
    }
}

/// Steps that could not be ordered: they are handed back, with the ones that wait on a
/// cycle (or on a step that does) and every step's predecessors, for `cycles` to break
/// the cycle or name it.
#[derive(Debug)]
pub struct Cycle {
    pub steps: Vec<Step>,
    pub stuck: Vec<usize>,
    pub after: Vec<Vec<usize>>,
}

/// Kahn's algorithm, always taking the earliest-built step that is ready.
fn topological(steps: Vec<Step>, after: Vec<Vec<usize>>) -> Result<Vec<Step>, Cycle> {
    let n = steps.len();
    let mut waiting: Vec<usize> = after.iter().map(Vec::len).collect();
    let mut unblocks: Vec<Vec<usize>> = vec![vec![]; n];
    for (b, preds) in after.iter().enumerate() {
        for &a in preds {
            unblocks[a].push(b);
        }
    }
    // Contract steps wait until no expand step is ready; within a phase, steps that can run
    // in a transaction with others go first, so they gather into as few transactions as
    // possible, then those that need a transaction of their own (validations, rewrites),
    // and the long concurrent builds come after the quick catalog changes.
    let rank = |s: &Step| match (s.transactional, s.own_transaction) {
        (true, false) => 0u8,
        (true, true) => 1,
        (false, _) => 2,
    };
    let key = |i: usize| (steps[i].phase, rank(&steps[i]), i);
    let mut ready: BTreeSet<_> = (0..n).filter(|&i| waiting[i] == 0).map(key).collect();
    let mut order = Vec::with_capacity(n);
    while let Some((_, _, i)) = ready.pop_first() {
        order.push(i);
        for &b in &unblocks[i] {
            waiting[b] -= 1;
            if waiting[b] == 0 {
                ready.insert(key(b));
            }
        }
    }
    if order.len() < n {
        let stuck: Vec<usize> = (0..n).filter(|i| waiting[*i] > 0).collect();
        return Err(Cycle {
            steps,
            stuck,
            after,
        });
    }
    let mut slots: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .map(|i| slots[i].take().expect("each step once"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str) -> Step {
        Step::new(name)
    }

    #[test]
    fn cycle_hands_back_the_stuck_steps() {
        let steps = vec![step("a"), step("b"), step("c")];
        let after = vec![vec![1], vec![0], vec![]];
        let Err(cycle) = topological(steps, after) else {
            panic!("a cycle was ordered");
        };
        assert_eq!(cycle.stuck, [0, 1]);
        assert_eq!(cycle.steps.len(), 3);
    }

    #[test]
    fn ties_keep_build_order() {
        let steps = vec![step("a"), step("b"), step("c")];
        let after = vec![vec![], vec![], vec![0]];
        let order: Vec<String> = topological(steps, after)
            .unwrap()
            .into_iter()
            .map(|s| s.description)
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
    }
}
