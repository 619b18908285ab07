//! SeaORM's `column_type = "..."` and `db_type = "..."`: a sea-query `ColumnType` written as
//! Rust (`String(StringLen::N(255))`, `Decimal(Some((10, 2)))`, `custom("citext")`,
//! `Array(RcOrArc::new(ColumnType::Integer))`, `Interval(Some(PgInterval::DayToSecond),
//! Some(3))`), read as an expression and rendered the way sea-query's PostgreSQL builder
//! renders it (`backend/postgres/table.rs`).

/// The PostgreSQL type, or why there is none: `Err` says what SeaORM would do.
pub fn column_type(text: &str) -> Result<String, String> {
    let expr: syn::Expr = syn::parse_str(text.trim())
        .map_err(|_| format!("{text:?} is not a ColumnType written as Rust"))?;
    render(&expr)
}

/// The last segment of a path expression (`ColumnType::Integer` -> `Integer`).
fn last(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `Enum { name: "mood".into_iden(), variants: vec!["happy".into_iden(), ..] }`: the
/// type's name and values (`create_enum_from_column_type` creates it from them).
#[allow(clippy::type_complexity)]
fn column_enum(expr: &syn::Expr) -> Result<Option<(String, Vec<String>)>, String> {
    let syn::Expr::Struct(s) = expr else {
        return Ok(None);
    };
    if s.path.segments.last().is_none_or(|l| l.ident != "Enum") {
        return Ok(None);
    }
    let field = |want: &str| {
        s.fields
            .iter()
            .find(|f| matches!(&f.member, syn::Member::Named(i) if i == want))
            .map(|f| &f.expr)
            .ok_or_else(|| format!("ColumnType::Enum has no `{want}`"))
    };
    let name = string(field("name")?)?;
    let list: Vec<syn::Expr> = match field("variants")? {
        syn::Expr::Macro(m) if m.mac.path.is_ident("vec") => m
            .mac
            .parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            )
            .map_err(|e| format!("cannot read the variants: {e}"))?
            .into_iter()
            .collect(),
        syn::Expr::Array(a) => a.elems.iter().cloned().collect(),
        e => {
            return Err(format!(
                "expected the variants as vec![...], found `{}`",
                tokens(e)
            ))
        }
    };
    let variants = list.iter().map(string).collect::<Result<Vec<_>, _>>()?;
    Ok(Some((name, variants)))
}

/// The enum type a `ColumnType::Enum { .. }` makes SeaORM create, if it is one.
pub fn enum_of(text: &str) -> Option<(String, Vec<String>)> {
    let expr: syn::Expr = syn::parse_str(text.trim()).ok()?;
    column_enum(&expr).ok().flatten()
}

/// The extension a column type needs (`LTree` -> `ltree`).
pub fn extension(text: &str) -> Option<&'static str> {
    let expr: syn::Expr = syn::parse_str(text.trim()).ok()?;
    let name = match &expr {
        syn::Expr::Call(c) => last(&c.func),
        e => last(e),
    };
    (name.as_deref() == Some("LTree")).then_some("ltree")
}

/// `Some(x)` -> Some(x); `None` -> None.
fn option(expr: &syn::Expr) -> Result<Option<&syn::Expr>, String> {
    match expr {
        syn::Expr::Call(c) if last(&c.func).as_deref() == Some("Some") && c.args.len() == 1 => {
            Ok(c.args.first())
        }
        e if last(e).as_deref() == Some("None") => Ok(None),
        e => Err(format!("expected Some(...) or None, found `{}`", tokens(e))),
    }
}

fn number(expr: &syn::Expr) -> Result<u32, String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse().map_err(|e| e.to_string()),
        syn::Expr::Paren(p) => number(&p.expr),
        e => Err(format!("expected a number, found `{}`", tokens(e))),
    }
}

/// `(p, s)`.
fn pair(expr: &syn::Expr) -> Result<(u32, u32), String> {
    match expr {
        syn::Expr::Tuple(t) if t.elems.len() == 2 => {
            Ok((number(&t.elems[0])?, number(&t.elems[1])?))
        }
        e => Err(format!(
            "expected (precision, scale), found `{}`",
            tokens(e)
        )),
    }
}

/// A string literal, possibly with `.into()`, `.to_owned()`, `.to_string()`,
/// `Alias::new(...)` or `.into_iden()` around it.
fn string(expr: &syn::Expr) -> Result<String, String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s.value()),
        syn::Expr::MethodCall(m) => string(&m.receiver),
        syn::Expr::Call(c) if c.args.len() == 1 => string(&c.args[0]),
        syn::Expr::Reference(r) => string(&r.expr),
        e => Err(format!("expected a string, found `{}`", tokens(e))),
    }
}

