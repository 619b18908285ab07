//! Statement text for each object kind. Pure functions from IR values to SQL, without the
//! trailing semicolon; the planner decides which to use and in what order.

use super::{ident, literal, literal_or_null, qualified};
use crate::schema::*;

// ---- schemas and extensions -------------------------------------------------------------

pub fn create_schema(s: &Namespace) -> String {
    format!("CREATE SCHEMA {}", ident(&s.name))
}

pub fn drop_schema(name: &str) -> String {
    format!("DROP SCHEMA {}", ident(name))
}

pub fn comment_on(object: &str, comment: Option<&str>) -> String {
    format!("COMMENT ON {object} IS {}", literal_or_null(comment))
}

pub fn create_extension(e: &Extension) -> String {
    format!(
        "CREATE EXTENSION {} WITH SCHEMA {}",
        ident(&e.name),
        ident(&e.schema)
    )
}

pub fn drop_extension(name: &str) -> String {
    format!("DROP EXTENSION {}", ident(name))
}

// ---- types -------------------------------------------------------------------------------

pub fn create_enum(t: &EnumType) -> String {
    let values: Vec<String> = t.values.iter().map(|v| literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        qualified(&t.name),
        values.join(", ")
    )
}

pub fn drop_type(name: &QualifiedName) -> String {
    format!("DROP TYPE {}", qualified(name))
}

pub fn create_domain(d: &Domain) -> String {
    let mut s = format!("CREATE DOMAIN {} AS {}", qualified(&d.name), d.base_type);
    if let Some(c) = &d.collation {
        s.push_str(&format!(" COLLATE {c}"));
    }
    if let Some(def) = &d.default {
        s.push_str(&format!(" DEFAULT {def}"));
    }
    if d.not_null {
        s.push_str(" NOT NULL");
    }
    for (name, check) in &d.checks {
        s.push_str(&format!(" CONSTRAINT {} {check}", ident(name)));
    }
    s
}

pub fn alter_domain(name: &QualifiedName, action: &str) -> String {
    format!("ALTER DOMAIN {} {action}", qualified(name))
}

/// `name type [COLLATE c]`: an attribute of a composite type.
pub fn attribute(name: &str, data_type: &str, collation: Option<&str>) -> String {
    match collation {
        Some(c) => format!("{} {data_type} COLLATE {c}", ident(name)),
        None => format!("{} {data_type}", ident(name)),
    }
}

pub fn create_composite(t: &CompositeType) -> String {
    let attrs: Vec<String> = t
        .attributes
        .iter()
        .map(|a| attribute(&a.name, &a.data_type, a.collation.as_deref()))
        .collect();
    format!(
        "CREATE TYPE {} AS ({})",
        qualified(&t.name),
        attrs.join(", ")
    )
}

pub fn alter_type(name: &QualifiedName, action: &str) -> String {
    format!("ALTER TYPE {} {action}", qualified(name))
}

// ---- sequences ---------------------------------------------------------------------------

/// The option clauses that differ from what PostgreSQL would pick by itself for this type
/// and direction (so `CREATE SEQUENCE s` stays short, and identity columns too).
pub fn sequence_options(o: &SequenceOptions, with_type: bool) -> Vec<String> {
    let mut clauses = vec![];
    if with_type && o.data_type != "bigint" {
        clauses.push(format!("AS {}", o.data_type));
    }
    if o.increment != 1 {
        clauses.push(format!("INCREMENT BY {}", o.increment));
    }
    let (min, max) = o.default_bounds();
    if o.min_value != min {
        clauses.push(format!("MINVALUE {}", o.min_value));
    }
    if o.max_value != max {
        clauses.push(format!("MAXVALUE {}", o.max_value));
    }
    if o.start != o.default_start() {
        clauses.push(format!("START WITH {}", o.start));
    }
    if o.cache != 1 {
        clauses.push(format!("CACHE {}", o.cache));
    }
    if o.cycle {
        clauses.push("CYCLE".into());
    }
    clauses
}

