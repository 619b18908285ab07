//! Statement text for each object kind, without the trailing semicolon: the one DDL
//! writer. The planner calls it with IR values; model sources (`source::model_sql`) call
//! the same builders with what the model says, after checking each piece of model text
//! with `sql::lex` (one expression per slot, names of at most 63 bytes). The planner
//! decides which statements to use and in what order.

use super::{ident, literal, literal_or_null, qualified};
use crate::schema::*;

// ---- schemas and extensions -------------------------------------------------------------

pub fn create_schema(s: &Namespace) -> String {
    format!("CREATE SCHEMA {}", ident(&s.name))
}

/// For a model, which may declare `public` (present in every new database).
pub fn create_schema_if_missing(name: &str) -> String {
    format!("CREATE SCHEMA IF NOT EXISTS {}", ident(name))
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

/// `CREATE EXTENSION IF NOT EXISTS` as a model declares it (a schema, a version and
/// `CASCADE` are optional there).
pub fn create_extension_if_missing(
    name: &str,
    schema: Option<&str>,
    version: Option<&str>,
    cascade: bool,
) -> String {
    let mut s = format!("CREATE EXTENSION IF NOT EXISTS {}", ident(name));
    if let Some(schema) = schema {
        s.push_str(&format!(" WITH SCHEMA {}", ident(schema)));
    }
    if let Some(v) = version {
        s.push_str(&format!(" VERSION {}", literal(v)));
    }
    if cascade {
        s.push_str(" CASCADE");
    }
    s
}

pub fn drop_extension(name: &str) -> String {
    format!("DROP EXTENSION {}", ident(name))
}

// ---- types -------------------------------------------------------------------------------

pub fn create_enum(t: &EnumType) -> String {
    create_enum_with(&t.name, &t.values)
}

pub fn create_enum_with(name: &QualifiedName, values: &[String]) -> String {
    let values: Vec<String> = values.iter().map(|v| literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        qualified(name),
        values.join(", ")
    )
}

pub fn drop_type(name: &QualifiedName) -> String {
    format!("DROP TYPE {}", qualified(name))
}

pub fn create_domain(d: &Domain) -> String {
    let checks: Vec<(Option<&str>, &str)> = d
        .checks
        .iter()
        .map(|(name, check)| (Some(name.as_str()), check.as_str()))
        .collect();
    create_domain_with(
        &d.name,
        &d.base_type,
        d.collation.as_deref(),
        d.default.as_deref(),
        d.not_null,
        &checks,
    )
}

/// `CREATE DOMAIN`; each check is a complete `CHECK (...)` clause, with an optional name.
pub fn create_domain_with(
    name: &QualifiedName,
    base_type: &str,
    collation: Option<&str>,
    default: Option<&str>,
    not_null: bool,
    checks: &[(Option<&str>, &str)],
) -> String {
    let mut s = format!("CREATE DOMAIN {} AS {base_type}", qualified(name));
    if let Some(c) = collation {
        s.push_str(&format!(" COLLATE {c}"));
    }
    if let Some(def) = default {
        s.push_str(&format!(" DEFAULT {def}"));
    }
    if not_null {
        s.push_str(" NOT NULL");
    }
    for (name, check) in checks {
        if let Some(n) = name {
            s.push_str(&format!(" CONSTRAINT {}", ident(n)));
        }
        s.push_str(&format!(" {check}"));
    }
    s
}

/// `CHECK (expr)`, whether `text` is the expression or already the whole clause.
pub fn check_clause(text: &str) -> String {
    let t = text.trim();
    // `get` keeps the cut on a character boundary (`abcdé > 0` has none at byte 5).
    let keyword = t.get(..5).is_some_and(|k| k.eq_ignore_ascii_case("check"));
    if keyword && t[5..].trim_start().starts_with('(') {
        t.to_string()
    } else {
        format!("CHECK ({t})")
    }
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
    create_composite_with(&t.name, &attrs)
}

/// `CREATE TYPE ... AS (...)` from attributes written by [`attribute`].
pub fn create_composite_with(name: &QualifiedName, attributes: &[String]) -> String {
    format!(
        "CREATE TYPE {} AS ({})",
        qualified(name),
        attributes.join(", ")
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
    create_sequence_with(&s.name, &sequence_options(&s.options, true))
}

pub fn create_sequence_with(name: &QualifiedName, clauses: &[String]) -> String {
    let mut sql = format!("CREATE SEQUENCE {}", qualified(name));
    for c in clauses {
        sql.push(' ');
        sql.push_str(c);
    }
    sql
}

/// The option clauses a model gives, each only when given: `AS type`, `INCREMENT BY`,
/// `MINVALUE`, `MAXVALUE`, `START WITH`, `CACHE`, `CYCLE`.
pub fn sequence_clauses(
    data_type: Option<&str>,
    [increment, min, max, start, cache]: [Option<i64>; 5],
    cycle: bool,
) -> Vec<String> {
    let mut clauses: Vec<String> = data_type.map(|t| format!("AS {t}")).into_iter().collect();
    for (word, v) in [
        ("INCREMENT BY", increment),
        ("MINVALUE", min),
        ("MAXVALUE", max),
        ("START WITH", start),
        ("CACHE", cache),
    ] {
        if let Some(v) = v {
            clauses.push(format!("{word} {v}"));
        }
    }
    if cycle {
        clauses.push("CYCLE".into());
    }
    clauses
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
    // A generated or identity column's default is PostgreSQL's own, not written.
    let identity = match &c.generated {
        Some(_) => None,
        None => c.identity.as_ref().map(identity_clause),
    };
    let default = match (&c.generated, &c.identity) {
        (None, None) => c.default.as_deref(),
        _ => None,
    };
    column_definition_with(&ColumnParts {
        name: &c.name,
        data_type: &c.data_type,
        collation: c.collation.as_deref(),
        generated: c.generated.as_deref(),
        identity: identity.as_deref(),
        default,
        not_null: c.not_null,
    })
}

/// What a column definition says, each part written when present.
pub struct ColumnParts<'a> {
    pub name: &'a str,
    pub data_type: &'a str,
    pub collation: Option<&'a str>,
    /// The expression of `GENERATED ALWAYS AS (...) STORED`.
    pub generated: Option<&'a str>,
    /// A whole `GENERATED ... AS IDENTITY` clause ([`identity_clause_with`]).
    pub identity: Option<&'a str>,
    pub default: Option<&'a str>,
    pub not_null: bool,
}

pub fn column_definition_with(c: &ColumnParts) -> String {
    let mut s = format!("{} {}", ident(c.name), c.data_type);
    if let Some(coll) = c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(expr) = c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({expr}) STORED"));
    }
    if let Some(id) = c.identity {
        s.push(' ');
        s.push_str(id);
    }
    if let Some(def) = c.default {
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
    column_settings_with(
        &c.name,
        c.storage.as_deref(),
        c.statistics,
        c.compression.as_deref(),
    )
}

pub fn column_settings_with(
    name: &str,
    storage: Option<&str>,
    statistics: Option<i32>,
    compression: Option<&str>,
) -> Vec<String> {
    let col = ident(name);
    let mut actions = vec![];
    if let Some(s) = storage {
        actions.push(format!(
            "ALTER COLUMN {col} SET STORAGE {}",
            s.to_uppercase()
        ));
    }
    if let Some(n) = statistics {
        actions.push(format!("ALTER COLUMN {col} SET STATISTICS {n}"));
    }
    if let Some(m) = compression {
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
    identity_clause_with(id.always, &sequence_options(&id.sequence, false))
}

pub fn identity_clause_with(always: bool, options: &[String]) -> String {
    let mut s = format!(
        "GENERATED {} AS IDENTITY",
        if always { "ALWAYS" } else { "BY DEFAULT" }
    );
    if !options.is_empty() {
        s.push_str(&format!(" ({})", options.join(" ")));
    }
    s
}

/// `CREATE TABLE` with columns and the constraints that need nothing outside the table
/// (primary key, unique, check, exclusion). Foreign keys are added separately, after every
/// table exists, so tables that reference each other can be created at all.
pub fn create_table(t: &Table) -> String {
    let mut items: Vec<String> = vec![];
    if t.partition_of.is_none() {
        items.extend(t.columns.iter().map(column_definition));
        items.extend(inline_constraints(t).map(|c| constraint_item(Some(&c.name), &c.definition)));
    }
    let shape = TableShape {
        name: &t.name,
        unlogged: t.unlogged,
        partition_of: t
            .partition_of
            .as_ref()
            .map(|p| (&p.parent, p.bound.as_str())),
        partition_key: t.partition_key.as_deref(),
        options: &t.options,
    };
    create_table_with(&shape, &items).0
}

/// What `CREATE TABLE` says besides its columns and constraints.
pub struct TableShape<'a> {
    pub name: &'a QualifiedName,
    pub unlogged: bool,
    /// (parent, `FOR VALUES ...` or `DEFAULT`).
    pub partition_of: Option<(&'a QualifiedName, &'a str)>,
    pub partition_key: Option<&'a str>,
    pub options: &'a [String],
}

/// `CREATE TABLE` with the given column and constraint items, and the byte offset in the
/// statement where each item starts (to tell which one PostgreSQL's error position is in).
/// A partition lists items only when it has some.
pub fn create_table_with(t: &TableShape, items: &[String]) -> (String, Vec<usize>) {
    let mut s = format!(
        "CREATE {}TABLE {}",
        if t.unlogged { "UNLOGGED " } else { "" },
        qualified(t.name)
    );
    let mut offsets = vec![];
    let mut list = |s: &mut String| {
        s.push_str(" (");
        for (i, item) in items.iter().enumerate() {
            s.push_str(if i == 0 { "\n    " } else { ",\n    " });
            offsets.push(s.len());
            s.push_str(item);
        }
        s.push_str(if items.is_empty() { ")" } else { "\n)" });
    };
    match t.partition_of {
        Some((parent, bound)) => {
            s.push_str(&format!(" PARTITION OF {}", qualified(parent)));
            if !items.is_empty() {
                list(&mut s);
            }
            s.push_str(&format!(" {bound}"));
        }
        None => list(&mut s),
    }
    if let Some(key) = t.partition_key {
        s.push_str(&format!(" PARTITION BY {key}"));
    }
    if !t.options.is_empty() {
        s.push_str(&format!(" WITH ({})", t.options.join(", ")));
    }
    (s, offsets)
}

/// `[CONSTRAINT name] body`: an item of `CREATE TABLE` or what `ADD` takes.
pub fn constraint_item(name: Option<&str>, body: &str) -> String {
    match name {
        Some(n) => format!("CONSTRAINT {} {body}", ident(n)),
        None => body.to_string(),
    }
}

pub fn primary_key(columns: &[String]) -> String {
    format!("PRIMARY KEY ({})", column_list(columns))
}

pub fn unique(columns: &[String]) -> String {
    format!("UNIQUE ({})", column_list(columns))
}

/// `FOREIGN KEY (...) REFERENCES t (...) [ON DELETE a] [ON UPDATE a]`; the actions are
/// keywords (`CASCADE`, `SET NULL`, ...).
pub fn foreign_key(
    columns: &[String],
    references: &QualifiedName,
    referenced_columns: &[String],
    on_delete: Option<&str>,
    on_update: Option<&str>,
) -> String {
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        column_list(columns),
        qualified(references),
        column_list(referenced_columns)
    );
    if let Some(a) = on_delete {
        s.push_str(&format!(" ON DELETE {a}"));
    }
    if let Some(a) = on_update {
        s.push_str(&format!(" ON UPDATE {a}"));
    }
    s
}

