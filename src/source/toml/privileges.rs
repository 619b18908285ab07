//! `grants` and `owner` in a TOML spec: read into the model's privilege list, and written
//! by `inspect --format toml` from a schema's explicit ACLs and owners.

use super::spec::Spec;
use super::Converter;
use crate::error::Result;
use crate::schema::privileges::{Acl, DefaultClass, DefaultKey};
use crate::schema::{FunctionKey, ObjectId, Schema};
use crate::source::model_privileges::{DefaultPrivilegeDef, PrivilegeDef};
use std::collections::BTreeMap;

type Grants = Option<BTreeMap<String, Vec<String>>>;

/// The object's explicit ACL as `grants`, when it has one.
pub(super) fn grants(schema: &Schema, id: &ObjectId) -> Grants {
    let acl: &Acl = schema.privileges.objects.get(id)?.acl.as_ref()?;
    Some(grant_lists(acl))
}

/// An ACL as `grants` lists.
pub(super) fn grant_lists(acl: &Acl) -> BTreeMap<String, Vec<String>> {
    acl.iter()
        .map(|(grantee, privileges)| {
            let list = privileges
                .iter()
                .map(|(p, option)| {
                    if *option {
                        format!("{p} WITH GRANT OPTION")
                    } else {
                        p.clone()
                    }
                })
                .collect();
            (grantee.clone(), list)
        })
        .collect()
}

pub(super) fn owner(schema: &Schema, id: &ObjectId) -> Option<String> {
    schema.privileges.objects.get(id)?.owner.clone()
}

impl Converter<'_> {
    /// Every object's `grants` and `owner` (and every column's `grants`).
    pub(super) fn privileges(&self, spec: &Spec) -> Result<Vec<PrivilegeDef>> {
        let mut out = vec![];
        let mut push = |id: ObjectId, owner: &Option<String>, grants: &Grants, origin| {
            if owner.is_some() || grants.is_some() {
                out.push(PrivilegeDef {
                    id,
                    owner: owner.clone(),
                    grants: grants.clone(),
                    origin,
                });
            }
        };
        for (key, s) in &spec.schemas {
            let origin = self.header("schemas", key);
            push(ObjectId::Schema(key.into()), &s.owner, &s.grants, origin);
        }
        let types = [
            (
                "enums",
                spec.enums
                    .iter()
                    .map(|(k, s)| (k, &s.owner, &s.grants))
                    .collect::<Vec<_>>(),
            ),
            (
                "composites",
                spec.composites
                    .iter()
                    .map(|(k, s)| (k, &s.owner, &s.grants))
                    .collect(),
            ),
            (
                "domains",
                spec.domains
                    .iter()
                    .map(|(k, s)| (k, &s.owner, &s.grants))
                    .collect(),
            ),
        ];
        for (section, list) in types {
            for (key, owner, grants) in list {
                let origin = self.header(section, key);
                let name = self.name(key, &origin)?;
                push(ObjectId::Type(name), owner, grants, origin);
            }
        }
        for (key, s) in &spec.sequences {
            let origin = self.header("sequences", key);
            let name = self.name(key, &origin)?;
            push(ObjectId::Sequence(name), &s.owner, &s.grants, origin);
        }
        for (key, f) in &spec.functions {
            if f.owner.is_none() && f.grants.is_none() {
                continue;
            }
            let origin = self.header("functions", key);
            let parsed: Option<FunctionKey> =
                serde::Deserialize::deserialize(serde::de::value::StrDeserializer::<
                    serde::de::value::Error,
                >::new(key))
                .ok();
            let Some(function) = parsed else {
                return Err(origin.error(
                    format!("{key:?} is not a function signature"),
                    Some("write the key as schema.name(argument types)".into()),
                ));
            };
            push(ObjectId::Function(function), &f.owner, &f.grants, origin);
        }
        for (key, t) in &spec.tables {
            let origin = self.header("tables", key);
            let name = self.name(key, &origin)?;
            for c in &t.columns {
                let column = c.get_ref();
                let id = ObjectId::Column(name.clone(), column.name.as_str().into());
                push(id, &None, &column.grants, self.origin(c));
                if column.identity_grants.is_some() {
                    let sequence = match &column.identity_sequence {
                        Some(text) => self.identity_sequence(&name, text, &self.origin(c))?,
                        None => crate::schema::default_sequence_name(&name, &column.name),
                    };
                    let id = ObjectId::Sequence(sequence);
                    push(id, &None, &column.identity_grants, self.origin(c));
                }
            }
            push(ObjectId::Table(name), &t.owner, &t.grants, origin);
        }
        for (key, v) in &spec.views {
            let origin = self.header("views", key);
            let name = self.name(key, &origin)?;
            push(ObjectId::View(name), &v.owner, &v.grants, origin);
        }
        Ok(out)
    }
}

impl Converter<'_> {
    /// `[[default_privileges]]` entries.
    pub(super) fn default_privileges(&self, spec: &Spec) -> Result<Vec<DefaultPrivilegeDef>> {
        let mut out = vec![];
        for s in &spec.default_privileges {
            let origin = self.origin(s);
            let d = s.get_ref();
            let class = match d.on.to_ascii_lowercase().as_str() {
                "tables" => DefaultClass::Tables,
                "sequences" => DefaultClass::Sequences,
                "functions" | "routines" => DefaultClass::Functions,
                "types" => DefaultClass::Types,
                "schemas" => DefaultClass::Schemas,
                _ => {
                    return Err(origin.error(
                        format!("{:?} is not a class of default privileges", d.on),
                        Some("write on = \"tables\", \"sequences\", \"functions\", \"types\" or \"schemas\"".into()),
                    ))
                }
            };
            let key = DefaultKey {
                role: d.role.clone(),
                schema: d.schema.as_deref().map(Into::into),
                class,
            };
            if out.iter().any(|o: &DefaultPrivilegeDef| o.key == key) {
                return Err(origin.error(
                    "these default privileges are stated twice",
                    Some("keep one entry per role, schema and class".into()),
                ));
            }
            out.push(DefaultPrivilegeDef {
                key,
                grants: d.grants.clone(),
                origin,
            });
        }
        Ok(out)
    }
}
