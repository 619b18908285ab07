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
    let enums: BTreeSet<String> = old
        .enums
        .keys()
        .chain(new.enums.keys())
        .map(qualified)
        .collect();
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
        match conversion(&o.data_type, &n.data_type, &enums) {
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
                let example = if enums.contains(n.data_type.as_str()) {
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
                    "column {table}.{col} changes from {} to {}, and PostgreSQL has no cast \
                     between them{why} (for example `using = \"{example}\"`)",
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

#[derive(Debug, PartialEq)]
enum Conversion {
    /// The plain `ALTER COLUMN ... TYPE`.
    Assignment,
    /// `USING col::a::b::to`: through these types, then to the new one.
    Explicit(Vec<String>),
    /// No cast exists; the text says why, after "no cast between them".
    None(String),
}

fn conversion(from: &str, to: &str, enums: &BTreeSet<String>) -> Conversion {
    let is_array = |t: &str| t.ends_with("[]");
    if is_array(from) != is_array(to) {
        if !is_array(from) {
            // A scalar becomes an array only through its text form.
            return Conversion::Explicit(vec![]);
        }
        return Conversion::Assignment;
    }
    let element = |t: &str| t.trim_end_matches("[]").to_string();
    let (from, to) = (element(from), element(to));
    let is_string = |t: &str| {
        t == "text"
            || t.starts_with("character varying")
            || t.starts_with("character")
            || t == "\"char\""
            || t == "name"
    };
    let is_integer = |t: &str| matches!(t, "smallint" | "integer" | "bigint");
    let is_time = |t: &str| {
        t == "date" || t.starts_with("timestamp") || t.starts_with("time ") || t == "interval"
    };
    let is_enum = |t: &str| enums.contains(t);
    if is_string(&to) {
        // Everything converts to a string type by assignment (through its output).
        return Conversion::Assignment;
    }
    if is_string(&from) {
        // Through the new type's input: a value it cannot read fails the change.
        return Conversion::Explicit(vec![]);
    }
    if is_enum(&to) {
        if is_enum(&from) {
            return Conversion::Explicit(vec!["text".into()]);
        }
        let why = if is_integer(&from) {
            " (going through text is not safe: a number's text is not one of the labels)"
        } else {
            ""
        };
        return Conversion::None(why.into());
    }
    if is_enum(&from) {
        return Conversion::None(String::new());
    }
    match (from == "boolean", to == "boolean") {
        (true, true) | (false, false) => {}
        _ if from == "integer" || to == "integer" => return Conversion::Explicit(vec![]),
        _ => return Conversion::None(" (only integer converts to and from boolean)".into()),
    }
    if (is_integer(&from) && is_time(&to)) || (is_time(&from) && is_integer(&to)) {
        return Conversion::None(
            " (a number of seconds or days is a choice: to_timestamp(col), \
             extract(epoch from col)::bigint)"
                .into(),
        );
    }
    Conversion::Assignment
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(from: &str, to: &str) -> Conversion {
        let enums = ["public.mood".to_string(), "public.state".to_string()].into();
        conversion(from, to, &enums)
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
        ] {
            assert_eq!(conv(f, t), Conversion::Explicit(vec![]), "{f} -> {t}");
        }
        assert_eq!(
            conv("public.mood", "public.state"),
            Conversion::Explicit(vec!["text".into()])
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
        ] {
            assert!(matches!(conv(f, t), Conversion::None(_)), "{f} -> {t}");
        }
        let Conversion::None(why) = conv("smallint", "public.mood") else {
            unreachable!()
        };
        assert!(why.contains("not safe"), "{why}");
    }
}
