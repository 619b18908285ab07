//! How a column's values convert when its type changes.
//!
//! `ALTER COLUMN ... TYPE` converts with the assignment cast from the old type to the new
//! one; where PostgreSQL has none it needs `USING`. Three cases:
//! - an assignment cast exists (integer -> bigint, anything -> text): the plain form, on
//!   purpose (an explicit cast to `varchar(n)` silently truncates, the assignment cast
//!   fails on a longer value);
//! - a safe explicit conversion exists: text to anything (`col::type`, which fails on a
//!   value the new type cannot read rather than guessing), one enum to another by label
//!   (`col::text::type`), integer <-> boolean;
//! - none exists (smallint or boolean -> an enum, bigint -> timestamp): the model must say
//!   how (`using = "..."` on the column, `downgrade_using` for the way back; in a `.sql`
//!   model `-- pgshift: using ...` on the column's line, see `source::sql_hints`), or planning
//!   stops with an error naming the column. Integer to enum through text is not safe: a
//!   number's text is not a label.

use super::casts_builtin::BUILTIN_CASTS;
use crate::diff::{Change, Object};
use crate::error::{Error, Result};
use crate::schema::{Name, QualifiedName, Schema};
use crate::source::Hints;
use crate::sql::{ident, lex, qualified};
use std::collections::{BTreeMap, BTreeSet};

/// The `USING` expression of each column whose type change needs one.
pub type Usings = BTreeMap<(QualifiedName, Name), String>;

/// Every column type change in `changes`, checked: its `USING` from the model's hint or a
/// safe default, or an error when PostgreSQL has no way and the model gives none.
pub fn usings(old: &Schema, new: &Schema, changes: &[Change], hints: &Hints) -> Result<Usings> {
    let types = Types::of(old, new);
    let mut out = Usings::new();
    let mut missing: Vec<String> = vec![];
    for change in changes {
        let Change::Alter { from, to } = change else {
            continue;
        };
        let (Object::Column { table, column: o }, Object::Column { column: n, .. }) =
            (from.as_ref(), to.as_ref())
        else {
            continue;
        };
        if o.data_type == n.data_type || n.generated.is_some() {
            continue;
        }
        let col = ident(&n.name);
        let hint = hints.usings.get(table).and_then(|m| m.get(n.name.as_str()));
        if let Some(expr) = hint {
            lex::check_slot(expr, lex::Slot::Clause).map_err(|e| Error::TypeChange {
                message: format!("column {table}.{col}: its `using` expression {}", e.problem),
                hint: "give one SQL expression of the column's old value, such as \
                       `using = \"to_timestamp(col)\"`"
                    .into(),
            })?;
            out.insert((table.clone(), n.name.clone()), format!("({expr})"));
            continue;
        }
        match conversion(&o.data_type, &n.data_type, &types) {
            Conversion::Assignment => {}
            Conversion::Explicit(through) => {
                let mut expr = col.clone();
                for t in through
                    .iter()
                    .map(String::as_str)
                    .chain([n.data_type.as_str()])
                {
                    expr = format!("{expr}::{t}");
                }
                out.insert((table.clone(), n.name.clone()), expr);
            }
            Conversion::None(why) => {
                let example = if types.enums.contains(n.data_type.as_str()) {
                    format!(
                        "(CASE {col} WHEN ... THEN 'label' ... END)::{}",
                        n.data_type
                    )
                } else if n.data_type.starts_with("timestamp") {
                    format!("to_timestamp({col})")
                } else {
                    format!("... {col} ...")
                };
                missing.push(format!(
                    "column {table}.{col} changes from {} to {}, and {why} (for example \
                     `using = \"{example}\"`)",
                    o.data_type, n.data_type
                ));
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::TypeChange {
            message: format!(
                "{}\n  such a change fails even on an empty table",
                missing.join("\n  ")
            ),
            hint: "say how each value converts: in a TOML model, `using = \"...\"` on the \
                   column (an expression of the old value) and `downgrade_using` for the way \
                   back (Rust: `#[pgshift(using = \"...\")]`; a .sql model: a comment \
                   `-- pgshift: using ...` at the end of the column's line in CREATE TABLE); \
                   or add a new column, fill it, and drop the old one"
                .into(),
        });
    }
    Ok(out)
}

/// PostgreSQL's built-in casts the planner converts column types with: source and target
/// type (`format_type` without a modifier) and whether it is an implicit or assignment
/// cast (else explicit only).
pub fn builtin_casts() -> &'static [(&'static str, &'static str, bool)] {
    BUILTIN_CASTS
}

