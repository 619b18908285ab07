//! Privileges: who may do what on each object (`GRANT`/`REVOKE`), the default privileges
//! of objects created later (`ALTER DEFAULT PRIVILEGES`), and owners.
//!
//! Normal form (docs/decisions.md, "Privileges"):
//! - An ACL is held as grantee -> privilege -> grantable. PUBLIC is the grantee `public`
//!   (no role can have that name). The grantor is not kept: pgshift grants as the role it
//!   runs as, so two databases that differ only in who granted compare equal.
//! - The owner's own entries are left out: PostgreSQL gives the owner every privilege
//!   implicitly and moves them with the object on `ALTER ... OWNER TO`.
//! - `acl: None` is PostgreSQL's built-in default for the kind ([`kind_default`]): nothing
//!   for tables, views, sequences and schemas, `EXECUTE` to PUBLIC for functions,
//!   `USAGE` to PUBLIC for types and domains.
//! - An owner is `None` when it is the database's owner (or `pg_database_owner`): "many
//!   teams run as one owner", and that owner is the one migrations run as.
//! - A schema read from a database (`declared: false`) holds everything; a model
//!   (`declared: true`) holds only what it states, and what it does not state is not
//!   managed: an object whose privileges a model never grants or revokes keeps whatever
//!   the database has.

use super::{ObjectId, QualifiedName, Schema};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Grantee -> privilege (`SELECT`, `EXECUTE`, ...) -> with grant option.
pub type Acl = BTreeMap<String, BTreeMap<String, bool>>;

/// The grantee that stands for PUBLIC.
pub const PUBLIC: &str = "public";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privileges {
    /// Per object: tables, columns, views, sequences, functions, types, schemas. Objects
    /// with the default ACL and owner are not listed.
    #[serde(default, with = "as_list", skip_serializing_if = "BTreeMap::is_empty")]
    pub objects: BTreeMap<ObjectId, ObjectPrivileges>,
    /// `ALTER DEFAULT PRIVILEGES` entries.
    #[serde(default, with = "as_list", skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<DefaultKey, Acl>,
    /// From a model: only what it lists is managed (see the module documentation).
    #[serde(skip)]
    pub declared: bool,
    /// The database owner's name, when read from a database: the owner an object gets
    /// back when a downgrade undoes an `OWNER TO`.
    #[serde(skip)]
    pub database_owner: Option<String>,
    /// Every role of the server, when read from a database: a role a model names that is
    /// not among them is an error at plan time.
    #[serde(skip)]
    pub roles: Option<BTreeSet<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectPrivileges {
    /// Set when not the database owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Set when not the built-in default of the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Acl>,
}

/// One `ALTER DEFAULT PRIVILEGES [FOR ROLE role] [IN SCHEMA schema] ... ON class`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DefaultKey {
    /// `None`: the database owner (the role migrations run as).
    pub role: Option<String>,
    /// `None`: every schema (a global entry, which replaces the built-in default rather
    /// than adding to it).
    pub schema: Option<super::Name>,
    pub class: DefaultClass,
}

/// The object classes `ALTER DEFAULT PRIVILEGES` knows (`pg_default_acl.defaclobjtype`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultClass {
    Tables,
    Sequences,
    Functions,
    Types,
    Schemas,
}

impl DefaultClass {
    pub fn from_catalog(code: &str) -> Option<DefaultClass> {
        Some(match code {
            "r" => DefaultClass::Tables,
            "S" => DefaultClass::Sequences,
            "f" => DefaultClass::Functions,
            "T" => DefaultClass::Types,
            "n" => DefaultClass::Schemas,
            _ => return None,
        })
    }

