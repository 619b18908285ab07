//! Model -> DDL: a mapping onto `sql::ddl`, the one DDL writer. Every piece of model text
//! that is written into a statement is checked first (`sql::lex`): an expression, a type
//! or a clause is one piece of SQL that stays in its slot (no `;`, no parenthesis or quote
//! it did not open, no `,` that would start the next column), a definition is one
//! statement, and a name is at most 63 bytes (PostgreSQL would cut it silently). A
//! failure is an error at the model object. Every statement remembers which model object
//! it comes from, so that when PostgreSQL rejects it the error points at the model.
//!
//! Schemas and extensions come apart from the rest: the loader creates the schemas, then
//! the extensions with the server's own rights, then everything else as a role without
//! superuser rights (see `pg::scratch`). Order of the rest: enums, composites, domains,
//! sequences, functions, tables without foreign keys, foreign keys, indexes, views,
//! triggers, policies, comments. What still depends on something later (a view on a view
//! written after it, a function taking a table's row type) is retried by the loader.

use super::model::*;
use crate::error::Result;
use crate::schema::{Policy, QualifiedName};
use crate::sql::lex::{check_slot, Slot};
use crate::sql::{ddl, ident, qualified, MAX_NAME_BYTES};

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

/// A model's statements, in the three groups the loader runs apart.
#[derive(Default)]
pub struct Rendered {
    pub schemas: Vec<Statement>,
    /// Run with the server's own rights: only statements pgshift writes from the names
    /// the model declares.
    pub extensions: Vec<Statement>,
    pub objects: Vec<Statement>,
}

#[derive(Default)]
struct Out {
    schemas: Vec<Statement>,
    extensions: Vec<Statement>,
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

/// A name the model gives, refused when PostgreSQL would cut it.
fn name<'a>(text: &'a str, kind: &str, origin: &Origin) -> Result<&'a str> {
    if text.len() <= MAX_NAME_BYTES {
        return Ok(text);
    }
    let (message, hint) = too_long(&format!("{kind} name"), text);
    Err(origin.error(message, Some(hint)))
}

/// The message and hint for a name PostgreSQL would cut to 63 bytes.
pub(crate) fn too_long(kind: &str, text: &str) -> (String, String) {
    let mut cut = MAX_NAME_BYTES.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (
        format!(
            "the {kind} {text:?} is {} bytes long; PostgreSQL keeps {MAX_NAME_BYTES} bytes of a name and would silently cut it to {:?}",
            text.len(),
            &text[..cut]
        ),
        format!("shorten it to at most {MAX_NAME_BYTES} bytes (PostgreSQL's NAMEDATALEN - 1)"),
    )
}

fn qname<'a>(q: &'a QualifiedName, kind: &str, origin: &Origin) -> Result<&'a QualifiedName> {
    name(&q.schema, "schema", origin)?;
    name(&q.name, kind, origin)?;
    Ok(q)
}

fn names<'a>(list: &'a [String], kind: &str, origin: &Origin) -> Result<&'a [String]> {
    for n in list {
        name(n, kind, origin)?;
    }
    Ok(list)
}

/// Model text written into a slot of a statement: checked to stay there. `field` and
/// `what` name it in the error (`the default of column public.t.id`).
pub(crate) fn text<'a>(
    value: &'a str,
    slot: Slot,
    field: &str,
    what: &str,
    origin: &Origin,
) -> Result<&'a str> {
    check_slot(value, slot).map_err(|e| {
        let (expected, hint) = match slot {
            Slot::Clause => (
                "one SQL expression, type or clause",
                "write one expression here; statements of their own belong in a migration (pgshift builds the model's DDL around this text)",
            ),
            Slot::Statement => (
                "one SQL statement",
                "write one statement here; split the rest into objects of their own or a migration",
            ),
        };
        origin.error(
            format!(
                "the {field} of {what} must be {expected}, but it {} (at byte {} of {value:?})",
                e.problem, e.offset
            ),
            Some(hint.into()),
        )
    })?;
    Ok(value)
}

fn opt<'a>(
    value: &'a Option<String>,
    field: &str,
    what: &str,
    origin: &Origin,
) -> Result<Option<&'a str>> {
    value
        .as_deref()
        .map(|v| text(v, Slot::Clause, field, what, origin))
        .transpose()
}

fn clauses(list: &[String], field: &str, what: &str, origin: &Origin) -> Result<()> {
    for v in list {
        text(v, Slot::Clause, field, what, origin)?;
    }
    Ok(())
}

