//! Privilege steps: `GRANT`/`REVOKE` and `OWNER TO` per object, `ALTER DEFAULT
//! PRIVILEGES` per entry, added once every other step is known.
//!
//! - An object's privileges are compared when both sides manage them: a database always
//!   does; a model (`declared`) only for the objects it grants or revokes on, or gives an
//!   owner (docs/decisions.md, "Privileges").
//! - An object the plan creates, or drops and creates again (a view rebuilt around a
//!   column type change), starts from what PostgreSQL gives a new object: the kind's
//!   default with the database's default privileges applied (those of the database owner,
//!   the role migrations run as, as they stand before the migration). Its grants are then
//!   given back after it is created.
//! - Default-privilege changes run after every object the plan creates, so that those
//!   objects get what the old defaults give them, as computed above.
//! - Every role a statement names must exist on the target's server (known when the old
//!   side is a database): otherwise an error names the role and the object.

use super::identity_sequences::IdentitySequences;
use super::Step;
use crate::error::{Error, Result};
use crate::schema::privileges::{
    class_default, exists, kind_default, Acl, DefaultClass, DefaultKey, PUBLIC,
};
use crate::schema::{ObjectId, Schema};
use crate::sql::ddl::privileges::{alter_default_privileges, alter_owner, grant, revoke, Target};
use std::collections::{BTreeMap, BTreeSet};

pub fn add_steps(old: &Schema, new: &Schema, steps: &mut Vec<Step>) -> Result<()> {
    let dropped: BTreeSet<&ObjectId> = steps.iter().flat_map(|s| &s.drops).collect();
    let identities = IdentitySequences::new(old, new, &dropped);
    let mut created: BTreeSet<ObjectId> = steps
        .iter()
        .flat_map(|s| &s.creates)
        .filter(|id| exists(new, id) && (!exists(old, id) || dropped.contains(id)))
        .cloned()
        .collect();
    created.extend(
        identities
            .fresh
            .iter()
            .filter(|id| exists(new, id))
            .cloned(),
    );
    let (o, n) = (&old.privileges, &new.privileges);
    let mut candidates: BTreeSet<&ObjectId> = o.objects.keys().chain(n.objects.keys()).collect();
    candidates.extend(identities.renamed.keys());
    candidates.extend(
        created
            .iter()
            .filter(|id| fresh_acl(old, id) != kind_default(id)),
    );
    let mut roles: Vec<(String, String)> = vec![];
    let mut added = vec![];
    for id in candidates {
        if !exists(new, id) {
            continue;
        }
        // A view's column is made with its view: new with it, and back to no grants
        // when the plan drops and creates the view again.
        let view = match id {
            ObjectId::Column(v, _) if new.views.contains_key(v) => Some(ObjectId::View(v.clone())),
            _ => None,
        };
        let fresh = created.contains(id) || view.as_ref().is_some_and(|v| created.contains(v));
        let Some(target) = target(new, id) else {
            continue;
        };
        let (from, to) = (o.of(identities.before(id)), n.of(id));
        let mut step = Step::new(format!("privileges on {id}"));
        step.needs.push(id.clone());
        step.needs.extend(view);
        // An identity sequence exists once its column (and identity) does.
        step.needs.extend(identities.column.get(id).cloned());
        // An identity sequence's owner is its table's (`OWNER TO` on it alone is refused).
        let owner_managed = !matches!(id, ObjectId::Column(..))
            && !identities.column.contains_key(id)
            && (fresh || !o.declared || from.owner.is_some())
            && (!n.declared || to.owner.is_some());
        let from_owner = if fresh { None } else { from.owner.clone() };
        if owner_managed && from_owner != to.owner {
            if let Some(owner) = to.owner.clone().or_else(|| n.database_owner.clone()) {
                roles.push((owner.clone(), format!("the owner of {id}")));
                step = step.sql(alter_owner(target, &owner));
            }
        }
        let acl_managed =
            (fresh || !o.declared || from.acl.is_some()) && (!n.declared || to.acl.is_some());
        if acl_managed {
            let before = if fresh {
                fresh_acl(old, id)
            } else {
                from.acl.clone().unwrap_or_else(|| kind_default(id))
            };
            let after = to.acl.clone().unwrap_or_else(|| kind_default(id));
            for change in acl_changes(&before, &after) {
                if change.grantee != PUBLIC {
                    roles.push((change.grantee.clone(), format!("a grant on {id}")));
                }
                let privileges: Vec<&str> = change.privileges.iter().map(String::as_str).collect();
                step = step.sql(match change.action {
                    Action::Grant { option } => grant(target, &privileges, &change.grantee, option),
                    Action::Revoke {
                        option_only,
                        cascade,
                    } => revoke(target, &privileges, &change.grantee, option_only, cascade),
                });
            }
        }
        if !step.statements.is_empty() {
            added.push(step);
        }
    }
    added.extend(default_steps(old, new, &created, &mut roles));
    if let Some(known) = &o.roles {
        if let Some((role, object)) = roles.into_iter().find(|(r, _)| !known.contains(r)) {
            return Err(Error::MissingRole {
                role_sql: crate::sql::ident(&role),
                role,
                object,
            });
        }
    }
    steps.extend(added);
    Ok(())
}