/// `StringLen::N(255)` -> Some(255); `StringLen::None` / `StringLen::Max` / a bare number.
fn string_len(expr: &syn::Expr) -> Result<Option<u32>, String> {
    match expr {
        syn::Expr::Call(c) if last(&c.func).as_deref() == Some("N") && c.args.len() == 1 => {
            Ok(Some(number(&c.args[0])?))
        }
        syn::Expr::Call(c) if last(&c.func).as_deref() == Some("Some") && c.args.len() == 1 => {
            Ok(Some(number(&c.args[0])?))
        }
        e if matches!(last(e).as_deref(), Some("None" | "Max")) => Ok(None),
        e => number(e).map(Some),
    }
}

fn tokens(e: &syn::Expr) -> String {
    quote::ToTokens::to_token_stream(e).to_string()
}

fn interval_fields(name: &str) -> Option<&'static str> {
    Some(match name {
        "Year" => "YEAR",
        "Month" => "MONTH",
        "Day" => "DAY",
        "Hour" => "HOUR",
        "Minute" => "MINUTE",
        "Second" => "SECOND",
        "YearToMonth" => "YEAR TO MONTH",
        "DayToHour" => "DAY TO HOUR",
        "DayToMinute" => "DAY TO MINUTE",
        "DayToSecond" => "DAY TO SECOND",
        "HourToMinute" => "HOUR TO MINUTE",
        "HourToSecond" => "HOUR TO SECOND",
        "MinuteToSecond" => "MINUTE TO SECOND",
        _ => return None,
    })
}

fn render(expr: &syn::Expr) -> Result<String, String> {
    let (name, args): (String, Vec<&syn::Expr>) = match expr {
        syn::Expr::Path(_) => (last(expr).unwrap_or_default(), vec![]),
        syn::Expr::Call(c) => (last(&c.func).unwrap_or_default(), c.args.iter().collect()),
        syn::Expr::Paren(p) => return render(&p.expr),
        // sea-query writes the name as is (unquoted); SeaORM's schema builder creates the
        // type from the variants (`column_enum`).
        syn::Expr::Struct(_) => {
            let (name, _) = column_enum(expr)?
                .ok_or_else(|| format!("pgshift cannot read the ColumnType `{}`", tokens(expr)))?;
            return Ok(name);
        }
        e => {
            return Err(format!(
                "pgshift cannot read the ColumnType `{}`",
                tokens(e)
            ))
        }
    };
    let arg = |i: usize| -> Result<&syn::Expr, String> {
        args.get(i)
            .copied()
            .ok_or_else(|| format!("{name} takes an argument"))
    };
    Ok(match name.as_str() {
        "Char" => match args.first().map(|a| option(a)).transpose()?.flatten() {
            Some(n) => format!("character({})", number(n)?),
            None => "character(1)".into(),
        },
        "String" | "string" => match args.first().map(|a| string_len(a)).transpose()?.flatten() {
            Some(n) => format!("character varying({n})"),
            None => "character varying".into(),
        },
        "Text" => "text".into(),
        "TinyInteger" | "SmallInteger" | "TinyUnsigned" => "smallint".into(),
        "Integer" | "SmallUnsigned" => "integer".into(),
        "BigInteger" | "Unsigned" | "BigUnsigned" => "bigint".into(),
        "Float" => "real".into(),
        "Double" => "double precision".into(),
        "Decimal" => match option(arg(0)?)? {
            Some(p) => {
                let (p, s) = pair(p)?;
                format!("numeric({p},{s})")
            }
            None => "numeric".into(),
        },
        "Money" => match option(arg(0)?)? {
            None => "money".into(),
            Some(_) => {
                return Err(
                    "sea-query writes money(precision, scale), which PostgreSQL rejects: money has no precision; write Money(None)".into(),
                )
            }
        },
        "DateTime" => "timestamp without time zone".into(),
        "Timestamp" => "timestamp without time zone".into(),
        "TimestampWithTimeZone" => "timestamp with time zone".into(),
        "Time" => "time without time zone".into(),
        "Date" => "date".into(),
        "Interval" => {
            let fields = match args.first().map(|a| option(a)).transpose()?.flatten() {
                Some(f) => {
                    let f = last(f).unwrap_or_default();
                    Some(interval_fields(&f).ok_or_else(|| format!("{f} is not a PgInterval"))?)
                }
                None => None,
            };
            let precision = match args.get(1).map(|a| option(a)).transpose()?.flatten() {
                Some(p) => Some(number(p)?),
                None => None,
            };
            let mut t = "interval".to_string();
            if let Some(f) = fields {
                t.push(' ');
                t.push_str(f);
            }
            if let Some(p) = precision {
                t.push_str(&format!("({p})"));
            }
            t
        }
        "Binary" | "VarBinary" | "var_binary" | "Blob" => "bytea".into(),
        "Bit" => match args.first().map(|a| option(a)).transpose()?.flatten() {
            Some(n) => format!("bit({})", number(n)?),
            None => "bit(1)".into(),
        },
        "VarBit" => format!("bit varying({})", number(arg(0)?)?),
        "Boolean" => "boolean".into(),
        "Json" => "json".into(),
        "JsonBinary" => "jsonb".into(),
        "Uuid" => "uuid".into(),
        "Cidr" => "cidr".into(),
        "Inet" => "inet".into(),
        "MacAddr" => "macaddr".into(),
        // Written as given: PostgreSQL reads the name (`citext`, `BIT`, `ltree`).
        "Custom" | "custom" => string(arg(0)?)?,
        "Array" => {
            // Array(RcOrArc::new(ColumnType::Integer)) or Array(Arc::new(...)).
            let mut inner = arg(0)?;
            while let syn::Expr::Call(c) = inner {
                if matches!(last(&c.func).as_deref(), Some("new" | "from")) && c.args.len() == 1 {
                    inner = &c.args[0];
                } else {
                    break;
                }
            }
            format!("{}[]", render(inner)?)
        }
        "Year" => return Err("sea-query has no Year type for PostgreSQL (it panics)".into()),
        // From the ltree contrib extension, which the model gets (`extension`).
        "LTree" => "ltree".into(),
        "Vector" => {
            return Err(
                "Vector (pgvector) is not supported yet: the pgvector extension is not part of PostgreSQL's contrib set; set the type with #[pgshift(type = \"vector(3)\")] and create the extension yourself".into(),
            )
        }
        other => return Err(format!("{other:?} is not a sea-query ColumnType")),
    })
}

