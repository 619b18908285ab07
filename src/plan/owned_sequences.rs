//! A sequence that outlives the column that owns it.
//!
//! `OWNED BY` makes PostgreSQL drop a sequence with its column or table. When the old
//! owner goes but the new schema keeps the sequence (a table replaced by another that
//! takes over its serial sequence), the sequence is untied (`OWNED BY NONE`) in the step
//! that drops the owner, before the drop, and tied to its new owner only after: the two
//! steps share a chain so the graph keeps them in that order.

use super::Step;
use crate::schema::{Name, ObjectId, QualifiedName, Schema};
use crate::sql::ddl;

/// Sequences of `old` owned by `table` (by its column `column` when given) that `new`
/// keeps.
fn kept<'s>(
    old: &'s Schema,
    new: &Schema,
    table: &QualifiedName,
    column: Option<&Name>,
) -> Vec<&'s QualifiedName> {
    old.sequences
        .values()
        .filter(|s| {
            s.owned_by
                .as_ref()
                .is_some_and(|(t, c)| t == table && column.is_none_or(|col| col == c))
        })
        .filter(|s| new.sequences.contains_key(&s.name))
        .map(|s| &s.name)
        .collect()
}

/// `step` drops `table` (or its column): the sequences it owns that live on are untied
/// first, in the same step.
pub fn untie_before_drop(
    old: &Schema,
    new: &Schema,
    table: &QualifiedName,
    column: Option<&Name>,
    mut step: Step,
) -> Step {
    let sequences = kept(old, new, table, column);
    if sequences.is_empty() {
        return step;
    }
    let untie = sequences.iter().map(|s| ddl::sequence_owned_by(s, None));
    step.statements = untie.chain(step.statements).collect();
    // Each sequence's `OWNED BY` of the new owner comes after (see `tie_after_drop`);
    // a step has one chain, so a table owning several moved sequences orders by the first.
    step.chain = Some((ObjectId::Sequence(sequences[0].clone()), 0));
    step
}

/// The step that ties `sequence` to its new owner, after the old owner's drop untied it.
pub fn tie_after_drop(mut step: Step, sequence: &QualifiedName) -> Step {
    step.chain = Some((ObjectId::Sequence(sequence.clone()), 1));
    step
}
