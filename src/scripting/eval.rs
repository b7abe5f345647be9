//! The EVAL engine (Redis's `eval.c`): its Lua state and the script cache. A script is
//! known by the SHA-1 of its body (looked up ignoring case); a body starting with
//! `#!lua` declares flags (`#!lua flags=no-writes,allow-oom`), without one a script runs
//! in compatibility mode with EVAL's own flags. SCRIPT FLUSH empties the cache and starts
//! a fresh Lua state.

use std::collections::BTreeMap;

use lua51::{Value, Vm};

use super::{env, sha1hex, ScriptFlags};

/// A cached script.
pub struct Script {
    pub body: Vec<u8>,
    pub flags: ScriptFlags,
    /// The compiled body, a function of the EVAL state.
    pub func: Value,
}

pub struct EvalEngine {
    /// None while one of its scripts runs (the running script holds it).
    pub vm: Option<Box<Vm>>,
    /// Lower-case SHA-1 → script.
    scripts: BTreeMap<String, Script>,
}

/// `evalExtractShebangFlags`: the flags a body declares and the length of its shebang
/// line (0 without one: compatibility mode).
pub fn shebang_flags(body: &[u8]) -> Result<(ScriptFlags, usize), String> {
    if !body.starts_with(b"#!") {
        return Ok((ScriptFlags::EVAL_COMPAT, 0));
    }
    let Some(nl) = body.iter().position(|&b| b == b'\n') else {
        return Err("Invalid script shebang".into());
    };
    let parts = match crate::cli::split_args(&body[..nl]) {
        Some(p) if !p.is_empty() => p,
        _ => return Err("Invalid engine in script shebang".into()),
    };
    if parts[0] != b"#!lua" {
        return Err(format!(
            "Unexpected engine in script shebang: {}",
            String::from_utf8_lossy(&parts[0])
        ));
    }
    let mut flags = ScriptFlags::NONE;
    for part in &parts[1..] {
        let Some(list) = part.strip_prefix(b"flags=") else {
            return Err(format!(
                "Unknown lua shebang option: {}",
                String::from_utf8_lossy(part)
            ));
        };
        if list.is_empty() {
            continue;
        }
        for name in list.split(|&b| b == b',') {
            let Some(f) = ScriptFlags::by_name(name, false) else {
                return Err(format!(
                    "Unexpected flag in script shebang: {}",
                    String::from_utf8_lossy(name)
                ));
            };
            flags = flags.with(f);
        }
    }
    Ok((flags, nl))
}

impl Default for EvalEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl EvalEngine {
    pub fn new() -> EvalEngine {
        EvalEngine {
            vm: Some(env::eval_vm()),
            scripts: BTreeMap::new(),
        }
    }

    /// SCRIPT FLUSH: no scripts, a fresh Lua state.
    pub fn flush(&mut self) {
        self.scripts.clear();
        self.vm = Some(env::eval_vm());
    }

    /// The script with this SHA-1 (any case).
    pub fn get(&self, sha: &[u8]) -> Option<(&str, &Script)> {
        if sha.len() != 40 {
            return None;
        }
        let key = String::from_utf8_lossy(sha).to_ascii_lowercase();
        self.scripts
            .get_key_value(&key)
            .map(|(k, s)| (k.as_str(), s))
    }

    pub fn len(&self) -> usize {
        self.scripts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scripts.is_empty()
    }

    /// The bodies, for the snapshot and the export.
    pub fn bodies(&self) -> impl Iterator<Item = &[u8]> {
        self.scripts.values().map(|s| s.body.as_slice())
    }

    /// What the cache holds, as Redis's `used_memory_scripts_eval` counts it (about).
    pub fn memory(&self) -> usize {
        self.scripts.values().map(|s| s.body.len() + 48 + 56).sum()
    }

    /// `luaCreateFunction`: the script's SHA-1, compiling and caching it if it is new; or
    /// Redis's error text (without `ERR `).
    pub fn create(&mut self, body: &[u8]) -> Result<String, String> {
        let sha = sha1hex(body);
        if self.scripts.contains_key(&sha) {
            return Ok(sha);
        }
        let (flags, skip) = shebang_flags(body)?;
        let Some(vm) = self.vm.as_mut() else {
            return Err("Error compiling script (new function): a script is running".into());
        };
        // The shebang line goes, its newline stays: line numbers are the body's.
        let func = vm
            .load(&body[skip..], "user_script")
            .map_err(|e| format!("Error compiling script (new function): {e}"))?;
        self.scripts.insert(
            sha.clone(),
            Script {
                body: body.to_vec(),
                flags,
                func,
            },
        );
        Ok(sha)
    }

    /// The flags a script's command runs with (`evalGetCommandFlags`): the cached
    /// script's, or those its body declares; None where nothing is known (an unknown SHA,
    /// a bad shebang).
    pub fn flags_of(&self, script: &[u8], is_sha: bool) -> Option<ScriptFlags> {
        if is_sha {
            return self.get(script).map(|(_, s)| s.flags);
        }
        match self.scripts.get(&sha1hex(script)) {
            Some(s) => Some(s.flags),
            None => shebang_flags(script).ok().map(|(f, _)| f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs_declare_flags_as_redis_reads_them() {
        assert_eq!(
            shebang_flags(b"return 1").unwrap(),
            (ScriptFlags::EVAL_COMPAT, 0)
        );
        assert_eq!(
            shebang_flags(b"#!lua\nreturn 1").unwrap(),
            (ScriptFlags::NONE, 5)
        );
        assert_eq!(
            shebang_flags(b"#!lua flags=no-writes,allow-oom\n")
                .unwrap()
                .0,
            ScriptFlags::NO_WRITES.with(ScriptFlags::ALLOW_OOM)
        );
        assert_eq!(
            shebang_flags(b"#!lua flags=\nx").unwrap().0,
            ScriptFlags::NONE
        );
        let err = |b: &[u8]| shebang_flags(b).unwrap_err();
        assert_eq!(err(b"#!lua"), "Invalid script shebang");
        assert_eq!(
            err(b"#!luajit\n"),
            "Unexpected engine in script shebang: #!luajit"
        );
        assert_eq!(err(b"#! lua\n"), "Unexpected engine in script shebang: #!");
        assert_eq!(
            err(b"#!lua flags=bad\n"),
            "Unexpected flag in script shebang: bad"
        );
        assert_eq!(err(b"#!lua name=x\n"), "Unknown lua shebang option: name=x");
        assert_eq!(err(b"#!lua \"\n"), "Invalid engine in script shebang");
        assert_eq!(
            err(b"#!lua flags=No-Writes\n"),
            "Unexpected flag in script shebang: No-Writes"
        );
    }
}