#[cfg(test)]
mod tests {
    use super::column_type;

    #[test]
    fn forms() {
        let ok = |t: &str| column_type(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(ok("Text"), "text");
        assert_eq!(
            ok("ColumnType::String(StringLen::N(255))"),
            "character varying(255)"
        );
        assert_eq!(ok("String(StringLen::None)"), "character varying");
        assert_eq!(ok("Decimal(Some((10, 2)))"), "numeric(10,2)");
        assert_eq!(ok("Custom(\"citext\".to_owned())"), "citext");
        assert_eq!(ok("custom(\"BIT\")"), "BIT");
        assert_eq!(ok("var_binary(32)"), "bytea");
        assert_eq!(ok("Char(Some(3))"), "character(3)");
        assert_eq!(
            ok("Array(RcOrArc::new(ColumnType::String(StringLen::N(20))))"),
            "character varying(20)[]"
        );
        assert_eq!(
            ok("Interval(Some(PgInterval::DayToSecond), Some(3))"),
            "interval DAY TO SECOND(3)"
        );
        assert_eq!(ok("Interval(None, None)"), "interval");
        assert_eq!(ok("VarBit(16)"), "bit varying(16)");
        assert_eq!(ok("Money(None)"), "money");
        assert!(column_type("Money(Some((10, 2)))")
            .unwrap_err()
            .contains("rejects"));
        assert!(column_type("Nonsense").is_err());
        let e = "ColumnType::Enum { name: \"mood\".into_iden(), variants: vec![\"a\".into_iden(), Alias::new(\"b\").into_iden()] }";
        assert_eq!(ok(e), "mood");
        assert_eq!(
            super::enum_of(e),
            Some(("mood".into(), vec!["a".into(), "b".into()]))
        );
        assert!(column_type("Enum { name: \"m\".into_iden() }").is_err());
        assert_eq!(ok("ColumnType::LTree"), "ltree");
        assert_eq!(super::extension("ColumnType::LTree"), Some("ltree"));
        assert_eq!(super::extension("Text"), None);
        assert!(column_type("Vector(Some(3))")
            .unwrap_err()
            .contains("not supported yet"));
        assert!(column_type("Year").unwrap_err().contains("Year"));
    }
}