/// Every option that differs between two versions, for `ALTER SEQUENCE` (or an identity's
/// `ALTER COLUMN ... SET`). The type comes first: it resets bounds left at their defaults.
pub fn sequence_option_changes(from: &SequenceOptions, to: &SequenceOptions) -> Vec<String> {
    let mut clauses = vec![];
    if from.data_type != to.data_type {
        clauses.push(format!("AS {}", to.data_type));
    }
    if from.increment != to.increment {
        clauses.push(format!("INCREMENT BY {}", to.increment));
    }
    if from.min_value != to.min_value || from.data_type != to.data_type {
        clauses.push(format!("MINVALUE {}", to.min_value));
    }
    if from.max_value != to.max_value || from.data_type != to.data_type {
        clauses.push(format!("MAXVALUE {}", to.max_value));
    }
    if from.start != to.start {
        clauses.push(format!("START WITH {}", to.start));
    }
    if from.cache != to.cache {
        clauses.push(format!("CACHE {}", to.cache));
    }
    if from.cycle != to.cycle {
        clauses.push(if to.cycle { "CYCLE" } else { "NO CYCLE" }.into());
    }
    clauses
}

pub fn create_sequence(s: &Sequence) -> String {
    let mut sql = format!("CREATE SEQUENCE {}", qualified(&s.name));
    for c in sequence_options(&s.options, true) {
        sql.push(' ');
        sql.push_str(&c);
    }
    sql
}

pub fn alter_sequence(name: &QualifiedName, clauses: &[String]) -> String {
    format!("ALTER SEQUENCE {} {}", qualified(name), clauses.join(" "))
}

pub fn sequence_owned_by(name: &QualifiedName, owner: Option<&(QualifiedName, Name)>) -> String {
    let owner = match owner {
        Some((table, column)) => format!("{}.{}", qualified(table), ident(column)),
        None => "NONE".to_string(),
    };
    format!("ALTER SEQUENCE {} OWNED BY {owner}", qualified(name))
}

pub fn drop_sequence(name: &QualifiedName) -> String {
    format!("DROP SEQUENCE {}", qualified(name))
}

// ---- functions ---------------------------------------------------------------------------

pub fn function_signature(f: &Function) -> String {
    format!(
        "{}.{}({})",
        ident(&f.key.schema),
        ident(&f.key.name),
        f.key.arguments
    )
}

pub fn routine_keyword(f: &Function) -> &'static str {
    match f.kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    }
}

pub fn drop_function(f: &Function) -> String {
    format!("DROP {} {}", routine_keyword(f), function_signature(f))
}

// ---- tables ------------------------------------------------------------------------------

