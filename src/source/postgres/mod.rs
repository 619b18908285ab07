//! Introspection of a live database: a fixed set of bulk catalog queries (see `queries`),
//! assembled into the IR in memory. The number of round trips does not grow with the
//! number of objects.

pub(crate) mod citus;
// Its macros (`user_namespace!`, `not_extension_member!`) serve the modules below.
#[macro_use]
mod queries;
mod assemble_relations;
mod assemble_types;
mod kinds;
mod privileges;

use crate::error::{Error, Result};
use crate::schema::*;
use assemble_relations::*;
use assemble_types::*;
use postgres::{Client, Row};
use rustc_hash::FxHashMap;

/// What to read.
#[derive(Clone, Debug)]
pub struct IntrospectOptions {
    /// Only these schemas; all user schemas when empty.
    pub schemas: Vec<String>,
    /// Objects left out (see `source::exclude`).
    pub exclude: crate::source::Exclude,
}

/// Every user schema; the version tables of pgshift and the common migration tools left
/// out.
impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions {
            schemas: vec![],
            exclude: crate::source::Exclude::with_tools([]),
        }
    }
}

impl IntrospectOptions {
    /// The defaults, with `patterns` left out too.
    pub fn excluding(patterns: &[String]) -> IntrospectOptions {
        IntrospectOptions {
            schemas: vec![],
            exclude: crate::source::Exclude::with_tools(patterns.iter().cloned()),
        }
    }
}

/// Reads the schema of the database `client` is connected to. `target` names the database
/// in error messages (never with a password).
pub fn introspect(client: &mut Client, opts: &IntrospectOptions, target: &str) -> Result<Schema> {
    let mut schema = read(client, opts, target)?;
    schema.privileges.normalize_database();
    Ok(schema)
}

/// Reads a model built in a scratch database: its privileges are what the model states
/// (an explicit ACL is kept even when it equals the default: `REVOKE ALL ON t FROM app`
/// states that `app` has nothing), and nothing else is managed.
pub fn introspect_model(
    client: &mut Client,
    opts: &IntrospectOptions,
    target: &str,
) -> Result<Schema> {
    let mut schema = read(client, opts, target)?;
    schema.privileges.declared = true;
    schema.privileges.roles = None;
    schema.privileges.database_owner = None;
    Ok(schema)
}

fn read(client: &mut Client, opts: &IntrospectOptions, target: &str) -> Result<Schema> {
    let db_err = |what: &str| {
        let what = what.to_string();
        let target = target.to_string();
        move |e: postgres::Error| Error::Database {
            what: format!("introspection ({what})"),
            target: target.clone(),
            reason: crate::source::describe_pg_error(&e),
        }
    };
    let filter: Option<Vec<String>> = (!opts.schemas.is_empty()).then(|| opts.schemas.clone());
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(db_err("begin"))?;
    // With an empty search_path every name of a user object prints schema-qualified.
    tx.batch_execute("SET LOCAL search_path = ''")
        .map_err(db_err("search_path"))?;
    let mut run = |name: &str, sql: &str, with_filter: bool| -> Result<Vec<Row>> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            if with_filter { vec![&filter] } else { vec![] };
        tx.query(sql, &params).map_err(db_err(name))
    };
    let rows = Rows {
        namespaces: run("schemas", queries::NAMESPACES, true)?,
        extensions: run("extensions", queries::EXTENSIONS, false)?,
        extension_members: run("extension members", queries::EXTENSION_MEMBERS, false)?,
        types: run("types", queries::TYPES, true)?,
        domain_checks: run("domain checks", queries::DOMAIN_CHECKS, true)?,
        ranges: run("range types", queries::RANGES, true)?,
        statistics: run("statistics objects", queries::STATISTICS, true)?,
        relations: run("relations", queries::RELATIONS, true)?,
        columns: run("columns", queries::COLUMNS, true)?,
        sequences: run("sequences", queries::SEQUENCES, true)?,
        constraints: run("constraints", queries::CONSTRAINTS, true)?,
        indexes: run("indexes", queries::INDEXES, true)?,
        functions: run("functions", queries::FUNCTIONS, true)?,
        triggers: run("triggers", queries::TRIGGERS, true)?,
        policies: run("policies", queries::POLICIES, true)?,
        comments: run("comments", queries::COMMENTS, false)?,
        dependencies: run("dependencies", queries::DEPENDENCIES, false)?,
        unsupported: run("unsupported objects", queries::UNSUPPORTED, true)?,
        acls: run("privileges", privileges::ACLS, true)?,
        default_acls: run("default privileges", privileges::DEFAULT_ACLS, true)?,
        roles: run("roles", privileges::ROLES, false)?,
    };
    let mut schema = assemble(rows);
    citus::read(&mut tx, &mut schema).map_err(db_err("Citus placements"))?;
    tx.commit().map_err(db_err("commit"))?;
    opts.exclude.apply(&mut schema);
    crate::schema::privileges::retain_existing(&mut schema);
    Ok(schema)
}

