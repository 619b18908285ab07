//! Range types and extended statistics objects.
//!
//! Neither can be changed in place beyond a few properties: a range type only by
//! `ALTER TYPE` owner/rename/schema (none of its options), a statistics object only by
//! `ALTER STATISTICS ... SET STATISTICS` (and rename, schema, owner). Reference:
//! <https://www.postgresql.org/docs/15/sql-createtype.html#SQL-CREATETYPE-RANGE>,
//! <https://www.postgresql.org/docs/15/sql-alterstatistics.html>.

use crate::schema::{QualifiedName, RangeType, Statistics};
use crate::sql::{ident, qualified};

/// `CREATE TYPE ... AS RANGE (...)`. The type names, operator class, collation and
/// functions are PostgreSQL's own printed forms (`format_type`, `regproc`, quoted
/// names), each one token of the option list.
pub fn create_range(t: &RangeType) -> String {
    let mut options = vec![("SUBTYPE", t.subtype.clone())];
    let mut push = |key, value: &Option<String>| {
        if let Some(v) = value {
            options.push((key, v.clone()));
        }
    };
    push("SUBTYPE_OPCLASS", &t.subtype_opclass);
    push("COLLATION", &t.collation);
    push("CANONICAL", &t.canonical);
    push("SUBTYPE_DIFF", &t.subtype_diff);
    options.push(("MULTIRANGE_TYPE_NAME", qualified(&t.multirange)));
    create_range_with(&t.name, &options)
}

/// `CREATE TYPE name AS RANGE (KEY = value, ...)`, the values as given (type and function
/// names in SQL form).
pub fn create_range_with(name: &QualifiedName, options: &[(&str, String)]) -> String {
    let options: Vec<String> = options.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!(
        "CREATE TYPE {} AS RANGE ({})",
        qualified(name),
        options.join(", ")
    )
}

/// The signatures of the functions PostgreSQL makes with a range type: the range's two
/// constructors and its multirange's three. They keep their names when the types are
/// renamed.
pub fn range_constructors(t: &RangeType) -> Vec<String> {
    let (range, multi) = (qualified(&t.name), qualified(&t.multirange));
    let sub = &t.subtype;
    vec![
        format!("{range}({sub}, {sub})"),
        format!("{range}({sub}, {sub}, text)"),
        format!("{multi}()"),
        format!("{multi}({range})"),
        format!("{multi}(VARIADIC {range}[])"),
    ]
}

/// `ALTER FUNCTION signature RENAME TO name`.
pub fn rename_function(signature: &str, to: &str) -> String {
    format!("ALTER FUNCTION {signature} RENAME TO {}", ident(to))
}

/// `CREATE STATISTICS` as PostgreSQL printed it, and the target if one is set: the
/// target cannot be given in `CREATE STATISTICS` itself.
pub fn create_statistics(s: &Statistics) -> Vec<String> {
    let mut out = vec![s.definition.clone()];
    if let Some(target) = s.target {
        out.push(statistics_target(&s.name, Some(target)));
    }
    out
}

/// `ALTER STATISTICS ... SET STATISTICS n`; `None` sets -1, the default (the largest
/// column target of the table, or `default_statistics_target`).
pub fn statistics_target(name: &QualifiedName, target: Option<i32>) -> String {
    format!(
        "ALTER STATISTICS {} SET STATISTICS {}",
        qualified(name),
        target.unwrap_or(-1)
    )
}

pub fn drop_statistics(name: &QualifiedName) -> String {
    format!("DROP STATISTICS {}", qualified(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_options_in_order_names_quoted() {
        let t = RangeType {
            name: QualifiedName::new("app", "Float Range"),
            subtype: "double precision".into(),
            subtype_opclass: None,
            collation: None,
            canonical: None,
            subtype_diff: Some("app.float_diff".into()),
            multirange: QualifiedName::new("app", "Float Multi"),
            comment: None,
        };
        assert_eq!(
            create_range(&t),
            "CREATE TYPE app.\"Float Range\" AS RANGE (SUBTYPE = double precision, \
             SUBTYPE_DIFF = app.float_diff, MULTIRANGE_TYPE_NAME = app.\"Float Multi\")"
        );
    }

    #[test]
    fn statistics_target_default_is_minus_one() {
        let name = QualifiedName::new("public", "s");
        assert_eq!(
            statistics_target(&name, None),
            "ALTER STATISTICS public.s SET STATISTICS -1"
        );
        let s = Statistics {
            name: name.clone(),
            table: QualifiedName::new("public", "t"),
            definition: "CREATE STATISTICS public.s ON a, b FROM public.t".into(),
            target: Some(500),
            comment: None,
        };
        assert_eq!(
            create_statistics(&s),
            [
                "CREATE STATISTICS public.s ON a, b FROM public.t",
                "ALTER STATISTICS public.s SET STATISTICS 500"
            ]
        );
    }
}
