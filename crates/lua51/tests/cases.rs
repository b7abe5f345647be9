//! Runs every case in tests/cases/*.lua and compares its answer with what Redis 7.0.15's
//! Lua answered (recorded by tests/record.py after `-- expect:`).

use lua51::{libs, LuaError, NoHost, Step, Value, Vm};

/// Redis's environment for scripts: no print/loadstring/dofile/loadfile, globals that
/// can't be created, and reading an unknown global is an error.
fn redis_like_vm() -> Vm {
    let mut vm = Vm::new();
    libs::open_all(&mut vm);
    let g = vm.globals.clone();
    for name in ["print", "dofile", "loadfile", "getfenv", "setfenv"] {
        g.set_str(name, Value::Nil);
    }
    let mt = lua51::TableRef::new(0, 0);
    mt.set_str(
        "__index",
        Value::native("__index", |_ctx, args| {
            let name = args
                .get(1)
                .and_then(Value::to_lua_str)
                .map(|s| s.to_str_lossy())
                .unwrap_or_default();
            if name == "loadstring" {
                return Ok(vec![Value::Nil]);
            }
            Err(LuaError::msg(format!(
                "Script attempted to access nonexistent global variable '{name}'"
            )))
        }),
    );
    // what Redis adds
    for name in ["KEYS", "ARGV", "redis", "__redis__err__handler"] {
        g.set_str(name, Value::Bool(true));
    }
    g.set_metatable(Some(mt));
    g.set_readonly(true);
    vm
}

fn escape(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
}

fn run(chunk: &str) -> String {
    let mut vm = redis_like_vm();
    let f = match vm.load(chunk.as_bytes(), "user_script") {
        Ok(f) => f,
        Err(e) => return format!("err Error compiling script (new function): {e}"),
    };
    vm.start(f, Vec::new());
    loop {
        match vm.resume(&mut NoHost, 1000) {
            Step::Yield => continue,
            Step::Done(v) => {
                return match v.first() {
                    Some(Value::Str(s)) => format!("ok {}", escape(s.as_bytes())),
                    other => format!("not a string: {other:?}"),
                }
            }
            Step::Error(LuaError::Value(Value::Str(s))) => {
                return format!("err {}", escape(s.as_bytes()))
            }
            Step::Error(LuaError::Value(Value::Table(t))) => {
                return match t.get_str("err") {
                    Value::Str(s) => format!("err {}", escape(s.as_bytes())),
                    _ => "err (a table)".into(),
                }
            }
            Step::Error(e) => return format!("err {e:?}"),
        }
    }
}

#[test]
fn every_case_answers_as_redis_lua_does() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let mut name = String::new();
        let mut body = String::new();
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("-- case: ") {
                name = n.to_string();
                body.clear();
            } else if let Some(want) = line.strip_prefix("-- expect: ") {
                count += 1;
                let got = run(body.trim_end_matches('\n'));
                if got != want {
                    failures.push(format!(
                        "{}: {name}\n  want: {want}\n  got:  {got}",
                        path.display()
                    ));
                }
            } else if !name.is_empty() {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
