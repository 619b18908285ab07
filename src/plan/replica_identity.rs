//! A table's `REPLICA IDENTITY` (what logical replication writes to the WAL for an
//! UPDATE or DELETE). Setting it is a catalog change under a brief ACCESS EXCLUSIVE lock,
//! without a scan; `USING INDEX` needs the (unique, valid, non-partial) index built first.

use super::Step;
use crate::schema::{ObjectId, QualifiedName, ReplicaIdentity};
use crate::sql::ddl;

/// The step that takes table `name` from replica identity `from` to `to`, if they differ
/// (a new table starts from `Default`).
pub(super) fn change(
    name: &QualifiedName,
    from: &ReplicaIdentity,
    to: &ReplicaIdentity,
) -> Option<Step> {
    if from == to {
        return None;
    }
    let mut step =
        Step::new(format!("replica identity of table {name}")).sql(ddl::replica_identity(name, to));
    step.needs.push(ObjectId::Table(name.clone()));
    if let ReplicaIdentity::Index(index) = to {
        step.needs
            .push(ObjectId::Index(name.clone(), index.clone()));
    }
    Some(step)
}