/// How `id` is named in statements, from what `schema` says it is.
fn target<'a>(schema: &'a Schema, id: &'a ObjectId) -> Option<Target<'a>> {
    Some(match id {
        ObjectId::Table(t) => Target::Table(t),
        ObjectId::Column(t, c) => Target::Column(t, c),
        ObjectId::View(v) => Target::View(v, schema.views.get(v)?.materialized),
        ObjectId::Sequence(s) => Target::Sequence(s),
        ObjectId::Function(k) => Target::Routine(k, schema.functions.get(k)?.kind),
        ObjectId::Schema(s) => Target::Schema(s),
        ObjectId::Type(t) if schema.domains.contains_key(t) => Target::Domain(t),
        ObjectId::Type(t) => Target::Type(t),
        _ => return None,
    })
}

/// What a new object `id` gets when the migration creates it on `old`: the kind's
/// default, or the database owner's global default privileges for its class instead,
/// plus those for its schema.
fn fresh_acl(old: &Schema, id: &ObjectId) -> Acl {
    let Some(class) = DefaultClass::of(id) else {
        return kind_default(id);
    };
    let defaults = &old.privileges.defaults;
    let key = |schema| DefaultKey {
        role: None,
        schema,
        class,
    };
    let mut acl = match defaults.get(&key(None)) {
        Some(global) => global.clone(),
        None if class_default(class).is_empty() => kind_default(id),
        None => class_default(class),
    };
    let schema = match id {
        ObjectId::Table(q) | ObjectId::View(q) | ObjectId::Sequence(q) | ObjectId::Type(q) => {
            Some(q.schema.clone())
        }
        ObjectId::Function(k) => Some(k.schema.clone()),
        _ => None,
    };
    if let Some(extra) = schema.and_then(|s| defaults.get(&key(Some(s)))) {
        for (grantee, privileges) in extra {
            let entry = acl.entry(grantee.clone()).or_default();
            for (p, option) in privileges {
                let o = entry.entry(p.clone()).or_insert(false);
                *o |= option;
            }
        }
    }
    acl
}

enum Action {
    Grant { option: bool },
    Revoke { option_only: bool, cascade: bool },
}

struct AclChange {
    action: Action,
    privileges: Vec<String>,
    grantee: String,
}

