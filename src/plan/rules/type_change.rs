//! Column type changes. Some are binary coercible and change only the catalog
//! (varchar(n) to a longer varchar or to text, numeric to a wider precision with the same
//! scale, timestamp to timestamptz when the session time zone is UTC); the rest rewrite
//! the table and its indexes under an ACCESS EXCLUSIVE lock. (Manual: ALTER TABLE,
//! "Notes": "changing the type of an existing column will normally cause the entire table
//! and its indexes to be rewritten".)

use super::table_label;
use crate::plan::{Hazard, HazardCode};
use crate::schema::QualifiedName;
use crate::sql::ident;

/// Whether changing `from` to `to` leaves the stored data as it is.
pub fn is_binary_coercible(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    let varchar_len = |t: &str| -> Option<Option<u32>> {
        if t == "text" || t == "character varying" {
            return Some(None);
        }
        t.strip_prefix("character varying(")?
            .strip_suffix(')')?
            .parse()
            .ok()
            .map(Some)
    };
    if let (Some(f), Some(t)) = (varchar_len(from), varchar_len(to)) {
        return match (f, t) {
            (_, None) => true,
            (Some(f), Some(t)) => t >= f,
            (None, Some(_)) => false,
        };
    }
    let numeric = |t: &str| -> Option<Option<(u32, u32)>> {
        if t == "numeric" {
            return Some(None);
        }
        let inner = t.strip_prefix("numeric(")?.strip_suffix(')')?;
        let (p, s) = inner.split_once(',')?;
        Some(Some((p.trim().parse().ok()?, s.trim().parse().ok()?)))
    };
    if let (Some(f), Some(t)) = (numeric(from), numeric(to)) {
        return match (f, t) {
            (_, None) => true,
            (Some((fp, fs)), Some((tp, ts))) => ts == fs && tp >= fp,
            (None, Some(_)) => false,
        };
    }
    matches!(
        (from, to),
        ("cidr", "inet") | ("bit varying", "bit varying")
    )
}

pub fn hazards(table: &QualifiedName, column: &str, from: &str, to: &str) -> Vec<Hazard> {
    let mut hazards = vec![];
    if !is_binary_coercible(from, to) {
        hazards.push(Hazard::new(
            HazardCode::TableRewrite,
            format!(
                "changing {}.{} from {from} to {to} rewrites the table and its indexes under an \
                 ACCESS EXCLUSIVE lock: every read and write of the table waits until it is done",
                table_label(table),
                ident(column)
            ),
            "for a large table: add a new column, backfill it in batches, switch the \
             application, then drop the old column (expand-contract)",
        ));
    }
    if from.starts_with("timestamp without") && to.starts_with("timestamp with ") {
        hazards.push(Hazard::new(
            HazardCode::TableRewrite,
            "existing values are read in the session's TimeZone (and the rewrite is skipped \
             only when that is UTC)",
            "SET TimeZone = 'UTC' (or the zone the values were written in) before running",
        ));
    }
    if let Some(lost) = narrowing(from, to) {
        let col = format!("{}.{}", table_label(table), ident(column));
        hazards.push(Hazard::new(
            HazardCode::DataLoss,
            format!("changing {col} from {from} to {to} loses {lost}"),
            "check that no value needs what is lost before running (or keep a copy of the \
             column); values the new type cannot hold at all make the change fail",
        ));
        hazards.push(Hazard::new(
            HazardCode::IrreversibleDowngrade,
            format!(
                "the downgrade changes {col} back to {from}, but what this change loses ({lost}) \
                 does not come back: the downgrade is not an exact inverse"
            ),
            "keep a copy of the column (or a backup) if the exact values may be needed after \
             a rollback",
        ));
    }
    hazards
}

