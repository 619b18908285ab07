//! A whole schema moved under another name: what a tenant's schema of a
//! schema-per-tenant fleet is when read as the model's (`public`), so the two compare.
//!
//! Every name the IR holds is schema-qualified, in its keys (`QualifiedName`,
//! `FunctionKey`, `ObjectId`) and in the definitions PostgreSQL printed under
//! `search_path = ''` (`tenant_a.t`, `nextval('tenant_a.t_id_seq'::regclass)`,
//! `tenant_a.mood`). The move goes over the IR's data as serialized (each key and each
//! text in its SQL form), so an object kind added to the IR is moved without a change
//! here; in each text only a name qualified with the schema changes: a name token
//! followed by `.`, or a string constant that is exactly such a name (a `regclass`
//! constant). Comments are text for people and stay as they are.

use super::{Dependencies, Name, ObjectId, QualifiedName, Schema};
use crate::sql::lex::{lexemes, Lexeme};
use crate::sql::{ident, literal, qualified, UNQUALIFIED};
use serde_json::Value;

/// Fields that hold comments, whose text is not SQL.
const COMMENT_FIELDS: [&str; 3] = ["comment", "check_comments", "column_comments"];

impl Schema {
    /// The schema with every object of `from` moved to `to` (which must not hold objects
    /// of its own), and every reference to them.
    pub fn move_schema(&self, from: &str, to: &str) -> Schema {
        let mut value = serde_json::to_value(self).expect("the IR serializes");
        move_value(&mut value, from, to);
        let mut out: Schema = serde_json::from_value(value).expect("the IR reads back");
        // The schema itself, and what names it bare (an extension's schema, `ALTER
        // DEFAULT PRIVILEGES IN SCHEMA`). Moved to no schema (`UNQUALIFIED`), they stay:
        // only the objects' names lose their schema.
        if to != UNQUALIFIED {
            if let Some(mut ns) = out.schemas.remove(from) {
                ns.name = Name::from(to);
                out.schemas.insert(Name::from(to), ns);
            }
            for e in out.extensions.values_mut() {
                if e.schema == from {
                    e.schema = Name::from(to);
                }
            }
            let defaults = std::mem::take(&mut out.privileges.defaults);
            for (mut key, acl) in defaults {
                if key.schema.as_deref() == Some(from) {
                    key.schema = Some(Name::from(to));
                }
                out.privileges.defaults.insert(key, acl);
            }
        }
        // Not serialized: carried over, the graph with its ids moved.
        out.privileges.declared = self.privileges.declared;
        out.privileges.database_owner = self.privileges.database_owner.clone();
        out.privileges.roles = self.privileges.roles.clone();
        let mut deps = Dependencies::with_capacity(self.dependencies.len());
        for (dependent, needs) in self.dependencies.iter() {
            deps.add(&move_id(dependent, from, to), &move_id(needs, from, to));
        }
        out.dependencies = deps;
        out
    }
}

fn move_id(id: &ObjectId, from: &str, to: &str) -> ObjectId {
    match id {
        ObjectId::Schema(s) if s == from && to != UNQUALIFIED => ObjectId::Schema(Name::from(to)),
        ObjectId::Schema(_) | ObjectId::Extension(_) => id.clone(),
        _ => {
            let mut v = serde_json::to_value(id).expect("ids serialize");
            move_value(&mut v, from, to);
            serde_json::from_value(v).expect("ids read back")
        }
    }
}

fn move_value(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(s) => *s = requalify(s, from, to),
        Value::Array(items) => items.iter_mut().for_each(|v| move_value(v, from, to)),
        Value::Object(map) => {
            let old = std::mem::take(map);
            for (key, mut v) in old {
                if !COMMENT_FIELDS.contains(&key.as_str()) {
                    move_value(&mut v, from, to);
                }
                map.insert(requalify(&key, from, to), v);
            }
        }
        _ => {}
    }
}

