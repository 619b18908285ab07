//! Migrations on disk and the runner that applies them: a version table, an advisory
//! lock, each migration in its own transaction unless marked `-- no-transaction`.

pub mod adopted;
pub mod applied;
pub mod data_proof;
mod data_values;
pub mod drift;
pub mod files;
pub mod fleet;
pub mod foreign;
pub mod interrupt;
pub mod layout;
pub mod merge;
pub mod progress;
pub mod project;
pub mod proof;
mod qualified;
pub mod replay_cache;
mod resume;
pub mod rollout;
pub mod runner;
pub mod script;
pub mod sea_orm_crate;
pub mod session;
pub mod split;
pub mod squash;
pub mod stamp;
pub mod statement;
pub mod version_table;

pub use files::{read_dir, Migration};
pub use layout::Project;
pub use runner::{Applied, Runner};
