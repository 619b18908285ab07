//! Steps for types, sequences and functions: created, and changed in place where
//! PostgreSQL can (`ALTER DOMAIN`, `ALTER TYPE`, `ALTER SEQUENCE`, `CREATE OR REPLACE`).

use super::build::{replace, with_comment, Context};
use super::rules;
use super::Step;
use crate::schema::*;
use crate::sql::{ddl, ident, literal, qualified};

pub(super) fn create_domain(d: &Domain) -> Step {
    let mut step = with_comment(
        Step::new(format!("create domain {}", d.name)).sql(ddl::create_domain(d)),
        &format!("DOMAIN {}", qualified(&d.name)),
        &d.comment,
    );
    for (name, comment) in &d.check_comments {
        step = step.sql(domain_check_comment(&d.name, name, Some(comment)));
    }
    step
}

pub(super) fn domain_check_comment(
    domain: &QualifiedName,
    check: &str,
    comment: Option<&str>,
) -> String {
    ddl::comment_on(
        &format!(
            "CONSTRAINT {} ON DOMAIN {}",
            ident(check),
            qualified(domain)
        ),
        comment,
    )
}

pub(super) fn create_composite(t: &CompositeType) -> Step {
    let mut step = with_comment(
        Step::new(format!("create type {}", t.name)).sql(ddl::create_composite(t)),
        &format!("TYPE {}", qualified(&t.name)),
        &t.comment,
    );
    for a in &t.attributes {
        if a.comment.is_some() {
            step = step.sql(attribute_comment(&t.name, a));
        }
    }
    step
}

pub(super) fn attribute_comment(type_name: &QualifiedName, a: &CompositeAttribute) -> String {
    ddl::comment_on(
        &format!("COLUMN {}.{}", qualified(type_name), ident(&a.name)),
        a.comment.as_deref(),
    )
}

pub(super) fn create_function(f: &Function) -> Step {
    with_comment(
        Step::new(format!(
            "create {} {}",
            ddl::routine_keyword(f).to_lowercase(),
            f.key
        ))
        .sql(f.definition.clone()),
        &format!("{} {}", ddl::routine_keyword(f), ddl::function_signature(f)),
        &f.comment,
    )
}

pub(super) fn owned_by_step(s: &Sequence, owner: Option<&(QualifiedName, Name)>) -> Step {
    let description = match owner {
        Some((t, c)) => format!(
            "tie sequence {} to column {t}.{} (OWNED BY)",
            s.name,
            ident(c)
        ),
        None => format!("untie sequence {} from its column (OWNED BY NONE)", s.name),
    };
    let mut step = Step::new(description).sql(ddl::sequence_owned_by(&s.name, owner));
    step.needs.push(ObjectId::Sequence(s.name.clone()));
    if let Some((t, c)) = owner {
        step.needs.push(ObjectId::Column(t.clone(), c.clone()));
    }
    step
}

pub(super) fn alter_domain(o: &Domain, n: &Domain) -> Vec<Step> {
    let id = ObjectId::Type(n.name.clone());
    if o.base_type != n.base_type || o.collation != n.collation {
        let drop = Step::new(format!("drop domain {}", o.name))
            .sql(format!("DROP DOMAIN {}", qualified(&o.name)))
            .drops(id.clone());
        return replace(vec![drop], vec![create_domain(n).creates(id)]);
    }
    let mut step = Step::new(format!("alter domain {}", n.name)).creates(id);
    if o.default != n.default {
        step = step.sql(ddl::alter_domain(
            &n.name,
            &match &n.default {
                Some(d) => format!("SET DEFAULT {d}"),
                None => "DROP DEFAULT".into(),
            },
        ));
    }
    if o.not_null != n.not_null {
        let what = if n.not_null {
            "SET NOT NULL"
        } else {
            "DROP NOT NULL"
        };
        step = step.sql(ddl::alter_domain(&n.name, what));
    }
    for (name, check) in &o.checks {
        if n.checks.get(name) != Some(check) {
            step = step.sql(ddl::alter_domain(
                &n.name,
                &format!("DROP CONSTRAINT {}", ident(name)),
            ));
        }
    }
    for (name, check) in &n.checks {
        if o.checks.get(name) != Some(check) {
            step = step.sql(ddl::alter_domain(
                &n.name,
                &format!(
                    "ADD CONSTRAINT {} {}",
                    ident(name),
                    ddl::keep_array_casts(check)
                ),
            ));
        }
    }
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(
            &format!("DOMAIN {}", qualified(&n.name)),
            n.comment.as_deref(),
        ));
    }
    for name in n.checks.keys() {
        let comment = n.check_comments.get(name);
        let re_added = o.checks.get(name) != n.checks.get(name);
        if comment != o.check_comments.get(name) || (re_added && comment.is_some()) {
            step = step.sql(domain_check_comment(
                &n.name,
                name,
                comment.map(String::as_str),
            ));
        }
    }
    vec![step]
}

