//! Migrations on disk and the runner that applies them: a version table, an advisory
//! lock, each migration in its own transaction unless marked `-- no-transaction`.

pub mod applied;
pub mod files;
pub mod interrupt;
pub mod layout;
pub mod merge;
pub mod progress;
pub mod project;
mod resume;
pub mod rollout;
pub mod runner;
pub mod script;
pub mod split;
pub mod statement;
pub mod version_table;

pub use files::{read_dir, Migration};
pub use layout::Project;
pub use runner::{Applied, Runner};