/// The raw answers of the catalog queries.
struct Rows {
    namespaces: Vec<Row>,
    extensions: Vec<Row>,
    extension_members: Vec<Row>,
    types: Vec<Row>,
    domain_checks: Vec<Row>,
    ranges: Vec<Row>,
    statistics: Vec<Row>,
    relations: Vec<Row>,
    columns: Vec<Row>,
    sequences: Vec<Row>,
    constraints: Vec<Row>,
    indexes: Vec<Row>,
    functions: Vec<Row>,
    triggers: Vec<Row>,
    policies: Vec<Row>,
    comments: Vec<Row>,
    dependencies: Vec<Row>,
    unsupported: Vec<Row>,
    acls: Vec<Row>,
    default_acls: Vec<Row>,
    roles: Vec<Row>,
}

/// A relation by OID, as the later queries refer to it.
#[derive(Clone)]
enum Rel {
    Table(QualifiedName),
    View(QualifiedName),
    Sequence(QualifiedName),
    Composite(QualifiedName),
}

type Oid = u32;

/// Comments by catalog, then (object OID, sub-id). Asked about every object, so a lookup
/// allocates nothing.
struct Comments(FxHashMap<String, FxHashMap<(Oid, i32), String>>);

impl Comments {
    fn take(&mut self, catalog: &str, oid: Oid, sub: i32) -> Option<String> {
        self.0.get_mut(catalog)?.remove(&(oid, sub))
    }
}

/// Maps catalog OIDs to the IR's object ids, for dependencies. Each object is interned in
/// the dependency graph as it is read, so an edge from `pg_depend` is two lookups by OID
/// and no name is copied or hashed again.
#[derive(Default)]
struct OidMap {
    /// (catalog name, oid, sub-id) -> the object's index in `graph`
    objects: FxHashMap<(&'static str, Oid, i32), u32>,
    /// Objects that belong to an extension: catalog -> oid -> extension name.
    extension_members: FxHashMap<String, FxHashMap<Oid, String>>,
    graph: Dependencies,
}

impl OidMap {
    fn insert(&mut self, catalog: &'static str, oid: Oid, sub: i32, id: ObjectId) {
        let at = self.graph.intern(id);
        self.objects.insert((catalog, oid, sub), at);
    }

    fn get(&self, catalog: &'static str, oid: Oid, sub: i32) -> Option<&ObjectId> {
        self.objects
            .get(&(catalog, oid, sub))
            .map(|&at| self.graph.id(at))
    }