pub(super) fn alter_composite(o: &CompositeType, n: &CompositeType) -> Vec<Step> {
    let mut step =
        Step::new(format!("alter type {}", n.name)).creates(ObjectId::Type(n.name.clone()));
    let find =
        |t: &CompositeType, name: &str| t.attributes.iter().find(|a| a.name == name).cloned();
    let mut actions = vec![];
    for a in &o.attributes {
        if find(n, &a.name).is_none() {
            actions.push(format!("DROP ATTRIBUTE {}", ident(&a.name)));
        }
    }
    for a in &n.attributes {
        let collate = a
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        match find(o, &a.name) {
            None => actions.push(format!(
                "ADD ATTRIBUTE {} {}{collate}",
                ident(&a.name),
                a.data_type
            )),
            Some(old) if old.data_type != a.data_type || old.collation != a.collation => actions
                .push(format!(
                    "ALTER ATTRIBUTE {} TYPE {}{collate}",
                    ident(&a.name),
                    a.data_type
                )),
            Some(_) => {}
        }
    }
    let comments: Vec<String> = n
        .attributes
        .iter()
        .filter(|a| find(o, &a.name).map(|x| x.comment) != Some(a.comment.clone()))
        .filter(|a| a.comment.is_some() || find(o, &a.name).is_some())
        .map(|a| attribute_comment(&n.name, a))
        .collect();
    if !actions.is_empty() {
        step = step.sql(ddl::alter_type(&n.name, &actions.join(", ")));
        step.rewrites.push(ObjectId::Type(n.name.clone()));
    }
    for c in comments {
        step = step.sql(c);
    }
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(
            &format!("TYPE {}", qualified(&n.name)),
            n.comment.as_deref(),
        ));
    }
    vec![step]
}

pub(super) fn alter_sequence(o: &Sequence, n: &Sequence) -> Vec<Step> {
    let mut steps = vec![];
    let clauses = ddl::sequence_option_changes(&o.options, &n.options);
    let mut step =
        Step::new(format!("alter sequence {}", n.name)).creates(ObjectId::Sequence(n.name.clone()));
    if !clauses.is_empty() {
        if ddl::sequence_bounds_narrow(&o.options, &n.options) {
            let (from, to) = (&o.options, &n.options);
            let seq = literal(&qualified(&n.name));
            step = step.sql(ddl::clamp_sequence(
                &seq,
                from.start,
                to.min_value,
                to.max_value,
                to.increment > 0,
            ));
        }
        step = step.sql(ddl::alter_sequence(&n.name, &clauses));
    }
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(
            &format!("SEQUENCE {}", qualified(&n.name)),
            n.comment.as_deref(),
        ));
    }
    if !step.statements.is_empty() {
        steps.push(step);
    }
    if o.owned_by != n.owned_by {
        steps.push(owned_by_step(n, n.owned_by.as_ref()));
    }
    steps
}

pub(super) fn alter_function(o: &Function, n: &Function) -> Vec<Step> {
    let id = ObjectId::Function(n.key.clone());
    if o.result != n.result || o.kind != n.kind {
        // CREATE OR REPLACE cannot change what a function returns.
        let drop = Step::new(format!(
            "drop {} {}",
            ddl::routine_keyword(o).to_lowercase(),
            o.key
        ))
        .sql(ddl::drop_function(o))
        .drops(id.clone());
        return replace(vec![drop], vec![create_function(n).creates(id)]);
    }
    let verb = if o.definition != n.definition {
        "replace"
    } else {
        "comment on"
    };
    let mut step = Step::new(format!(
        "{verb} {} {}",
        ddl::routine_keyword(n).to_lowercase(),
        n.key
    ))
    .creates(id);
    if o.definition != n.definition {
        step = step.sql(n.definition.clone());
    }
    if o.comment != n.comment {
        step = step.sql(ddl::comment_on(
            &format!("{} {}", ddl::routine_keyword(n), ddl::function_signature(n)),
            n.comment.as_deref(),
        ));
    }
    vec![step]
}

