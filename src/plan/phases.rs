//! Phases settled over the step graph.
//!
//! Removing a table or a column loses data, and removing it, a view or a function breaks
//! the application still running that uses it, so `build` puts those drops in the
//! contract phase: `pgshift upgrade` stops before them, and `pgshift complete` runs them
//! once the new application is deployed. Dropping a constraint or a policy only relaxes a
//! rule, which the new application may need before it is deployed: such drops stay in the
//! expand phase. Whatever the graph orders around a contract drop must agree with it:
//!
//! 1. A drop that a creating or altering expand step waits for (a new table that reuses a
//!    constraint name of the table it replaces) cannot wait for the contract phase without
//!    holding the whole expand phase back: it goes back to expand, with its `DATA_LOSS`
//!    hazard as the warning.
//! 2. A pure drop that waits for a contract step (a type used only by a dropped table's
//!    column) joins the contract phase, rather than split the expand phase in two around
//!    a contract migration; so does one that a contract drop waits for (a view or a
//!    function over the dropped table, an index on the dropped column, a foreign key to
//!    the dropped table): the old application may still use it.

use super::{Phase, Step};
use crate::schema::ObjectId;

/// Settles `steps`' phases, given each step's predecessors in `after`.
pub(super) fn settle(steps: &mut [Step], after: &[Vec<usize>]) {
    let n = steps.len();
    // 1: walk back from every step that builds something in the expand phase.
    let mut needed_early = vec![false; n];
    let builds = (0..n).filter(|&i| steps[i].phase == Phase::Expand && !is_pure_drop(&steps[i]));
    walk(after, builds, &mut needed_early);
    for (s, &early) in steps.iter_mut().zip(&needed_early) {
        if early && s.phase == Phase::Contract && is_pure_drop(s) {
            s.phase = Phase::Expand;
        }
    }
    // 2: walk forward from every contract step, and back from every contract drop.
    let mut unblocks: Vec<Vec<usize>> = vec![vec![]; n];
    for (b, preds) in after.iter().enumerate() {
        for &a in preds {
            unblocks[a].push(b);
        }
    }
    let mut late = vec![false; n];
    let contract = |i: &usize| steps[*i].phase == Phase::Contract;
    walk(&unblocks, (0..n).filter(contract), &mut late);
    let drops = (0..n).filter(|i| contract(i) && is_pure_drop(&steps[*i]));
    walk(after, drops, &mut late);
    for (i, s) in steps.iter_mut().enumerate() {
        if late[i] && !needed_early[i] && s.phase == Phase::Expand && removes(s) {
            s.phase = Phase::Contract;
        }
    }
}

/// Marks in `seen` every step reached from `from` along `next`, `from` itself excluded.
fn walk(next: &[Vec<usize>], from: impl Iterator<Item = usize>, seen: &mut [bool]) {
    let mut stack: Vec<usize> = from.collect();
    while let Some(a) = stack.pop() {
        for &b in &next[a] {
            if !seen[b] {
                seen[b] = true;
                stack.push(b);
            }
        }
    }
}

/// A step that only takes objects away.
fn is_pure_drop(s: &Step) -> bool {
    s.creates.is_empty() && s.rewrites.is_empty() && !s.drops.is_empty()
}

/// A pure drop that takes away more than a rule (a constraint, a policy).
fn removes(s: &Step) -> bool {
    let relaxes = |id: &ObjectId| matches!(id, ObjectId::Constraint(..) | ObjectId::Policy(..));
    is_pure_drop(s) && !s.drops.iter().all(relaxes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::QualifiedName;

    fn id(name: &str) -> ObjectId {
        ObjectId::Table(QualifiedName::new("public", name))
    }

    fn drop(name: &str, phase: Phase) -> Step {
        let mut s = Step::new(format!("drop {name}")).drops(id(name));
        s.phase = phase;
        s
    }

    fn create(name: &str) -> Step {
        Step::new(format!("create {name}")).creates(id(name))
    }

    fn phases(steps: &[Step]) -> Vec<Phase> {
        steps.iter().map(|s| s.phase).collect()
    }

    #[test]
    fn a_drop_a_new_object_waits_for_goes_back_to_expand() {
        let mut steps = vec![drop("a", Phase::Contract), create("b")];
        settle(&mut steps, &[vec![], vec![0]]);
        assert_eq!(phases(&steps), [Phase::Expand, Phase::Expand]);
    }

    #[test]
    fn a_drop_after_a_contract_drop_joins_the_contract_phase() {
        let mut steps = vec![drop("t", Phase::Contract), drop("type", Phase::Expand)];
        settle(&mut steps, &[vec![], vec![0]]);
        assert_eq!(phases(&steps), [Phase::Contract, Phase::Contract]);
    }

    #[test]
    fn a_drop_a_contract_drop_waits_for_joins_it_and_unrelated_steps_keep_their_phase() {
        let mut steps = vec![
            drop("view", Phase::Expand),
            drop("t", Phase::Contract),
            create("c"),
            drop("other", Phase::Expand),
        ];
        settle(&mut steps, &[vec![], vec![0], vec![], vec![]]);
        assert_eq!(
            phases(&steps),
            [
                Phase::Contract,
                Phase::Contract,
                Phase::Expand,
                Phase::Expand
            ]
        );
    }

    #[test]
    fn a_dropped_constraint_stays_in_expand_before_a_contract_drop() {
        let t = QualifiedName::new("public", "u");
        let fk = Step::new("drop fk").drops(ObjectId::Constraint(t, "u_t_fkey".into()));
        let mut steps = vec![fk, drop("t", Phase::Contract)];
        settle(&mut steps, &[vec![], vec![0]]);
        assert_eq!(phases(&steps), [Phase::Expand, Phase::Contract]);
    }

    #[test]
    fn a_drop_both_needed_early_and_after_a_contract_step_stays_expand() {
        // contract c -> drop d -> create e: e needs d, so d cannot wait for the contract.
        let mut c = Step::new("set not null").creates(id("c"));
        c.phase = Phase::Contract;
        let mut steps = vec![c, drop("d", Phase::Expand), create("e")];
        settle(&mut steps, &[vec![], vec![0], vec![1]]);
        assert_eq!(phases(&steps)[1], Phase::Expand);
    }
}
