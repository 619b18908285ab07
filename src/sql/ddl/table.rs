//! Statement text for tables and what hangs off them: columns, constraints, indexes,
//! triggers, policies.

use super::sequence_options;
use crate::schema::*;
use crate::sql::{ident, qualified};

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

/// `GENERATED ... AS IDENTITY`, with `SEQUENCE NAME` when the sequence's name is not
/// PostgreSQL's default.
pub fn identity_clause(id: &Identity) -> String {
    let mut options = vec![];
    if let Some(name) = &id.sequence_name {
        options.push(format!("SEQUENCE NAME {}", qualified(name)));
    }
    options.extend(sequence_options(&id.sequence, false));
    identity_clause_with(id.always, &options)
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
    let body = super::keep_array_casts(body);
    match name {
        Some(n) => format!("CONSTRAINT {} {body}", ident(n)),
        None => body,
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

/// `ALTER TABLE ... REPLICA IDENTITY ...`. It does not recurse: a partitioned table and
/// each partition keep their own.
pub fn replica_identity(table: &QualifiedName, r: &ReplicaIdentity) -> String {
    let what = match r {
        ReplicaIdentity::Default => "DEFAULT".to_string(),
        ReplicaIdentity::Full => "FULL".to_string(),
        ReplicaIdentity::Nothing => "NOTHING".to_string(),
        ReplicaIdentity::Index(i) => format!("USING INDEX {}", ident(i)),
    };
    alter_table(table, &format!("REPLICA IDENTITY {what}"))
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
