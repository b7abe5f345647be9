//! The browser boundary: the `Playground` class (the world) and the `Console` class (one
//! console of it) convert between JavaScript and the native [`World`]; each method
//! converts its arguments, calls one `World` or console method, and converts the answer
//! back. No logic lives here.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::commands::table::{Link, Shape};

use std::cell::RefCell;
use std::rc::Rc;

use crate::inspect::{GroupView, Items, KeyRow, ValueView};
use crate::packed::{self, PackedReply};
use crate::reply::Reply;
use crate::retry::{Config as SimConfig, StrategyKind};
use crate::session::{ConsoleMut, Executed, Mode, Slice};
use crate::world::{World, SIM_FRAME_BUDGET};

/// The world and the buffers the boundary keeps between calls, shared by the Playground
/// and its Console handles.
struct Shared {
    world: World,
    /// `exec`'s output, kept between calls so a line costs no allocation for it.
    out: String,
    /// The same for replies handed over as trees.
    packed: PackedReply,
    /// Where `execArgv`'s arguments are written by JavaScript.
    args: Vec<u8>,
    /// The arguments read from it, vectors kept between calls.
    argv: Vec<Vec<u8>>,
}

/// The world: its clock, views, saving, the simulation; `console(id)` for a console.
#[wasm_bindgen]
pub struct Playground {
    shared: Rc<RefCell<Shared>>,
}

/// One console of a Playground (a client with redis-cli's behaviour), from
/// `playground.console(id)`.
#[wasm_bindgen]
pub struct Console {
    shared: Rc<RefCell<Shared>>,
    id: usize,
}

fn to_js<T: Serialize>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or_else(|e| JsValue::from_str(&format!("serialize: {e}")))
}

/// A command, as the page needs it: hints, completion and help, the table view's reply
/// shape, share-link policy, whether it blocks.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CommandInfo {
    name: String,
    syntax: &'static str,
    summary: &'static str,
    group: &'static str,
    since: &'static str,
    arity: i32,
    flags: String,
    blocking: bool,
    shape: ShapeInfo,
    link: LinkInfo,
}

/// `Shape` as data: `{kind, columns?, option?, from?, inner?}`.
#[derive(Serialize)]
struct ShapeInfo {
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    columns: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inner: Option<Box<ShapeInfo>>,
}

fn shape_info(shape: &Shape) -> ShapeInfo {
    let plain = |kind, columns: Vec<&'static str>| ShapeInfo {
        kind,
        columns,
        option: None,
        from: None,
        inner: None,
    };
    match *shape {
        Shape::List(c) => plain("list", vec![c]),
        Shape::Pairs(a, b) => plain("pairs", vec![a, b]),
        Shape::PairsWith(opt, a, b) => ShapeInfo {
            option: Some(opt),
            ..plain("pairsWith", vec![a, b])
        },
        Shape::PerArg(from, a, b) => ShapeInfo {
            from: Some(from),
            ..plain("perArg", vec![a, b])
        },
        Shape::Scan(inner) => ShapeInfo {
            inner: Some(Box::new(shape_info(inner))),
            ..plain("scan", vec![])
        },
        Shape::Popped(inner) => ShapeInfo {
            inner: Some(Box::new(shape_info(inner))),
            ..plain("popped", vec![])
        },
        Shape::Nested(a, b) => plain("nested", vec![a, b]),
        Shape::Row(cols) => plain("row", cols.to_vec()),
    }
}

/// `Link` as data: `{allowed}`, `{allowed: false, reason}` or `{allowed, arg, max, what}`.
#[derive(Serialize)]
struct LinkInfo {
    allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    arg: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    what: Option<&'static str>,
}

fn link_info(link: Link) -> LinkInfo {
    let none = LinkInfo {
        allowed: true,
        reason: None,
        arg: None,
        max: None,
        what: None,
    };
    match link {
        Link::Allowed => none,
        Link::Refused(reason) => LinkInfo {
            allowed: false,
            reason: Some(reason),
            ..none
        },
        Link::Bounded { arg, max, what } => LinkInfo {
            arg: Some(arg),
            max: Some(max),
            what: Some(what),
            ..none
        },
    }
}

fn strategy(name: &str) -> Option<StrategyKind> {
    StrategyKind::ALL.into_iter().find(|k| k.name() == name)
}

fn wall_now() -> f64 {
    js_sys::Date::now()
}

/// Call `f` with a slice that ends `ms` after now (wall clock) or after `max_runs` runs.
fn sliced<T>(ms: f64, max_runs: Option<f64>, f: impl FnOnce(Slice) -> T) -> T {
    let until = wall_now() + if ms.is_finite() { ms.max(0.0) } else { 0.0 };
    let max_runs = max_runs.map_or(u64::MAX, |m| m.clamp(1.0, 1e15) as u64);
    f(Slice {
        max_runs,
        over: &mut || wall_now() >= until,
    })
}

/// A plain JS object from (name, value) pairs.
fn obj(fields: Vec<(&str, JsValue)>) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
    }
    o.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

/// A key row's fields, the start of every key view.
fn row_fields(r: &KeyRow) -> Vec<(&'static str, JsValue)> {
    vec![
        ("key", s(&r.key)),
        ("type", s(r.type_name)),
        ("ttl", n(r.ttl as f64)),
        ("size", n(r.size as f64)),
        ("encoding", s(r.encoding)),
    ]
}

fn row_to_js(r: &KeyRow) -> JsValue {
    obj(row_fields(r))
}