    /// The keyword of `ALTER DEFAULT PRIVILEGES ... ON <keyword>`.
    pub fn keyword(self) -> &'static str {
        match self {
            DefaultClass::Tables => "TABLES",
            DefaultClass::Sequences => "SEQUENCES",
            DefaultClass::Functions => "FUNCTIONS",
            DefaultClass::Types => "TYPES",
            DefaultClass::Schemas => "SCHEMAS",
        }
    }

    /// The class whose defaults apply to a new object `id`.
    pub fn of(id: &ObjectId) -> Option<DefaultClass> {
        Some(match id {
            ObjectId::Table(_) | ObjectId::View(_) => DefaultClass::Tables,
            ObjectId::Sequence(_) => DefaultClass::Sequences,
            ObjectId::Function(_) => DefaultClass::Functions,
            ObjectId::Type(_) => DefaultClass::Types,
            ObjectId::Schema(_) => DefaultClass::Schemas,
            _ => return None,
        })
    }
}

/// The built-in default ACL of an object kind, without the owner's entry (PostgreSQL's
/// `acldefault`): functions are executable and types usable by PUBLIC; nothing else is
/// granted to anyone. (`public` schema: see [`is_initial_public_schema`].)
pub fn kind_default(id: &ObjectId) -> Acl {
    let public = |privilege: &str| {
        Acl::from([(
            PUBLIC.to_string(),
            BTreeMap::from([(privilege.to_string(), false)]),
        )])
    };
    match id {
        ObjectId::Function(_) => public("EXECUTE"),
        ObjectId::Type(_) => public("USAGE"),
        ObjectId::Schema(s) if s == "public" => public("USAGE"),
        _ => Acl::new(),
    }
}

/// The built-in default of a global `ALTER DEFAULT PRIVILEGES` entry, without the role's
/// own entry: what a new object of the class gets when no entry says otherwise.
pub fn class_default(class: DefaultClass) -> Acl {
    match class {
        DefaultClass::Functions => kind_default(&ObjectId::Function(super::FunctionKey {
            schema: "".into(),
            name: "".into(),
            arguments: String::new(),
        })),
        DefaultClass::Types => kind_default(&ObjectId::Type(QualifiedName::new("", ""))),
        _ => Acl::new(),
    }
}

/// The ACL PostgreSQL 15's `initdb` gives the `public` schema (owner
/// `pg_database_owner`, `USAGE` to PUBLIC): no model states it, so it is not a
/// difference.
pub fn is_initial_public_schema(id: &ObjectId, acl: &Acl) -> bool {
    matches!(id, ObjectId::Schema(s) if s == "public") && *acl == kind_default(id)
}

/// `privileges` as the statements of `GRANT`: privilege names in a stable order.
pub fn privilege_list(privileges: &BTreeMap<String, bool>) -> Vec<&str> {
    privileges.keys().map(String::as_str).collect()
}

impl Privileges {
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty() && self.defaults.is_empty()
    }

    /// The explicit entry of `id`, or the defaults.
    pub fn of(&self, id: &ObjectId) -> ObjectPrivileges {
        self.objects.get(id).cloned().unwrap_or_default()
    }

    /// A database's normal form: an ACL equal to the kind's default is the default
    /// (PostgreSQL leaves a non-null ACL behind after a `REVOKE` of everything granted).
    pub fn normalize_database(&mut self) {
        for (id, p) in self.objects.iter_mut() {
            if p.acl.as_ref().is_some_and(|a| *a == kind_default(id)) {
                p.acl = None;
            }
        }
        self.objects
            .retain(|_, p| p.acl.is_some() || p.owner.is_some());
    }

    /// Every role named: grantees (not PUBLIC), owners and default-privilege roles, with
    /// the object that names it.
    pub fn roles_named(&self) -> Vec<(String, String)> {
        let mut out = vec![];
        for (id, p) in &self.objects {
            if let Some(o) = &p.owner {
                out.push((o.clone(), format!("the owner of {id}")));
            }
            for grantee in p.acl.iter().flat_map(|a| a.keys()) {
                if grantee != PUBLIC {
                    out.push((grantee.clone(), format!("a grant on {id}")));
                }
            }
        }
        for (key, acl) in &self.defaults {
            let what = format!(
                "default privileges on {}",
                key.class.keyword().to_lowercase()
            );
            if let Some(r) = &key.role {
                out.push((r.clone(), format!("{what} (FOR ROLE)")));
            }
            for grantee in acl.keys().filter(|g| *g != PUBLIC) {
                out.push((grantee.clone(), what.clone()));
            }
        }
        out
    }

    /// Renames the entries of table `from` (and its columns) to `to`.
    pub fn rename_table(&mut self, from: &QualifiedName, to: &QualifiedName) {
        let moved: Vec<ObjectId> = self
            .objects
            .keys()
            .filter(|id| match id {
                ObjectId::Table(t) | ObjectId::Column(t, _) => t == from,
                _ => false,
            })
            .cloned()
            .collect();
        for id in moved {
            let p = self.objects.remove(&id).expect("listed above");
            let id = match id {
                ObjectId::Column(_, c) => ObjectId::Column(to.clone(), c),
                _ => ObjectId::Table(to.clone()),
            };
            self.objects.insert(id, p);
        }
    }
}