pub fn column_definition(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(expr) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({expr}) STORED"));
    } else if let Some(id) = &c.identity {
        s.push(' ');
        s.push_str(&identity_clause(id));
    } else if let Some(def) = &c.default {
        s.push_str(&format!(" DEFAULT {def}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

/// Per-column settings that `CREATE TABLE` cannot carry on PostgreSQL 15, as `ALTER TABLE`
/// actions: storage, statistics target, compression.
pub fn column_settings(c: &Column) -> Vec<String> {
    let col = ident(&c.name);
    let mut actions = vec![];
    if let Some(s) = &c.storage {
        actions.push(format!(
            "ALTER COLUMN {col} SET STORAGE {}",
            s.to_uppercase()
        ));
    }
    if let Some(n) = c.statistics {
        actions.push(format!("ALTER COLUMN {col} SET STATISTICS {n}"));
    }
    if let Some(m) = &c.compression {
        actions.push(format!("ALTER COLUMN {col} SET COMPRESSION {m}"));
    }
    actions
}

/// The actions that take a column's settings from `o` to `n`.
pub fn column_setting_changes(o: &Column, n: &Column) -> Vec<String> {
    let col = ident(&n.name);
    let mut actions = vec![];
    if o.storage != n.storage {
        let storage = n
            .storage
            .clone()
            .unwrap_or_else(|| default_storage(&n.data_type).into());
        actions.push(format!(
            "ALTER COLUMN {col} SET STORAGE {}",
            storage.to_uppercase()
        ));
    }
    if o.statistics != n.statistics {
        actions.push(format!(
            "ALTER COLUMN {col} SET STATISTICS {}",
            n.statistics.unwrap_or(-1)
        ));
    }
    if o.compression != n.compression {
        let m = n.compression.as_deref().unwrap_or("DEFAULT");
        actions.push(format!("ALTER COLUMN {col} SET COMPRESSION {m}"));
    }
    actions
}

/// A type's own storage strategy (`pg_type.typstorage`), for resetting a column to it:
/// fixed-width types are plain, numeric and network types main, the rest extended.
fn default_storage(data_type: &str) -> &'static str {
    let base = data_type.split('(').next().unwrap_or(data_type).trim();
    if data_type.ends_with("[]") {
        return "extended";
    }
    match base {
        "smallint" | "integer" | "bigint" | "real" | "double precision" | "boolean" | "date"
        | "uuid" | "money" | "oid" | "point" | "interval" | "\"char\"" => "plain",
        b if b.starts_with("time") => "plain",
        "numeric" | "inet" | "cidr" => "main",
        _ => "extended",
    }
}

pub fn identity_clause(id: &Identity) -> String {
    let mut s = format!(
        "GENERATED {} AS IDENTITY",
        if id.always { "ALWAYS" } else { "BY DEFAULT" }
    );
    let opts = sequence_options(&id.sequence, false);
    if !opts.is_empty() {
        s.push_str(&format!(" ({})", opts.join(" ")));
    }
    s
}

/// `CREATE TABLE` with columns and the constraints that need nothing outside the table
/// (primary key, unique, check, exclusion). Foreign keys are added separately, after every
/// table exists, so tables that reference each other can be created at all.
pub fn create_table(t: &Table) -> String {
    let mut s = format!(
        "CREATE {}TABLE {}",
        if t.unlogged { "UNLOGGED " } else { "" },
        qualified(&t.name)
    );
    if let Some(p) = &t.partition_of {
        s.push_str(&format!(
            " PARTITION OF {} {}",
            qualified(&p.parent),
            p.bound
        ));
    } else {
        let mut items: Vec<String> = t.columns.iter().map(column_definition).collect();
        items.extend(
            inline_constraints(t)
                .map(|c| format!("CONSTRAINT {} {}", ident(&c.name), c.definition)),
        );
        if items.is_empty() {
            s.push_str(" ()");
        } else {
            s.push_str(&format!(" (\n    {}\n)", items.join(",\n    ")));
        }
    }
    if let Some(key) = &t.partition_key {
        s.push_str(&format!(" PARTITION BY {key}"));
    }
    if !t.options.is_empty() {
        s.push_str(&format!(" WITH ({})", t.options.join(", ")));
    }
    s
}

/// Constraints written inside `CREATE TABLE` (none for a partition, whose `PARTITION OF`
/// form takes them separately).
pub fn inline_constraints(t: &Table) -> impl Iterator<Item = &Constraint> {
    let is_partition = t.partition_of.is_some();
    t.constraints
        .values()
        .filter(move |c| !is_partition && c.kind != ConstraintKind::ForeignKey)
}

pub fn drop_table(name: &QualifiedName) -> String {
    format!("DROP TABLE {}", qualified(name))
}

pub fn alter_table(name: &QualifiedName, action: &str) -> String {
    format!("ALTER TABLE {} {action}", qualified(name))
}

pub fn add_constraint(table: &QualifiedName, c: &Constraint) -> String {
    alter_table(
        table,
        &format!("ADD CONSTRAINT {} {}", ident(&c.name), c.definition),
    )
}

pub fn drop_constraint(table: &QualifiedName, name: &str) -> String {
    alter_table(table, &format!("DROP CONSTRAINT {}", ident(name)))
}

pub fn drop_index(relation: &QualifiedName, name: &str) -> String {
    format!(
        "DROP INDEX {}",
        qualified(&QualifiedName::new(relation.schema.clone(), name))
    )
}

pub fn index_name(relation: &QualifiedName, name: &str) -> String {
    qualified(&QualifiedName::new(relation.schema.clone(), name))
}

pub fn drop_trigger(table: &QualifiedName, name: &str) -> String {
    format!("DROP TRIGGER {} ON {}", ident(name), qualified(table))
}

/// A policy's roles for `TO ...`: `PUBLIC` is a keyword, the rest are names.
pub fn policy_roles(roles: &[String]) -> String {
    let roles: Vec<String> = roles
        .iter()
        .map(|r| {
            if r == "public" {
                "PUBLIC".to_string()
            } else {
                ident(r)
            }
        })
        .collect();
    roles.join(", ")
}

/// `RESET (...)` for storage options that go and `SET (...)` for the new list, as the
/// actions of `ALTER TABLE` / `ALTER VIEW` (options are `name=value`).
pub fn option_changes(old: &[String], new: &[String]) -> Vec<String> {
    let option_name = |o: &String| o.split('=').next().unwrap_or(o).to_string();
    let kept: Vec<String> = new.iter().map(option_name).collect();
    let reset: Vec<String> = old
        .iter()
        .map(option_name)
        .filter(|o| !kept.contains(o))
        .collect();
    let mut actions = vec![];
    if !reset.is_empty() {
        actions.push(format!("RESET ({})", reset.join(", ")));
    }
    if !new.is_empty() {
        actions.push(format!("SET ({})", new.join(", ")));
    }
    actions
}

pub fn create_policy(table: &QualifiedName, p: &Policy) -> String {
    let mut s = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        ident(&p.name),
        qualified(table),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command,
        policy_roles(&p.roles)
    );
    if let Some(u) = &p.using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({w})"));
    }
    s
}

