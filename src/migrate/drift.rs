//! Schema drift (`verify --schema`): a target's live schema against what its applied
//! migrations build on a scratch database. The same comparison serves one database and
//! each target of a fleet; a tenant schema of a schema-per-tenant fleet is read as the
//! model's schema (`public`) before it is compared, since the migrations were replayed
//! there.

use super::files::Migration;
use super::fleet::{Target, TargetStatus};
use super::project::{self, Config};
use super::session;
use crate::error::Result;
use crate::pg::ScratchServer;
use crate::plan::Plan;
use crate::schema::Schema;
use crate::source::{connect, introspect};
use postgres::Client;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The schema a schema-per-tenant fleet's model is written for, where its history is
/// replayed.
pub const MODEL_SCHEMA: &str = "public";

/// The migrations of `applied` (versions), replayed on a scratch database of `server`.
pub fn expected(
    server: &ScratchServer,
    migrations: &[Migration],
    applied: &[i64],
    config: &Config,
) -> Result<Schema> {
    let files: Vec<Migration> = migrations
        .iter()
        .filter(|m| applied.contains(&m.version))
        .cloned()
        .collect();
    project::replay(
        server,
        &files,
        &config.version_table(),
        &config.introspect_options(&[]),
    )
}

/// The live schema of a database, or of its schema `tenant` alone; the version table
/// left out.
pub fn live(
    client: &mut Client,
    config: &Config,
    tenant: Option<&str>,
    target: &str,
) -> Result<Schema> {
    let mut options = config.introspect_options(&[]);
    if let Some(t) = tenant {
        options.schemas = vec![t.to_string()];
    }
    let mut schema = introspect(client, &options, target)?;
    project::strip_version_table(&mut schema, &session::version_table(config, tenant));
    Ok(schema)
}

/// A tenant's schema read as the model's: its objects moved to [`MODEL_SCHEMA`] (and
/// the project's exclusions, which name the model's schema, applied). The schema itself
/// (its comment, owner and privileges, and `public`'s of the scratch database) is the
/// fleet's, made outside the migrations: it is taken from `expected`, not compared.
pub fn as_model(live: &Schema, tenant: &str, expected: &Schema, config: &Config) -> Schema {
    let mut moved = live.move_schema(tenant, MODEL_SCHEMA);
    config.introspect_options(&[]).exclude.apply(&mut moved);
    let model = crate::schema::ObjectId::Schema(MODEL_SCHEMA.into());
    match expected.schemas.get(MODEL_SCHEMA) {
        Some(ns) => moved.schemas.insert(MODEL_SCHEMA.into(), ns.clone()),
        None => moved.schemas.remove(MODEL_SCHEMA),
    };
    match expected.privileges.objects.get(&model) {
        Some(p) => moved.privileges.objects.insert(model, p.clone()),
        None => moved.privileges.objects.remove(&model),
    };
    moved
}

/// What would bring `live` back to `expected`: empty when the target has not drifted.
pub fn drift(live: &Schema, expected: &Schema) -> Result<Plan> {
    crate::plan::plan(live, expected)
}

/// `verify --fleet --schema`: each readable target's drift, set on its status (`drift`,
/// `drift_sql`). The history is replayed once per distinct set of applied migrations;
/// the targets are read `concurrency` at once.
pub fn fleet(
    targets: &[Target],
    statuses: &mut [TargetStatus],
    server: &ScratchServer,
    migrations: &[Migration],
    config: &Config,
) {
    let shared = &config.fleet.shared_schemas;
    let first_tenant = targets.first().filter(|t| t.schema.is_some());
    if let (Some(first), false) = (first_tenant, shared.is_empty()) {
        // The history replays where a tenant runs it: the shared schemas on the path.
        match super::fleet::shared_in(&first.info, shared) {
            Ok(setup) => server.share_schemas(setup),
            Err(e) => {
                for st in statuses.iter_mut().filter(|s| s.error.is_none()) {
                    st.error = Some(format!("reading the shared schemas: {e}"));
                }
            }
        }
    }
    let mut expected_by: BTreeMap<Vec<i64>, std::result::Result<Schema, String>> = BTreeMap::new();
    for s in statuses.iter().filter(|s| s.error.is_none()) {
        if !expected_by.contains_key(&s.applied) {
            let e = expected(server, migrations, &s.applied, config)
                .map(|mut e| {
                    // The fleet's, not the tenants': made outside their migrations.
                    for name in shared {
                        e.schemas.remove(name.as_str());
                        e.privileges
                            .objects
                            .remove(&crate::schema::ObjectId::Schema(name.as_str().into()));
                    }
                    e
                })
                .map_err(|e| e.to_string());
            expected_by.insert(s.applied.clone(), e);
        }
    }
    let found: Mutex<Vec<Option<std::result::Result<Plan, String>>>> =
        Mutex::new(vec![None; targets.len()]);
    let next = AtomicUsize::new(0);
    let at_once = config.fleet.concurrency.max(1).min(targets.len());
    let statuses_read: &[TargetStatus] = statuses;
    std::thread::scope(|s| {
        for _ in 0..at_once {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let (Some(t), Some(st)) = (targets.get(i), statuses_read.get(i)) else {
                    break;
                };
                if st.error.is_some() {
                    continue;
                }
                let result = match &expected_by[&st.applied] {
                    Err(e) => Err(format!("replaying its applied migrations: {e}")),
                    Ok(expected) => target_drift(t, config, expected).map_err(|e| e.to_string()),
                };
                found.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            });
        }
    });
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    for (st, result) in statuses.iter_mut().zip(found) {
        match result {
            None => {}
            Some(Err(e)) => st.error = Some(e),
            Some(Ok(plan)) => {
                st.drift = Some(plan.steps.iter().map(|s| s.description.clone()).collect());
                st.drift_sql = (!plan.is_empty()).then(|| plan.to_sql_with(&config.sql_options()));
            }
        }
    }
}

fn target_drift(target: &Target, config: &Config, expected: &Schema) -> Result<Plan> {
    let mut client = connect(&target.info)?;
    let tenant = target.schema.as_deref();
    let live = live(&mut client, config, tenant, &target.display())?;
    match tenant {
        // Compared as the model, the SQL written as `generate` writes a tenant's files:
        // unqualified, for the tenant's search path.
        Some(t) => {
            let bare = |s: &Schema| s.move_schema(MODEL_SCHEMA, crate::sql::UNQUALIFIED);
            drift(
                &bare(&as_model(&live, t, expected, config)),
                &bare(expected),
            )
        }
        None => drift(&live, expected),
    }
}