#[derive(Debug, PartialEq)]
enum Conversion {
    /// The plain `ALTER COLUMN ... TYPE`.
    Assignment,
    /// `USING col::a::b::to`: through these types, then to the new one.
    Explicit(Vec<String>),
    /// No conversion is known; the text says why ("PostgreSQL has no cast between them").
    None(String),
}

/// What converts one type into another, as PostgreSQL's `find_coercion_pathway` decides:
/// arrays element by element, a domain as its base type, any type to a string type by its
/// output (assignment), a string to any type by its input (explicit), the built-in casts of
/// `pg_cast` (`casts_builtin`), enums by label.
fn conversion(from: &str, to: &str, types: &Types) -> Conversion {
    let (from, to) = (types.resolve(from), types.resolve(to));
    let element = |t: &str| t.strip_suffix("[]").map(str::to_string);
    match (element(&from), element(&to)) {
        (Some(f), Some(t)) => {
            return match conversion(&f, &t, types) {
                // The array's cast goes through arrays of the same types.
                Conversion::Explicit(through) => {
                    Conversion::Explicit(through.into_iter().map(|t| format!("{t}[]")).collect())
                }
                other => other,
            };
        }
        (Some(_), None) if is_string(&base_name(&to)) => return Conversion::Assignment,
        (Some(_), None) => {
            return Conversion::None(
                "PostgreSQL has no cast from an array to a single value".into(),
            )
        }
        (None, Some(_)) if is_string(&base_name(&from)) => {
            // A string in array form ('{a,b}') reads as an array.
            return Conversion::Explicit(vec![]);
        }
        (None, Some(_)) => {
            return Conversion::None(
                "PostgreSQL has no cast from a single value to an array (`ARRAY[col]` makes one)"
                    .into(),
            )
        }
        (None, None) => {}
    }
    let (from, to) = (base_name(&from), base_name(&to));
    if from == to || is_string(&to) {
        // A new type modifier (length coercion), or any type to a string by its output.
        return Conversion::Assignment;
    }
    if is_string(&from) {
        // Through the new type's input: a value it cannot read fails the change.
        return Conversion::Explicit(vec![]);
    }
    let is_integer = |t: &str| matches!(t, "smallint" | "integer" | "bigint");
    let is_time = |t: &str| {
        t == "date" || t.starts_with("timestamp") || t.starts_with("time ") || t == "interval"
    };
    let none = |why: &str| Conversion::None(format!("PostgreSQL has no cast between them{why}"));
    if types.enums.contains(&to) {
        if types.enums.contains(&from) {
            return Conversion::Explicit(vec!["text".into()]);
        }
        if is_integer(&from) {
            return none(
                " (going through text is not safe: a number's text is not one of the labels)",
            );
        }
        return none("");
    }
    if types.enums.contains(&from) {
        return none("");
    }
    if let Some(&(_, _, assignment)) = BUILTIN_CASTS
        .iter()
        .find(|(f, t, _)| *f == from && *t == to)
    {
        return if assignment {
            Conversion::Assignment
        } else {
            Conversion::Explicit(vec![])
        };
    }
    if !is_builtin(&from) || !is_builtin(&to) {
        return Conversion::None(
            "pgshift knows no cast between them: it knows PostgreSQL's built-in casts, not              those an extension or a `CREATE CAST` adds (if one exists, `col::type` uses it)"
                .into(),
        );
    }
    if (from == "boolean") != (to == "boolean") {
        return none(" (only integer converts to and from boolean)");
    }
    if (is_integer(&from) && is_time(&to)) || (is_time(&from) && is_integer(&to)) {
        return none(
            " (a number of seconds or days is a choice: to_timestamp(col), \
             extract(epoch from col)::bigint)",
        );
    }
    none("")
}

/// The user-defined types a conversion needs to know: enums (by qualified name) and
/// domains (their base types), of both schemas.
struct Types {
    enums: BTreeSet<String>,
    domains: BTreeMap<String, String>,
}

impl Types {
    fn of(old: &Schema, new: &Schema) -> Types {
        Types {
            enums: old
                .enums
                .keys()
                .chain(new.enums.keys())
                .map(qualified)
                .collect(),
            domains: old
                .domains
                .values()
                .chain(new.domains.values())
                .map(|d| (qualified(&d.name), d.base_type.clone()))
                .collect(),
        }
    }

