//! Statement text for each object kind, without the trailing semicolon: the one DDL
//! writer. The planner calls it with IR values; model sources (`source::model_sql`) call
//! the same builders with what the model says, after checking each piece of model text
//! with `sql::lex` (one expression per slot, names of at most 63 bytes). The planner
//! decides which statements to use and in what order.

mod array_casts;
mod citus;
mod kinds;
mod partition_index;
pub mod privileges;
mod table;

pub use array_casts::keep_array_casts;
pub use citus::*;
pub use kinds::*;
pub use partition_index::*;
pub use table::*;

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

pub fn extension_set_schema(name: &str, schema: &str) -> String {
    format!(
        "ALTER EXTENSION {} SET SCHEMA {}",
        ident(name),
        ident(schema)
    )
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
        s.push_str(&format!(" {}", keep_array_casts(check)));
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

/// Sequence `seq` (a regclass expression) moved into new bounds before `ALTER SEQUENCE`
/// narrows them: PostgreSQL refuses bounds that leave the current value outside (`RESTART
/// value (1000) cannot be greater than MAXVALUE (500)`). A value inside stays where it is;
/// one the sequence has not reached yet goes to the nearest bound, not yet handed out; one
/// past its end stays used up at the bound (the next call fails rather than hand out a
/// number already taken). `start` is the old start, the value of a sequence never used.
pub fn clamp_sequence(seq: &str, start: i64, min: i64, max: i64, increasing: bool) -> String {
    let last = format!("pg_sequence_last_value({seq})");
    let reached = if increasing {
        format!("{last} >= {min}")
    } else {
        format!("{last} <= {max}")
    };
    format!(
        "SELECT setval({seq}, greatest(least(coalesce({last}, {start}), {max}), {min}), \
         coalesce({reached}, false))"
    )
}

/// Whether going from `from` to `to` narrows a sequence's bounds.
pub fn sequence_bounds_narrow(from: &SequenceOptions, to: &SequenceOptions) -> bool {
    to.min_value > from.min_value || to.max_value < from.max_value
}

pub fn rename_sequence(name: &QualifiedName, to: &str) -> String {
    format!("ALTER SEQUENCE {} RENAME TO {}", qualified(name), ident(to))
}

/// The sequence behind a serial or identity column, as an expression
/// (`pg_get_serial_sequence` parses its first argument as a possibly qualified name and
/// takes the second literally).
pub fn serial_sequence(table: &QualifiedName, column: &str) -> String {
    format!(
        "pg_get_serial_sequence({}, {})",
        literal(&qualified(table)),
        literal(column)
    )
}

/// `target` (a regclass expression) takes exactly the position of sequence `from`.
pub fn copy_sequence_position(target: &str, from: &QualifiedName) -> String {
    format!(
        "SELECT setval({target}, last_value, is_called) FROM {}",
        qualified(from)
    )
}

/// Sequence `name` goes on where `source` (a regclass expression) would go next: the
/// number `nextval` takes from `source` becomes `name`'s next one.
pub fn continue_sequence(name: &QualifiedName, source: &str) -> String {
    format!(
        "SELECT setval({}, nextval({source}), false)",
        literal(&qualified(name))
    )
}

pub fn drop_sequence(name: &QualifiedName) -> String {
    format!("DROP SEQUENCE {}", qualified(name))
}

// ---- functions ---------------------------------------------------------------------------

pub fn function_signature(f: &Function) -> String {
    routine(&f.key)
}

/// `schema.name(arguments)`, the schema left out for a name of no schema.
pub(crate) fn routine(key: &FunctionKey) -> String {
    let name = QualifiedName::new(key.schema.clone(), key.name.clone());
    format!("{}({})", qualified(&name), key.arguments)
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

// ---- tables: table.rs ----------------------------------------------------------------

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
            sequence_name: None,
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