fn comment(out: &mut Out, target: String, text: Option<&str>, what: &str, origin: &Origin) {
    if let Some(text) = text {
        out.comments
            .push(stmt(ddl::comment_on(&target, Some(text)), what, origin));
    }
}

pub fn render(model: &Model) -> Result<Rendered> {
    let mut out = Out::default();
    for s in &model.schemas {
        let what = format!("schema {}", s.name);
        name(&s.name, "schema", &s.origin)?;
        out.schemas.push(stmt(
            ddl::create_schema_if_missing(&s.name),
            &what,
            &s.origin,
        ));
        let target = format!("SCHEMA {}", ident(&s.name));
        comment(&mut out, target, s.comment.as_deref(), &what, &s.origin);
    }
    for e in &model.extensions {
        name(&e.name, "extension", &e.origin)?;
        if let Some(s) = &e.schema {
            name(s, "schema", &e.origin)?;
        }
        let sql = ddl::create_extension_if_missing(&e.name, e.schema.as_deref(), None, false);
        out.extensions
            .push(stmt(sql, &format!("extension {}", e.name), &e.origin));
    }
    for e in &model.enums {
        let what = format!("enum {}", e.name);
        qname(&e.name, "type", &e.origin)?;
        let sql = ddl::create_enum_with(&e.name, &e.values);
        out.early.push(stmt(sql, &what, &e.origin));
        let target = format!("TYPE {}", qualified(&e.name));
        comment(&mut out, target, e.comment.as_deref(), &what, &e.origin);
    }
    for c in &model.composites {
        render_composite(&mut out, c)?;
    }
    for d in &model.domains {
        render_domain(&mut out, d)?;
    }
    for s in &model.sequences {
        render_sequence(&mut out, s)?;
    }
    for f in &model.functions {
        let sql = text(
            &f.definition,
            Slot::Statement,
            "definition",
            "a function",
            &f.origin,
        )?;
        out.early.push(stmt(sql.to_string(), "function", &f.origin));
        if let Some((signature, text)) = &f.comment {
            let kind = if f.definition.to_ascii_uppercase().contains("PROCEDURE") {
                "PROCEDURE"
            } else {
                "FUNCTION"
            };
            let what = format!("function {signature}");
            let signature = self::text(signature, Slot::Clause, "signature", &what, &f.origin)?;
            let target = format!("{kind} {signature}");
            comment(&mut out, target, Some(text), &what, &f.origin);
        }
    }
    for t in &model.tables {
        render_table(&mut out, t)?;
    }
    for d in &model.statements {
        render_statement(&mut out, d)?;
    }
    for v in &model.views {
        render_view(&mut out, v)?;
    }
    let Out {
        schemas,
        extensions,
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
    Ok(Rendered {
        schemas,
        extensions,
        objects: early,
    })
}

/// A range type (before the tables: columns use it) or a statistics object (with the
/// indexes, after the tables), from its statement.
fn render_statement(out: &mut Out, d: &StatementDef) -> Result<()> {
    let (kind, keyword) = match d.kind {
        StatementKind::Range => ("range type", "TYPE"),
        StatementKind::Statistics => ("statistics object", "STATISTICS"),
    };
    let what = format!("{kind} {}", d.name);
    let o = &d.origin;
    qname(&d.name, kind, o)?;
    let sql = text(&d.definition, Slot::Statement, "definition", &what, o)?.to_string();
    match d.kind {
        StatementKind::Range => out.early.push(stmt(sql, &what, o)),
        StatementKind::Statistics => {
            out.indexes.push(stmt(sql, &what, o));
            if d.target.is_some() {
                let target = ddl::statistics_target(&d.name, d.target);
                out.indexes.push(stmt(target, &what, o));
            }
        }
    }
    let target = format!("{keyword} {}", qualified(&d.name));
    comment(out, target, d.comment.as_deref(), &what, o);
    Ok(())
}

fn render_composite(out: &mut Out, c: &CompositeDef) -> Result<()> {
    let what = format!("composite type {}", c.name);
    let o = &c.origin;
    qname(&c.name, "type", o)?;
    let mut attrs = vec![];
    for a in &c.attributes {
        name(&a.name, "attribute", o)?;
        let data_type = text(&a.data_type, Slot::Clause, "type", &what, o)?;
        let collation = opt(&a.collation, "collation", &what, o)?;
        attrs.push(ddl::attribute(&a.name, data_type, collation));
    }
    out.early
        .push(stmt(ddl::create_composite_with(&c.name, &attrs), &what, o));
    let target = format!("TYPE {}", qualified(&c.name));
    comment(out, target, c.comment.as_deref(), &what, o);
    for a in &c.attributes {
        let target = format!("COLUMN {}.{}", qualified(&c.name), ident(&a.name));
        comment(out, target, a.comment.as_deref(), &what, o);
    }
    Ok(())
}

fn render_domain(out: &mut Out, d: &DomainDef) -> Result<()> {
    let what = format!("domain {}", d.name);
    let o = &d.origin;
    qname(&d.name, "domain", o)?;
    let base = text(&d.base_type, Slot::Clause, "type", &what, o)?;
    let collation = opt(&d.collation, "collation", &what, o)?;
    let default = opt(&d.default, "default", &what, o)?;
    let mut checks = vec![];
    for (n, check) in &d.checks {
        if let Some(n) = n {
            name(n, "constraint", o)?;
        }
        text(check, Slot::Clause, "check", &what, o)?;
        checks.push((n.as_deref(), ddl::check_clause(check)));
    }
    let checks: Vec<(Option<&str>, &str)> = checks.iter().map(|(n, c)| (*n, c.as_str())).collect();
    let sql = ddl::create_domain_with(&d.name, base, collation, default, d.not_null, &checks);
    out.early.push(stmt(sql, &what, o));
    let target = format!("DOMAIN {}", qualified(&d.name));
    comment(out, target, d.comment.as_deref(), &what, o);
    for (n, text) in &d.check_comments {
        name(n, "constraint", o)?;
        let target = format!("CONSTRAINT {} ON DOMAIN {}", ident(n), qualified(&d.name));
        comment(out, target, Some(text), &what, o);
    }
    Ok(())
}

fn render_sequence(out: &mut Out, s: &SequenceDef) -> Result<()> {
    let what = format!("sequence {}", s.name);
    let o = &s.origin;
    qname(&s.name, "sequence", o)?;
    let data_type = opt(&s.data_type, "type", &what, o)?;
    let options = [s.increment, s.min_value, s.max_value, s.start, s.cache];
    let clauses = ddl::sequence_clauses(data_type, options, s.cycle);
    out.early
        .push(stmt(ddl::create_sequence_with(&s.name, &clauses), &what, o));
    if let Some(owner) = &s.owned_by {
        qname(&owner.0, "table", o)?;
        name(&owner.1, "column", o)?;
        // OWNED BY needs the table: it goes with the foreign keys, after every table.
        let owner = (owner.0.clone(), owner.1.as_str().into());
        let sql = ddl::sequence_owned_by(&s.name, Some(&owner));
        out.foreign_keys.push(stmt(sql, &what, o));
    }
    let target = format!("SEQUENCE {}", qualified(&s.name));
    comment(out, target, s.comment.as_deref(), &what, o);
    Ok(())
}

fn column_sql(c: &ColumnDef, what: &str) -> Result<String> {
    let o = &c.origin;
    name(&c.name, "column", o)?;
    let identity = c.identity.as_ref().map(|id| {
        let mut options = vec![];
        if let Some(name) = &id.sequence_name {
            options.push(format!("SEQUENCE NAME {}", qualified(name)));
        }
        if let Some(s) = &id.sequence {
            let given = [s.increment, s.min_value, s.max_value, s.start, s.cache];
            options.extend(ddl::sequence_clauses(None, given.map(Some), s.cycle));
        }
        ddl::identity_clause_with(id.always, &options)
    });
    Ok(ddl::column_definition_with(&ddl::ColumnParts {
        name: &c.name,
        data_type: text(&c.data_type, Slot::Clause, "type", what, o)?,
        collation: opt(&c.collation, "collation", what, o)?,
        generated: opt(&c.generated, "generated expression", what, o)?,
        identity: identity.as_deref(),
        default: opt(&c.default, "default", what, o)?,
        not_null: c.not_null,
    }))
}

fn constraint_sql(c: &ConstraintDef, what: &str) -> Result<String> {
    let o = &c.origin;
    if let Some(n) = &c.name {
        name(n, "constraint", o)?;
    }
    let body = match &c.body {
        ConstraintBody::PrimaryKey(cols) => ddl::primary_key(names(cols, "column", o)?),
        ConstraintBody::Unique(cols) => ddl::unique(names(cols, "column", o)?),
        ConstraintBody::Check(e) => {
            ddl::check_clause(text(e, Slot::Clause, "check expression", what, o)?)
        }
        ConstraintBody::ForeignKey(fk) => ddl::foreign_key(
            names(&fk.columns, "column", o)?,
            qname(&fk.references, "table", o)?,
            names(&fk.referenced_columns, "column", o)?,
            opt(&fk.on_delete, "on_delete action", what, o)?,
            opt(&fk.on_update, "on_update action", what, o)?,
        ),
        ConstraintBody::Definition(d) => text(d, Slot::Clause, "definition", what, o)?.to_string(),
    };
    Ok(ddl::constraint_item(c.name.as_deref(), &body))
}

fn constraint_what(c: &ConstraintDef, table: &QualifiedName) -> String {
    match &c.name {
        Some(n) => format!("constraint {n} on {table}"),
        None => format!("constraint on {table}"),
    }
}

fn render_table(out: &mut Out, t: &TableDef) -> Result<()> {
    let what = format!("table {}", t.name);
    let o = &t.origin;
    qname(&t.name, "table", o)?;
    if let Some(old) = &t.renamed_from {
        qname(old, "table", o)?;
    }
    let mut items = vec![];
    let mut pieces = vec![];
    for c in &t.columns {
        let cwhat = format!("column {}.{}", t.name, c.name);
        items.push(column_sql(c, &cwhat)?);
        pieces.push((cwhat, c.origin.clone()));
        if let Some(old) = &c.renamed_from {
            name(old, "column", &c.origin)?;
        }
    }
    for c in t.constraints.iter().filter(|c| !c.body.is_foreign_key()) {
        let cwhat = constraint_what(c, &t.name);
        items.push(constraint_sql(c, &cwhat)?);
        pieces.push((cwhat, c.origin.clone()));
    }
    let partition_of = match &t.partition_of {
        Some((parent, bound)) => Some((
            qname(parent, "table", o)?,
            text(bound, Slot::Clause, "partition bound", &what, o)?,
        )),
        None => None,
    };
    clauses(&t.options, "storage option", &what, o)?;
    let shape = ddl::TableShape {
        name: &t.name,
        unlogged: t.unlogged,
        partition_of,
        partition_key: opt(&t.partition_key, "partition key", &what, o)?,
        options: &t.options,
    };
    let (sql, offsets) = ddl::create_table_with(&shape, &items);
    let mut create = stmt(sql, &what, o);
    create.parts = offsets
        .into_iter()
        .zip(pieces)
        .map(|(at, (what, origin))| (at, what, origin))
        .collect();
    out.tables.push(create);
    let table = qualified(&t.name);
    for c in &t.columns {
        let cwhat = format!("column {}.{}", t.name, c.name);
        let storage = opt(&c.storage, "storage", &cwhat, &c.origin)?;
        let compression = opt(&c.compression, "compression", &cwhat, &c.origin)?;
        for action in ddl::column_settings_with(&c.name, storage, c.statistics, compression) {
            let sql = ddl::alter_table(&t.name, &action);
            out.tables.push(stmt(sql, &cwhat, &c.origin));
        }
        let target = format!("COLUMN {table}.{}", ident(&c.name));
        comment(out, target, c.comment.as_deref(), &cwhat, &c.origin);
    }
    for (on, action) in [
        (t.row_security, "ENABLE ROW LEVEL SECURITY"),
        (t.force_row_security, "FORCE ROW LEVEL SECURITY"),
    ] {
        if on {
            out.tables
                .push(stmt(ddl::alter_table(&t.name, action), &what, o));
        }
    }
    comment(
        out,
        format!("TABLE {table}"),
        t.comment.as_deref(),
        &what,
        o,
    );
    for c in &t.constraints {
        let cwhat = constraint_what(c, &t.name);
        if c.body.is_foreign_key() {
            let item = constraint_sql(c, &cwhat)?;
            let sql = ddl::alter_table(&t.name, &format!("ADD {item}"));
            out.foreign_keys.push(stmt(sql, &cwhat, &c.origin));
        }
        if let Some(n) = &c.name {
            let target = format!("CONSTRAINT {} ON {table}", ident(n));
            comment(out, target, c.comment.as_deref(), &cwhat, &c.origin);
        }
    }
    for i in &t.indexes {
        render_index(out, &t.name, i)?;
    }
    if !t.replica_identity.is_default() {
        // After the indexes: `USING INDEX` names one of them.
        let sql = ddl::replica_identity(&t.name, &t.replica_identity);
        out.indexes.push(stmt(sql, &what, o));
    }
    for tr in &t.triggers {
        render_trigger(out, &t.name, tr)?;
    }
    for p in &t.policies {
        render_policy(out, &t.name, p)?;
    }
    Ok(())
}

fn render_index(out: &mut Out, table: &QualifiedName, i: &IndexDef) -> Result<()> {
    let what = match &i.name {
        Some(n) => format!("index {n} on {table}"),
        None => format!("index on {table}"),
    };
    let o = &i.origin;
    if let Some(n) = &i.name {
        name(n, "index", o)?;
    }
    let sql = match &i.body {
        IndexBody::Definition(d) => text(d, Slot::Statement, "definition", &what, o)?.to_string(),
        IndexBody::Keys {
            unique,
            method,
            columns,
            expressions,
            include,
            predicate,
        } => {
            if let Some(m) = method {
                name(m, "access method", o)?;
            }
            clauses(expressions, "expression", &what, o)?;
            let keys: Vec<String> = names(columns, "column", o)?
                .iter()
                .map(|c| ident(c))
                .chain(expressions.iter().cloned())
                .collect();
            ddl::create_index_with(&ddl::IndexParts {
                unique: *unique,
                name: i.name.as_deref(),
                relation: table,
                method: method.as_deref(),
                keys: &keys,
                include: names(include, "column", o)?,
                predicate: opt(predicate, "predicate", &what, o)?,
            })
        }
    };
    out.indexes.push(stmt(sql, &what, o));
    if let Some(n) = &i.name {
        let target = format!("INDEX {}", ddl::index_name(table, n));
        comment(out, target, i.comment.as_deref(), &what, o);
    }
    Ok(())
}

fn render_trigger(out: &mut Out, table: &QualifiedName, t: &TriggerDef) -> Result<()> {
    let what = format!("trigger {} on {table}", t.name);
    let o = &t.origin;
    name(&t.name, "trigger", o)?;
    let sql = text(&t.definition, Slot::Statement, "definition", &what, o)?;
    out.triggers.push(stmt(sql.to_string(), &what, o));
    if let Some(f) = &t.firing {
        if !matches!(f.as_str(), "disabled" | "replica" | "always") {
            return Err(o.error(
                format!("firing = {f:?} of {what} is not a way a trigger fires"),
                Some(
                    "write firing = \"disabled\", \"replica\" or \"always\" (or leave it out)"
                        .into(),
                ),
            ));
        }
        let sql = ddl::trigger_firing(table, &t.name, f);
        out.triggers.push(stmt(sql, &what, o));
    }
    let target = format!("TRIGGER {} ON {}", ident(&t.name), qualified(table));
    comment(out, target, t.comment.as_deref(), &what, o);
    Ok(())
}

fn render_policy(out: &mut Out, table: &QualifiedName, p: &PolicyDef) -> Result<()> {
    let what = format!("policy {} on {table}", p.name);
    let o = &p.origin;
    let policy = Policy {
        name: name(&p.name, "policy", o)?.into(),
        permissive: p.permissive,
        command: text(&p.command, Slot::Clause, "command", &what, o)?.to_string(),
        roles: names(&p.roles, "role", o)?.to_vec(),
        using: opt(&p.using, "using expression", &what, o)?.map(str::to_string),
        with_check: opt(&p.with_check, "with_check expression", &what, o)?.map(str::to_string),
        comment: None,
    };
    out.policies
        .push(stmt(ddl::create_policy(table, &policy), &what, o));
    let target = format!("POLICY {} ON {}", ident(&p.name), qualified(table));
    comment(out, target, p.comment.as_deref(), &what, o);
    Ok(())
}

fn render_view(out: &mut Out, v: &ViewDef) -> Result<()> {
    let what = format!("view {}", v.name);
    let o = &v.origin;
    qname(&v.name, "view", o)?;
    clauses(&v.options, "option", &what, o)?;
    let query = text(&v.query, Slot::Statement, "query", &what, o)?;
    let query = query.trim().trim_end_matches(';');
    let sql = ddl::create_view_with(v.materialized, &v.name, &v.options, query);
    out.views.push(stmt(sql, &what, o));
    for i in &v.indexes {
        render_index(out, &v.name, i)?;
    }
    for t in &v.triggers {
        render_trigger(out, &v.name, t)?;
    }
    let kind = if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let target = format!("{kind} {}", qualified(&v.name));
    comment(out, target, v.comment.as_deref(), &what, o);
    for (col, text) in &v.column_comments {
        name(col, "column", o)?;
        let target = format!("COLUMN {}.{}", qualified(&v.name), ident(col));
        comment(out, target, Some(text), &what, o);
    }
    Ok(())
}
