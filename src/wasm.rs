//! The browser boundary: one small `Playground` class that converts between JavaScript
//! and the native [`Session`]. No logic lives here.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::reply::Reply;
use crate::session::Session;

#[wasm_bindgen]
pub struct Playground {
    session: Session,
}

fn wall_now() -> f64 {
    js_sys::Date::now()
}

/// One key for the keyspace view.
#[derive(Serialize)]
struct KeyInfo {
    key: String,
    #[serde(rename = "type")]
    type_name: &'static str,
    /// Remaining time to live in ms, or -1.
    ttl: f64,
    size: usize,
    encoding: &'static str,
}

/// A command for hints, completion and help.
#[derive(Serialize)]
struct CommandInfo {
    name: String,
    syntax: &'static str,
    summary: &'static str,
    group: &'static str,
    since: &'static str,
    arity: i32,
    flags: &'static str,
}

fn reply_to_js(r: &Reply) -> JsValue {
    let obj = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(k), &v);
    };
    let (t, v): (&str, JsValue) = match r {
        Reply::Status(s) => ("status", JsValue::from_str(s)),
        Reply::Error(e) => ("error", JsValue::from_str(e)),
        Reply::Int(n) => ("integer", JsValue::from_f64(*n as f64)),
        Reply::Bulk(b) => ("bulk", JsValue::from_str(&String::from_utf8_lossy(b))),
        Reply::Double(d) => ("bulk", JsValue::from_str(&crate::num::double::fmt_g17(*d))),
        Reply::Nil | Reply::NilArray => ("nil", JsValue::NULL),
        Reply::Array(items) | Reply::Set(items) => {
            ("array", items.iter().map(reply_to_js).collect::<js_sys::Array>().into())
        }
        Reply::Map(pairs) => (
            "array",
            pairs.iter().flat_map(|(k, v)| [reply_to_js(k), reply_to_js(v)]).collect::<js_sys::Array>().into(),
        ),
    };
    set("type", JsValue::from_str(t));
    set("value", v);
    if let Reply::Bulk(b) = r {
        set("bytes", js_sys::Uint8Array::from(b.as_slice()).into());
    }
    obj.into()
}

#[wasm_bindgen]
impl Playground {
    /// 16 empty databases, one client, the world clock at 1× real time.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        console_error_panic_hook::set_once();
        Playground { session: Session::new(wall_now()) }
    }

    /// Run one console line; returns exactly what `redis-cli --no-raw` prints.
    pub fn exec(&mut self, line: &str) -> String {
        self.session.sync(wall_now());
        self.session.exec(line)
    }

    /// Run one command from its arguments; returns `{type, value}` (arrays nest).
    #[wasm_bindgen(js_name = execArgv)]
    pub fn exec_argv(&mut self, argv: Vec<String>) -> JsValue {
        self.session.sync(wall_now());
        let reply = self.session.exec_argv(argv.into_iter().map(String::into_bytes).collect());
        reply_to_js(&reply)
    }

    /// The prompt redis-cli would show: `127.0.0.1:6379[2](TX)> `.
    pub fn prompt(&self) -> String {
        self.session.prompt()
    }

    /// The db the console has selected (as redis-cli tracks it).
    pub fn db(&self) -> u32 {
        self.session.prompt_state.dbnum as u32
    }

    /// True between MULTI and EXEC/DISCARD.
    #[wasm_bindgen(js_name = inTransaction)]
    pub fn in_transaction(&self) -> bool {
        self.session.prompt_state.in_multi
    }

    /// Let time pass: follow the wall clock and run the active expiry cycle. Call it from
    /// a timer (requestAnimationFrame or setInterval).
    pub fn tick(&mut self) {
        self.session.sync(wall_now());
    }

    /// World time, ms since the Unix epoch.
    pub fn now(&self) -> f64 {
        self.session.now_ms() as f64
    }

    /// World clock speed: 1 is real time; clamped to 0..3600.
    #[wasm_bindgen(js_name = setSpeed)]
    pub fn set_speed(&mut self, speed: f64) {
        self.session.sync(wall_now());
        self.session.clock.set_speed(speed);
    }

    pub fn speed(&self) -> f64 {
        self.session.clock.speed()
    }

    pub fn pause(&mut self) {
        self.session.sync(wall_now());
        self.session.clock.pause();
    }

    pub fn resume(&mut self) {
        self.session.sync(wall_now());
        self.session.clock.resume();
    }

    #[wasm_bindgen(js_name = isPaused)]
    pub fn is_paused(&self) -> bool {
        self.session.clock.is_paused()
    }

    /// Jump world time forward by `ms`.
    pub fn advance(&mut self, ms: f64) {
        self.session.sync(wall_now());
        self.session.clock.advance(ms);
        self.session.sync(wall_now());
    }

    /// Keys of a db for the keyspace view: `[{key, type, ttl, size, encoding}]`, at most
    /// `limit`, optionally filtered by a glob pattern. Does not count as access.
    #[wasm_bindgen(js_name = keyspace)]
    pub fn keyspace(&mut self, db: u32, pattern: Option<String>, limit: u32) -> JsValue {
        let now = self.session.now_ms();
        let Some(d) = self.session.server.dbs.get(db as usize) else { return JsValue::NULL };
        let pat = pattern.filter(|p| p != "*").map(|p| crate::glob::Pattern::new(p.as_bytes()));
        let keys: Vec<KeyInfo> = d
            .iter(now)
            .filter(|e| pat.as_ref().is_none_or(|p| p.matches(e.key())))
            .take(limit as usize)
            .map(|e| KeyInfo {
                key: String::from_utf8_lossy(e.key()).into_owned(),
                type_name: e.value.type_name(),
                ttl: e.expire_at().map_or(-1.0, |at| (at - now).max(0) as f64),
                size: e.value.size(),
                encoding: e.value.encoding(),
            })
            .collect();
        serde_wasm_bindgen::to_value(&keys).unwrap_or(JsValue::NULL)
    }

    /// Number of keys in each of the 16 databases.
    #[wasm_bindgen(js_name = dbSizes)]
    pub fn db_sizes(&self) -> Vec<u32> {
        self.session.server.dbs.iter().map(|d| d.len() as u32).collect()
    }

    /// Every command and sub-command: `[{name, syntax, summary, group, since, arity, flags}]`.
    pub fn commands(&self) -> JsValue {
        let list: Vec<CommandInfo> = crate::help::entries()
            .into_iter()
            .map(|c| CommandInfo {
                name: c.display_name(),
                syntax: c.syntax,
                summary: c.summary,
                group: c.group,
                since: c.since,
                arity: c.arity,
                flags: c.flags,
            })
            .collect();
        serde_wasm_bindgen::to_value(&list).unwrap_or(JsValue::NULL)
    }
}

impl Default for Playground {
    fn default() -> Self {
        Playground::new()
    }
}
