//! The README's supported-commands section is generated from the command table; this
//! fails when the two disagree (run `cargo run -q --example commands_table` to refresh).

#[test]
fn the_readme_lists_exactly_the_commands_of_the_table() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- commands:start -->\n")
        .expect("start marker")
        + "<!-- commands:start -->\n".len();
    let end = readme.find("<!-- commands:end -->").expect("end marker");
    assert_eq!(
        &readme[start..end],
        redis_playground::help::supported_commands_markdown(),
        "README.md is stale: regenerate its commands section with `cargo run -q --example commands_table`"
    );
}

#[test]
fn the_readme_starts_with_the_two_commands() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("scripts/serve") && readme.contains("scripts/test"));
    for script in ["scripts/serve", "scripts/test", ".ci/run"] {
        let path = format!("{}/{script}", env!("CARGO_MANIFEST_DIR"));
        let meta = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        use std::os::unix::fs::PermissionsExt;
        assert!(
            meta.permissions().mode() & 0o111 != 0,
            "{script} is not executable"
        );
    }
}