    /// The names of columns `attnums` of relation `relid`, in that order; numbers that name
    /// no column (0, an expression's place in an exclusion constraint) are left out.
    fn column_names(&self, relid: Oid, attnums: Option<Vec<i16>>) -> Vec<Name> {
        attnums
            .unwrap_or_default()
            .into_iter()
            .filter_map(|n| match self.get("pg_class", relid, n.into()) {
                Some(ObjectId::Column(_, name)) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// The graph index of what `pg_depend` names by catalog, OID and sub-id.
    fn resolve(&mut self, catalog: &str, oid: Oid, sub: i32) -> Option<u32> {
        let key = |c: &'static str| (c, oid, sub);
        let found = match catalog {
            "pg_class" => self
                .objects
                .get(&key("pg_class"))
                // A dependency on a whole relation's column set reads as the relation.
                .or_else(|| self.objects.get(&("pg_class", oid, 0))),
            "pg_type" => self.objects.get(&key("pg_type")),
            "pg_proc" => self.objects.get(&key("pg_proc")),
            "pg_constraint" => self.objects.get(&key("pg_constraint")),
            "pg_namespace" => self.objects.get(&key("pg_namespace")),
            "pg_trigger" => self.objects.get(&key("pg_trigger")),
            "pg_policy" => self.objects.get(&key("pg_policy")),
            "pg_extension" => self.objects.get(&key("pg_extension")),
            "pg_statistic_ext" => self.objects.get(&key("pg_statistic_ext")),
            _ => None,
        };
        if let Some(&at) = found {
            return Some(at);
        }
        let extension = self.extension_members.get(catalog)?.get(&oid)?;
        Some(self.graph.intern(ObjectId::Extension(extension.into())))
    }
}

/// Column `i` of `r`, an identifier, as the schema model holds it.
fn name_at(r: &Row, i: usize) -> Name {
    r.get::<_, &str>(i).into()
}

fn assemble(mut rows: Rows) -> Schema {
    // One id per catalog object (a column, a constraint, ...): sized once, not grown.
    let objects = rows.relations.len()
        + rows.columns.len()
        + rows.constraints.len()
        + rows.indexes.len()
        + 2 * rows.types.len()
        + rows.functions.len()
        + rows.triggers.len()
        + rows.policies.len()
        + rows.namespaces.len()
        + rows.extensions.len();
    let mut schema = Schema::default();
    let mut oids = OidMap {
        objects: FxHashMap::with_capacity_and_hasher(objects, Default::default()),
        extension_members: FxHashMap::default(),
        graph: Dependencies::with_capacity(objects),
    };
    let mut comments = Comments(FxHashMap::default());
    for r in &rows.comments {
        comments
            .0
            .entry(r.get::<_, String>(0))
            .or_default()
            .insert((r.get(1), r.get(2)), r.get(3));
    }

    for r in &rows.namespaces {
        let (oid, name): (Oid, Name) = (r.get(0), name_at(r, 1));
        oids.insert("pg_namespace", oid, 0, ObjectId::Schema(name.clone()));
        let comment = comments.take("pg_namespace", oid, 0);
        schema
            .schemas
            .insert(name.clone(), Namespace { name, comment });
    }
    for r in &rows.extensions {
        let (oid, name, ns): (Oid, Name, Name) = (r.get(0), name_at(r, 1), name_at(r, 2));
        oids.insert("pg_extension", oid, 0, ObjectId::Extension(name.clone()));
        schema.extensions.insert(
            name.clone(),
            Extension {
                name,
                schema: ns,
                fixed_schema: r.get(3),
            },
        );
    }
    for r in &rows.extension_members {
        oids.extension_members
            .entry(r.get::<_, String>(0))
            .or_default()
            .insert(r.get(1), r.get(2));
    }

    let composite_rels = assemble_types(&rows, &mut schema, &mut oids, &mut comments);
    kinds::assemble_ranges(&rows, &mut schema, &mut oids, &mut comments);
    let rels = assemble_relations(
        &rows,
        &mut schema,
        &mut oids,
        &mut comments,
        &composite_rels,
    );
    // Each kind of row is freed once assembled, so that the schema grows into the memory
    // its rows held: at 10,000 tables the rows take about as much as the schema.
    rows.relations = vec![];
    assemble_columns(&rows, &mut schema, &mut oids, &mut comments, &rels);
    rows.columns = vec![];
    assemble_sequences(&rows, &mut schema, &oids, &rels, &mut comments);
    assemble_constraints(&rows, &mut schema, &mut oids, &mut comments, &rels);
    rows.constraints = vec![];
    assemble_indexes(&rows, &mut schema, &mut oids, &mut comments, &rels);
    rows.indexes = vec![];
    assemble_functions(&rows, &mut schema, &mut oids, &mut comments);
    assemble_triggers_and_policies(&rows, &mut schema, &mut oids, &mut comments, &rels);
    kinds::assemble_statistics(&rows, &mut schema, &mut oids, &mut comments, &rels);

    for r in &rows.unsupported {
        schema.unsupported.push(Unsupported {
            kind: r.get(0),
            identity: r.get(1),
        });
    }
    for r in &rows.dependencies {
        let dependent = oids.resolve(r.get::<_, &str>(0), r.get(1), r.get(2));
        let needs = oids.resolve(r.get::<_, &str>(3), r.get(4), r.get(5));
        if let (Some(dependent), Some(needs)) = (dependent, needs) {
            // A sequence OWNED BY a column is dropped with it, but the column's default
            // needs the sequence: the ownership is its own step, not an ordering edge.
            let ownership = matches!(oids.graph.id(dependent), ObjectId::Sequence(_))
                && matches!(
                    oids.graph.id(needs),
                    ObjectId::Column(..) | ObjectId::Table(_)
                );
            if !ownership {
                oids.graph.add_at(dependent, needs);
            }
        }
    }
    schema.privileges = privileges::assemble(
        &rows.acls,
        &rows.default_acls,
        &rows.roles,
        |c, oid, sub| oids.get(c, oid, sub).cloned(),
    );
    drop(rows);
    schema.dependencies = oids.graph;
    schema.add_structural_dependencies();
    schema
}
