//! Privileges a TOML model states (`grants`, `owner` on an object): checked, then set on
//! the schema read back from the scratch database (the grants are never run there, so the
//! roles they name need not exist on the scratch server). A model manages the privileges
//! of the objects it states them for, and no others (docs/decisions.md, "Privileges").

use super::model::Origin;
use crate::error::Result;
use crate::schema::privileges::{exists, Acl, DefaultClass, DefaultKey, ObjectPrivileges};
use crate::schema::{ObjectId, Schema};
use std::collections::BTreeMap;

/// One object's `grants` and `owner`, as the model states them.
#[derive(Clone, Debug)]
pub struct PrivilegeDef {
    pub id: ObjectId,
    pub owner: Option<String>,
    /// Grantee -> privileges as written: `SELECT`, `ALL`, `SELECT WITH GRANT OPTION`.
    pub grants: Option<BTreeMap<String, Vec<String>>>,
    pub origin: Origin,
}

/// One `ALTER DEFAULT PRIVILEGES` entry as the model states it: its whole ACL.
#[derive(Clone, Debug)]
pub struct DefaultPrivilegeDef {
    pub key: DefaultKey,
    pub grants: BTreeMap<String, Vec<String>>,
    pub origin: Origin,
}

/// Sets the entries the model states; those it does not state are not managed.
pub fn apply_defaults(defs: &[DefaultPrivilegeDef], schema: &mut Schema) -> Result<()> {
    schema.privileges.declared = true;
    for def in defs {
        if def.key.schema.is_some() && def.key.class == DefaultClass::Schemas {
            return Err(def.origin.error(
                "default privileges on schemas cannot be set IN SCHEMA",
                Some("leave `schema` out for `on = \"schemas\"`".into()),
            ));
        }
        if let Some(r) = &def.key.role {
            role_name(r, &def.origin)?;
        }
        // The privileges of a new object of the class: those of a sample object.
        let sample = PrivilegeDef {
            id: class_sample(def.key.class),
            owner: None,
            grants: None,
            origin: def.origin.clone(),
        };
        let acl = acl(&sample, &def.grants)?;
        schema.privileges.defaults.insert(def.key.clone(), acl);
    }
    Ok(())
}

fn class_sample(class: DefaultClass) -> ObjectId {
    let q = crate::schema::QualifiedName::new("", "");
    match class {
        DefaultClass::Tables => ObjectId::Table(q),
        DefaultClass::Sequences => ObjectId::Sequence(q),
        DefaultClass::Functions => ObjectId::Function(crate::schema::FunctionKey {
            schema: "".into(),
            name: "".into(),
            arguments: String::new(),
        }),
        DefaultClass::Types => ObjectId::Type(q),
        DefaultClass::Schemas => ObjectId::Schema("".into()),
    }
}

/// The privileges each kind of object has (PostgreSQL's `GRANT` reference).
fn known(id: &ObjectId) -> &'static [&'static str] {
    match id {
        ObjectId::Table(_) | ObjectId::View(_) => &[
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "TRUNCATE",
            "REFERENCES",
            "TRIGGER",
        ],
        ObjectId::Column(..) => &["SELECT", "INSERT", "UPDATE", "REFERENCES"],
        ObjectId::Sequence(_) => &["USAGE", "SELECT", "UPDATE"],
        ObjectId::Function(_) => &["EXECUTE"],
        ObjectId::Schema(_) => &["USAGE", "CREATE"],
        ObjectId::Type(_) => &["USAGE"],
        _ => &[],
    }
}

/// `grants` as an ACL: names checked against the kind, `ALL` expanded, `WITH GRANT
/// OPTION` read; the grantee `public` is PUBLIC.
fn acl(def: &PrivilegeDef, grants: &BTreeMap<String, Vec<String>>) -> Result<Acl> {
    let known = known(&def.id);
    let mut out = Acl::new();
    for (grantee, list) in grants {
        role_name(grantee, &def.origin)?;
        let entry = out.entry(grantee.clone()).or_default();
        for item in list {
            let upper = item.trim().to_ascii_uppercase();
            let (name, option) = match upper.strip_suffix(" WITH GRANT OPTION") {
                Some(n) => (n.trim().to_string(), true),
                None => (upper.clone(), false),
            };
            let names: Vec<&str> = match name.as_str() {
                "ALL" | "ALL PRIVILEGES" => known.to_vec(),
                n => match known.iter().find(|k| **k == n) {
                    Some(k) => vec![*k],
                    None => {
                        return Err(def.origin.error(
                            format!("{item:?} is not a privilege of {}", def.id),
                            Some(format!(
                                "write one of {}, or ALL; add \" WITH GRANT OPTION\" for the grant option",
                                known.join(", ")
                            )),
                        ))
                    }
                },
            };
            for n in names {
                let o = entry.entry(n.to_string()).or_insert(false);
                *o |= option;
            }
        }
        if entry.is_empty() {
            out.remove(grantee);
        }
    }
    Ok(out)
}

/// Sets what the model states on `schema` (read back from the scratch database), which
/// then manages those objects' privileges and no others.
pub fn apply(defs: &[PrivilegeDef], schema: &mut Schema) -> Result<()> {
    schema.privileges.declared = true;
    for def in defs {
        let id = resolve(schema, &def.id).ok_or_else(|| {
            def.origin.error(
                format!("{} is not in the model as PostgreSQL reads it back", def.id),
                Some("for a function, write the key with the argument types as pg_get_function_identity_arguments prints them".into()),
            )
        })?;
        let acl = def.grants.as_ref().map(|g| acl(def, g)).transpose()?;
        if let Some(o) = &def.owner {
            role_name(o, &def.origin)?;
        }
        let entry: &mut ObjectPrivileges = schema.privileges.objects.entry(id).or_default();
        if def.owner.is_some() {
            entry.owner = def.owner.clone();
        }
        if acl.is_some() {
            entry.acl = acl;
        }
    }
    Ok(())
}

/// A role name, refused when PostgreSQL would cut it.
fn role_name(name: &str, origin: &Origin) -> Result<()> {
    if name.len() <= crate::sql::MAX_NAME_BYTES {
        return Ok(());
    }
    let (message, hint) = super::model_sql::too_long("role name", name);
    Err(origin.error(message, Some(hint)))
}

/// The object `id` names in `schema`; a function's arguments are matched ignoring case
/// and spacing (the key is written by hand).
fn resolve(schema: &Schema, id: &ObjectId) -> Option<ObjectId> {
    if exists(schema, id) {
        return Some(id.clone());
    }
    let ObjectId::Function(key) = id else {
        return None;
    };
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<String>()
            .to_ascii_lowercase()
    };
    schema
        .functions
        .keys()
        .find(|k| {
            k.schema == key.schema
                && k.name == key.name
                && squash(&k.arguments) == squash(&key.arguments)
        })
        .map(|k| ObjectId::Function(k.clone()))
}