/// A page of a value: the row's fields, then the string's or the items.
fn value_to_js(v: &ValueView) -> JsValue {
    let mut fields = row_fields(&v.row);
    let items = |list: Vec<JsValue>| ("items", array(list));
    match &v.items {
        Items::Str {
            text,
            hex,
            binary,
            truncated,
            bits_set,
            hll,
        } => {
            fields.push(("text", s(text)));
            fields.push(("hex", s(hex)));
            fields.push(("binary", JsValue::from_bool(*binary)));
            fields.push(("truncated", JsValue::from_bool(*truncated)));
            fields.push(("bitsSet", bits_set.map_or(JsValue::NULL, |b| n(b as f64))));
            if let Some((estimate, encoding)) = hll {
                fields.push((
                    "hll",
                    obj(vec![
                        ("estimate", estimate.map_or(JsValue::NULL, |e| n(e as f64))),
                        ("encoding", s(encoding)),
                    ]),
                ));
            }
        }
        Items::List(list) => fields.push(items(
            list.iter()
                .map(|(i, v)| obj(vec![("index", n(*i as f64)), ("value", s(v))]))
                .collect(),
        )),
        Items::Set(list) => fields.push(items(
            list.iter().map(|m| obj(vec![("member", s(m))])).collect(),
        )),
        Items::ZSet(list) => {
            fields.push((
                "geo",
                JsValue::from_bool(list.first().is_some_and(|z| z.position.is_some())),
            ));
            fields.push(items(
                list.iter()
                    .map(|z| {
                        let mut f = vec![
                            ("rank", n(z.rank as f64)),
                            ("member", s(&z.member)),
                            ("score", s(&z.score)),
                        ];
                        if let Some((lon, lat)) = &z.position {
                            f.push(("longitude", s(lon)));
                            f.push(("latitude", s(lat)));
                        }
                        obj(f)
                    })
                    .collect(),
            ))
        }
        Items::Stream { entries, groups } => {
            fields.push(items(
                entries
                    .iter()
                    .map(|(id, pairs)| {
                        let text = pairs
                            .iter()
                            .map(|(f, v)| format!("{f} {v}"))
                            .collect::<Vec<_>>()
                            .join("\n");
                        obj(vec![("id", s(id)), ("fields", s(&text))])
                    })
                    .collect(),
            ));
            fields.push(("groups", array(groups.iter().map(group_to_js))));
        }
        Items::Hash(list) => fields.push(items(
            list.iter()
                .map(|(f, v, at)| {
                    let at = at.map_or(JsValue::NULL, |at| n(at as f64));
                    obj(vec![("field", s(f)), ("value", s(v)), ("expiresAt", at)])
                })
                .collect(),
        )),
    }
    obj(fields)
}

/// A consumer group for the keyspace view (times in world ms; null where Redis answers nil).
fn group_to_js(g: &GroupView) -> JsValue {
    let opt = |v: Option<i64>| v.map_or(JsValue::NULL, |v| n(v as f64));
    obj(vec![
        ("name", s(&g.name)),
        ("lastId", s(&g.last_id)),
        ("entriesRead", opt(g.entries_read)),
        ("lag", opt(g.lag)),
        (
            "consumers",
            array(g.consumers.iter().map(|(name, pending, seen)| {
                obj(vec![
                    ("name", s(name)),
                    ("pending", n(*pending as f64)),
                    ("seen", n(*seen as f64)),
                ])
            })),
        ),
        (
            "pending",
            array(g.pending.iter().map(|(id, owner, at, count)| {
                obj(vec![
                    ("id", s(id)),
                    ("consumer", s(owner)),
                    ("delivered", n(*at as f64)),
                    ("deliveries", n(*count as f64)),
                ])
            })),
        ),
        ("pendingTotal", n(g.pending_total as f64)),
    ])
}

fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

fn array(items: impl IntoIterator<Item = JsValue>) -> JsValue {
    items.into_iter().collect::<js_sys::Array>().into()
}

#[wasm_bindgen(module = "/src/wasm/codec.js")]
extern "C" {
    /// Write `argv` into wasm memory at `ptr` (room for `cap` bytes) as `<u32 length>
    /// <bytes>` each: the bytes written, -1 when it isn't an array of strings, `-n` when
    /// `n` bytes are needed.
    #[wasm_bindgen(js_name = encodeArgv)]
    fn encode_argv(argv: &JsValue, ptr: u32, cap: u32) -> i32;
    /// Tell the codec where wasm memory is (once).
    #[wasm_bindgen(js_name = useMemory)]
    fn use_memory(memory: &JsValue);
    /// The `{type, value}` tree of a packed reply, its text at `ptr`.
    #[wasm_bindgen(js_name = buildReply)]
    fn build_reply(ptr: u32, len: u32, ascii: bool, shape: &[u32]) -> JsValue;
    /// As `build_reply`, with the bytes of bulk strings that aren't valid UTF-8.
    #[wasm_bindgen(js_name = buildReply)]
    fn build_reply_raw(ptr: u32, len: u32, ascii: bool, shape: &[u32], raw: &[u8]) -> JsValue;
    /// A reply that is one string (status, error or bulk), its text at `ptr`.
    #[wasm_bindgen(js_name = stringReply)]
    fn string_reply_at(tag: u32, ptr: u32, len: u32, ascii: bool) -> JsValue;
    /// The text at `ptr` as a JS string.
    #[wasm_bindgen(js_name = text)]
    fn text_at(ptr: u32, len: u32, ascii: bool) -> JsValue;
    #[wasm_bindgen(js_name = okReply)]
    fn ok_reply() -> JsValue;
    #[wasm_bindgen(js_name = integerReply)]
    fn integer_reply(value: f64) -> JsValue;
    #[wasm_bindgen(js_name = nilReply)]
    fn nil_reply() -> JsValue;
}

/// Where `s` is in wasm memory, for the codec's `text`: address, length, all ASCII.
fn text_at_args(s: &str) -> (u32, u32, bool) {
    (s.as_ptr() as usize as u32, s.len() as u32, s.is_ascii())
}

/// `s` as a JS string, read by JavaScript straight from wasm memory.
fn js_text(s: &str) -> JsValue {
    let (ptr, len, ascii) = text_at_args(s);
    text_at(ptr, len, ascii)
}

fn string_reply(tag: u32, s: &str) -> JsValue {
    let (ptr, len, ascii) = text_at_args(s);
    string_reply_at(tag, ptr, len, ascii)
}

