//! Model -> DDL. Pure: every statement remembers which model object it comes from, so
//! that when PostgreSQL rejects it the error points at the model, not at generated SQL.
//!
//! Order: schemas, extensions, enums, composites, domains, sequences, functions, tables
//! without foreign keys, foreign keys, indexes, views, triggers, policies, comments. What
//! still depends on something later (a view on a view written after it, a function taking
//! a table's row type) is retried by the loader once the rest exists.

use super::model::*;
use crate::schema::QualifiedName;
use crate::sql::{ident, literal, qualified};

/// One DDL statement and the model object it expresses.
#[derive(Clone, Debug)]
pub struct Statement {
    pub sql: String,
    /// The object, for messages: `table public.orders`, `column public.orders.total`.
    pub what: String,
    pub origin: Origin,
    /// Pieces of `sql` written for a more precise object (a table's columns and
    /// constraints): (byte offset where the piece starts, object, origin).
    pub parts: Vec<(usize, String, Origin)>,
}

impl Statement {
    /// The object and origin for PostgreSQL's error position (1-based, in characters).
    pub fn locate(&self, position: Option<usize>) -> (&str, &Origin) {
        let byte = position.and_then(|p| {
            self.sql
                .char_indices()
                .nth(p.saturating_sub(1))
                .map(|(b, _)| b)
        });
        match byte.and_then(|b| self.parts.iter().rev().find(|(start, _, _)| *start <= b)) {
            Some((_, what, origin)) => (what, origin),
            None => (&self.what, &self.origin),
        }
    }
}

#[derive(Default)]
struct Out {
    early: Vec<Statement>,
    tables: Vec<Statement>,
    foreign_keys: Vec<Statement>,
    indexes: Vec<Statement>,
    views: Vec<Statement>,
    triggers: Vec<Statement>,
    policies: Vec<Statement>,
    comments: Vec<Statement>,
}

fn stmt(sql: String, what: &str, origin: &Origin) -> Statement {
    Statement {
        sql,
        what: what.to_string(),
        origin: origin.clone(),
        parts: vec![],
    }
}

fn comment(out: &mut Out, target: String, text: &Option<String>, what: &str, origin: &Origin) {
    if let Some(text) = text {
        out.comments.push(stmt(
            format!("COMMENT ON {target} IS {}", literal(text)),
            what,
            origin,
        ));
    }
}

pub fn render(model: &Model) -> Vec<Statement> {
    let mut out = Out::default();
    for s in &model.schemas {
        let what = format!("schema {}", s.name);
        out.early.push(stmt(
            format!("CREATE SCHEMA IF NOT EXISTS {}", ident(&s.name)),
            &what,
            &s.origin,
        ));
        comment(
            &mut out,
            format!("SCHEMA {}", ident(&s.name)),
            &s.comment,
            &what,
            &s.origin,
        );
    }
    for e in &model.extensions {
        let mut sql = format!("CREATE EXTENSION IF NOT EXISTS {}", ident(&e.name));
        if let Some(s) = &e.schema {
            sql.push_str(&format!(" WITH SCHEMA {}", ident(s)));
        }
        out.early
            .push(stmt(sql, &format!("extension {}", e.name), &e.origin));
    }
    for e in &model.enums {
        let what = format!("enum {}", e.name);
        let values: Vec<String> = e.values.iter().map(|v| literal(v)).collect();
        out.early.push(stmt(
            format!(
                "CREATE TYPE {} AS ENUM ({})",
                qualified(&e.name),
                values.join(", ")
            ),
            &what,
            &e.origin,
        ));
        comment(
            &mut out,
            format!("TYPE {}", qualified(&e.name)),
            &e.comment,
            &what,
            &e.origin,
        );
    }
    for c in &model.composites {
        render_composite(&mut out, c);
    }
    for d in &model.domains {
        render_domain(&mut out, d);
    }
    for s in &model.sequences {
        render_sequence(&mut out, s);
    }
    for f in &model.functions {
        out.early
            .push(stmt(f.definition.clone(), "function", &f.origin));
        if let Some((signature, text)) = &f.comment {
            let kind = if f.definition.to_ascii_uppercase().contains("PROCEDURE") {
                "PROCEDURE"
            } else {
                "FUNCTION"
            };
            comment(
                &mut out,
                format!("{kind} {signature}"),
                &Some(text.clone()),
                &format!("function {signature}"),
                &f.origin,
            );
        }
    }
    for t in &model.tables {
        render_table(&mut out, t);
    }
    for v in &model.views {
        render_view(&mut out, v);
    }
    let Out {
        mut early,
        tables,
        foreign_keys,
        indexes,
        views,
        triggers,
        policies,
        comments,
    } = out;
    for part in [
        tables,
        foreign_keys,
        indexes,
        views,
        triggers,
        policies,
        comments,
    ] {
        early.extend(part);
    }
    early
}

