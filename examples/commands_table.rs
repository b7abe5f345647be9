//! Print the README's supported-commands section from the command table:
//! `cargo run -q --example commands_table`
fn main() {
    print!("{}", redis_playground::help::supported_commands_markdown());
}