thread_local! {
    static OK: JsValue = JsValue::from_str("OK");
    static MEMORY_SHARED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The most text one reply may hand to JavaScript (a JS string holds at most about 512 MB,
/// and the page needs room for its copy).
const REPLY_LIMIT: usize = 256 << 20;

/// A reply as the JS tree `{type, value}` (plus `bytes` on a bulk string that isn't
/// UTF-8), through `buf`. Single values, most replies, skip the packing. A reply bigger
/// than `REPLY_LIMIT` becomes an error reply saying so.
fn reply_to_js(buf: &mut PackedReply, reply: &Reply) -> JsValue {
    let size = packed::text_bytes(reply);
    if size > REPLY_LIMIT {
        let why = format!(
            "ERR Redis Playground: this reply (about {} MiB) is too big to hand to the page (at most {} MiB)",
            size.div_ceil(1 << 20),
            REPLY_LIMIT >> 20
        );
        return string_reply(packed::tag::ERROR, &why);
    }
    match reply {
        Reply::Status(s) if s == "OK" => return ok_reply(),
        Reply::Status(s) => return string_reply(packed::tag::STATUS, s),
        Reply::Error(e) => return string_reply(packed::tag::ERROR, e),
        // Beyond 2^53 a JS number isn't exact: the packed path gives a BigInt.
        Reply::Int(n) if n.unsigned_abs() <= 1 << 53 => return integer_reply(*n as f64),
        Reply::Nil => return nil_reply(),
        Reply::Bulk(b) => {
            if let Ok(text) = std::str::from_utf8(b) {
                return string_reply(packed::tag::BULK, text);
            }
        }
        _ => {}
    }
    buf.clear();
    buf.push(reply);
    let (ptr, len, ascii) = text_at_args(&buf.text);
    let tree = if buf.raw.is_empty() {
        build_reply(ptr, len, ascii, &buf.shape)
    } else {
        build_reply_raw(ptr, len, ascii, &buf.shape, &buf.raw)
    };
    if buf.text.capacity() + 4 * buf.shape.capacity() + buf.raw.capacity() > KEEP_BYTES {
        *buf = PackedReply::default();
    }
    tree
}

/// Buffers kept between calls are let go past this size.
const KEEP_BYTES: usize = 1 << 20;

impl Shared {
    /// Have JavaScript write `argv` into `self.args` and read it into `self.argv`; false
    /// when it isn't an array of strings.
    fn read_argv(&mut self, argv: &JsValue) -> bool {
        let mut written = encode_args(&mut self.args, argv);
        if written < -1 {
            self.args.resize(written.unsigned_abs() as usize, 0);
            written = encode_args(&mut self.args, argv);
        }
        usize::try_from(written)
            .ok()
            .and_then(|n| self.args.get(..n))
            .is_some_and(|bytes| packed::read_argv_into(bytes, &mut self.argv))
    }

    /// Let go of big buffers after a call.
    fn trim(&mut self) {
        self.argv.retain(|a| a.capacity() <= 4096);
        if self.args.len() > KEEP_BYTES {
            self.args = vec![0; 1024];
        }
        if self.out.capacity() > KEEP_BYTES {
            // A huge answer (KEYS * on a big db): don't hold its memory.
            self.out = String::new();
        }
    }
}

/// JavaScript writes `argv` into `args` (see `encodeArgv`).
fn encode_args(args: &mut [u8], argv: &JsValue) -> i32 {
    // The address and room of the buffer; JavaScript writes into it during the call.
    let (ptr, cap) = (args.as_mut_ptr() as usize, args.len());
    encode_argv(argv, ptr as u32, cap as u32)
}

/// The text in `out` as a JS string (`OK` from a kept string: the commonest answer).
fn out_to_js(out: &str) -> JsValue {
    if out == "OK" {
        return OK.with(JsValue::clone);
    }
    js_text(out)
}

/// `execArgv`'s shared body: read the arguments, run them on `console`, the reply tree.
fn exec_argv_on(
    shared: &mut Shared,
    argv: &JsValue,
    run: impl FnOnce(&mut World, &[Vec<u8>]) -> Option<Reply>,
) -> Result<JsValue, JsValue> {
    if !shared.read_argv(argv) {
        return Err(
            js_sys::TypeError::new("execArgv takes an array of strings or Uint8Arrays").into(),
        );
    }
    shared.world.sync(wall_now());
    let reply = run(&mut shared.world, &shared.argv);
    let js = match reply {
        Some(r) => reply_to_js(&mut shared.packed, &r),
        None => return Err(js_error("the console is closed")),
    };
    shared.trim();
    Ok(js)
}

#[wasm_bindgen]
impl Playground {
    /// 16 empty databases, one console (id 0), the world clock at 1× real time.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        console_error_panic_hook::set_once();
        MEMORY_SHARED.with(|done| {
            if !done.replace(true) {
                use_memory(&wasm_bindgen::memory());
            }
        });
        Playground {
            shared: Rc::new(RefCell::new(Shared {
                world: World::new(wall_now()),
                out: String::new(),
                packed: PackedReply::default(),
                args: vec![0; 1024],
                argv: Vec::new(),
            })),
        }
    }

    /// Run one console line in the first console; returns exactly what
    /// `redis-cli --no-raw` prints.
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn exec(&self, line: &str) -> JsValue {
        let sh = &mut *self.shared.borrow_mut();
        sh.world.sync(wall_now());
        sh.world.first_console().exec_into(line, &mut sh.out);
        let text = out_to_js(&sh.out);
        sh.trim();
        text
    }

    /// Run one command from its arguments in the first console; returns `{type, value}`
    /// (see `Console.execArgv`).
    #[wasm_bindgen(
        js_name = execArgv,
        unchecked_return_type = "{ type: string, value: any, bytes?: Uint8Array }"
    )]
    pub fn exec_argv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(string | Uint8Array)[]")] argv: &JsValue,
    ) -> Result<JsValue, JsValue> {
        exec_argv_on(&mut self.shared.borrow_mut(), argv, |w, a| {
            Some(w.exec_args(a))
        })
    }

    /// Console `id` as a handle whose methods act for that console alone, or undefined
    /// when there is no such console.
    pub fn console(&self, id: u32) -> Option<Console> {
        let open = self
            .shared
            .borrow()
            .world
            .console_ids()
            .contains(&(id as usize));
        open.then(|| Console {
            shared: Rc::clone(&self.shared),
            id: id as usize,
        })
    }

    /// Open another console: a new client of the same server, at db 0. Returns its id.
    #[wasm_bindgen(js_name = openConsole)]
    pub fn open_console(&self) -> u32 {
        self.shared.borrow_mut().world.open_console(wall_now()) as u32
    }

    /// Close console `id` (its connection closes, as when a redis-cli exits). The last
    /// open console cannot be closed (false).
    #[wasm_bindgen(js_name = closeConsole)]
    pub fn close_console(&self, id: u32) -> bool {
        self.shared.borrow_mut().world.close_console(id as usize)
    }

    /// The consoles whose connection has something to read (pushed messages, a blocked
    /// command's answer) or was closed by the server since the last call: the ones to
    /// poll with `takeReplies`/`takeMessages` and `isConnected`.
    #[wasm_bindgen(js_name = consolesWithNews)]
    pub fn consoles_with_news(&self) -> Vec<u32> {
        let ids = self.shared.borrow_mut().world.consoles_with_news();
        ids.into_iter().map(|i| i as u32).collect()
    }

    /// Split an inline command (a line of text, as Redis reads one from a connection that
    /// does not speak RESP) into its arguments, with Redis's quoting rules; null when its
    /// quotes don't balance.
    #[wasm_bindgen(js_name = splitInline)]
    pub fn split_inline(&self, line: &[u8]) -> Option<js_sys::Array> {
        let args = crate::cli::split_args(line)?;
        Some(
            args.iter()
                .map(|a| JsValue::from(js_sys::Uint8Array::from(a.as_slice())))
                .collect(),
        )
    }

    /// The ids of the open consoles, oldest first.
    #[wasm_bindgen(js_name = consoleIds)]
    pub fn console_ids(&self) -> Vec<u32> {
        let ids = self.shared.borrow().world.console_ids();
        ids.into_iter().map(|i| i as u32).collect()
    }

    /// Run a line on a second connection to the same server (another redis-cli): no
    /// console is touched. Returns what redis-cli prints.
    #[wasm_bindgen(js_name = sideExec)]
    pub fn side_exec(&self, line: &str) -> String {
        let mut sh = self.shared.borrow_mut();
        sh.world.sync(wall_now());
        sh.world.side_exec(line)
    }

    // ---- time ----

    /// Let time pass: follow the wall clock, let the simulation catch up, run the active
    /// expiry cycle. Call it from a timer.
    pub fn tick(&self) {
        self.shared.borrow_mut().world.sync(wall_now());
    }

    /// World time, ms since the Unix epoch.
    pub fn now(&self) -> f64 {
        self.shared.borrow().world.now_ms() as f64
    }

    /// World clock speed: 1 is real time; clamped to 0..3600.
    #[wasm_bindgen(js_name = setSpeed)]
    pub fn set_speed(&self, speed: f64) {
        self.shared.borrow_mut().world.set_speed(wall_now(), speed);
    }

    pub fn speed(&self) -> f64 {
        self.shared.borrow().world.clock().speed()
    }

    pub fn pause(&self) {
        self.shared.borrow_mut().world.pause(wall_now());
    }

    pub fn resume(&self) {
        self.shared.borrow_mut().world.resume(wall_now());
    }

    #[wasm_bindgen(js_name = isPaused)]
    pub fn is_paused(&self) -> bool {
        self.shared.borrow().world.clock().is_paused()
    }

    /// Jump world time forward by `ms`.
    pub fn advance(&self, ms: f64) {
        self.shared.borrow_mut().world.advance(wall_now(), ms);
    }

    /// Back to real time: world time set to the wall clock, at 1×, running. Throws (with
    /// the reason) while the retry simulation runs.
    #[wasm_bindgen(js_name = backToNow)]
    pub fn back_to_now(&self) -> Result<(), JsValue> {
        self.shared
            .borrow_mut()
            .world
            .back_to_now(wall_now())
            .map_err(js_error)
    }

    /// The earliest time (world ms) at which some key's TTL runs out or a blocking
    /// command times out, or undefined.
    #[wasm_bindgen(js_name = nextExpiry)]
    pub fn next_expiry(&self) -> Option<f64> {
        self.shared.borrow().world.next_due().map(|t| t as f64)
    }

    // ---- views ----

    /// Keys of a db: `[{key, type, ttl, size, encoding}]`, at most `limit`, optionally
    /// filtered by a glob pattern (a whole read-only scan; `scanKeys` goes a step at a time).
    pub fn keyspace(&self, db: u32, pattern: Option<String>, limit: u32) -> JsValue {
        let sh = self.shared.borrow();
        match sh
            .world
            .keyspace(db as usize, pattern.as_deref(), limit as usize)
        {
            Some(rows) => array(rows.iter().map(row_to_js)),
            None => JsValue::NULL,
        }
    }

    /// One read-only SCAN step for the keyspace view: `{ cursor, keys: [{key, type, ttl,
    /// size, encoding}] }` (ttl in ms or -1). Expired keys are skipped, not deleted, and
    /// nothing counts as an access.
    #[wasm_bindgen(js_name = scanKeys)]
    pub fn scan_keys(
        &self,
        db: u32,
        cursor: f64,
        pattern: Option<String>,
        type_name: Option<String>,
        count: u32,
    ) -> JsValue {
        let cursor = if cursor.is_finite() && cursor >= 0.0 {
            cursor as u64
        } else {
            0
        };
        let sh = self.shared.borrow();
        let found = sh.world.scan_keys(
            db as usize,
            cursor,
            pattern.as_deref(),
            type_name.as_deref().filter(|t| !t.is_empty()),
            count.max(1) as usize,
        );
        match found {
            Some((next, rows)) => obj(vec![
                ("cursor", n(next as f64)),
                ("keys", array(rows.iter().map(row_to_js))),
            ]),
            None => JsValue::NULL,
        }
    }

    /// A page of the value at a key for the keyspace view, or null. Strings give
    /// `{text, hex, binary, truncated}`; collections give `items` (list `{index, value}`,
    /// set `{member}`, zset `{rank, member, score}`, hash `{field, value}`).
    pub fn inspect(&self, db: u32, key: &str, offset: u32, limit: u32) -> JsValue {
        let sh = self.shared.borrow();
        sh.world
            .inspect(db as usize, key.as_bytes(), offset as usize, limit as usize)
            .map_or(JsValue::NULL, |v| value_to_js(&v))
    }

    /// Number of keys in each of the 16 databases.
    #[wasm_bindgen(js_name = dbSizes)]
    pub fn db_sizes(&self) -> Vec<u32> {
        let sizes = self.shared.borrow().world.db_sizes();
        sizes.into_iter().map(|n| n as u32).collect()
    }

    /// The keys of `db` evicted lately, newest first: `{ key, policy, why, at }`.
    #[wasm_bindgen(js_name = recentEvictions)]
    pub fn recent_evictions(&self, db: u32) -> JsValue {
        let list = self.shared.borrow().world.recent_evictions(db as usize);
        array(list.iter().map(|(key, policy, why, at)| {
            obj(vec![
                ("key", s(key)),
                ("policy", s(policy)),
                ("why", s(why)),
                ("at", n(*at as f64)),
            ])
        }))
    }

    /// What scripts logged with `redis.log` after line `seq` (0: all kept), oldest
    /// first: `{ seq, at, level, text }` (level 0 debug … 3 warning; `at` in world ms).
    #[wasm_bindgen(js_name = serverLog)]
    pub fn server_log(&self, seq: f64) -> JsValue {
        let lines = self.shared.borrow().world.server_log(seq.max(0.0) as u64);
        array(lines.iter().map(|(seq, at, level, text)| {
            obj(vec![
                ("seq", n(*seq as f64)),
                ("at", n(*at as f64)),
                ("level", n(f64::from(*level))),
                ("text", s(text)),
            ])
        }))
    }

    /// Stop the running script now, as SCRIPT KILL does but even after it wrote (a shared
    /// link's runner uses it); false when none runs.
    #[wasm_bindgen(js_name = stopScript)]
    pub fn stop_script(&self) -> bool {
        self.shared.borrow_mut().world.stop_script()
    }

    /// The script that runs, if one does: `{ name, durationMs }` (its SHA-1 or function
    /// name), or null.
    #[wasm_bindgen(js_name = runningScript)]
    pub fn running_script(&self) -> JsValue {
        match self.shared.borrow().world.running_script() {
            Some((name, ms)) => obj(vec![("name", s(&name)), ("durationMs", n(ms as f64))]),
            None => JsValue::NULL,
        }
    }

    /// Bumped whenever any key changes (writes, deletions, expiry, flushes).
    pub fn generation(&self) -> f64 {
        self.shared.borrow().world.generation() as f64
    }

    /// Bytes the engine holds.
    #[wasm_bindgen(js_name = memoryUsed)]
    pub fn memory_used(&self) -> f64 {
        self.shared.borrow().world.memory_used() as f64
    }

    /// Cap what the engine may hold (bytes; nothing or a negative number puts the usual
    /// 1 GiB back): past it, writes that grow the data get Redis's OOM error.
    #[wasm_bindgen(js_name = setMemoryLimit)]
    pub fn set_memory_limit(&self, bytes: Option<f64>) {
        let bytes = bytes.filter(|b| *b >= 0.0).map(|b| b as usize);
        self.shared.borrow_mut().world.set_memory_limit(bytes);
    }

    // ---- the world as a whole ----

    /// The whole world (16 dbs with values and absolute TTLs, the world clock) as a
    /// versioned binary snapshot with a checksum (see src/persist.rs).
    pub fn snapshot(&self) -> Result<Vec<u8>, JsValue> {
        let snap = self.shared.borrow_mut().world.snapshot(wall_now());
        snap.map_err(|e| js_error(&e.to_string()))
    }

    /// Replace the world with a snapshot: `{keys, expired}`. The simulation stops. Throws
    /// an Error saying why for a snapshot that cannot be loaded; the world is then untouched.
    pub fn restore(&self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        let stats = self
            .shared
            .borrow_mut()
            .world
            .restore(bytes, wall_now())
            .map_err(|e| js_error(&e.to_string()))?;
        Ok(obj(vec![
            ("keys", n(stats.keys as f64)),
            ("expired", n(stats.expired as f64)),
        ]))
    }

    /// "save" once after a console ran SAVE or BGSAVE (the page should save now), else
    /// undefined.
    #[wasm_bindgen(js_name = takeSaveRequest)]
    pub fn take_save_request(&self) -> Option<String> {
        let asked = self.shared.borrow_mut().world.take_save_request();
        asked.then(|| "save".to_string())
    }

    /// The page saved the world: LASTSAVE and INFO persistence follow.
    #[wasm_bindgen(js_name = markSaved)]
    pub fn mark_saved(&self) {
        self.shared.borrow_mut().world.mark_saved(wall_now());
    }

    /// The keyspace as a redis-cli script (`redis-cli < file` recreates it).
    #[wasm_bindgen(js_name = exportScript)]
    pub fn export_script(&self) -> Result<String, JsValue> {
        let text = self.shared.borrow_mut().world.export_script(wall_now());
        text.map_err(|e| js_error(&e.to_string()))
    }

    /// The same commands in RESP (`redis-cli --pipe < file`).
    #[wasm_bindgen(js_name = exportRdb)]
    pub fn export_rdb(&self) -> Result<Vec<u8>, JsValue> {
        let bytes = self.shared.borrow_mut().world.export_rdb(wall_now());
        bytes.map_err(|e| js_error(&e.to_string()))
    }

    #[wasm_bindgen(js_name = exportResp)]
    pub fn export_resp(&self) -> Result<Vec<u8>, JsValue> {
        let bytes = self.shared.borrow_mut().world.export_resp(wall_now());
        bytes.map_err(|e| js_error(&e.to_string()))
    }

    /// Run a redis-cli script or a RESP stream (detected) on a connection of its own:
    /// `{commands, errors, firstErrors}`.
    #[wasm_bindgen(js_name = importData)]
    pub fn import_data(&self, bytes: &[u8]) -> JsValue {
        let done = self.shared.borrow_mut().world.import(bytes, wall_now());
        obj(vec![
            ("commands", n(done.commands as f64)),
            ("errors", n(done.errors as f64)),
            ("firstErrors", array(done.first_errors.iter().map(|e| s(e)))),
        ])
    }

    /// Start afresh: every db empty, the simulation stopped, the clock at the wall clock
    /// at 1×, every console a new connection at db 0.
    #[wasm_bindgen(js_name = resetWorld)]
    pub fn reset_world(&self) {
        self.shared.borrow_mut().world.reset(wall_now());
    }

    // ---- the command table and the console's line tools ----

    /// What the console adds under `unknown command` for `name`: a Redis 7.0 command the
    /// playground lacks, one a later Redis added, or no Redis command (with the nearest
    /// name); undefined for a command it runs.
    #[wasm_bindgen(js_name = commandNote)]
    pub fn command_note(&self, name: &str) -> Option<String> {
        crate::commands::catalogue::note(name.as_bytes())
    }

    /// redis-cli's grey hint for a partly typed line, or undefined.
    pub fn hint(&self, line: &str) -> Option<String> {
        crate::help::hint(line)
    }

    /// redis-cli's Tab completions for a line, each the whole new line.
    pub fn completions(&self, line: &str) -> Vec<String> {
        crate::help::completions(line)
    }

    /// The line's arguments with their spans, in UTF-16 offsets as JS strings count:
    /// `[{ text, start, end }]`, or null when its quotes don't parse.
    #[wasm_bindgen(js_name = splitArgs)]
    pub fn split_args(&self, line: &str) -> JsValue {
        let Some(args) = crate::cli::split_args_spans(line.as_bytes()) else {
            return JsValue::NULL;
        };
        // Byte offset → UTF-16 offset.
        let mut utf16 = vec![0u32; line.len() + 1];
        let mut u = 0u32;
        for (b, c) in line.char_indices() {
            for k in 0..c.len_utf8() {
                utf16[b + k] = u;
            }
            u += c.len_utf16() as u32;
        }
        utf16[line.len()] = u;
        let at = |b: usize| n(utf16.get(b).copied().unwrap_or(u) as f64);
        array(args.iter().map(|(text, start, end)| {
            obj(vec![
                ("text", s(&String::from_utf8_lossy(text))),
                ("start", at(*start)),
                ("end", at(*end)),
            ])
        }))
    }

    /// Indices (into `splitArgs`) of the arguments that are key names.
    #[wasm_bindgen(js_name = keyPositions)]
    pub fn key_positions(&self, line: &str) -> Vec<u32> {
        crate::help::key_positions(line)
            .into_iter()
            .map(|i| i as u32)
            .collect()
    }

    /// Every command and sub-command from the table: `[{name, syntax, summary, group,
    /// since, arity, flags, blocking, shape, link}]`.
    pub fn commands(&self) -> JsValue {
        let list: Vec<CommandInfo> = crate::help::entries()
            .into_iter()
            .map(|c| CommandInfo {
                name: c.display_name(),
                syntax: c.syntax,
                summary: c.summary,
                group: c.group.name(),
                since: c.since,
                arity: c.arity,
                flags: c.flags.names().collect::<Vec<_>>().join(" "),
                blocking: c.block.is_some(),
                shape: shape_info(&c.shape),
                link: link_info(c.link_policy()),
            })
            .collect();
        to_js(&list)
    }

    // ---- the retry simulation ----

    /// Start (or restart) the retry simulation from a config object (camelCase fields of
    /// `retry::Config`; missing fields take the defaults: the seed's schedule). Throws the
    /// config error's message; a refused config leaves the running simulation alone.
    #[wasm_bindgen(js_name = simStart)]
    pub fn sim_start(&self, config: JsValue) -> Result<(), JsValue> {
        let config = sim_config(config)?;
        self.shared
            .borrow_mut()
            .world
            .sim_start(&config, wall_now())
            .map_err(|e| JsValue::from_str(&format!("{}: {}", e.field, e.message)))
    }

    /// Catch the simulation up with the world clock (bounded work); returns
    /// `{nowMs, caughtUp, work}` or null when none runs.
    #[wasm_bindgen(js_name = simAdvance)]
    pub fn sim_advance(&self, max_work: f64) -> JsValue {
        let budget = if max_work.is_finite() && max_work > 0.0 {
            max_work as u64
        } else {
            SIM_FRAME_BUDGET
        };
        let p = self
            .shared
            .borrow_mut()
            .world
            .sim_advance(wall_now(), budget);
        p.map_or(JsValue::NULL, |p| to_js(&p))
    }

    /// Step to the next retry attempt: the simulation runs up to it and the world clock
    /// jumps there. Returns the progress, or null.
    #[wasm_bindgen(js_name = simStep)]
    pub fn sim_step(&self) -> JsValue {
        let p = self.shared.borrow_mut().world.sim_step(wall_now());
        p.map_or(JsValue::NULL, |p| to_js(&p))
    }

    /// The simulation's next due time (world ms), or undefined.
    #[wasm_bindgen(js_name = simNextDue)]
    pub fn sim_next_due(&self) -> Option<f64> {
        let sh = self.shared.borrow();
        sh.world
            .sim()
            .and_then(|s| s.next_due_time())
            .map(|t| t as f64)
    }

    /// Replay the run from the start at the current world time.
    #[wasm_bindgen(js_name = simReset)]
    pub fn sim_reset(&self) {
        self.shared.borrow_mut().world.sim_reset(wall_now());
    }

    /// Stop the simulation (its keys stay for inspection).
    #[wasm_bindgen(js_name = simStop)]
    pub fn sim_stop(&self) {
        self.shared.borrow_mut().world.sim_stop();
    }

    /// `{ running, finished, startMs, nowMs, bucketMs, config, metrics: [Metrics per strategy] }`.
    #[wasm_bindgen(js_name = simState)]
    pub fn sim_state(&self) -> JsValue {
        let sh = self.shared.borrow();
        let Some(sim) = sh.world.sim() else {
            return obj(vec![("running", JsValue::FALSE)]);
        };
        obj(vec![
            ("running", JsValue::TRUE),
            ("finished", JsValue::from_bool(sim.is_finished())),
            ("startMs", n(sim.start_ms() as f64)),
            ("nowMs", n(sim.now_ms() as f64)),
            ("bucketMs", n(sim.bucket_ms() as f64)),
            ("config", to_js(sim.config())),
            ("metrics", to_js(&sim.all_metrics())),
        ])
    }

    /// Per-operation timelines of one strategy ("polling", "events", "queue").
    #[wasm_bindgen(js_name = simTimelines)]
    pub fn sim_timelines(&self, strategy_name: &str, first_op: u32, count: u32) -> JsValue {
        let sh = self.shared.borrow();
        match (sh.world.sim(), strategy(strategy_name)) {
            (Some(sim), Some(k)) => to_js(&sim.timelines(k, first_op, count)),
            _ => JsValue::NULL,
        }
    }

    /// Retries over time for one strategy: `[{startMs, retries, successes, failures, commands}]`.
    #[wasm_bindgen(js_name = simSeries)]
    pub fn sim_series(&self, strategy_name: &str) -> JsValue {
        let sh = self.shared.borrow();
        match (sh.world.sim(), strategy(strategy_name)) {
            (Some(sim), Some(k)) => to_js(&sim.series(k)),
            _ => JsValue::NULL,
        }
    }

    /// The circuit breaker's states over time in one strategy: `[{atMs, state}]` (atMs
    /// relative to the start; state "closed", "open" or "halfOpen"), or null without one.
    #[wasm_bindgen(js_name = simBreaker)]
    pub fn sim_breaker(&self, strategy_name: &str) -> JsValue {
        let sh = self.shared.borrow();
        match (sh.world.sim(), strategy(strategy_name)) {
            (Some(sim), Some(k)) => sim.breaker(k).map_or(JsValue::NULL, |m| to_js(&m)),
            _ => JsValue::NULL,
        }
    }

    /// The layer-by-layer build-up of a config (see `retry::layers`): one row per layer
    /// with its policy, calls, wasted calls, peak load, p99 completion and given-up
    /// operations. Throws the config error's message.
    #[wasm_bindgen(js_name = simLayers)]
    pub fn sim_layers(&self, config: JsValue) -> Result<JsValue, JsValue> {
        let config = sim_config(config)?;
        crate::retry::layers::compare(&config)
            .map(|rows| to_js(&rows))
            .map_err(|e| JsValue::from_str(&format!("{}: {}", e.field, e.message)))
    }

    /// The seq of the newest command the simulation logged (0 before the first); undefined
    /// when none runs. `simLog(simLogLast() - n, n)` reads the newest `n`.
    #[wasm_bindgen(js_name = simLogLast)]
    pub fn sim_log_last(&self) -> Option<f64> {
        let sh = self.shared.borrow();
        sh.world
            .sim()
            .map(|sim| sim.next_log_seq().saturating_sub(1) as f64)
    }

    /// The commands the simulation sent since `seq` (MONITOR-style), at most `limit`:
    /// `[{seq, atMs, strategy, db, line, reply}]`.
    #[wasm_bindgen(js_name = simLog)]
    pub fn sim_log(&self, seq: f64, limit: u32) -> JsValue {
        let sh = self.shared.borrow();
        let Some(sim) = sh.world.sim() else {
            return JsValue::NULL;
        };
        let since = if seq.is_finite() && seq >= 0.0 {
            seq as u64
        } else {
            0
        };
        array(sim.log_since(since).take(limit as usize).map(|e| {
            obj(vec![
                ("seq", n(e.seq as f64)),
                ("atMs", n(e.at_ms as f64)),
                (
                    "strategy",
                    e.strategy.map_or(JsValue::NULL, |k| s(k.name())),
                ),
                ("db", n(f64::from(e.db))),
                ("line", s(&e.monitor_line())),
                ("reply", s(&e.reply_text())),
            ])
        }))
    }
}

