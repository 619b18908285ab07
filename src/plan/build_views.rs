//! Steps for views and policies: redefined in place where PostgreSQL allows it
//! (`CREATE OR REPLACE VIEW` with columns only appended, `ALTER POLICY`).

use super::build::with_comment;
use super::Step;
use crate::schema::*;
use crate::sql::{ddl, ident, qualified};
use std::collections::BTreeSet;

pub(super) fn create_view(v: &View) -> Step {
    let kw = ddl::view_keyword(v);
    let mut step = with_comment(
        Step::new(format!("create {} {}", kw.to_lowercase(), v.name)).sql(ddl::create_view(v)),
        &format!("{kw} {}", qualified(&v.name)),
        &v.comment,
    );
    for (col, c) in &v.column_comments {
        step = step.sql(ddl::comment_on(
            &format!("COLUMN {}.{}", qualified(&v.name), ident(col)),
            Some(c),
        ));
    }
    step
}

/// A plain view whose columns only grow at the end can be redefined with
/// `CREATE OR REPLACE VIEW` (and its options with `ALTER VIEW ... SET`), keeping the view,
/// its grants and the views built on it.
pub(super) fn replaceable_in_place(o: &View, n: &View) -> bool {
    !o.materialized
        && !n.materialized
        && n.columns.len() >= o.columns.len()
        && n.columns[..o.columns.len()] == o.columns[..]
        && !same_view_but_comments(o, n)
}

pub(super) fn replace_view_in_place(o: &View, n: &View) -> Vec<Step> {
    let id = ObjectId::View(n.name.clone());
    let mut step = Step::new(format!("redefine view {}", n.name)).creates(id);
    if o.definition != n.definition || o.columns != n.columns {
        let create = ddl::create_view(&View {
            options: vec![],
            ..n.clone()
        });
        step = step.sql(create.replacen("CREATE VIEW", "CREATE OR REPLACE VIEW", 1));
    }
    if o.options != n.options {
        for action in ddl::option_changes(&o.options, &n.options) {
            step = step.sql(format!("ALTER VIEW {} {action}", qualified(&n.name)));
        }
    }
    let mut steps = vec![step];
    steps.extend(
        view_comments(o, n)
            .into_iter()
            .filter(|s| !s.statements.is_empty()),
    );
    steps
}

/// `ALTER POLICY` changes roles and expressions, but not the command or kind, and cannot
/// take an expression away.
pub(super) fn alterable_policy(o: &Policy, n: &Policy) -> bool {
    o.command == n.command
        && o.permissive == n.permissive
        && (n.using.is_some() || o.using.is_none())
        && (n.with_check.is_some() || o.with_check.is_none())
}

pub(super) fn alter_policy(table: &QualifiedName, o: &Policy, n: &Policy) -> Step {
    let target = format!("POLICY {} ON {}", ident(&n.name), qualified(table));
    let mut step = Step::new(format!("alter policy {} on {table}", ident(&n.name)));
    let mut clauses = vec![];
    if o.roles != n.roles {
        clauses.push(format!("TO {}", ddl::policy_roles(&n.roles)));
    }
    if o.using != n.using {
        if let Some(u) = &n.using {
            clauses.push(format!("USING ({u})"));
        }
    }
    if o.with_check != n.with_check {
        if let Some(w) = &n.with_check {
            clauses.push(format!("WITH CHECK ({w})"));
        }
    }
    if !clauses.is_empty() {
        step = step.sql(format!("ALTER {target} {}", clauses.join(" ")));
    }
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(&target, n.comment.as_deref()));
    }
    step
}

pub(super) fn same_view_but_comments(o: &View, n: &View) -> bool {
    let bare = |v: &View| View {
        comment: None,
        column_comments: Default::default(),
        ..v.clone()
    };
    bare(o) == bare(n)
}

pub(super) fn view_comments(o: &View, n: &View) -> Vec<Step> {
    let id = ObjectId::View(n.name.clone());
    let kw = ddl::view_keyword(n);
    let mut step = Step::new(format!("comment on {} {}", kw.to_lowercase(), n.name)).creates(id);
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(
            &format!("{kw} {}", qualified(&n.name)),
            n.comment.as_deref(),
        ));
    }
    let columns: BTreeSet<&Name> = o
        .column_comments
        .keys()
        .chain(n.column_comments.keys())
        .collect();
    for col in columns {
        let new_comment = n.column_comments.get(col);
        if o.column_comments.get(col) != new_comment {
            step = step.sql(ddl::comment_on(
                &format!("COLUMN {}.{}", qualified(&n.name), ident(col)),
                new_comment.map(String::as_str),
            ));
        }
    }
    vec![step]
}