    /// A domain's base type (a domain over a domain to the last), arrays kept.
    fn resolve(&self, t: &str) -> String {
        let (element, array) = match t.strip_suffix("[]") {
            Some(e) => (e, "[]"),
            None => (t, ""),
        };
        match self.domains.get(element) {
            // A domain's base type can be an array; depth bounds a (refused) cycle.
            Some(base) if base != element => format!("{}{array}", self.resolve(base)),
            _ => t.to_string(),
        }
    }
}

/// `format_type`'s name without its type modifier: `character varying(20)` ->
/// `character varying`, `timestamp(3) with time zone` -> `timestamp with time zone`,
/// `interval year to month` -> `interval`.
fn base_name(t: &str) -> String {
    if t.starts_with("interval") {
        return "interval".into();
    }
    let mut out = String::with_capacity(t.len());
    let mut depth = 0;
    let mut quoted = false;
    for c in t.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_string(t: &str) -> bool {
    matches!(
        t,
        "text" | "character varying" | "character" | "\"char\"" | "name"
    )
}

/// A type of `pg_catalog`: `format_type` writes it without a schema.
fn is_builtin(t: &str) -> bool {
    !t.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(from: &str, to: &str) -> Conversion {
        let types = Types {
            enums: ["public.mood".to_string(), "public.state".to_string()].into(),
            domains: [
                (
                    "public.email".to_string(),
                    "character varying(200)".to_string(),
                ),
                ("public.qty".to_string(), "integer".to_string()),
            ]
            .into(),
        };
        conversion(from, to, &types)
    }

    #[test]
    fn plain_where_an_assignment_cast_exists() {
        for (f, t) in [
            ("integer", "bigint"),
            ("integer[]", "text"),
            ("character varying(200)", "character varying(50)"),
            ("text", "character(2)"),
            ("numeric(10,2)", "numeric(12,4)"),
            ("timestamp without time zone", "timestamp with time zone"),
            ("timestamp without time zone", "date"),
            ("json", "jsonb"),
            ("public.mood", "text"),
            ("timestamp(3) with time zone", "timestamp(6) with time zone"),
            ("interval year to month", "time without time zone"),
            ("bit(8)", "bit varying(8)"),
            ("public.qty", "bigint"),
            ("smallint", "public.qty"),
            ("public.email", "text"),
            ("real[]", "numeric(10,2)[]"),
            ("jsonb", "json"),
        ] {
            assert_eq!(conv(f, t), Conversion::Assignment, "{f} -> {t}");
        }
    }

    #[test]
    fn safe_explicit_conversions() {
        for (f, t) in [
            ("text", "integer"),
            ("character varying(20)", "public.mood"),
            ("integer", "boolean"),
            ("boolean", "integer"),
            ("text[]", "integer[]"),
            ("text", "text[]"),
            ("jsonb", "bigint"),
            ("public.email", "integer"),
            ("\"char\"", "integer"),
        ] {
            assert_eq!(conv(f, t), Conversion::Explicit(vec![]), "{f} -> {t}");
        }
        assert_eq!(
            conv("public.mood", "public.state"),
            Conversion::Explicit(vec!["text".into()])
        );
        assert_eq!(
            conv("public.mood[]", "public.state[]"),
            Conversion::Explicit(vec!["text[]".into()])
        );
    }

    #[test]
    fn no_conversion_without_a_cast() {
        for (f, t) in [
            ("smallint", "public.mood"),
            ("boolean", "public.mood"),
            ("public.mood", "integer"),
            ("bigint", "timestamp without time zone"),
            ("timestamp with time zone", "bigint"),
            ("smallint", "boolean"),
            ("jsonb", "bytea"),
            ("jsonb", "public.hstore"),
            ("integer", "integer[]"),
            ("integer[]", "integer"),
            ("uuid", "bigint"),
            ("public.qty", "uuid"),
            ("date", "integer"),
        ] {
            assert!(matches!(conv(f, t), Conversion::None(_)), "{f} -> {t}");
        }
        let Conversion::None(why) = conv("smallint", "public.mood") else {
            unreachable!()
        };
        assert!(why.contains("not safe"), "{why}");
        let Conversion::None(why) = conv("jsonb", "public.hstore") else {
            unreachable!()
        };
        assert!(why.starts_with("pgshift knows no cast"), "{why}");
    }

    #[test]
    fn type_modifiers_are_not_part_of_the_name() {
        for (t, name) in [
            ("character varying(20)", "character varying"),
            ("numeric(10,2)", "numeric"),
            (
                "timestamp(3) without time zone",
                "timestamp without time zone",
            ),
            ("interval day to second(3)", "interval"),
            ("public.\"odd(name)\"", "public.\"odd(name)\""),
        ] {
            assert_eq!(base_name(t), name);
        }
    }
}
