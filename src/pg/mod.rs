//! Throwaway PostgreSQL clusters started from the local server binaries, for loading SQL
//! models, replaying migrations and tests. No database has to be set up by hand.

mod binaries;
mod cluster;
mod orphans;
mod scratch;

pub use binaries::find_binaries;
pub use cluster::{
    citus_installed, interrupted, set_interrupt_hook, stop_all, stop_all_after_panic, Cluster,
    ClusterOptions,
};
pub use scratch::{ScratchDatabase, ScratchServer, Shared, Truncated};