fn render_composite(out: &mut Out, c: &CompositeDef) {
    let what = format!("composite type {}", c.name);
    let attrs: Vec<String> = c
        .attributes
        .iter()
        .map(|a| crate::sql::ddl::attribute(&a.name, &a.data_type, a.collation.as_deref()))
        .collect();
    out.early.push(stmt(
        format!(
            "CREATE TYPE {} AS ({})",
            qualified(&c.name),
            attrs.join(", ")
        ),
        &what,
        &c.origin,
    ));
    comment(
        out,
        format!("TYPE {}", qualified(&c.name)),
        &c.comment,
        &what,
        &c.origin,
    );
    for a in &c.attributes {
        let target = format!("COLUMN {}.{}", qualified(&c.name), ident(&a.name));
        comment(out, target, &a.comment, &what, &c.origin);
    }
}

fn render_domain(out: &mut Out, d: &DomainDef) {
    let what = format!("domain {}", d.name);
    let mut sql = format!("CREATE DOMAIN {} AS {}", qualified(&d.name), d.base_type);
    if let Some(c) = &d.collation {
        sql.push_str(&format!(" COLLATE {c}"));
    }
    if let Some(def) = &d.default {
        sql.push_str(&format!(" DEFAULT {def}"));
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for (name, check) in &d.checks {
        if let Some(n) = name {
            sql.push_str(&format!(" CONSTRAINT {}", ident(n)));
        }
        sql.push_str(&format!(" {}", check_clause(check)));
    }
    out.early.push(stmt(sql, &what, &d.origin));
    comment(
        out,
        format!("DOMAIN {}", qualified(&d.name)),
        &d.comment,
        &what,
        &d.origin,
    );
    for (name, text) in &d.check_comments {
        let target = format!(
            "CONSTRAINT {} ON DOMAIN {}",
            ident(name),
            qualified(&d.name)
        );
        comment(out, target, &Some(text.clone()), &what, &d.origin);
    }
}

/// `CHECK (expr)` whether the user wrote the keyword or only the expression.
fn check_clause(text: &str) -> String {
    let t = text.trim();
    if t.len() >= 5 && t[..5].eq_ignore_ascii_case("check") && t[5..].trim_start().starts_with('(')
    {
        t.to_string()
    } else {
        format!("CHECK ({t})")
    }
}

fn render_sequence(out: &mut Out, s: &SequenceDef) {
    let what = format!("sequence {}", s.name);
    let mut sql = format!("CREATE SEQUENCE {}", qualified(&s.name));
    if let Some(t) = &s.data_type {
        sql.push_str(&format!(" AS {t}"));
    }
    push_sequence_options(
        &mut sql,
        s.increment,
        s.min_value,
        s.max_value,
        s.start,
        s.cache,
        s.cycle,
    );
    out.early.push(stmt(sql, &what, &s.origin));
    if let Some((table, column)) = &s.owned_by {
        // OWNED BY needs the table: it goes with the foreign keys, after every table.
        out.foreign_keys.push(stmt(
            format!(
                "ALTER SEQUENCE {} OWNED BY {}.{}",
                qualified(&s.name),
                qualified(table),
                ident(column)
            ),
            &what,
            &s.origin,
        ));
    }
    comment(
        out,
        format!("SEQUENCE {}", qualified(&s.name)),
        &s.comment,
        &what,
        &s.origin,
    );
}

fn push_sequence_options(
    sql: &mut String,
    increment: Option<i64>,
    min: Option<i64>,
    max: Option<i64>,
    start: Option<i64>,
    cache: Option<i64>,
    cycle: bool,
) {
    for (word, v) in [
        ("INCREMENT BY", increment),
        ("MINVALUE", min),
        ("MAXVALUE", max),
        ("START WITH", start),
        ("CACHE", cache),
    ] {
        if let Some(v) = v {
            sql.push_str(&format!(" {word} {v}"));
        }
    }
    if cycle {
        sql.push_str(" CYCLE");
    }
}

fn column_sql(c: &ColumnDef) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    if let Some(id) = &c.identity {
        s.push_str(if id.always {
            " GENERATED ALWAYS AS IDENTITY"
        } else {
            " GENERATED BY DEFAULT AS IDENTITY"
        });
        if let Some(o) = &id.sequence {
            let mut opts = String::new();
            push_sequence_options(
                &mut opts,
                Some(o.increment),
                Some(o.min_value),
                Some(o.max_value),
                Some(o.start),
                Some(o.cache),
                o.cycle,
            );
            s.push_str(&format!(" ({})", opts.trim_start()));
        }
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

fn column_list(cols: &[String]) -> String {
    cols.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
}

fn constraint_sql(c: &ConstraintDef) -> String {
    let mut s = String::new();
    if let Some(n) = &c.name {
        s.push_str(&format!("CONSTRAINT {} ", ident(n)));
    }
    match &c.body {
        ConstraintBody::PrimaryKey(cols) => {
            s.push_str(&format!("PRIMARY KEY ({})", column_list(cols)))
        }
        ConstraintBody::Unique(cols) => s.push_str(&format!("UNIQUE ({})", column_list(cols))),
        ConstraintBody::Check(e) => s.push_str(&check_clause(e)),
        ConstraintBody::ForeignKey(fk) => {
            s.push_str(&format!(
                "FOREIGN KEY ({}) REFERENCES {} ({})",
                column_list(&fk.columns),
                qualified(&fk.references),
                column_list(&fk.referenced_columns)
            ));
            if let Some(a) = &fk.on_delete {
                s.push_str(&format!(" ON DELETE {a}"));
            }
            if let Some(a) = &fk.on_update {
                s.push_str(&format!(" ON UPDATE {a}"));
            }
        }
        ConstraintBody::Definition(d) => s.push_str(d),
    }
    s
}

fn render_table(out: &mut Out, t: &TableDef) {
    let what = format!("table {}", t.name);
    let name = qualified(&t.name);
    let mut elements: Vec<(String, String, Origin)> = t
        .columns
        .iter()
        .map(|c| {
            (
                column_sql(c),
                format!("column {}.{}", t.name, c.name),
                c.origin.clone(),
            )
        })
        .collect();
    for c in t.constraints.iter().filter(|c| !c.body.is_foreign_key()) {
        let cwhat = match &c.name {
            Some(n) => format!("constraint {n} on {}", t.name),
            None => format!("constraint on {}", t.name),
        };
        elements.push((constraint_sql(c), cwhat, c.origin.clone()));
    }
    let mut parts = vec![];
    let list = |sql: &mut String, parts: &mut Vec<(usize, String, Origin)>| {
        sql.push('(');
        for (i, (text, what, origin)) in elements.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            parts.push((sql.len(), what.clone(), origin.clone()));
            sql.push_str(text);
        }
        sql.push(')');
    };
    let mut sql = format!(
        "CREATE {}TABLE {name}",
        if t.unlogged { "UNLOGGED " } else { "" }
    );
    if let Some((parent, bound)) = &t.partition_of {
        sql.push_str(&format!(" PARTITION OF {} ", qualified(parent)));
        if !elements.is_empty() {
            list(&mut sql, &mut parts);
            sql.push(' ');
        }
        sql.push_str(bound);
    } else {
        sql.push(' ');
        list(&mut sql, &mut parts);
    }
    if let Some(k) = &t.partition_key {
        sql.push_str(&format!(" PARTITION BY {k}"));
    }
    if !t.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", t.options.join(", ")));
    }
    let mut create = stmt(sql, &what, &t.origin);
    create.parts = parts;
    out.tables.push(create);
    for c in &t.columns {
        let cwhat = format!("column {}.{}", t.name, c.name);
        let alter = format!("ALTER TABLE {name} ALTER COLUMN {}", ident(&c.name));
        if let Some(s) = &c.storage {
            out.tables
                .push(stmt(format!("{alter} SET STORAGE {s}"), &cwhat, &c.origin));
        }
        if let Some(s) = c.statistics {
            out.tables.push(stmt(
                format!("{alter} SET STATISTICS {s}"),
                &cwhat,
                &c.origin,
            ));
        }
        if let Some(s) = &c.compression {
            out.tables.push(stmt(
                format!("{alter} SET COMPRESSION {s}"),
                &cwhat,
                &c.origin,
            ));
        }
        let target = format!("COLUMN {name}.{}", ident(&c.name));
        comment(out, target, &c.comment, &cwhat, &c.origin);
    }
    if t.row_security {
        out.tables.push(stmt(
            format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"),
            &what,
            &t.origin,
        ));
    }
    if t.force_row_security {
        out.tables.push(stmt(
            format!("ALTER TABLE {name} FORCE ROW LEVEL SECURITY"),
            &what,
            &t.origin,
        ));
    }
    comment(out, format!("TABLE {name}"), &t.comment, &what, &t.origin);
    for c in &t.constraints {
        let cwhat = match &c.name {
            Some(n) => format!("constraint {n} on {}", t.name),
            None => format!("constraint on {}", t.name),
        };
        if c.body.is_foreign_key() {
            out.foreign_keys.push(stmt(
                format!("ALTER TABLE {name} ADD {}", constraint_sql(c)),
                &cwhat,
                &c.origin,
            ));
        }
        if let Some(n) = &c.name {
            let target = format!("CONSTRAINT {} ON {name}", ident(n));
            comment(out, target, &c.comment, &cwhat, &c.origin);
        }
    }
    for i in &t.indexes {
        render_index(out, &t.name, i);
    }
    for tr in &t.triggers {
        render_trigger(out, &t.name, "TABLE", tr);
    }
    for p in &t.policies {
        render_policy(out, &t.name, p);
    }
}

