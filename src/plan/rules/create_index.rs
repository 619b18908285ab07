//! Indexes on tables that already exist are built and dropped `CONCURRENTLY`: a plain
//! `CREATE INDEX` holds a SHARE lock that blocks every INSERT, UPDATE and DELETE for the
//! whole build, and `DROP INDEX` an ACCESS EXCLUSIVE lock. Concurrent forms cannot run in
//! a transaction block. A changed index is built under a temporary name first, so the
//! table is never without it. (PostgreSQL manual: CREATE INDEX, "Building Indexes
//! Concurrently".)

use super::{concurrently, helper_name, table_label};
use crate::plan::{chain, Hazard, HazardCode, Step};
use crate::schema::{Index, ObjectId, QualifiedName};
use crate::sql::{ddl, ident};

const OUTSIDE: &str = "CONCURRENTLY cannot run inside a transaction block";

fn build_hazard(relation: &QualifiedName) -> Hazard {
    Hazard::new(
        HazardCode::IndexBuild,
        format!(
            "builds an index on {} with CONCURRENTLY: writes go on, but it scans the table \
             twice and waits for running transactions; if it fails it leaves an INVALID index",
            table_label(relation)
        ),
        "run it at a quiet time; if it fails, pgshift sees the INVALID index and rebuilds it",
    )
}

/// `CREATE INDEX CONCURRENTLY` for an index on an existing relation.
pub fn create(relation: &QualifiedName, index: &Index, step: Step) -> Step {
    let mut step = step;
    step.statements = step
        .statements
        .iter()
        .map(|s| {
            if s == &index.definition {
                concurrently(s)
            } else {
                s.clone()
            }
        })
        .collect();
    step.outside_transaction(OUTSIDE)
        .hazard(build_hazard(relation))
}

/// A partitioned table's index cannot be built concurrently (PostgreSQL 15): it is built
/// on every partition under a SHARE lock.
pub fn partitioned(relation: &QualifiedName, step: Step) -> Step {
    step.in_own_transaction().hazard(Hazard::new(
        HazardCode::IndexBuild,
        format!(
            "builds an index on partitioned table {} under a SHARE lock on every partition: \
             INSERT, UPDATE and DELETE wait until it is done",
            table_label(relation)
        ),
        "for a large table, create the index ON ONLY the parent, build each partition's \
         index CONCURRENTLY and ATTACH PARTITION them, by hand",
    ))
}

/// `DROP INDEX CONCURRENTLY` for an index of a relation that stays.
pub fn drop(relation: &QualifiedName, index: &Index) -> Step {
    Step::new(format!(
        "drop index {}",
        ddl::index_name(relation, &index.name)
    ))
    .sql(format!(
        "DROP INDEX CONCURRENTLY {}",
        ddl::index_name(relation, &index.name)
    ))
    .drops(ObjectId::Index(relation.clone(), index.name.clone()))
    .outside_transaction(OUTSIDE)
}

/// A changed index: build the new one under a temporary name, drop the old one, rename.
/// `needs`: what the new index needs (its columns, functions), for the build.
pub fn replace(
    relation: &QualifiedName,
    old: &Index,
    new: &Index,
    needs: Vec<ObjectId>,
) -> Vec<Step> {
    let id = ObjectId::Index(relation.clone(), new.name.clone());
    let temp = helper_name(&new.name, "_pgshift_new");
    let named = format!("INDEX {} ON ", ident(&new.name));
    let temp_definition =
        new.definition
            .replacen(&named, &format!("INDEX {} ON ", ident(&temp)), 1);
    let build = Step::new(format!(
        "build the new version of index {} as {}",
        ddl::index_name(relation, &new.name),
        ident(&temp)
    ))
    .sql(concurrently(&temp_definition))
    .outside_transaction(OUTSIDE)
    .hazard(build_hazard(relation));
    let mut build = build;
    build.needs = needs;
    let drop_old = drop(relation, old);
    let mut rename = Step::new(format!("rename {} to {}", ident(&temp), ident(&new.name)))
        .sql(format!(
            "ALTER INDEX {} RENAME TO {}",
            ddl::index_name(relation, &temp),
            ident(&new.name)
        ))
        .creates(id.clone());
    if new.comment.is_some() {
        rename = rename.sql(ddl::comment_on(
            &format!("INDEX {}", ddl::index_name(relation, &new.name)),
            new.comment.as_deref(),
        ));
    }
    // The rename is where the new index comes into being for the graph.
    chain(&id, vec![build, drop_old, rename])
}
