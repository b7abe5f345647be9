//! The browser boundary: one small `Playground` class that converts between JavaScript
//! and the native [`Session`]. No logic lives here.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::inspect::{self, Items, KeyRow};
use crate::packed::{self, PackedReply};
use crate::reply::Reply;
use crate::retry::{Config as SimConfig, Simulation, StrategyKind};
use crate::session::{Mode, Session};

#[wasm_bindgen]
pub struct Playground {
    session: Session,
    /// The retry simulation, when one runs.
    sim: Option<Simulation>,
    /// `exec`'s output, kept between calls so a line costs no allocation for it.
    out: String,
    /// The same for replies handed over as trees.
    packed: PackedReply,
    /// Where `execArgv`'s arguments are written by JavaScript.
    args: Vec<u8>,
    /// The arguments read from it, vectors kept between calls.
    argv: Vec<Vec<u8>>,
}

/// Work the simulation may do per call (commands plus expiry cycles): a frame's worth.
const SIM_FRAME_BUDGET: u64 = 20_000;

fn to_js<T: Serialize>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or_else(|e| JsValue::from_str(&format!("serialize: {e}")))
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
    flags: String,
}

fn strategy(name: &str) -> Option<StrategyKind> {
    StrategyKind::ALL.into_iter().find(|k| k.name() == name)
}

