use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A schema-qualified name, e.g. `public.users`. Displayed unquoted (for messages);
/// SQL text always goes through [`crate::sql::qualified`]. Serialized as its SQL form
/// (`public."My Table"`), so it can key a JSON or TOML map and reads back unambiguously.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub schema: Name,
    pub name: Name,
}

/// An identifier as the schema model holds it. Most are short, so they are stored inline
/// (up to 24 bytes) without an allocation of their own: a schema of 10,000 tables holds
/// and compares some 300,000 of them (docs/decisions.md, "Names stored inline").
pub type Name = compact_str::CompactString;

impl QualifiedName {
    pub fn new(schema: impl Into<Name>, name: impl Into<Name>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }
}

impl QualifiedName {
    /// `schema.name` in the SQL form it serializes to, or a bare `name` in
    /// `default_schema`. Names are taken exactly as written: unquoted parts are not
    /// folded to lower case.
    pub fn parse(text: &str, default_schema: &str) -> Option<QualifiedName> {
        if let Some((q, "")) = parse_qualified(text) {
            return Some(q);
        }
        match parse_ident(text)? {
            (name, "") => Some(QualifiedName::new(default_schema, name)),
            _ => None,
        }
    }
}

/// The SQL form, quoted where needed, so a message names the object unambiguously.
impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::sql::qualified(self))
    }
}

/// Functions are identified by name and argument types, so overloads are distinct objects.
/// Serialized as `schema.name(arguments)`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionKey {
    pub schema: Name,
    pub name: Name,
    /// `pg_get_function_identity_arguments`, e.g. `a integer, b text`.
    pub arguments: String,
}

impl fmt::Display for FunctionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = QualifiedName::new(self.schema.clone(), self.name.clone());
        write!(f, "{}({})", crate::sql::qualified(&q), self.arguments)
    }
}

impl Serialize for QualifiedName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::sql::qualified(self))
    }
}

impl<'de> Deserialize<'de> for QualifiedName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_qualified_or_bare(&text)
            .and_then(|(q, rest)| rest.is_empty().then_some(q))
            .ok_or_else(|| de::Error::custom(format!("expected schema.name, found {text:?}")))
    }
}

impl Serialize for FunctionKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let q = QualifiedName::new(self.schema.clone(), self.name.clone());
        s.serialize_str(&format!(
            "{}({})",
            crate::sql::qualified(&q),
            self.arguments
        ))
    }
}

impl<'de> Deserialize<'de> for FunctionKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let parsed = parse_qualified_or_bare(&text).and_then(|(q, rest)| {
            let args = rest.strip_prefix('(')?.strip_suffix(')')?;
            Some(FunctionKey {
                schema: q.schema,
                name: q.name,
                arguments: args.to_string(),
            })
        });
        parsed
            .ok_or_else(|| de::Error::custom(format!("expected schema.name(args), found {text:?}")))
    }
}

/// `parse_qualified`, or a bare `name`: of no schema (`sql::UNQUALIFIED`), as
/// `sql::qualified` writes such a name.
fn parse_qualified_or_bare(text: &str) -> Option<(QualifiedName, &str)> {
    parse_qualified(text).or_else(|| {
        let (name, rest) = parse_ident(text)?;
        Some((QualifiedName::new(crate::sql::UNQUALIFIED, name), rest))
    })
}

/// `schema.name` in SQL form (each part plain or double-quoted); returns the rest.
fn parse_qualified(text: &str) -> Option<(QualifiedName, &str)> {
    let (schema, rest) = parse_ident(text)?;
    let (name, rest) = parse_ident(rest.strip_prefix('.')?)?;
    Some((QualifiedName::new(schema, name), rest))
}

fn parse_ident(text: &str) -> Option<(String, &str)> {
    if let Some(mut rest) = text.strip_prefix('"') {
        let mut out = String::new();
        loop {
            let end = rest.find('"')?;
            out.push_str(&rest[..end]);
            rest = &rest[end + 1..];
            match rest.strip_prefix('"') {
                Some(after) => {
                    out.push('"');
                    rest = after;
                }
                None => return Some((out, rest)),
            }
        }
    }
    let end = text.find(['.', '(']).unwrap_or(text.len());
    (end > 0).then(|| (text[..end].to_string(), &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_round_trip_through_serde() {
        for (schema, name) in [
            ("public", "users"),
            ("My Schema", "we\"ird.name"),
            ("a", "select"),
        ] {
            let q = QualifiedName::new(schema, name);
            let json = serde_json::to_string(&q).unwrap();
            assert_eq!(serde_json::from_str::<QualifiedName>(&json).unwrap(), q);
        }
    }

    #[test]
    fn function_keys_round_trip_through_serde() {
        let k = FunctionKey {
            schema: "public".into(),
            name: "Add".into(),
            arguments: "a integer, b integer".into(),
        };
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, r#""public.\"Add\"(a integer, b integer)""#);
        assert_eq!(serde_json::from_str::<FunctionKey>(&json).unwrap(), k);
    }
}