/// `text` with each name qualified with `from` qualified with `to` instead (or written
/// without a schema, for [`UNQUALIFIED`]).
pub fn requalify(text: &str, from: &str, to: &str) -> String {
    if !from.contains('"') && !text.contains(from) {
        return text.to_string();
    }
    let tokens = lexemes(text);
    let is_dot = |k: usize| tokens.get(k).is_some_and(|(r, _)| &text[r.clone()] == ".");
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (i, (range, lexeme)) in tokens.iter().enumerate() {
        let piece = &text[range.clone()];
        let mut end = range.end;
        let with = match lexeme {
            Lexeme::Word | Lexeme::Quoted
                if name_of(piece, *lexeme) == from
                    && is_dot(i + 1)
                    && !(i > 0 && is_dot(i - 1)) =>
            {
                if to == UNQUALIFIED {
                    // The dot goes with the schema.
                    end = tokens[i + 1].0.end;
                    String::new()
                } else {
                    ident(to)
                }
            }
            Lexeme::Other if piece.len() > 2 && piece.starts_with('\'') => {
                let inner = piece[1..piece.len() - 1].replace("''", "'");
                match QualifiedName::parse(&inner, "") {
                    // As `regclass` prints a name: quoted where needed, nothing else.
                    Some(q) if q.schema == from && qualified(&q) == inner => {
                        literal(&qualified(&QualifiedName::new(to, q.name)))
                    }
                    _ => continue,
                }
            }
            _ => continue,
        };
        out.push_str(&text[at..range.start]);
        out.push_str(&with);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The name a word or quoted identifier stands for (unquoted words as PostgreSQL prints
/// them: already folded).
fn name_of(piece: &str, lexeme: Lexeme) -> String {
    match lexeme {
        Lexeme::Quoted => piece[1..piece.len() - 1].replace("\"\"", "\""),
        _ => piece.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_qualified_with_the_schema_move() {
        assert_eq!(
            requalify(
                "nextval('tenant_a.t_id_seq'::regclass)",
                "tenant_a",
                "public"
            ),
            "nextval('public.t_id_seq'::regclass)"
        );
        assert_eq!(
            requalify(
                "FOREIGN KEY (a) REFERENCES \"tenant_C x\".t(id)",
                "tenant_C x",
                "public"
            ),
            "FOREIGN KEY (a) REFERENCES public.t(id)"
        );
        // To no schema: the qualifier and its dot go.
        assert_eq!(
            requalify(
                "CREATE INDEX i ON public.t USING btree (public.f(c)); SELECT nextval('public.s'::regclass)",
                "public",
                UNQUALIFIED
            ),
            "CREATE INDEX i ON t USING btree (f(c)); SELECT nextval('s'::regclass)"
        );
        // A column `tenant_a` of a table, a string that is no name, another schema: kept.
        let kept = "SELECT t.tenant_a, 'tenant_a.x y', other.tenant_a FROM other.t";
        assert_eq!(requalify(kept, "tenant_a", "public"), kept);
        assert_eq!(
            requalify("tenant_a.\"Mood\"[]", "tenant_a", "public"),
            "public.\"Mood\"[]"
        );
    }

    #[test]
    fn a_schema_moves_with_its_keys_and_graph() {
        let mut s = Schema::default();
        let t = QualifiedName::new("tenant_a", "t");
        s.tables.insert(
            t.clone(),
            crate::schema::Table {
                name: t.clone(),
                unlogged: false,
                partition_key: None,
                options: vec![],
                partition_of: None,
                columns: vec![],
                constraints: Default::default(),
                indexes: Default::default(),
                triggers: Default::default(),
                policies: Default::default(),
                row_security: false,
                force_row_security: false,
                citus: None,
                replica_identity: Default::default(),
                comment: Some("copied from tenant_a.t".into()),
            },
        );
        s.dependencies.add(
            &ObjectId::Column(t.clone(), "c".into()),
            &ObjectId::Table(t),
        );
        let moved = s.move_schema("tenant_a", "public");
        let p = QualifiedName::new("public", "t");
        let table = &moved.tables[&p];
        assert_eq!(table.name, p);
        assert_eq!(table.comment.as_deref(), Some("copied from tenant_a.t"));
        assert_eq!(
            moved
                .dependencies
                .needs(&ObjectId::Column(p.clone(), "c".into()))
                .collect::<Vec<_>>(),
            vec![&ObjectId::Table(p)]
        );
    }
}