/// What PostgreSQL's conversion from `from` to `to` loses (the assignment cast an
/// `ALTER COLUMN ... TYPE` applies), or None when every value survives as it was. A value
/// the new type cannot hold at all (too long, out of range) makes the change fail rather
/// than be cut; it is named too, since the change cannot run until it is changed.
pub fn narrowing(from: &str, to: &str) -> Option<String> {
    let (from, to) = (
        from.strip_suffix("[]").unwrap_or(from),
        to.strip_suffix("[]").unwrap_or(to),
    );
    if from == to {
        return None;
    }
    let f = Kind::of(from);
    let t = Kind::of(to);
    use Kind::*;
    let lost = match (&f, &t) {
        (String(fl), String(Some(tl))) if fl.is_none_or(|fl| fl > *tl) => {
            format!("every value longer than {tl} characters (the change fails on them)")
        }
        (Int(fb), Int(tb)) if fb > tb => {
            format!("every value outside the range of {to} (the change fails on them)")
        }
        (Numeric(_) | Float(_), Int(_)) => format!(
            "the fractional part of every value (rounded to an integer), and values outside \
             the range of {to}"
        ),
        (Numeric(fp), Numeric(Some((tp, ts)))) => {
            let (f_int, f_scale) = fp.map_or((None, None), |(p, s)| (Some(p - s), Some(s)));
            let mut parts = vec![];
            if f_scale.is_none_or(|fs| fs > *ts) {
                parts.push(rounded_to(*ts));
            }
            if f_int.is_none_or(|fi| fi > tp - ts) {
                parts.push(format!(
                    "values with more than {} digits before the point (the change fails on them)",
                    tp - ts
                ));
            }
            if parts.is_empty() {
                return None;
            }
            parts.join(", and ")
        }
        (Float(_), Numeric(Some((tp, ts)))) => format!(
            "{}, and values with more than {} digits before the point",
            rounded_to(*ts),
            tp - ts
        ),
        (Int(fb), Numeric(Some((tp, ts)))) if *tp - *ts < [5, 10, 19][*fb as usize] => {
            format!(
                "values with more than {} digits (the change fails on them)",
                tp - ts
            )
        }
        (Float(8), Float(4)) => {
            "precision beyond about 6 significant digits, and values outside the range of real"
                .into()
        }
        (Numeric(_), Float(bytes)) => format!(
            "precision beyond about {} significant digits",
            if *bytes == 4 { 6 } else { 15 }
        ),
        (Int(2), Float(_)) => "precision of integers beyond 2^53 (their last digits)".into(),
        (Int(1), Float(4)) => "precision of integers beyond 2^24 (their last digits)".into(),
        (Stamp { zone: true, .. }, Stamp { zone: false, .. }) => {
            "the instant each value stands for: it becomes a local time in the session's \
             TimeZone, ambiguous around daylight-saving changes"
                .into()
        }
        (Stamp { .. }, Date) => "the time of day of every value".into(),
        (Stamp { .. }, Time { .. }) => "the date of every value".into(),
        (Time { zone: true, .. }, Time { zone: false, .. }) => {
            "the time zone offset of every value".into()
        }
        (
            Stamp { precision: fp, .. },
            Stamp {
                precision: Some(tp),
                ..
            },
        )
        | (
            Time { precision: fp, .. },
            Time {
                precision: Some(tp),
                ..
            },
        ) if fp.unwrap_or(6) > *tp => match tp {
            0 => "the fractional seconds of every value (rounded to whole seconds)".into(),
            _ => format!("fractional seconds beyond {tp} digits (values are rounded)"),
        },
        (Interval(ff), Interval(tf)) if tf.is_some() && ff != tf => format!(
            "the parts of every interval that {to} does not hold (or its fractional seconds)"
        ),
        (Bits(fl), Bits(Some(tl))) if fl.is_none_or(|fl| fl > *tl) => {
            format!("every value longer than {tl} bits (the change fails on them)")
        }
        (Json, Jsonb) => "the whitespace, key order and duplicate keys of every document".into(),
        (Inet, Cidr) => "the host bits of every address".into(),
        (Numeric(_) | Float(_), Money) => "digits after the currency's 2 decimal places".into(),
        (
            String(_),
            Other
            | Int(_)
            | Numeric(_)
            | Float(_)
            | Stamp { .. }
            | Date
            | Time { .. }
            | Interval(_)
            | Json
            | Jsonb
            | Inet
            | Cidr
            | Money,
        ) => "the text of every value as written: it is parsed and printed back in its canonical \
             form ('007' becomes 7), and text that does not parse makes the change fail"
            .into(),
        _ => return None,
    };
    Some(lost)
}

