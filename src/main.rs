fn main() {
    std::process::exit(pgshift_cli::run());
}

#[path = "cli/mod.rs"]
mod pgshift_cli;
