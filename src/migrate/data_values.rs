//! Generated column values for the data proof: the `n`th value of a column's type as a
//! SQL expression, distinct for distinct `n` (so unique keys hold), with the parts a
//! careless type change loses (a fractional part, sub-second time, characters past a
//! length) present in it.

use crate::schema::Schema;
use crate::sql::{literal, qualified};

/// The `n`th value of `data_type` (`format_type` text) as an expression cast to it, or
/// None for a type pgshift does not generate values of (the column is left to its
/// default, or NULL).
pub fn value(schema: &Schema, data_type: &str, n: u64) -> Option<String> {
    let expr = base_value(schema, data_type, n)?;
    Some(format!("({expr})::{data_type}"))
}

fn base_value(schema: &Schema, data_type: &str, n: u64) -> Option<String> {
    if let Some(element) = data_type.strip_suffix("[]") {
        return Some(format!("ARRAY[{}]", value(schema, element, n)?));
    }
    if let Some(e) = schema
        .enums
        .values()
        .find(|e| qualified(&e.name) == data_type || e.name.name.as_str() == data_type)
    {
        let label = e.values.get((n as usize) % e.values.len().max(1))?;
        return Some(literal(label));
    }
    if let Some(d) = schema
        .domains
        .values()
        .find(|d| qualified(&d.name) == data_type || d.name.name.as_str() == data_type)
    {
        return value(schema, &d.base_type.clone(), n);
    }
    if data_type.starts_with("timestamp") {
        // `timestamp(3) with time zone`: the precision sits inside the name.
        let start = if data_type.contains("without") {
            "TIMESTAMP '2024-01-01 00:00:00.123456'"
        } else {
            "TIMESTAMPTZ '2024-01-01 00:00:00.123456+00'"
        };
        return Some(format!("{start} + {n} * INTERVAL '61.5 seconds'"));
    }
    let (name, modifier) = match data_type.split_once('(') {
        Some((name, rest)) => (name.trim(), rest.trim_end_matches(')')),
        None => (data_type, ""),
    };
    let numbers: Vec<u64> = modifier
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    Some(match name {
        "smallint" => (n % 32_000).to_string(),
        "integer" | "bigint" | "oid" => n.to_string(),
        "numeric" | "decimal" => match numbers.as_slice() {
            [precision, scale] if *scale > 0 => {
                let whole = 10u64.saturating_pow((*precision - *scale) as u32).max(1);
                format!("{}.{}5", n % whole, "0".repeat(*scale as usize - 1))
            }
            [precision, _] | [precision] => {
                (n % 10u64.saturating_pow(*precision as u32).max(1)).to_string()
            }
            _ => format!("{n}.5"),
        },
        "real" | "double precision" => format!("{n}.25"),
        "money" => format!("{n}.5"),
        "text" | "citext" | "name" => literal(&format!("row {n}: text")),
        "character varying" | "character" | "varchar" | "char" | "bpchar" => {
            let text = format!("r{n}");
            let text = match numbers.first() {
                // The last characters: they differ from row to row.
                Some(&len) => text[text.len().saturating_sub(len as usize)..].to_string(),
                None => text,
            };
            literal(&text)
        }
        "boolean" => (n % 2 == 0).to_string(),
        "date" => format!("DATE '2024-01-01' + {}", n % 100_000),
        "time without time zone" => {
            format!("TIME '00:00:00.25' + {} * INTERVAL '1 second'", n % 80_000)
        }
        "interval" => format!("{n} * INTERVAL '1 minute 0.5 seconds'"),
        "uuid" => format!("md5({})::uuid", literal(&n.to_string())),
        "json" | "jsonb" => literal(&format!("{{\"n\": {n}, \"note\": \"row {n}\"}}")),
        "bytea" => format!("decode(md5({}), 'hex')", literal(&n.to_string())),
        "inet" | "cidr" => literal(&format!(
            "10.{}.{}.{}/32",
            n / 65_536 % 256,
            n / 256 % 256,
            n % 256
        )),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_what_narrowing_loses() {
        let s = Schema::default();
        assert_eq!(value(&s, "integer", 7).unwrap(), "(7)::integer");
        assert_eq!(
            value(&s, "numeric(10,2)", 7).unwrap(),
            "(7.05)::numeric(10,2)"
        );
        assert_eq!(value(&s, "numeric", 7).unwrap(), "(7.5)::numeric");
        assert_eq!(
            value(&s, "character varying(3)", 1234).unwrap(),
            "('234')::character varying(3)"
        );
        assert_eq!(
            value(&s, "integer[]", 3).unwrap(),
            "(ARRAY[(3)::integer])::integer[]"
        );
        assert_eq!(value(&s, "tsvector", 3), None);
    }
}