/// Names, each quoted as needed, comma-separated.
pub fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a model's index says (an IR index is a whole `pg_get_indexdef` statement).
pub struct IndexParts<'a> {
    pub unique: bool,
    pub name: Option<&'a str>,
    pub relation: &'a QualifiedName,
    pub method: Option<&'a str>,
    /// Key elements as `CREATE INDEX` takes them: quoted column names or expressions.
    pub keys: &'a [String],
    pub include: &'a [String],
    pub predicate: Option<&'a str>,
}

pub fn create_index_with(i: &IndexParts) -> String {
    let mut s = format!("CREATE {}INDEX", if i.unique { "UNIQUE " } else { "" });
    if let Some(n) = i.name {
        s.push_str(&format!(" {}", ident(n)));
    }
    s.push_str(&format!(" ON {}", qualified(i.relation)));
    if let Some(m) = i.method {
        s.push_str(&format!(" USING {}", ident(m)));
    }
    s.push_str(&format!(" ({})", i.keys.join(", ")));
    if !i.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", column_list(i.include)));
    }
    if let Some(p) = i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

/// `ALTER TABLE ... ENABLE ALWAYS|REPLICA TRIGGER` or `DISABLE TRIGGER`, for a trigger
/// that does not fire the default way (`firing`: `disabled`, `replica`, `always`).
pub fn trigger_firing(table: &QualifiedName, trigger: &str, firing: &str) -> String {
    let how = match firing {
        "disabled" => "DISABLE",
        "replica" => "ENABLE REPLICA",
        _ => "ENABLE ALWAYS",
    };
    alter_table(table, &format!("{how} TRIGGER {}", ident(trigger)))
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
        &format!("ADD {}", constraint_item(Some(&c.name), &c.definition)),
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

/// No `TO` clause when the policy names no roles (a model may leave them out).
pub fn create_policy(table: &QualifiedName, p: &Policy) -> String {
    let mut s = format!(
        "CREATE POLICY {} ON {} AS {} FOR {}",
        ident(&p.name),
        qualified(table),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command,
    );
    if !p.roles.is_empty() {
        s.push_str(&format!(" TO {}", policy_roles(&p.roles)));
    }
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
    create_view_with(v.materialized, &v.name, &v.options, &v.definition)
}

pub fn create_view_with(
    materialized: bool,
    name: &QualifiedName,
    options: &[String],
    query: &str,
) -> String {
    let keyword = if materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    };
    let mut s = format!("CREATE {keyword} {}", qualified(name));
    if !options.is_empty() {
        s.push_str(&format!(" WITH ({})", options.join(", ")));
    }
    s.push_str(&format!(" AS\n{query}"));
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
    fn check_clauses() {
        assert_eq!(check_clause("x > 0"), "CHECK (x > 0)");
        assert_eq!(check_clause("CHECK ((x > 0))"), "CHECK ((x > 0))");
        assert_eq!(check_clause("checked"), "CHECK (checked)");
        // The 5th byte falls inside `é`: no panic, and it is an expression.
        assert_eq!(check_clause("abcdé > 0"), "CHECK (abcdé > 0)");
        assert_eq!(check_clause("chécké"), "CHECK (chécké)");
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