fn render_index(out: &mut Out, table: &QualifiedName, i: &IndexDef) {
    let what = match &i.name {
        Some(n) => format!("index {n} on {table}"),
        None => format!("index on {table}"),
    };
    let sql = match &i.body {
        IndexBody::Definition(d) => d.clone(),
        IndexBody::Keys {
            unique,
            method,
            columns,
            expressions,
            include,
            predicate,
        } => {
            let mut s = format!("CREATE {}INDEX", if *unique { "UNIQUE " } else { "" });
            if let Some(n) = &i.name {
                s.push_str(&format!(" {}", ident(n)));
            }
            s.push_str(&format!(" ON {}", qualified(table)));
            if let Some(m) = method {
                s.push_str(&format!(" USING {}", ident(m)));
            }
            let keys: Vec<String> = columns
                .iter()
                .map(|c| ident(c))
                .chain(expressions.iter().cloned())
                .collect();
            s.push_str(&format!(" ({})", keys.join(", ")));
            if !include.is_empty() {
                s.push_str(&format!(" INCLUDE ({})", column_list(include)));
            }
            if let Some(p) = predicate {
                s.push_str(&format!(" WHERE {p}"));
            }
            s
        }
    };
    out.indexes.push(stmt(sql, &what, &i.origin));
    if let Some(n) = &i.name {
        let target = format!(
            "INDEX {}",
            qualified(&QualifiedName::new(table.schema.clone(), n.clone()))
        );
        comment(out, target, &i.comment, &what, &i.origin);
    }
}