/// The statements that turn ACL `from` into `to`: revokes first (whole privileges, then
/// grant options), then grants (without, then with grant option); one statement per
/// grantee and kind of change, privileges in name order.
fn acl_changes(from: &Acl, to: &Acl) -> Vec<AclChange> {
    let empty = BTreeMap::new();
    let grantees: BTreeSet<&String> = from.keys().chain(to.keys()).collect();
    let mut revokes = vec![];
    let mut grants = vec![];
    for g in grantees {
        let (f, t) = (from.get(g).unwrap_or(&empty), to.get(g).unwrap_or(&empty));
        let gone: Vec<String> = f.keys().filter(|p| !t.contains_key(*p)).cloned().collect();
        if !gone.is_empty() {
            let cascade = gone.iter().any(|p| f[p]);
            revokes.push(AclChange {
                action: Action::Revoke {
                    option_only: false,
                    cascade,
                },
                privileges: gone,
                grantee: g.clone(),
            });
        }
        let option_gone: Vec<String> = f
            .iter()
            .filter(|(p, &opt)| opt && t.get(*p) == Some(&false))
            .map(|(p, _)| p.clone())
            .collect();
        if !option_gone.is_empty() {
            revokes.push(AclChange {
                action: Action::Revoke {
                    option_only: true,
                    cascade: true,
                },
                privileges: option_gone,
                grantee: g.clone(),
            });
        }
        for option in [false, true] {
            let new: Vec<String> = t
                .iter()
                .filter(|(p, &opt)| opt == option && (f.get(*p).is_none() || (opt && f[*p] != opt)))
                .map(|(p, _)| p.clone())
                .collect();
            if !new.is_empty() {
                grants.push(AclChange {
                    action: Action::Grant { option },
                    privileges: new,
                    grantee: g.clone(),
                });
            }
        }
    }
    revokes.extend(grants);
    revokes
}