fn wall_now() -> f64 {
    js_sys::Date::now()
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

fn row_to_js(r: &KeyRow) -> JsValue {
    obj(vec![
        ("key", s(&r.key)),
        ("type", s(r.type_name)),
        ("ttl", n(r.ttl as f64)),
        ("size", n(r.size as f64)),
        ("encoding", s(r.encoding)),
    ])
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

/// A reply as the JS tree `{type, value}` (plus `bytes` on a bulk string that isn't
/// UTF-8), through `buf`.
/// Single values, most replies, skip the packing.
fn reply_to_js(buf: &mut PackedReply, reply: &Reply) -> JsValue {
    match reply {
        Reply::Status(s) if s == "OK" => return ok_reply(),
        Reply::Status(s) => return string_reply(packed::tag::STATUS, s),
        Reply::Error(e) => return string_reply(packed::tag::ERROR, e),
        Reply::Int(n) => return integer_reply(*n as f64),
        Reply::Nil | Reply::NilArray => return nil_reply(),
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

impl Playground {
    /// Have JavaScript write `argv` into `self.args` (see `encodeArgv`).
    fn encode_args(&mut self, argv: &JsValue) -> i32 {
        // The address and room of the buffer; JavaScript writes into it during the call.
        let (ptr, cap) = (self.args.as_mut_ptr() as usize, self.args.len());
        encode_argv(argv, ptr as u32, cap as u32)
    }

    /// Follow the wall clock in the order the simulation needs: the world clock moves,
    /// the simulation catches up (bounded), then the server runs its expiry cycle.
    fn sync(&mut self) {
        self.session.clock.sync(wall_now());
        let now = self.session.now_ms();
        if let Some(sim) = self.sim.as_mut() {
            let p = sim.advance_bounded(&mut self.session.server, now, SIM_FRAME_BUDGET);
            if !p.caught_up {
                // Expiring keys ahead of a simulation that lags would retry early.
                self.session.server.tick(p.now_ms);
                return;
            }
        }
        self.session.server.tick(now);
    }
}

#[wasm_bindgen]
impl Playground {
    /// 16 empty databases, one client, the world clock at 1× real time.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        console_error_panic_hook::set_once();
        MEMORY_SHARED.with(|done| {
            if !done.replace(true) {
                use_memory(&wasm_bindgen::memory());
            }
        });
        Playground {
            session: Session::new(wall_now()),
            sim: None,
            out: String::new(),
            packed: PackedReply::default(),
            args: vec![0; 1024],
            argv: Vec::new(),
        }
    }

    /// Run one console line; returns exactly what `redis-cli --no-raw` prints.
    #[wasm_bindgen(unchecked_return_type = "string")]
    pub fn exec(&mut self, line: &str) -> JsValue {
        self.sync();
        self.session.exec_into(line, &mut self.out);
        if self.out == "OK" {
            // The most common answer, kept as a JS string: no decode.
            return OK.with(JsValue::clone);
        }
        // One decode into a JS string, straight from the kept buffer.
        let text = js_text(&self.out);
        if self.out.capacity() > KEEP_BYTES {
            // A huge answer (KEYS * on a big db): don't hold its memory.
            self.out = String::new();
        }
        text
    }

    /// Run one command from its arguments (strings; anything else is made a string);
    /// returns `{type, value}`: type `status`, `error`, `integer`, `bulk`, `nil`, `array`
    /// or `multi`, arrays nesting. A bulk string that isn't valid UTF-8 (its bad bytes
    /// show as U+FFFD in `value`) also has `bytes`, a Uint8Array; for any other, the bytes
    /// are `new TextEncoder().encode(value)`.
    #[wasm_bindgen(
        js_name = execArgv,
        unchecked_return_type = "{ type: string, value: any, bytes?: Uint8Array }"
    )]
    pub fn exec_argv(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] argv: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let mut written = self.encode_args(argv);
        if written < -1 {
            self.args.resize(written.unsigned_abs() as usize, 0);
            written = self.encode_args(argv);
        }
        let read = usize::try_from(written)
            .ok()
            .and_then(|n| self.args.get(..n))
            .is_some_and(|bytes| packed::read_argv_into(bytes, &mut self.argv));
        if !read {
            return Err(js_sys::TypeError::new("execArgv takes an array of strings").into());
        }
        self.sync();
        let reply = self.session.exec_args(&self.argv);
        // Keep small buffers for the next call, not a huge value's.
        self.argv.retain(|a| a.capacity() <= 4096);
        if self.args.len() > KEEP_BYTES {
            self.args = vec![0; 1024];
        }
        Ok(reply_to_js(&mut self.packed, &reply))
    }

    /// The prompt redis-cli would show: `127.0.0.1:6379[2](TX)> `.
    pub fn prompt(&self) -> String {
        self.session.prompt()
    }

    /// The db the console has selected (as redis-cli tracks it).
    pub fn db(&self) -> u32 {
        self.session.console().prompt_state.dbnum as u32
    }

    /// True between MULTI and EXEC/DISCARD.
    #[wasm_bindgen(js_name = inTransaction)]
    pub fn in_transaction(&self) -> bool {
        self.session.console().prompt_state.in_multi
    }

    /// Let time pass: follow the wall clock and run the active expiry cycle. Call it from
    /// a timer (requestAnimationFrame or setInterval).
    pub fn tick(&mut self) {
        self.sync();
    }

    /// World time, ms since the Unix epoch.
    pub fn now(&self) -> f64 {
        self.session.now_ms() as f64
    }

    /// World clock speed: 1 is real time; clamped to 0..3600.
    #[wasm_bindgen(js_name = setSpeed)]
    pub fn set_speed(&mut self, speed: f64) {
        self.sync();
        self.session.clock.set_speed(speed);
    }

    pub fn speed(&self) -> f64 {
        self.session.clock.speed()
    }

    pub fn pause(&mut self) {
        self.sync();
        self.session.clock.pause();
    }

    pub fn resume(&mut self) {
        self.sync();
        self.session.clock.resume();
    }

    #[wasm_bindgen(js_name = isPaused)]
    pub fn is_paused(&self) -> bool {
        self.session.clock.is_paused()
    }

    /// Jump world time forward by `ms`.
    pub fn advance(&mut self, ms: f64) {
        self.sync();
        self.session.clock.advance(ms);
        self.sync();
    }

    /// The earliest time (world ms) at which some key's TTL runs out or a blocking
    /// command times out, or undefined.
    #[wasm_bindgen(js_name = nextExpiry)]
    pub fn next_expiry(&self) -> Option<f64> {
        let server = &self.session.server;
        [server.next_expiry(), server.next_block_deadline()]
            .into_iter()
            .flatten()
            .min()
            .map(|t| t as f64)
    }

    /// Keys of a db: `[{key, type, ttl, size, encoding}]`, at most `limit`, optionally
    /// filtered by a glob pattern (a whole read-only scan; `scanKeys` goes a step at a time).
    #[wasm_bindgen(js_name = keyspace)]
    pub fn keyspace(&mut self, db: u32, pattern: Option<String>, limit: u32) -> JsValue {
        let now = self.session.now_ms();
        let mut rows = Vec::new();
        let mut cursor = 0;
        loop {
            let Some((next, found)) = inspect::scan_keys(
                &self.session.server,
                db as usize,
                cursor,
                pattern.as_deref(),
                None,
                1000,
                now,
            ) else {
                return JsValue::NULL;
            };
            rows.extend(found);
            cursor = next;
            if cursor == 0 || rows.len() >= limit as usize {
                break;
            }
        }
        rows.truncate(limit as usize);
        array(rows.iter().map(row_to_js))
    }

    /// Number of keys in each of the 16 databases.
    #[wasm_bindgen(js_name = dbSizes)]
    pub fn db_sizes(&self) -> Vec<u32> {
        self.session
            .server
            .dbs
            .iter()
            .map(|d| d.len() as u32)
            .collect()
    }

    /// As `exec`, plus each command run with its reply tree:
    /// `{ text, replies: [{ command, argv, reply }] }` (`command` lower-case; bulk strings
    /// without `bytes`, to keep huge replies cheap).
    #[wasm_bindgen(js_name = execDetailed)]
    pub fn exec_detailed(&mut self, line: &str) -> JsValue {
        self.sync();
        let done = self.session.exec_detailed(line);
        let replies = done.replies.iter().map(|(argv, reply)| {
            let command = argv
                .first()
                .map(|c| String::from_utf8_lossy(c).to_ascii_lowercase())
                .unwrap_or_default();
            obj(vec![
                ("command", s(&command)),
                (
                    "argv",
                    array(argv.iter().map(|a| s(&String::from_utf8_lossy(a)))),
                ),
                ("reply", reply_to_js(&mut self.packed, reply)),
            ])
        });
        obj(vec![("text", s(&done.text)), ("replies", array(replies))])
    }

    /// Messages pushed to the console's client since the last call (pub/sub), printed as
    /// redis-cli prints them; "" when none. Poll it while `isReadingMessages()`.
    #[wasm_bindgen(js_name = takeMessages)]
    pub fn take_messages(&mut self) -> String {
        self.sync();
        self.session.take_messages()
    }

    /// True after SUBSCRIBE/PSUBSCRIBE, when redis-cli shows messages and takes no
    /// commands until Ctrl-C.
    #[wasm_bindgen(js_name = isReadingMessages)]
    pub fn is_reading_messages(&self) -> bool {
        self.session.mode() == Mode::ReadingMessages
    }

    /// What the console is doing: "ready" (at the prompt), "reading" (messages, after
    /// SUBSCRIBE), "monitor" (after MONITOR) or "blocked" (in BLPOP and friends). In any
    /// but "ready", poll `takeMessages()` for what to print; "blocked" ends by itself
    /// when the answer arrives (or the timeout passes), the others only by `interrupt()`.
    pub fn mode(&self) -> String {
        match self.session.mode() {
            Mode::Ready => "ready",
            Mode::ReadingMessages => "reading",
            Mode::Monitoring => "monitor",
            Mode::Blocked => "blocked",
        }
        .to_string()
    }

    /// Ctrl-C while reading messages, monitoring or blocked: the connection closes (its
    /// subscriptions, MONITOR or blocking command end) and the console connects again.
    /// Returns whether anything was interrupted.
    pub fn interrupt(&mut self) -> bool {
        self.session.interrupt()
    }

    /// The whole world (16 dbs with values and absolute TTLs, the world clock) as a
    /// versioned binary snapshot with a checksum (see src/persist.rs).
    pub fn snapshot(&mut self) -> Vec<u8> {
        self.sync();
        self.session.snapshot(wall_now())
    }

    /// Replace the world with a snapshot: `{keys, expired}` (keys loaded; keys not loaded
    /// because their TTL ran out). The clock goes on from the saved world time by the wall
    /// time since the save at 1× (not at all if it was paused), at the saved speed. Throws
    /// an Error saying why for a snapshot that cannot be loaded; the world is then untouched.
    pub fn restore(&mut self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        let stats = self
            .session
            .restore(bytes, wall_now())
            .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
        if let Some(mut sim) = self.sim.take() {
            sim.stop(&mut self.session.server);
        }
        Ok(obj(vec![
            ("keys", n(stats.keys as f64)),
            ("expired", n(stats.expired as f64)),
        ]))
    }

    /// "save" once after a console ran SAVE or BGSAVE (the page should save now), else
    /// undefined.
    #[wasm_bindgen(js_name = takeSaveRequest)]
    pub fn take_save_request(&mut self) -> Option<String> {
        std::mem::take(&mut self.session.server.save_requested).then(|| "save".to_string())
    }

    /// The page saved the world: LASTSAVE and INFO persistence follow.
    #[wasm_bindgen(js_name = markSaved)]
    pub fn mark_saved(&mut self) {
        self.sync();
        let now = self.session.now_ms();
        self.session.server.saved(now);
    }

    /// The keyspace as a redis-cli script (`redis-cli < file` recreates it).
    #[wasm_bindgen(js_name = exportScript)]
    pub fn export_script(&mut self) -> String {
        self.sync();
        crate::persist::export_script(&self.session.server, self.session.now_ms())
    }

    /// The same commands in RESP (`redis-cli --pipe < file`).
    #[wasm_bindgen(js_name = exportResp)]
    pub fn export_resp(&mut self) -> Vec<u8> {
        self.sync();
        crate::persist::export_resp(&self.session.server, self.session.now_ms())
    }

    /// Run a redis-cli script or a RESP stream (detected) on a connection of its own:
    /// `{commands, errors, firstErrors}`.
    #[wasm_bindgen(js_name = importData)]
    pub fn import_data(&mut self, bytes: &[u8]) -> JsValue {
        self.sync();
        let now = self.session.now_ms();
        let done = crate::persist::import(&mut self.session.server, bytes, now);
        obj(vec![
            ("commands", n(done.commands as f64)),
            ("errors", n(done.errors as f64)),
            ("firstErrors", array(done.first_errors.iter().map(|e| s(e)))),
        ])
    }

    /// Start afresh: every db empty, the simulation stopped, the clock at the wall clock
    /// at 1×, every console a new connection at db 0.
    #[wasm_bindgen(js_name = resetWorld)]
    pub fn reset_world(&mut self) {
        self.sim = None;
        self.session.reset_world(wall_now());
    }

    /// Open another console: a new client of the same server, at db 0. Returns its id
    /// (the first console is 0). It does not become the current console.
    #[wasm_bindgen(js_name = openConsole)]
    pub fn open_console(&mut self) -> u32 {
        self.sync();
        self.session.open_console() as u32
    }

    /// Make console `id` the one that `exec`, `execArgv`, `execDetailed`, `prompt`, `db`,
    /// `inTransaction`, `mode`, `takeMessages`, `interrupt` and `clientId` act for.
    /// False (and nothing changes) if there is no such console.
    #[wasm_bindgen(js_name = useConsole)]
    pub fn use_console(&mut self, id: u32) -> bool {
        self.session.use_console(id as usize)
    }

    /// Close console `id` (its connection closes, as when a redis-cli exits). The last
    /// open console cannot be closed (false).
    #[wasm_bindgen(js_name = closeConsole)]
    pub fn close_console(&mut self, id: u32) -> bool {
        self.session.close_console(id as usize)
    }

    /// The ids of the open consoles, oldest first.
    #[wasm_bindgen(js_name = consoleIds)]
    pub fn console_ids(&self) -> Vec<u32> {
        self.session
            .console_ids()
            .into_iter()
            .map(|i| i as u32)
            .collect()
    }

    /// The current console's id.
    #[wasm_bindgen(js_name = consoleId)]
    pub fn console_id(&self) -> u32 {
        self.session.console_id() as u32
    }

    /// The current console's client id, as CLIENT ID would answer (it changes when the
    /// console connects again).
    #[wasm_bindgen(js_name = clientId)]
    pub fn client_id(&self) -> f64 {
        self.session.client_id() as f64
    }

    /// Run a line on a second connection to the same server (another redis-cli): the
    /// console's client, prompt and db are untouched. Returns what redis-cli prints.
    #[wasm_bindgen(js_name = sideExec)]
    pub fn side_exec(&mut self, line: &str) -> String {
        self.sync();
        self.session.side_exec(line)
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

    /// Bumped whenever any key changes (writes, deletions, expiry, flushes).
    pub fn generation(&self) -> f64 {
        self.session.server.generation as f64
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
        let now = self.session.now_ms();
        let cursor = if cursor.is_finite() && cursor >= 0.0 {
            cursor as u64
        } else {
            0
        };
        let Some((next, rows)) = inspect::scan_keys(
            &self.session.server,
            db as usize,
            cursor,
            pattern.as_deref(),
            type_name.as_deref().filter(|t| !t.is_empty()),
            count.max(1) as usize,
            now,
        ) else {
            return JsValue::NULL;
        };
        obj(vec![
            ("cursor", n(next as f64)),
            ("keys", array(rows.iter().map(row_to_js))),
        ])
    }

    /// A page of the value at a key for the keyspace view, or null. Strings give
    /// `{text, hex, binary}`; collections give `items` (list `{index, value}`, set
    /// `{member}`, zset `{rank, member, score}`, hash `{field, value}`).
    pub fn inspect(&self, db: u32, key: &str, offset: u32, limit: u32) -> JsValue {
        let now = self.session.now_ms();
        let Some(v) = inspect::inspect(
            &self.session.server,
            db as usize,
            key.as_bytes(),
            offset as usize,
            limit as usize,
            now,
        ) else {
            return JsValue::NULL;
        };
        let mut fields = vec![
            ("key", s(&v.row.key)),
            ("type", s(v.row.type_name)),
            ("ttl", n(v.row.ttl as f64)),
            ("size", n(v.row.size as f64)),
            ("encoding", s(v.row.encoding)),
        ];
        match v.items {
            Items::Str {
                text,
                hex,
                binary,
                truncated,
            } => {
                fields.push(("text", s(&text)));
                fields.push(("hex", s(&hex)));
                fields.push(("binary", JsValue::from_bool(binary)));
                fields.push(("truncated", JsValue::from_bool(truncated)));
            }
            Items::List(items) => fields.push((
                "items",
                array(
                    items
                        .iter()
                        .map(|(i, v)| obj(vec![("index", n(*i as f64)), ("value", s(v))])),
                ),
            )),
            Items::Set(items) => fields.push((
                "items",
                array(items.iter().map(|m| obj(vec![("member", s(m))]))),
            )),
            Items::ZSet(items) => fields.push((
                "items",
                array(items.iter().map(|(r, m, sc)| {
                    obj(vec![
                        ("rank", n(*r as f64)),
                        ("member", s(m)),
                        ("score", s(sc)),
                    ])
                })),
            )),
            Items::Hash(items) => fields.push((
                "items",
                array(
                    items
                        .iter()
                        .map(|(f, v)| obj(vec![("field", s(f)), ("value", s(v))])),
                ),
            )),
        }
        obj(fields)
    }

    /// Start (or restart) the retry simulation from a config object (camelCase fields of
    /// `retry::Config`; missing fields take the defaults: the seed's schedule). Throws the
    /// config error's message.
    #[wasm_bindgen(js_name = simStart)]
    pub fn sim_start(&mut self, config: JsValue) -> Result<(), JsValue> {
        self.sync();
        let config: SimConfig = if config.is_undefined() || config.is_null() {
            SimConfig::default()
        } else {
            serde_wasm_bindgen::from_value(config).map_err(|e| JsValue::from_str(&e.to_string()))?
        };
        let refused = |e: crate::retry::ConfigError| {
            JsValue::from_str(&format!("{}: {}", e.field, e.message))
        };
        // A config that can't run leaves the running simulation alone.
        config.normalized().map_err(refused)?;
        if let Some(mut old) = self.sim.take() {
            old.stop(&mut self.session.server);
        }
        let now = self.session.now_ms();
        let sim = Simulation::new(&config, &mut self.session.server, now).map_err(refused)?;
        self.sim = Some(sim);
        Ok(())
    }

    /// Catch the simulation up with the world clock (bounded work); returns
    /// `{nowMs, caughtUp, work}` or null when none runs.
    #[wasm_bindgen(js_name = simAdvance)]
    pub fn sim_advance(&mut self, max_work: f64) -> JsValue {
        self.session.clock.sync(wall_now());
        let now = self.session.now_ms();
        let budget = if max_work.is_finite() && max_work > 0.0 {
            max_work as u64
        } else {
            SIM_FRAME_BUDGET
        };
        let Some(sim) = self.sim.as_mut() else {
            return JsValue::NULL;
        };
        let p = sim.advance_bounded(&mut self.session.server, now, budget);
        // While the simulation lags, the server's expiry cycle follows it, not the clock.
        self.session
            .server
            .tick(if p.caught_up { now } else { p.now_ms });
        to_js(&p)
    }

    /// Step to the next retry attempt: the simulation runs up to it and the world clock
    /// jumps there. Returns the progress, or null.
    #[wasm_bindgen(js_name = simStep)]
    pub fn sim_step(&mut self) -> JsValue {
        self.sync();
        let now = self.session.now_ms();
        let Some(sim) = self.sim.as_mut() else {
            return JsValue::NULL;
        };
        let p = sim.step(&mut self.session.server, i64::MAX, u64::MAX);
        if p.now_ms > now {
            self.session.clock.advance((p.now_ms - now) as f64);
        }
        to_js(&p)
    }

    /// The simulation's next due time (world ms), or undefined.
    #[wasm_bindgen(js_name = simNextDue)]
    pub fn sim_next_due(&self) -> Option<f64> {
        self.sim
            .as_ref()
            .and_then(|s| s.next_due_time())
            .map(|t| t as f64)
    }

    /// Replay the run from the start at the current world time.
    #[wasm_bindgen(js_name = simReset)]
    pub fn sim_reset(&mut self) {
        self.session.clock.sync(wall_now());
        let now = self.session.now_ms();
        if let Some(sim) = self.sim.as_mut() {
            sim.reset(&mut self.session.server, now);
        }
    }

    /// Stop the simulation (its keys stay for inspection).
    #[wasm_bindgen(js_name = simStop)]
    pub fn sim_stop(&mut self) {
        if let Some(mut sim) = self.sim.take() {
            sim.stop(&mut self.session.server);
        }
    }

    /// `{ running, finished, startMs, nowMs, bucketMs, config, metrics: [Metrics per strategy] }`.
    #[wasm_bindgen(js_name = simState)]
    pub fn sim_state(&self) -> JsValue {
        let Some(sim) = self.sim.as_ref() else {
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
        match (self.sim.as_ref(), strategy(strategy_name)) {
            (Some(sim), Some(k)) => to_js(&sim.timelines(k, first_op, count)),
            _ => JsValue::NULL,
        }
    }

    /// Retries over time for one strategy: `[{startMs, retries, successes, failures, commands}]`.
    #[wasm_bindgen(js_name = simSeries)]
    pub fn sim_series(&self, strategy_name: &str) -> JsValue {
        match (self.sim.as_ref(), strategy(strategy_name)) {
            (Some(sim), Some(k)) => to_js(&sim.series(k)),
            _ => JsValue::NULL,
        }
    }

    /// The seq of the newest command the simulation logged (0 before the first); undefined
    /// when none runs. `simLog(simLogLast() - n, n)` reads the newest `n`.
    #[wasm_bindgen(js_name = simLogLast)]
    pub fn sim_log_last(&self) -> Option<f64> {
        self.sim
            .as_ref()
            .map(|sim| sim.next_log_seq().saturating_sub(1) as f64)
    }

    /// The commands the simulation sent since `seq` (MONITOR-style), at most `limit`:
    /// `[{seq, atMs, strategy, db, line, reply}]`.
    #[wasm_bindgen(js_name = simLog)]
    pub fn sim_log(&self, seq: f64, limit: u32) -> JsValue {
        let Some(sim) = self.sim.as_ref() else {
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

    /// Every command and sub-command: `[{name, syntax, summary, group, since, arity, flags}]`.
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