/// What rounding to `scale` decimal places loses.
fn rounded_to(scale: u32) -> String {
    match scale {
        0 => "every digit after the decimal point (values are rounded to integers)".into(),
        1 => "digits beyond 1 decimal place (values are rounded)".into(),
        s => format!("digits beyond {s} decimal places (values are rounded)"),
    }
}

/// A type as far as `narrowing` needs to know it, from `format_type`'s text.
#[derive(Debug, PartialEq)]
enum Kind {
    /// text, varchar, char: the length limit (None: unlimited).
    String(Option<u32>),
    /// smallint 0, integer 1, bigint 2.
    Int(u8),
    /// numeric(p, s); None unconstrained.
    Numeric(Option<(u32, u32)>),
    /// real 4, double precision 8.
    Float(u8),
    Stamp {
        zone: bool,
        precision: Option<u32>,
    },
    Date,
    Time {
        zone: bool,
        precision: Option<u32>,
    },
    /// The fields and precision after `interval`, as printed.
    Interval(Option<std::string::String>),
    /// bit(n), bit varying(n); None unlimited.
    Bits(Option<u32>),
    Json,
    Jsonb,
    Inet,
    Cidr,
    Money,
    Other,
}

impl Kind {
    fn of(t: &str) -> Kind {
        let arg = |prefix: &str| -> Option<Option<u32>> {
            let rest = t.strip_prefix(prefix)?;
            if rest.is_empty() {
                return Some(None);
            }
            let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
            inner.trim().parse().ok().map(Some)
        };
        let precision = |t: &str, base: &str| -> Option<Option<u32>> {
            let rest = t.strip_prefix(base)?;
            match rest.strip_prefix('(') {
                None => Some(None),
                Some(r) => r.split(')').next()?.trim().parse().ok().map(Some),
            }
        };
        match t {
            "text" | "character varying" | "\"char\"" | "name" | "citext" => {
                return Kind::String(None)
            }
            "smallint" => return Kind::Int(0),
            "integer" => return Kind::Int(1),
            "bigint" => return Kind::Int(2),
            "real" => return Kind::Float(4),
            "double precision" => return Kind::Float(8),
            "date" => return Kind::Date,
            "json" => return Kind::Json,
            "jsonb" => return Kind::Jsonb,
            "inet" => return Kind::Inet,
            "cidr" => return Kind::Cidr,
            "money" => return Kind::Money,
            "numeric" => return Kind::Numeric(None),
            _ => {}
        }
        if let Some(n) = arg("character varying").or_else(|| arg("character")) {
            return Kind::String(n);
        }
        if let Some(n) = arg("bit varying") {
            return Kind::Bits(n);
        }
        if let Some(n) = arg("bit") {
            return Kind::Bits(n.or(Some(1)));
        }
        if let Some(inner) = t.strip_prefix("numeric(").and_then(|r| r.strip_suffix(')')) {
            let mut parts = inner.split(',').map(|p| p.trim().parse::<u32>());
            if let (Some(Ok(p)), s) = (parts.next(), parts.next()) {
                let s = s.and_then(Result::ok).unwrap_or(0);
                return Kind::Numeric(Some((p, s)));
            }
        }
        if t.starts_with("timestamp") {
            return Kind::Stamp {
                zone: t.ends_with("with time zone"),
                precision: precision(t, "timestamp").flatten(),
            };
        }
        if t.starts_with("time") {
            return Kind::Time {
                zone: t.ends_with("with time zone"),
                precision: precision(t, "time").flatten(),
            };
        }
        if let Some(rest) = t.strip_prefix("interval") {
            let rest = rest.trim();
            return Kind::Interval((!rest.is_empty()).then(|| rest.to_string()));
        }
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::is_binary_coercible as safe;

    #[test]
    fn narrowing_pairs_name_what_is_lost() {
        use super::narrowing;
        let lossy = [
            (
                "numeric(10,2)",
                "numeric(10,0)",
                "every digit after the decimal point",
            ),
            ("numeric", "numeric(12,2)", "beyond 2 decimal places"),
            ("numeric(12,2)", "numeric(8,2)", "6 digits before the point"),
            (
                "character varying(200)",
                "character varying(50)",
                "longer than 50",
            ),
            ("text", "character varying(50)", "longer than 50"),
            ("text", "character(2)", "longer than 2"),
            (
                "timestamp with time zone",
                "timestamp without time zone",
                "instant",
            ),
            ("timestamp with time zone", "date", "time of day"),
            ("timestamp without time zone", "date", "time of day"),
            (
                "timestamp(6) without time zone",
                "timestamp(0) without time zone",
                "whole seconds",
            ),
            (
                "time without time zone",
                "time(2) without time zone",
                "beyond 2",
            ),
            ("time with time zone", "time without time zone", "offset"),
            ("double precision", "real", "6 significant"),
            ("bigint", "integer", "range of integer"),
            ("bigint", "smallint", "range of smallint"),
            ("integer", "smallint", "range of smallint"),
            ("numeric(10,2)", "integer", "fractional part"),
            ("double precision", "bigint", "fractional part"),
            ("real", "numeric(8,2)", "beyond 2 decimal places"),
            ("bigint", "numeric(10,0)", "more than 10 digits"),
            ("bigint", "double precision", "2^53"),
            ("interval", "interval day", "does not hold"),
            ("bit(8)", "bit(4)", "longer than 4 bits"),
            ("bit varying", "bit varying(4)", "longer than 4 bits"),
            ("json", "jsonb", "key order"),
            ("inet", "cidr", "host bits"),
            ("text", "integer", "'007' becomes 7"),
            ("integer[]", "smallint[]", "range of smallint"),
        ];
        for (from, to, says) in lossy {
            let lost = narrowing(from, to).unwrap_or_else(|| panic!("{from} -> {to}"));
            assert!(lost.contains(says), "{from} -> {to}: {lost}");
        }
        let exact = [
            ("numeric(10,2)", "numeric(12,2)"),
            ("numeric(10,2)", "numeric(12,4)"),
            ("numeric(10,2)", "numeric"),
            ("character varying(50)", "text"),
            ("character varying(50)", "character varying(60)"),
            ("integer", "bigint"),
            ("smallint", "integer"),
            ("integer", "numeric(10,0)"),
            ("integer", "double precision"),
            ("real", "double precision"),
            ("timestamp without time zone", "timestamp with time zone"),
            ("date", "timestamp without time zone"),
            (
                "timestamp(0) without time zone",
                "timestamp without time zone",
            ),
            ("jsonb", "json"),
            ("cidr", "inet"),
            ("integer", "text"),
            ("bit(4)", "bit(8)"),
            ("interval day", "interval"),
        ];
        for (from, to) in exact {
            assert_eq!(narrowing(from, to), None, "{from} -> {to}");
        }
    }

    #[test]
    fn binary_coercible_changes() {
        assert!(safe("character varying(50)", "character varying(200)"));
        assert!(safe("character varying(50)", "text"));
        assert!(safe("numeric(10,2)", "numeric(12,2)"));
        assert!(safe("numeric(10,2)", "numeric"));
        assert!(!safe("character varying(200)", "character varying(50)"));
        assert!(!safe("text", "character varying(10)"));
        assert!(!safe("integer", "bigint"));
        assert!(!safe("numeric(10,2)", "numeric(12,4)"));
    }
}