/// A simulation config from the page's object (missing fields take the defaults).
fn sim_config(config: JsValue) -> Result<SimConfig, JsValue> {
    if config.is_undefined() || config.is_null() {
        return Ok(SimConfig::default());
    }
    serde_wasm_bindgen::from_value(config).map_err(|e| JsValue::from_str(&e.to_string()))
}

impl Default for Playground {
    fn default() -> Self {
        Playground::new()
    }
}

impl Console {
    /// Run `f` on this console, after bringing the world up to the wall clock; an Error
    /// when the console was closed.
    fn with<T>(&self, f: impl FnOnce(&mut ConsoleMut<'_>) -> T) -> Result<T, JsValue> {
        let mut sh = self.shared.borrow_mut();
        let w = &mut sh.world;
        w.sync(wall_now());
        let mut c = w
            .console(self.id)
            .ok_or_else(|| js_error(&format!("console {} is closed", self.id)))?;
        Ok(f(&mut c))
    }

    /// As `with`, reading without letting time pass.
    fn read<T>(&self, f: impl FnOnce(&ConsoleMut<'_>) -> T) -> Result<T, JsValue> {
        let mut sh = self.shared.borrow_mut();
        let c = sh
            .world
            .console(self.id)
            .ok_or_else(|| js_error(&format!("console {} is closed", self.id)))?;
        Ok(f(&c))
    }
}

#[wasm_bindgen]
impl Console {
    /// This console's id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> u32 {
        self.id as u32
    }

    /// Whether the console is still open.
    #[wasm_bindgen(js_name = isOpen)]
    pub fn is_open(&self) -> bool {
        self.shared.borrow().world.console_ids().contains(&self.id)
    }

    /// Run one console line; returns exactly what `redis-cli --no-raw` prints.
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn exec(&self, line: &str) -> Result<JsValue, JsValue> {
        let sh = &mut *self.shared.borrow_mut();
        sh.world.sync(wall_now());
        let mut c = sh
            .world
            .console(self.id)
            .ok_or_else(|| js_error(&format!("console {} is closed", self.id)))?;
        c.exec_into(line, &mut sh.out);
        let text = out_to_js(&sh.out);
        sh.trim();
        Ok(text)
    }

    /// Run one command from its arguments (strings or Uint8Arrays of bytes; anything else
    /// is made a string); returns `{type, value}`: type `status`, `error`, `integer`,
    /// `bulk`, `nil`, `array` or `multi`, arrays nesting. An integer beyond ±2^53 is a
    /// BigInt; the nil array (`*-1`, a failed EXEC) is `{type: 'nil', array: true}`; a bulk
    /// string that isn't valid UTF-8 (its bad bytes show as U+FFFD in `value`) also has
    /// `bytes`, a Uint8Array.
    #[wasm_bindgen(
        js_name = execArgv,
        unchecked_return_type = "{ type: string, value: any, bytes?: Uint8Array }"
    )]
    pub fn exec_argv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(string | Uint8Array)[]")] argv: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = self.id;
        exec_argv_on(&mut self.shared.borrow_mut(), argv, |w, a| {
            w.console(id).map(|mut c| c.exec_args(a))
        })
    }

    /// As `exec`, plus each command run with its reply tree and table shape:
    /// `{ text, replies: [{ command, argv, reply, shape }] }` (`command` lower-case). With
    /// `sliceMs`, a repeat count runs in slices of about that long (and at most `maxRuns`
    /// runs): the console is then "running" and `runMore` runs the next slice.
    #[wasm_bindgen(js_name = execDetailed)]
    pub fn exec_detailed(
        &self,
        line: &str,
        slice_ms: Option<f64>,
        max_runs: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        match slice_ms {
            None => self.detailed(|c| c.exec_sliced(line, None)),
            Some(ms) => sliced(ms, max_runs, |slice| {
                self.detailed(|c| c.exec_sliced(line, Some(slice)))
            }),
        }
    }

    /// The next slice of a "running" console's repeat count (about `sliceMs` long, at most
    /// `maxRuns` runs), as `execDetailed` answers; the text continues the line's. The
    /// console is "ready" after the last slice.
    #[wasm_bindgen(js_name = runMore)]
    pub fn run_more(&self, slice_ms: f64, max_runs: Option<f64>) -> Result<JsValue, JsValue> {
        sliced(slice_ms, max_runs, |slice| {
            self.detailed(|c| c.run_more(slice))
        })
    }

    /// How far a "running" or "blocked" line's repeat count got: `{ done, total }`, or
    /// null at the prompt.
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        self.read(|c| {
            c.progress().map_or(JsValue::NULL, |p| {
                obj(vec![
                    ("done", JsValue::from_f64(p.done as f64)),
                    ("total", JsValue::from_f64(p.total as f64)),
                ])
            })
        })
    }

    /// Run `f` on this console and convert what it ran as `execDetailed` answers.
    fn detailed(&self, f: impl FnOnce(&mut ConsoleMut) -> Executed) -> Result<JsValue, JsValue> {
        let sh = &mut *self.shared.borrow_mut();
        sh.world.sync(wall_now());
        let mut console = sh
            .world
            .console(self.id)
            .ok_or_else(|| js_error(&format!("console {} is closed", self.id)))?;
        let done = f(&mut console);
        let server = sh.world.server();
        let replies = done.replies.iter().map(|(argv, reply)| {
            let cmd = server.resolve(argv).ok();
            let command = cmd.map_or_else(
                || {
                    argv.first()
                        .map(|c| String::from_utf8_lossy(c).to_ascii_lowercase())
                        .unwrap_or_default()
                },
                |c| c.name.to_string(),
            );
            obj(vec![
                ("command", s(&command)),
                (
                    "argv",
                    array(argv.iter().map(|a| s(&String::from_utf8_lossy(a)))),
                ),
                ("reply", reply_to_js(&mut sh.packed, reply)),
                (
                    "shape",
                    cmd.map_or(JsValue::NULL, |c| to_js(&shape_info(&c.shape))),
                ),
            ])
        });
        let replies = array(replies.collect::<Vec<_>>());
        Ok(obj(vec![("text", s(&done.text)), ("replies", replies)]))
    }

    /// The prompt redis-cli would show: `127.0.0.1:6379[2](TX)> `.
    pub fn prompt(&self) -> Result<String, JsValue> {
        self.read(|c| c.prompt())
    }

    /// The db the console has selected (as redis-cli tracks it).
    pub fn db(&self) -> Result<u32, JsValue> {
        self.read(|c| c.db() as u32)
    }

    /// True between MULTI and EXEC/DISCARD.
    #[wasm_bindgen(js_name = inTransaction)]
    pub fn in_transaction(&self) -> Result<bool, JsValue> {
        self.read(|c| c.in_transaction())
    }

    /// What the console is doing: "ready" (at the prompt), "reading" (messages, after
    /// SUBSCRIBE), "monitor" (after MONITOR) or "blocked" (in BLPOP and friends). In any
    /// but "ready", poll `takeMessages()` for what to print; "blocked" ends by itself
    /// when the answer arrives (or the timeout passes), the others only by `interrupt()`.
    pub fn mode(&self) -> Result<String, JsValue> {
        self.read(|c| c.mode().name().to_string())
    }

    /// True after SUBSCRIBE/PSUBSCRIBE, when redis-cli shows messages and takes no
    /// commands until Ctrl-C.
    #[wasm_bindgen(js_name = isReadingMessages)]
    pub fn is_reading_messages(&self) -> Result<bool, JsValue> {
        self.read(|c| c.mode() == Mode::ReadingMessages)
    }

    /// What the console prints since the last call while it is not at the prompt
    /// (pushed messages, MONITOR lines, a blocked command's answer); "" when nothing.
    #[wasm_bindgen(js_name = takeMessages)]
    pub fn take_messages(&self) -> Result<String, JsValue> {
        self.with(|c| c.take_messages())
    }

    /// Ctrl-C while reading messages, monitoring or blocked: the connection closes (its
    /// subscriptions, MONITOR or blocking command end) and the console connects again.
    /// Returns whether anything was interrupted.
    pub fn interrupt(&self) -> Result<bool, JsValue> {
        self.with(|c| c.interrupt())
    }

    /// What was pushed to this console's connection since the last call, as reply trees
    /// (pub/sub messages, MONITOR lines, a blocked command's answer): what a program's
    /// connection reads (`takeMessages` is what redis-cli prints).
    #[wasm_bindgen(js_name = takeReplies)]
    pub fn take_replies(&self) -> Result<js_sys::Array, JsValue> {
        let sh = &mut *self.shared.borrow_mut();
        sh.world.sync(wall_now());
        let replies = sh
            .world
            .console(self.id)
            .ok_or_else(|| js_error(&format!("console {} is closed", self.id)))?
            .take_replies();
        Ok(replies
            .iter()
            .map(|r| reply_to_js(&mut sh.packed, r))
            .collect())
    }

    /// What the console waits for while blocked: `{command, keys, deadline, since}`
    /// (`command` as typed in capitals, `deadline` world ms or 0 for none, `since` when it
    /// started), or null when it isn't blocked.
    #[wasm_bindgen(js_name = blockedOn)]
    pub fn blocked_on(&self) -> Result<JsValue, JsValue> {
        let blocked = self.read(|c| c.blocked_on())?;
        Ok(blocked.map_or(JsValue::NULL, |b| {
            obj(vec![
                ("command", s(&b.command.to_ascii_uppercase())),
                (
                    "keys",
                    array(b.keys.iter().map(|k| s(&String::from_utf8_lossy(k)))),
                ),
                ("deadline", n(b.deadline as f64)),
                ("since", n(b.since as f64)),
                (
                    "script",
                    match b.script {
                        Some(true) => s("own"),
                        Some(false) => s("other"),
                        None => JsValue::NULL,
                    },
                ),
            ])
        }))
    }

    /// Whether the console's connection is open: false once the server closed it (QUIT,
    /// CLIENT KILL), until its next command connects again.
    #[wasm_bindgen(js_name = isConnected)]
    pub fn is_connected(&self) -> Result<bool, JsValue> {
        self.read(|c| c.is_connected())
    }

    /// The console's client id, as CLIENT ID would answer (it changes when the console
    /// connects again).
    #[wasm_bindgen(js_name = clientId)]
    pub fn client_id(&self) -> Result<f64, JsValue> {
        self.read(|c| c.client_id() as f64)
    }

    /// The connection's protocol (2 or 3) and user, `{ protocol, user }`, or null while
    /// it is not connected.
    pub fn identity(&self) -> Result<JsValue, JsValue> {
        self.read(|c| match c.identity() {
            Some((protocol, user)) => obj(vec![
                ("protocol", JsValue::from(protocol as f64)),
                ("user", s(&user)),
            ]),
            None => JsValue::NULL,
        })
    }
}
