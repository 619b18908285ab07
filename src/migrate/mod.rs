//! Migrations on disk and the runner that applies them: a version table, an advisory
//! lock, each migration in its own transaction unless marked `-- no-transaction`.

pub mod files;
pub mod layout;
pub mod merge;
pub mod project;
pub mod runner;
pub mod split;

pub use files::{read_dir, Migration};
pub use layout::Project;
pub use runner::{Applied, Runner};
