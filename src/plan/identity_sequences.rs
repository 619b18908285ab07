//! Grants on identity sequences: the sequence is made with its column (`CREATE TABLE`,
//! `ADD COLUMN`, `ADD GENERATED`), dropped with it, and renamed in place when its name
//! changes (`ALTER SEQUENCE ... RENAME TO` keeps the ACL). The privilege steps ask here
//! which identity sequences are new and which had another name before.

use crate::schema::{identity_sequences, ObjectId, Schema};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default)]
pub struct IdentitySequences {
    /// Sequences the plan makes: the column or its identity is new, or its table or
    /// column is dropped and made again.
    pub fresh: BTreeSet<ObjectId>,
    /// New name -> old name of a sequence renamed with its identity kept.
    pub renamed: BTreeMap<ObjectId, ObjectId>,
    /// Each identity sequence of the new schema -> its column, which must exist first.
    pub column: BTreeMap<ObjectId, ObjectId>,
}

impl IdentitySequences {
    pub fn new(old: &Schema, new: &Schema, dropped: &BTreeSet<&ObjectId>) -> IdentitySequences {
        let mut out = IdentitySequences::default();
        for (sequence, table, column) in identity_sequences(new) {
            let id = ObjectId::Sequence(sequence);
            let column_id = ObjectId::Column(table.clone(), column.clone());
            let before = old
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .and_then(|c| c.identity_sequence(table));
            let remade =
                dropped.contains(&ObjectId::Table(table.clone())) || dropped.contains(&column_id);
            match before {
                Some(b) if !remade => {
                    let b = ObjectId::Sequence(b);
                    if b != id {
                        out.renamed.insert(id.clone(), b);
                    }
                }
                _ => {
                    out.fresh.insert(id.clone());
                }
            }
            out.column.insert(id, column_id);
        }
        // An identity sequence that goes (its identity dropped, its column or table
        // dropped or made again) takes its grants with it: a sequence of the same name in
        // the new schema (an identity column become serial adopts its name) is new.
        for (sequence, table, column) in identity_sequences(old) {
            let still = new
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .and_then(|c| c.identity_sequence(table))
                .is_some_and(|s| s == sequence);
            let remade = dropped.contains(&ObjectId::Table(table.clone()))
                || dropped.contains(&ObjectId::Column(table.clone(), column.clone()));
            let id = ObjectId::Sequence(sequence);
            if (!still || remade) && !out.renamed.values().any(|r| *r == id) {
                out.fresh.insert(id);
            }
        }
        out
    }

    /// The id `id` had in the old schema.
    pub fn before<'a>(&'a self, id: &'a ObjectId) -> &'a ObjectId {
        self.renamed.get(id).unwrap_or(id)
    }
}
