//! Steps for range types and extended statistics objects. Neither has options that
//! `ALTER` can change (but a statistics object's target): any other change is a drop and
//! a create, and the dependency graph puts the columns and views that need them around.

use super::build::{replace, with_comment, Context};
use super::rules::{self, recreate_range::RangeColumn};
use super::Step;
use crate::schema::*;
use crate::sql::{ddl, qualified};

pub(super) fn create_range(t: &RangeType) -> Step {
    with_comment(
        Step::new(format!("create range type {}", t.name)).sql(ddl::create_range(t)),
        &format!("TYPE {}", qualified(&t.name)),
        &t.comment,
    )
    .creates(ObjectId::Type(t.name.clone()))
}

pub(super) fn drop_range(t: &RangeType) -> Step {
    // The multirange type and the constructor functions go with it.
    Step::new(format!("drop range type {}", t.name))
        .sql(ddl::drop_type(&t.name))
        .drops(ObjectId::Type(t.name.clone()))
}

impl Context<'_> {
    /// Options changed: the type is dropped and created again, or, while columns use
    /// it, recreated beside the old one and the columns converted
    /// (`rules::recreate_range`).
    pub(super) fn alter_range(&self, o: &RangeType, n: &RangeType) -> Vec<Step> {
        let same_but_comment = RangeType {
            comment: None,
            ..o.clone()
        } == RangeType {
            comment: None,
            ..n.clone()
        };
        if same_but_comment {
            return vec![Step::new(format!("comment on type {}", n.name))
                .sql(ddl::comment_on(
                    &format!("TYPE {}", qualified(&n.name)),
                    n.comment.as_deref(),
                ))
                .creates(ObjectId::Type(n.name.clone()))];
        }
        let mut columns = vec![];
        for (type_name, multirange) in [(&o.name, false), (&o.multirange, true)] {
            for (table, column, had_default) in self.columns_of_type(&qualified(type_name)) {
                columns.push(RangeColumn {
                    table,
                    column,
                    had_default,
                    multirange,
                });
            }
        }
        if columns.is_empty() {
            return replace(vec![drop_range(o)], vec![create_range(n)]);
        }
        let mut step = rules::recreate_range::step(o, n, &columns);
        if n.comment.is_some() {
            step = step.sql(ddl::comment_on(
                &format!("TYPE {}", qualified(&n.name)),
                n.comment.as_deref(),
            ));
        }
        vec![step]
    }
}

fn statistics_comment(s: &Statistics) -> String {
    ddl::comment_on(
        &format!("STATISTICS {}", qualified(&s.name)),
        s.comment.as_deref(),
    )
}

/// `CREATE STATISTICS` takes a SHARE UPDATE EXCLUSIVE lock on the table: reads and
/// writes go on; the statistics are filled by the next `ANALYZE`.
pub(super) fn create_statistics(s: &Statistics) -> Step {
    let mut step = Step::new(format!("create statistics {} on {}", s.name, s.table));
    for statement in ddl::create_statistics(s) {
        step = step.sql(statement);
    }
    if s.comment.is_some() {
        step = step.sql(statistics_comment(s));
    }
    step.needs.push(ObjectId::Table(s.table.clone()));
    step.creates(ObjectId::Statistics(s.name.clone()))
}

pub(super) fn drop_statistics(s: &Statistics) -> Step {
    Step::new(format!("drop statistics {}", s.name))
        .sql(ddl::drop_statistics(&s.name))
        .drops(ObjectId::Statistics(s.name.clone()))
}

pub(super) fn alter_statistics(o: &Statistics, n: &Statistics) -> Vec<Step> {
    if o.definition != n.definition || o.table != n.table {
        return replace(vec![drop_statistics(o)], vec![create_statistics(n)]);
    }
    let mut step = Step::new(format!("alter statistics {}", n.name))
        .creates(ObjectId::Statistics(n.name.clone()));
    if o.target != n.target {
        step = step.sql(ddl::statistics_target(&n.name, n.target));
    }
    if o.comment != n.comment {
        step = step.sql(statistics_comment(n));
    }
    vec![step]
}
