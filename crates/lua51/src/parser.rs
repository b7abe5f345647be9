//! Lua 5.1's grammar, to `ast`.

/// Placeholder until the parser lands.
pub fn parse(_src: &[u8], chunk: &str) -> Result<crate::ast::FuncBody, String> {
    Err(format!("{chunk}:1: the parser is not here yet"))
}