fn render_trigger(out: &mut Out, table: &QualifiedName, kind: &str, t: &TriggerDef) {
    let what = format!("trigger {} on {table}", t.name);
    out.triggers
        .push(stmt(t.definition.clone(), &what, &t.origin));
    if let Some(f) = &t.firing {
        let action = match f.as_str() {
            "disabled" => "DISABLE TRIGGER".to_string(),
            other => format!("ENABLE {} TRIGGER", other.to_ascii_uppercase()),
        };
        out.triggers.push(stmt(
            format!(
                "ALTER {kind} {} {action} {}",
                qualified(table),
                ident(&t.name)
            ),
            &what,
            &t.origin,
        ));
    }
    let target = format!("TRIGGER {} ON {}", ident(&t.name), qualified(table));
    comment(out, target, &t.comment, &what, &t.origin);
}

fn render_policy(out: &mut Out, table: &QualifiedName, p: &PolicyDef) {
    let what = format!("policy {} on {table}", p.name);
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {} FOR {}",
        ident(&p.name),
        qualified(table),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command
    );
    if !p.roles.is_empty() {
        sql.push_str(&format!(" TO {}", crate::sql::ddl::policy_roles(&p.roles)));
    }
    if let Some(u) = &p.using {
        sql.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({w})"));
    }
    out.policies.push(stmt(sql, &what, &p.origin));
    let target = format!("POLICY {} ON {}", ident(&p.name), qualified(table));
    comment(out, target, &p.comment, &what, &p.origin);
}

fn render_view(out: &mut Out, v: &ViewDef) {
    let what = format!("view {}", v.name);
    let kind = if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let mut sql = format!("CREATE {kind} {}", qualified(&v.name));
    if !v.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", v.options.join(", ")));
    }
    sql.push_str(&format!(" AS {}", v.query.trim().trim_end_matches(';')));
    out.views.push(stmt(sql, &what, &v.origin));
    for i in &v.indexes {
        render_index(out, &v.name, i);
    }
    for t in &v.triggers {
        render_trigger(out, &v.name, "TABLE", t);
    }
    comment(
        out,
        format!("{kind} {}", qualified(&v.name)),
        &v.comment,
        &what,
        &v.origin,
    );
    for (col, text) in &v.column_comments {
        let target = format!("COLUMN {}.{}", qualified(&v.name), ident(col));
        comment(out, target, &Some(text.clone()), &what, &v.origin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_clauses() {
        assert_eq!(check_clause("x > 0"), "CHECK (x > 0)");
        assert_eq!(check_clause("CHECK ((x > 0))"), "CHECK ((x > 0))");
        assert_eq!(check_clause("checked"), "CHECK (checked)");
    }
}
