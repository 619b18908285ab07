//! Rust type -> PostgreSQL type, as SeaORM maps them for PostgreSQL (its `ColumnType` for
//! each Rust type, rendered by sea-query's PostgreSQL backend). The table is documented in
//! docs/rust-models.md; keep the two in step.

/// What a field's Rust type says: the SQL type (None when unknown) and nullability.
pub struct Mapped {
    pub sql: Option<String>,
    pub nullable: bool,
}

/// `enum_type` resolves a Rust enum name to its PostgreSQL enum type, if it is one.
pub fn map(ty: &syn::Type, enum_type: &dyn Fn(&str) -> Option<String>) -> Mapped {
    if let Some(inner) = generic_of(ty, "Option") {
        return Mapped {
            sql: map(inner, enum_type).sql,
            nullable: true,
        };
    }
    Mapped {
        sql: base(ty, enum_type),
        nullable: false,
    }
}

fn base(ty: &syn::Type, enum_type: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    let name = last.ident.to_string();
    if name == "Vec" {
        let inner = generic_of(ty, "Vec")?;
        if last_ident(inner).as_deref() == Some("u8") {
            return Some("bytea".into());
        }
        // SeaORM's postgres-array feature: Vec<T> is T[].
        return base(inner, enum_type).map(|t| format!("{t}[]"));
    }
    let has_generics = !matches!(last.arguments, syn::PathArguments::None);
    let sql = match name.as_str() {
        "String" => "character varying",
        "char" => "character(1)",
        "i8" | "i16" => "smallint",
        "i32" => "integer",
        "i64" => "bigint",
        "f32" => "real",
        "f64" => "double precision",
        "bool" => "boolean",
        "Decimal" | "BigDecimal" => "numeric",
        "Date" | "NaiveDate" | "TimeDate" => "date",
        "Time" | "NaiveTime" | "TimeTime" => "time without time zone",
        // sea_orm::prelude::DateTime is chrono's NaiveDateTime; chrono's DateTime<Tz> has a
        // time zone.
        "DateTime" if has_generics => "timestamp with time zone",
        "DateTime" | "NaiveDateTime" | "TimeDateTime" | "PrimitiveDateTime" => {
            "timestamp without time zone"
        }
        "DateTimeWithTimeZone"
        | "DateTimeUtc"
        | "DateTimeLocal"
        | "TimeDateTimeWithTimeZone"
        | "OffsetDateTime" => "timestamp with time zone",
        "Uuid" => "uuid",
        "Json" | "JsonValue" | "Value" => "json",
        "IpNetwork" => "inet",
        other => return enum_type(other),
    };
    Some(sql.to_string())
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `T` of `Wrapper<T>`.
fn generic_of<'a>(ty: &'a syn::Type, wrapper: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// SeaORM's `column_type = "..."` (a `ColumnType` written as Rust) -> PostgreSQL type.
pub fn column_type(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.trim_start_matches("ColumnType::");
    let (name, args) = match compact.find('(') {
        Some(i) => (&compact[..i], Some(compact[i + 1..].strip_suffix(')')?)),
        None => (compact, None),
    };
    let numbers: Vec<&str> = args
        .unwrap_or("")
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let sql = match (name, numbers.as_slice()) {
        ("String", [n]) => format!("character varying({n})"),
        ("String", []) => "character varying".into(),
        ("Char", [n]) => format!("character({n})"),
        ("Char", []) => "character(1)".into(),
        ("Text", _) => "text".into(),
        ("TinyInteger" | "SmallInteger", _) => "smallint".into(),
        ("Integer", _) => "integer".into(),
        ("BigInteger", _) => "bigint".into(),
        ("Float", _) => "real".into(),
        ("Double", _) => "double precision".into(),
        ("Decimal", [p, s]) => format!("numeric({p},{s})"),
        ("Decimal", []) => "numeric".into(),
        ("Money", _) => "money".into(),
        ("DateTime" | "Timestamp", _) => "timestamp without time zone".into(),
        ("TimestampWithTimeZone", _) => "timestamp with time zone".into(),
        ("Time", _) => "time without time zone".into(),
        ("Date", _) => "date".into(),
        ("Interval", _) => "interval".into(),
        ("Binary" | "VarBinary" | "Blob", _) => "bytea".into(),
        ("Boolean", _) => "boolean".into(),
        ("Json", _) => "json".into(),
        ("JsonBinary", _) => "jsonb".into(),
        ("Uuid", _) => "uuid".into(),
        ("Inet", _) => "inet".into(),
        ("Cidr", _) => "cidr".into(),
        ("MacAddr", _) => "macaddr".into(),
        ("Custom", _) => {
            // Custom("citext") or Custom("citext".to_owned()): the quoted name.
            let raw = text.split('"').nth(1)?;
            return Some(raw.to_string());
        }
        _ => return None,
    };
    Some(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust(text: &str) -> (Option<String>, bool) {
        let ty: syn::Type = syn::parse_str(text).unwrap();
        let m = map(&ty, &|n| {
            (n == "Status").then(|| "public.status".to_string())
        });
        (m.sql, m.nullable)
    }

    #[test]
    fn rust_types() {
        assert_eq!(rust("i32"), (Some("integer".into()), false));
        assert_eq!(
            rust("Option<String>"),
            (Some("character varying".into()), true)
        );
        assert_eq!(rust("Vec<u8>"), (Some("bytea".into()), false));
        assert_eq!(rust("Vec<i64>"), (Some("bigint[]".into()), false));
        assert_eq!(
            rust("DateTime"),
            (Some("timestamp without time zone".into()), false)
        );
        assert_eq!(
            rust("chrono::DateTime<Utc>"),
            (Some("timestamp with time zone".into()), false)
        );
        assert_eq!(rust("Status"), (Some("public.status".into()), false));
        assert_eq!(rust("Money2"), (None, false));
    }

    #[test]
    fn sea_orm_column_types() {
        assert_eq!(column_type("Text").unwrap(), "text");
        assert_eq!(
            column_type("String(StringLen::N(255))").unwrap(),
            "character varying(255)"
        );
        assert_eq!(
            column_type("String(Some(40))").unwrap(),
            "character varying(40)"
        );
        assert_eq!(
            column_type("Decimal(Some((10, 2)))").unwrap(),
            "numeric(10,2)"
        );
        assert_eq!(column_type("JsonBinary").unwrap(), "jsonb");
        assert_eq!(
            column_type("Custom(\"citext\".to_owned())").unwrap(),
            "citext"
        );
        assert_eq!(column_type("Nonsense"), None);
    }
}