pub fn drop_policy(table: &QualifiedName, name: &str) -> String {
    format!("DROP POLICY {} ON {}", ident(name), qualified(table))
}

// ---- views -------------------------------------------------------------------------------

pub fn view_keyword(v: &View) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

pub fn create_view(v: &View) -> String {
    let mut s = format!("CREATE {} {}", view_keyword(v), qualified(&v.name));
    if !v.options.is_empty() {
        s.push_str(&format!(" WITH ({})", v.options.join(", ")));
    }
    s.push_str(&format!(" AS\n{}", v.definition));
    s
}

pub fn drop_view(v: &View) -> String {
    format!("DROP {} {}", view_keyword(v), qualified(&v.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            data_type: ty.into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            storage: None,
            statistics: None,
            compression: None,
            volatile_default: false,
            comment: None,
        }
    }

    #[test]
    fn column_definitions_quote_names() {
        let mut c = col("order", "text");
        c.default = Some("'it''s'::text".into());
        c.not_null = true;
        assert_eq!(
            column_definition(&c),
            "\"order\" text DEFAULT 'it''s'::text NOT NULL"
        );
    }

    #[test]
    fn identity_options_only_when_not_default() {
        let mut id = Identity {
            always: true,
            sequence: SequenceOptions::default_for("integer"),
        };
        assert_eq!(identity_clause(&id), "GENERATED ALWAYS AS IDENTITY");
        id.sequence.start = 100;
        id.sequence.increment = 5;
        assert_eq!(
            identity_clause(&id),
            "GENERATED ALWAYS AS IDENTITY (INCREMENT BY 5 START WITH 100)"
        );
    }

    #[test]
    fn descending_sequence_defaults() {
        let mut o = SequenceOptions::default_for("bigint");
        o.increment = -1;
        o.min_value = i64::MIN;
        o.max_value = -1;
        o.start = -1;
        assert_eq!(sequence_options(&o, true), vec!["INCREMENT BY -1"]);
    }
}