/// Enums: values added in place, or the type recreated and its columns converted.
impl Context<'_> {
    /// Values only added: `ADD VALUE` in place. Any value removed or reordered: the type
    /// is recreated and every column of it converted through text.
    pub(super) fn alter_enum(&self, o: &EnumType, n: &EnumType) -> Vec<Step> {
        let id = ObjectId::Type(n.name.clone());
        let mut steps = vec![];
        if o.values != n.values {
            if is_subsequence(&o.values, &n.values) {
                for (i, v) in n.values.iter().enumerate() {
                    if o.values.contains(v) {
                        continue;
                    }
                    let position = match i {
                        0 => format!(" BEFORE {}", literal(&n.values[1])),
                        _ => format!(" AFTER {}", literal(&n.values[i - 1])),
                    };
                    let step = Step::new(format!("add value {} to enum {}", literal(v), n.name))
                        .sql(ddl::alter_type(
                            &n.name,
                            &format!("ADD VALUE {}{position}", literal(v)),
                        ))
                        .creates(id.clone())
                        // PostgreSQL 12+ accepts ADD VALUE in a transaction block, but
                        // the value cannot be used until that transaction commits.
                        .outside_transaction(
                            "the new value is usable only once this statement has committed",
                        );
                    steps.push(step);
                }
            } else {
                let removed: Vec<String> = o
                    .values
                    .iter()
                    .filter(|v| !n.values.contains(v))
                    .map(|v| literal(v))
                    .collect();
                let mut step = self.recreate_enum(n).in_own_transaction();
                step.hazards = rules::drop_object::enum_values(&n.name, &removed);
                steps.push(step);
            }
        }
        if o.comment != n.comment {
            steps.push(
                Step::new(format!("comment on type {}", n.name))
                    .sql(ddl::comment_on(
                        &format!("TYPE {}", qualified(&n.name)),
                        n.comment.as_deref(),
                    ))
                    .creates(id),
            );
        }
        steps
    }

    fn recreate_enum(&self, n: &EnumType) -> Step {
        let id = ObjectId::Type(n.name.clone());
        // Within the 63 bytes PostgreSQL keeps: a longer name would be cut back to the
        // enum's own name and the rename would collide with the new type.
        let old_name = rules::helper_name(&n.name.name, "__pgshift_old");
        let type_sql = qualified(&n.name);
        let mut step = Step::new(format!(
            "recreate enum {} with values removed or reordered",
            n.name
        ))
        .sql(ddl::alter_type(
            &n.name,
            &format!("RENAME TO {}", ident(&old_name)),
        ))
        .sql(ddl::create_enum(n))
        .drops(id.clone())
        .creates(id);
        for (table, column, old_default) in self.columns_of_type(&type_sql) {
            let col = ident(&column.name);
            let array = column.data_type.ends_with("[]");
            let (text, target) = if array {
                ("text[]", format!("{type_sql}[]"))
            } else {
                ("text", type_sql.clone())
            };
            let mut actions = vec![];
            if old_default {
                actions.push(format!("ALTER COLUMN {col} DROP DEFAULT"));
            }
            actions.push(format!(
                "ALTER COLUMN {col} TYPE {target} USING {col}::{text}::{target}"
            ));
            if let Some(d) = &column.default {
                actions.push(format!("ALTER COLUMN {col} SET DEFAULT {d}"));
            }
            step = step.sql(ddl::alter_table(&table, &actions.join(", ")));
            let cid = ObjectId::Column(table.clone(), column.name.clone());
            step.rewrites.push(cid);
        }
        step.sql(format!(
            "DROP TYPE {}",
            qualified(&QualifiedName::new(n.name.schema.clone(), old_name))
        ))
    }

    /// Columns kept from old to new whose type is `type_sql` (or an array of it), with the
    /// new column and whether it had a default before.
    pub(super) fn columns_of_type(&self, type_sql: &str) -> Vec<(QualifiedName, Column, bool)> {
        let is_of_type = |c: &Column| {
            c.data_type == type_sql || c.data_type.strip_suffix("[]") == Some(type_sql)
        };
        let mut out = vec![];
        for (name, old_table) in &self.old.tables {
            let Some(new_table) = self.new.tables.get(name) else {
                continue;
            };
            for oc in old_table.columns.iter().filter(|c| is_of_type(c)) {
                if let Some(nc) = new_table
                    .column(&oc.name)
                    .filter(|c| c.data_type == oc.data_type)
                {
                    out.push((name.clone(), nc.clone(), oc.default.is_some()));
                }
            }
        }
        out
    }
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}