/// `ALTER DEFAULT PRIVILEGES` steps, after every object the plan creates.
fn default_steps(
    old: &Schema,
    new: &Schema,
    created: &BTreeSet<ObjectId>,
    roles: &mut Vec<(String, String)>,
) -> Vec<Step> {
    let (o, n) = (&old.privileges, &new.privileges);
    let keys: BTreeSet<&DefaultKey> = o.defaults.keys().chain(n.defaults.keys()).collect();
    let mut out = vec![];
    for key in keys {
        // A schema's entries go with it when it is dropped.
        if key
            .schema
            .as_ref()
            .is_some_and(|s| !exists(new, &ObjectId::Schema(s.clone())))
        {
            continue;
        }
        let (from, to) = (o.defaults.get(key), n.defaults.get(key));
        if (o.declared && from.is_none()) || (n.declared && to.is_none()) {
            continue;
        }
        let base = if key.schema.is_none() {
            class_default(key.class)
        } else {
            Acl::new()
        };
        let before = from.cloned().unwrap_or_else(|| base.clone());
        let after = to.cloned().unwrap_or(base);
        let changes = acl_changes(&before, &after);
        if changes.is_empty() {
            continue;
        }
        let what = match &key.schema {
            Some(s) => format!("in schema {s}"),
            None => "globally".into(),
        };
        let mut step = Step::new(format!(
            "default privileges on {} {what}",
            key.class.keyword().to_lowercase()
        ));
        if let Some(r) = &key.role {
            roles.push((r.clone(), format!("default privileges {what} (FOR ROLE)")));
        }
        if let Some(s) = &key.schema {
            step.needs.push(ObjectId::Schema(s.clone()));
        }
        step.needs.extend(
            created
                .iter()
                .filter(|id| DefaultClass::of(id) == Some(key.class))
                .cloned(),
        );
        for c in changes {
            if c.grantee != PUBLIC {
                roles.push((c.grantee.clone(), format!("default privileges {what}")));
            }
            let privileges: Vec<&str> = c.privileges.iter().map(String::as_str).collect();
            step = step.sql(match c.action {
                Action::Grant { option } => {
                    alter_default_privileges(key, true, &privileges, &c.grantee, option)
                }
                Action::Revoke { option_only, .. } => {
                    alter_default_privileges(key, false, &privileges, &c.grantee, option_only)
                }
            });
        }
        out.push(step);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acl(entries: &[(&str, &str, bool)]) -> Acl {
        let mut a = Acl::new();
        for (g, p, o) in entries {
            a.entry(g.to_string())
                .or_default()
                .insert(p.to_string(), *o);
        }
        a
    }

    /// A role the model grants to that the target's server lacks: an error naming the
    /// role and the object, before any SQL is written.
    #[test]
    fn missing_role_is_an_error_naming_role_and_object() {
        let table: crate::schema::Table =
            serde_json::from_value(serde_json::json!({"name": "public.t", "columns": []})).unwrap();
        let mut old = Schema::default();
        old.tables.insert(table.name.clone(), table);
        old.privileges.roles = Some(BTreeSet::from(["app".to_string()]));
        let mut new = old.clone();
        new.privileges.roles = None;
        new.privileges.declared = true;
        let id = ObjectId::Table(crate::schema::QualifiedName::new("public", "t"));
        new.privileges.objects.insert(
            id,
            crate::schema::privileges::ObjectPrivileges {
                owner: None,
                acl: Some(acl(&[("app", "SELECT", false), ("ghost", "INSERT", false)])),
            },
        );
        let err = crate::plan::plan(&old, &new).unwrap_err().to_string();
        assert!(err.contains("role \"ghost\" does not exist"), "{err}");
        assert!(err.contains("table public.t"), "{err}");
        // With the role there, the grants are planned.
        old.privileges
            .roles
            .as_mut()
            .unwrap()
            .insert("ghost".into());
        let sql = crate::plan::plan(&old, &new).unwrap().to_sql();
        assert!(
            sql.contains("GRANT INSERT ON TABLE public.t TO ghost;"),
            "{sql}"
        );
    }

    /// A table renamed with a hint keeps its grants (PostgreSQL keeps the ACL with the
    /// relation): nothing is granted again, and a grant that changes is one statement.
    #[test]
    fn renamed_table_keeps_its_grants() {
        use crate::schema::privileges::ObjectPrivileges;
        use crate::schema::QualifiedName;
        let table = |name: &str| -> crate::schema::Table {
            serde_json::from_value(serde_json::json!({
                "name": name, "columns": [{"name": "id", "data_type": "integer"}]
            }))
            .unwrap()
        };
        let (a, b) = (
            QualifiedName::new("public", "a"),
            QualifiedName::new("public", "b"),
        );
        let grants = |who: &[(&str, &str, bool)]| ObjectPrivileges {
            owner: None,
            acl: Some(acl(who)),
        };
        let mut old = Schema::default();
        old.tables.insert(a.clone(), table("public.a"));
        old.privileges.objects.insert(
            ObjectId::Table(a.clone()),
            grants(&[("app", "SELECT", false)]),
        );
        old.privileges.objects.insert(
            ObjectId::Column(a.clone(), "id".into()),
            grants(&[("app", "UPDATE", false)]),
        );
        let mut new = Schema::default();
        new.tables.insert(b.clone(), table("public.b"));
        new.privileges.objects.insert(
            ObjectId::Table(b.clone()),
            grants(&[("app", "SELECT", false), ("app", "INSERT", false)]),
        );
        new.privileges.objects.insert(
            ObjectId::Column(b.clone(), "id".into()),
            grants(&[("app", "UPDATE", false)]),
        );
        let mut hints = crate::source::Hints::default();
        hints.renamed_tables.insert(b, a);
        let sql = crate::plan::plan_with(&old, &new, &hints).unwrap().to_sql();
        assert!(sql.contains("ALTER TABLE public.a RENAME TO b;"), "{sql}");
        assert!(
            sql.contains("GRANT INSERT ON TABLE public.b TO app;"),
            "{sql}"
        );
        assert_eq!(sql.matches("GRANT").count(), 1, "{sql}");
        assert!(!sql.contains("REVOKE"), "{sql}");
    }

    #[test]
    fn grant_option_added_and_taken_away() {
        let plain = acl(&[("app", "SELECT", false)]);
        let option = acl(&[("app", "SELECT", true), ("app", "INSERT", false)]);
        let up = acl_changes(&plain, &option);
        assert_eq!(up.len(), 2);
        assert!(matches!(up[0].action, Action::Grant { option: false }));
        assert_eq!(up[0].privileges, ["INSERT"]);
        assert!(matches!(up[1].action, Action::Grant { option: true }));
        let down = acl_changes(&option, &plain);
        assert_eq!(down.len(), 2);
        assert!(matches!(
            down[0].action,
            Action::Revoke {
                option_only: false,
                cascade: false
            }
        ));
        assert!(matches!(
            down[1].action,
            Action::Revoke {
                option_only: true,
                ..
            }
        ));
        assert!(acl_changes(&option, &option).is_empty());
    }
}
