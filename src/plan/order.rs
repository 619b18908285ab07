//! Orders steps with a dependency graph and a topological sort. Ties keep the order the
//! steps were built in, so the result is deterministic.

use super::Step;
use crate::error::{Error, Result};
use crate::schema::{ObjectId, Schema};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Edges, `a` before `b`:
/// 1. `b` creates (or rewrites) X and X needs Y in the new schema (or `b` names Y in
///    `needs`): every step that creates Y comes first.
/// 2. `a` drops (or rewrites) X and X needs Y in the old schema: `a` comes before every
///    step that drops Y.
/// 3. A step that drops X comes before a step that creates X (replacement).
/// 5. Steps of one chain (the parts of one change) keep their order.
/// 4. `a` alters X so that it no longer needs Y (a default that stops using a sequence):
///    `a` comes before every step that drops Y.
pub fn sort(old: &Schema, new: &Schema, steps: Vec<Step>) -> Result<Vec<Step>> {
    // Looked up only, never iterated, so hash maps keep the result deterministic.
    let mut creators: HashMap<&ObjectId, Vec<usize>> = HashMap::new();
    let mut droppers: HashMap<&ObjectId, Vec<usize>> = HashMap::new();
    for (i, s) in steps.iter().enumerate() {
        for id in s.creates.iter().chain(&s.rewrites) {
            creators.entry(id).or_default().push(i);
        }
        for id in s.drops.iter().chain(&s.rewrites) {
            droppers.entry(id).or_default().push(i);
        }
    }
    let mut after: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); steps.len()];
    let mut edge = |a: usize, b: usize| {
        if a != b {
            after[b].insert(a);
        }
    };
    for (b, s) in steps.iter().enumerate() {
        for x in s.creates.iter().chain(&s.rewrites) {
            for y in new.dependencies.needs(x) {
                for &a in creators.get(y).into_iter().flatten() {
                    edge(a, b);
                }
            }
        }
        for y in &s.needs {
            for &a in creators.get(y).into_iter().flatten() {
                edge(a, b);
            }
        }
    }
    for (a, s) in steps.iter().enumerate() {
        for x in s.drops.iter().chain(&s.rewrites) {
            for y in old.dependencies.needs(x) {
                for &b in droppers.get(y).into_iter().flatten() {
                    edge(a, b);
                }
            }
        }
        for x in &s.drops {
            for &b in creators.get(x).into_iter().flatten() {
                edge(a, b);
            }
        }
        for x in &s.creates {
            let still_needed: Vec<&ObjectId> = new.dependencies.needs(x).collect();
            for y in old
                .dependencies
                .needs(x)
                .filter(|y| !still_needed.contains(y))
            {
                for &b in droppers.get(y).into_iter().flatten() {
                    edge(a, b);
                }
            }
        }
    }
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
    topological(steps, after)
}

/// Kahn's algorithm, always taking the earliest-built step that is ready.
fn topological(steps: Vec<Step>, after: Vec<BTreeSet<usize>>) -> Result<Vec<Step>> {
    let n = steps.len();
    let mut waiting: Vec<usize> = after.iter().map(BTreeSet::len).collect();
    let mut unblocks: Vec<Vec<usize>> = vec![vec![]; n];
    for (b, preds) in after.iter().enumerate() {
        for &a in preds {
            unblocks[a].push(b);
        }
    }
    // Contract steps wait until no expand step is ready; within a phase, steps that can run
    // in a transaction go first, so they gather into as few transactions as possible and
    // the long concurrent builds come after the quick catalog changes.
    let key = |i: usize| (steps[i].phase, !steps[i].transactional, i);
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
        let stuck: Vec<String> = (0..n)
            .filter(|i| waiting[*i] > 0)
            .map(|i| steps[i].description.clone())
            .collect();
        return Err(Error::Plan(format!(
            "these steps depend on each other in a cycle: {}",
            stuck.join("; ")
        )));
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
    fn cycle_is_an_error_naming_the_steps() {
        let steps = vec![step("a"), step("b"), step("c")];
        let after = vec![BTreeSet::from([1]), BTreeSet::from([0]), BTreeSet::new()];
        let err = topological(steps, after).unwrap_err().to_string();
        assert!(err.contains("a; b"), "{err}");
        assert!(!err.contains('c'.to_string().as_str()) || err.contains("cycle"));
    }

    #[test]
    fn ties_keep_build_order() {
        let steps = vec![step("a"), step("b"), step("c")];
        let after = vec![BTreeSet::new(), BTreeSet::new(), BTreeSet::from([0])];
        let order: Vec<String> = topological(steps, after)
            .unwrap()
            .into_iter()
            .map(|s| s.description)
            .collect();
        assert_eq!(order, ["a", "b", "c"]);
    }
}
