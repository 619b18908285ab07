//! `GRANT`, `REVOKE`, `ALTER DEFAULT PRIVILEGES` and `ALTER ... OWNER TO`.
//!
//! Each takes effect at once and locks little: `GRANT`/`REVOKE` on a relation update its
//! `pg_class` row (no table lock beyond the catalog row's), `OWNER TO` on a table takes an
//! ACCESS EXCLUSIVE lock for the instant of the catalog update (manual: ALTER TABLE).

use super::routine;
use crate::schema::privileges::{DefaultKey, PUBLIC};
use crate::schema::{FunctionKey, QualifiedName, RoutineKind};
use crate::sql::{ident, qualified};

/// An object as `GRANT ... ON` and `ALTER ... OWNER TO` name it.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    Table(&'a QualifiedName),
    /// A column of a table: granted as `priv (column) ON TABLE table`.
    Column(&'a QualifiedName, &'a str),
    View(&'a QualifiedName, bool),
    Sequence(&'a QualifiedName),
    Routine(&'a FunctionKey, RoutineKind),
    Schema(&'a str),
    Type(&'a QualifiedName),
    Domain(&'a QualifiedName),
}

/// What follows `ON` in `GRANT`.
fn on(target: Target) -> String {
    match target {
        Target::Table(t) | Target::Column(t, _) | Target::View(t, _) => {
            format!("TABLE {}", qualified(t))
        }
        Target::Sequence(s) => format!("SEQUENCE {}", qualified(s)),
        Target::Routine(k, RoutineKind::Function) => format!("FUNCTION {}", routine(k)),
        Target::Routine(k, RoutineKind::Procedure) => format!("PROCEDURE {}", routine(k)),
        Target::Schema(s) => format!("SCHEMA {}", ident(s)),
        Target::Type(t) => format!("TYPE {}", qualified(t)),
        Target::Domain(t) => format!("DOMAIN {}", qualified(t)),
    }
}

/// A role, or PUBLIC.
pub fn grantee(role: &str) -> String {
    if role == PUBLIC {
        "PUBLIC".into()
    } else {
        ident(role)
    }
}

/// `SELECT, UPDATE` or, for a column, `SELECT (col), UPDATE (col)`.
fn privilege_list(target: Target, privileges: &[&str]) -> String {
    let column = match target {
        Target::Column(_, c) => format!(" ({})", ident(c)),
        _ => String::new(),
    };
    privileges
        .iter()
        .map(|p| format!("{p}{column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GRANT privileges ON target TO role [WITH GRANT OPTION]`.
pub fn grant(target: Target, privileges: &[&str], role: &str, grant_option: bool) -> String {
    format!(
        "GRANT {} ON {} TO {}{}",
        privilege_list(target, privileges),
        on(target),
        grantee(role),
        if grant_option {
            " WITH GRANT OPTION"
        } else {
            ""
        }
    )
}

/// `REVOKE [GRANT OPTION FOR] privileges ON target FROM role [CASCADE]`. CASCADE is for a
/// privilege held with grant option: what the role granted on from it goes too
/// (without, PostgreSQL refuses while such grants exist).
pub fn revoke(
    target: Target,
    privileges: &[&str],
    role: &str,
    option_only: bool,
    cascade: bool,
) -> String {
    format!(
        "REVOKE {}{} ON {} FROM {}{}",
        if option_only { "GRANT OPTION FOR " } else { "" },
        privilege_list(target, privileges),
        on(target),
        grantee(role),
        if cascade { " CASCADE" } else { "" }
    )
}

/// `ALTER <kind> target OWNER TO role`.
pub fn alter_owner(target: Target, role: &str) -> String {
    let object = match target {
        Target::Table(t) | Target::Column(t, _) => format!("TABLE {}", qualified(t)),
        Target::View(v, false) => format!("VIEW {}", qualified(v)),
        Target::View(v, true) => format!("MATERIALIZED VIEW {}", qualified(v)),
        other => on(other),
    };
    format!("ALTER {object} OWNER TO {}", ident(role))
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT|REVOKE ... ON class ...`.
/// A key without a role is the role the migration runs as (the database owner).
pub fn alter_default_privileges(
    key: &DefaultKey,
    grant: bool,
    privileges: &[&str],
    role: &str,
    grant_option: bool,
) -> String {
    let mut s = "ALTER DEFAULT PRIVILEGES".to_string();
    if let Some(r) = &key.role {
        s.push_str(&format!(" FOR ROLE {}", ident(r)));
    }
    if let Some(schema) = &key.schema {
        s.push_str(&format!(" IN SCHEMA {}", ident(schema)));
    }
    let list = privileges.join(", ");
    let class = key.class.keyword();
    if grant {
        s.push_str(&format!(" GRANT {list} ON {class} TO {}", grantee(role)));
        if grant_option {
            s.push_str(" WITH GRANT OPTION");
        }
    } else {
        let option = if grant_option {
            "GRANT OPTION FOR "
        } else {
            ""
        };
        s.push_str(&format!(
            " REVOKE {option}{list} ON {class} FROM {}",
            grantee(role)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::privileges::DefaultClass;

    #[test]
    fn statements_quote_every_name() {
        let t = QualifiedName::new("My Schema", "order");
        assert_eq!(
            grant(Target::Column(&t, "user"), &["SELECT", "UPDATE"], "Read Only", true),
            "GRANT SELECT (\"user\"), UPDATE (\"user\") ON TABLE \"My Schema\".\"order\" TO \"Read Only\" WITH GRANT OPTION"
        );
        assert_eq!(
            revoke(Target::Table(&t), &["DELETE"], PUBLIC, true, true),
            "REVOKE GRANT OPTION FOR DELETE ON TABLE \"My Schema\".\"order\" FROM PUBLIC CASCADE"
        );
        let f = FunctionKey {
            schema: "public".into(),
            name: "add".into(),
            arguments: "a integer, b integer".into(),
        };
        assert_eq!(
            alter_owner(Target::Routine(&f, RoutineKind::Procedure), "app"),
            "ALTER PROCEDURE public.add(a integer, b integer) OWNER TO app"
        );
        assert_eq!(
            alter_owner(Target::View(&t, true), "app"),
            "ALTER MATERIALIZED VIEW \"My Schema\".\"order\" OWNER TO app"
        );
        let key = DefaultKey {
            role: Some("migrator".into()),
            schema: Some("app".into()),
            class: DefaultClass::Sequences,
        };
        assert_eq!(
            alter_default_privileges(&key, true, &["USAGE"], "web", false),
            "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA app GRANT USAGE ON SEQUENCES TO web"
        );
    }
}
