//! serial <-> identity: the column's numbers move from one sequence to another, and the
//! new sequence must go on where the old one stopped, or the next insert on a populated
//! table takes a key that is already there.
//!
//! - serial -> identity: the old sequence is untied from the column and moved aside, the
//!   identity is added (PostgreSQL makes its sequence under the name the model expects),
//!   `setval` copies `last_value` and `is_called` from the old sequence, which is dropped.
//! - identity -> serial: the new sequence is made under a helper name and set to the
//!   identity's next value (`nextval` hands out a number nobody uses, and `setval(...,
//!   false)` makes it the next one again), the identity is dropped (its sequence with it),
//!   and the helper takes the sequence's name.
//!
//! Both hold an ACCESS EXCLUSIVE lock on the table (manual: ALTER TABLE, ADD/DROP
//! IDENTITY); between DROP DEFAULT and the new default an insert that leaves the key out
//! fails, so the statements must share one transaction (each migration file does).

use super::helper_name;
use crate::plan::{Hazard, HazardCode};
use crate::schema::{QualifiedName, Sequence};
use crate::sql::{ddl, ident, qualified};

/// Statements before the identity is added (after the old default is dropped): the
/// serial sequence untied from the column and moved out of the identity's way.
pub fn retire_before(seq: &QualifiedName) -> Vec<String> {
    vec![
        ddl::sequence_owned_by(seq, None),
        ddl::rename_sequence(seq, &retired_name(seq)),
    ]
}

/// Statements after the identity is added: its sequence takes the serial one's position,
/// then the serial one goes.
pub fn retire_after(table: &QualifiedName, column: &str, seq: &QualifiedName) -> Vec<String> {
    let old = QualifiedName::new(seq.schema.clone(), retired_name(seq));
    vec![
        ddl::copy_sequence_position(&ddl::serial_sequence(table, column), &old),
        ddl::drop_sequence(&old),
    ]
}

/// Statements before the identity is dropped: the serial sequence made under a helper
/// name and set to where the identity would go next.
pub fn adopt_before(table: &QualifiedName, column: &str, seq: &Sequence) -> Vec<String> {
    let helper = Sequence {
        name: QualifiedName::new(seq.name.schema.clone(), adopted_name(&seq.name)),
        ..seq.clone()
    };
    vec![
        ddl::create_sequence(&helper),
        ddl::continue_sequence(&helper.name, &ddl::serial_sequence(table, column)),
    ]
}

/// Statements after the identity (and its sequence) is gone: the helper takes the name.
pub fn adopt_after(seq: &Sequence) -> Vec<String> {
    let helper = QualifiedName::new(seq.name.schema.clone(), adopted_name(&seq.name));
    vec![ddl::rename_sequence(&helper, &seq.name.name)]
}

fn retired_name(seq: &QualifiedName) -> String {
    helper_name(&seq.name, "__pgshift_old")
}

fn adopted_name(seq: &QualifiedName) -> String {
    helper_name(&seq.name, "__pgshift_new")
}

pub fn hazard(table: &QualifiedName, column: &str, to_identity: bool) -> Hazard {
    let (from, to) = if to_identity {
        ("serial", "identity")
    } else {
        ("identity", "serial")
    };
    Hazard::new(
        HazardCode::AccessExclusiveLock,
        format!(
            "{table}.{col} changes from {from} to {to}: the table is locked ACCESS EXCLUSIVE \
             while the column's sequence is replaced, and the new sequence is set to where the \
             old one stopped (setval); between its statements an insert that leaves the column \
             out fails",
            table = qualified(table),
            col = ident(column)
        ),
        "run the step's statements in one transaction (each generated migration file does); \
         with `pgshift diff`, run the script with `psql --single-transaction`",
    )
}
