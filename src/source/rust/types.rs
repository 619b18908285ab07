//! Rust type -> PostgreSQL type, as SeaORM maps them for PostgreSQL (its `ColumnType` for
//! each Rust type, rendered by sea-query's PostgreSQL backend). The table is documented in
//! docs/rust-models.md; keep the two in step.

/// What a field's Rust type says: the SQL type (None when unknown) and nullability.
pub struct Mapped {
    pub sql: Option<String>,
    pub nullable: bool,
}

/// `enum_type` resolves a type the files read or the project define (an enum, a value
/// type, a `[types]` entry), given its path as written (`a::b::UserId`), before the
/// built-in types.
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
    let path: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if let Some(sql) = enum_type(&path.join("::")) {
        return Some(sql);
    }
    if name == "Vec" {
        let inner = generic_of(ty, "Vec")?;
        if last_ident(inner).as_deref() == Some("u8") {
            return Some("bytea".into());
        }
        // SeaORM's postgres-array feature: Vec<T> is T[].
        return base(inner, enum_type).map(|t| format!("{t}[]"));
    }
    let has_generics = !matches!(last.arguments, syn::PathArguments::None);
    let in_uuid_fmt = p.path.segments.iter().any(|s| s.ident == "fmt");
    let sql = match name.as_str() {
        "String" | "TextUuid" => "character varying",
        "char" => "character(1)",
        "i8" | "i16" | "u8" => "smallint",
        "i32" | "u16" => "integer",
        // sea-query's PostgreSQL builder: Unsigned and BigUnsigned are bigint.
        "i64" | "u32" | "u64" => "bigint",
        "ChronoUnixTimestamp"
        | "ChronoUnixTimestampMillis"
        | "TimeUnixTimestamp"
        | "TimeUnixTimestampMillis" => "bigint",
        "f32" => "real",
        "f64" => "double precision",
        "bool" => "boolean",
        "Decimal" | "BigDecimal" => "numeric",
        "Date" | "NaiveDate" | "TimeDate" | "ChronoDate" => "date",
        "Time" | "NaiveTime" | "TimeTime" | "ChronoTime" => "time without time zone",
        // sea_orm::prelude::DateTime is chrono's NaiveDateTime; chrono's DateTime<Tz> has a
        // time zone.
        "DateTime" if has_generics => "timestamp with time zone",
        "DateTime" | "NaiveDateTime" | "TimeDateTime" | "PrimitiveDateTime" | "ChronoDateTime" => {
            "timestamp without time zone"
        }
        "DateTimeWithTimeZone"
        | "DateTimeUtc"
        | "DateTimeLocal"
        | "ChronoDateTimeWithTimeZone"
        | "ChronoDateTimeUtc"
        | "ChronoDateTimeLocal"
        | "TimeDateTimeWithTimeZone"
        | "OffsetDateTime"
        | "Timestamp" => "timestamp with time zone",
        "Uuid" | "Braced" | "Hyphenated" | "Urn" => "uuid",
        "Simple" if in_uuid_fmt => "uuid",
        "Json" | "JsonValue" | "Value" => "json",
        "IpNetwork" => "inet",
        "MacAddress" => "macaddr",
        _ => return None,
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
/// The part of `ty` a `[types]` entry maps: the type inside `Option<...>` and `Vec<...>`
/// (a `Vec`'s element type is mapped, the column is its array).
pub fn mapped_part(ty: &syn::Type) -> &syn::Type {
    match generic_of(ty, "Option").or_else(|| generic_of(ty, "Vec")) {
        Some(inner) => mapped_part(inner),
        None => ty,
    }
}

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
    fn the_part_a_types_entry_maps_is_inside_option_and_vec() {
        let part = |text: &str| {
            let ty: syn::Type = syn::parse_str(text).unwrap();
            quote::ToTokens::to_token_stream(mapped_part(&ty)).to_string()
        };
        assert_eq!(part("Option<Vec<a::Tag>>"), "a :: Tag");
        assert_eq!(part("Option<PgVector>"), "PgVector");
        assert_eq!(part("Mystery"), "Mystery");
    }
}