/// Whether `schema` holds the object `id` names (so its privileges can be granted).
pub fn exists(schema: &Schema, id: &ObjectId) -> bool {
    match id {
        ObjectId::Schema(s) => schema.schemas.contains_key(s) || s == "public",
        ObjectId::Table(t) => schema.tables.contains_key(t),
        ObjectId::Column(t, c) => match schema.tables.get(t) {
            Some(t) => t.column(c).is_some(),
            // A view's column (column privileges of a view).
            None => schema
                .views
                .get(t)
                .is_some_and(|v| v.columns.iter().any(|(name, _)| name == c.as_str())),
        },
        ObjectId::View(v) => schema.views.contains_key(v),
        ObjectId::Sequence(s) => {
            schema.sequences.contains_key(s) || super::identity_owner(schema, s).is_some()
        }
        ObjectId::Function(f) => schema.functions.contains_key(f),
        ObjectId::Type(t) => {
            schema.enums.contains_key(t)
                || schema.domains.contains_key(t)
                || schema.composites.contains_key(t)
        }
        _ => false,
    }
}

/// Drops the entries of objects the schema no longer holds (left out by `--exclude` or
/// `--schema`).
pub fn retain_existing(schema: &mut Schema) {
    let mut objects = std::mem::take(&mut schema.privileges.objects);
    objects.retain(|id, _| exists(schema, id));
    schema.privileges.objects = objects;
    let schemas: BTreeSet<super::Name> = schema.schemas.keys().cloned().collect();
    schema.privileges.defaults.retain(|k, _| {
        k.schema
            .as_ref()
            .is_none_or(|s| schemas.contains(s) || s == "public")
    });
}

/// Serializes a map with structured keys as a list of pairs (JSON keys are strings).
mod as_list {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(d)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoked_to_default_is_default() {
        let t = ObjectId::Table(QualifiedName::new("public", "t"));
        let f = ObjectId::Function(crate::schema::FunctionKey {
            schema: "public".into(),
            name: "f".into(),
            arguments: String::new(),
        });
        let mut p = Privileges::default();
        p.objects.insert(
            t.clone(),
            ObjectPrivileges {
                owner: None,
                acl: Some(Acl::new()),
            },
        );
        p.objects.insert(
            f.clone(),
            ObjectPrivileges {
                owner: None,
                acl: Some(Acl::new()),
            },
        );
        p.normalize_database();
        // A table with nothing granted is the default; a function revoked from PUBLIC is not.
        assert!(!p.objects.contains_key(&t));
        assert_eq!(p.objects[&f].acl, Some(Acl::new()));
    }

    #[test]
    fn renamed_table_keeps_column_grants() {
        let (a, b) = (QualifiedName::new("s", "a"), QualifiedName::new("s", "b"));
        let mut p = Privileges::default();
        p.objects
            .insert(ObjectId::Column(a.clone(), "x".into()), Default::default());
        p.rename_table(&a, &b);
        assert!(p.objects.contains_key(&ObjectId::Column(b, "x".into())));
    }
}
