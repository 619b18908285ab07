//! Generates one `#[test]` per round-trip case folder under tests/roundtrip/cases, so a
//! new case needs no registration and none can be left out.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let cases = Path::new("tests/roundtrip/cases");
    println!("cargo:rerun-if-changed={}", cases.display());
    let mut names: Vec<String> = std::fs::read_dir(cases)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::new();
    for name in &names {
        println!("cargo:rerun-if-changed={}", cases.join(name).display());
        let ident: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        writeln!(out, "#[test]\nfn {ident}() {{\n    run_case({name:?});\n}}").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("roundtrip_cases.rs");
    std::fs::write(dest, out).unwrap();
}
