//! Replies to Lua values and back, exactly as Redis 7.0's `script_lua.c` converts them.
//!
//! Reply → Lua (what `redis.call` returns): integers become numbers, bulk strings strings,
//! both nils `false`, arrays tables, a status `{ok=…}`, an error `{err=…}` (raised by
//! `redis.call`); under `redis.setresp(3)` a map is `{map={…}}`, a set `{set={m=true}}`,
//! a double `{double=n}`, the null `nil`, a boolean a boolean, a big number
//! `{big_number="…"}`, a verbatim string `{verbatim_string={format=…, string=…}}`.
//!
//! Lua → reply (what a script returns): a number is truncated to an integer, a string is a
//! bulk string, `true` is 1 and `false` a nil (or RESP3 booleans after `setresp(3)`), a
//! table is `{err=…}`, `{ok=…}`, `{double=…}`, `{big_number=…}`, `{verbatim_string=…}`,
//! `{map=…}`, `{set=…}` or else an array read from index 1 up to the first nil; anything
//! else is a nil.

use lua51::{LuaStr, TableRef, Value};

use crate::reply::Reply;

/// How deep a returned table may nest before Redis's Lua stack gives out (it answers
/// `reached lua stack limit` there).
const MAX_DEPTH: usize = 1000;

fn key(name: &str) -> Value {
    Value::str(name)
}

/// `luaPushErrorBuff`: the `{err="CODE message"}` table for an error text. A text
/// starting with `-` carries its code (its first word); any other gets `ERR`; trailing
/// newlines go.
pub fn error_table(text: &[u8]) -> TableRef {
    let (code, msg): (&[u8], &[u8]) = match text.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", text),
    };
    let mut msg = msg;
    while let Some((first, rest)) = msg.split_first() {
        if *first == b'\r' || *first == b'\n' {
            msg = rest;
        } else {
            break;
        }
    }
    while let Some((last, rest)) = msg.split_last() {
        if *last == b'\r' || *last == b'\n' {
            msg = rest;
        } else {
            break;
        }
    }
    let mut full = code.to_vec();
    full.push(b' ');
    full.extend_from_slice(msg);
    let t = TableRef::new(0, 2);
    t.set_str("err", Value::bytes(&full));
    t
}

/// The error table of a command's error reply (or a rejection of it): as `error_table`,
/// marked so that the script's own error isn't counted a second time in INFO errorstats.
pub fn command_error_table(text: &[u8]) -> TableRef {
    let t = error_table(text);
    t.set_str("ignore_error_stats_update", Value::Bool(true));
    t
}

/// A reply, already shaped for the script's protocol, as `redis.call` gives it to Lua.
pub fn reply_to_lua(r: &Reply) -> Value {
    match r {
        Reply::Int(n) => Value::Num(*n as f64),
        Reply::Bulk(b) => Value::bytes(b),
        Reply::Nil | Reply::NilArray => Value::Bool(false),
        Reply::Null => Value::Nil,
        Reply::Status(s) => {
            let t = TableRef::new(0, 1);
            t.set_str("ok", Value::str(s));
            Value::Table(t)
        }
        Reply::Error(e) => {
            let mut text = b"-".to_vec();
            text.extend_from_slice(e.as_bytes());
            Value::Table(command_error_table(&text))
        }
        Reply::Array(items) | Reply::Push(items) | Reply::Multi(items) => {
            let t = TableRef::new(items.len(), 0);
            for (i, item) in items.iter().enumerate() {
                t.set_int(i as i64 + 1, reply_to_lua(item));
            }
            Value::Table(t)
        }
        Reply::Map(pairs) => {
            let inner = TableRef::new(0, pairs.len());
            for (k, v) in pairs {
                let _ = inner.set(reply_to_lua(k), reply_to_lua(v));
            }
            wrap("map", Value::Table(inner))
        }
        Reply::Set(items) => {
            let inner = TableRef::new(0, items.len());
            for item in items {
                let _ = inner.set(reply_to_lua(item), Value::Bool(true));
            }
            wrap("set", Value::Table(inner))
        }
        Reply::Bool(b) => Value::Bool(*b),
        Reply::Double(d) => wrap("double", Value::Num(*d)),
        Reply::DoubleBulk(d) => Value::str(crate::num::double::G17::new(*d).as_str()),
        Reply::DoubleText(s) => wrap(
            "double",
            Value::Num(lua51::str2number(s.as_bytes()).unwrap_or(0.0)),
        ),
        Reply::BigNumber(s) => wrap("big_number", Value::str(s)),
        Reply::Verbatim(b) => {
            let inner = TableRef::new(0, 2);
            inner.set_str("string", Value::bytes(b));
            inner.set_str("format", Value::str("txt"));
            wrap("verbatim_string", Value::Table(inner))
        }
        Reply::Attributed(_, inner) => reply_to_lua(inner),
        // Shapes `for_protocol` has already turned into the ones above.
        Reply::Pairs(pairs) | Reply::KeyedArrays(pairs) => {
            let t = TableRef::new(pairs.len(), 0);
            for (i, (k, v)) in pairs.iter().enumerate() {
                let pair = TableRef::new(2, 0);
                pair.set_int(1, reply_to_lua(k));
                pair.set_int(2, reply_to_lua(v));
                t.set_int(i as i64 + 1, Value::Table(pair));
            }
            Value::Table(t)
        }
    }
}

fn wrap(field: &str, v: Value) -> Value {
    let t = TableRef::new(0, 1);
    t.set_str(field, v);
    Value::Table(t)
}

/// A string field of a table, read raw.
fn str_field(t: &TableRef, name: &str) -> Option<LuaStr> {
    match t.get(&key(name)) {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// `\r` and `\n` as spaces (a status or big number must stay on its line).
fn one_line(b: &[u8]) -> Vec<u8> {
    b.iter()
        .map(|&c| if c == b'\r' || c == b'\n' { b' ' } else { c })
        .collect()
}

/// An error text as `addReplyErrorFormat` sends it: newlines trimmed at the ends, the
/// others made spaces.
pub fn error_text(b: &[u8]) -> String {
    let trimmed: &[u8] = {
        let start = b
            .iter()
            .position(|&c| c != b'\r' && c != b'\n')
            .unwrap_or(b.len());
        let end = b
            .iter()
            .rposition(|&c| c != b'\r' && c != b'\n')
            .map_or(start, |i| i + 1);
        &b[start..end.max(start)]
    };
    String::from_utf8_lossy(&one_line(trimmed)).into_owned()
}

/// What a script's return value answers, for a script in protocol `resp` (2 or 3); and
/// whether it is an error Redis doesn't count again (one a command already counted).
pub fn lua_to_reply(v: &Value, resp: u8) -> (Reply, bool) {
    let ignore = match v {
        Value::Table(t) => {
            str_field(t, "err").is_some()
                && matches!(t.get(&key("ignore_error_stats_update")), Value::Bool(true))
        }
        _ => false,
    };
    (convert(v, resp, 0), ignore)
}

fn convert(v: &Value, resp: u8, depth: usize) -> Reply {
    if depth >= MAX_DEPTH {
        return Reply::Error("ERR reached lua stack limit".into());
    }
    match v {
        Value::Str(s) => Reply::Bulk(s.as_bytes().to_vec()),
        Value::Bool(b) if resp == 2 => {
            if *b {
                Reply::Int(1)
            } else {
                Reply::Nil
            }
        }
        Value::Bool(b) => Reply::Bool(*b),
        Value::Num(n) => Reply::Int(lua51::args::num_to_int(*n)),
        Value::Table(t) => convert_table(t, resp, depth),
        _ => Reply::Nil,
    }
}

fn convert_table(t: &TableRef, resp: u8, depth: usize) -> Reply {
    if let Some(e) = str_field(t, "err") {
        return Reply::Error(error_text(e.as_bytes()));
    }
    if let Some(ok) = str_field(t, "ok") {
        return Reply::Status(
            String::from_utf8_lossy(&one_line(ok.as_bytes()))
                .into_owned()
                .into(),
        );
    }
    if let Value::Num(d) = t.get(&key("double")) {
        return Reply::Double(d);
    }
    if let Some(b) = str_field(t, "big_number") {
        return Reply::BigNumber(String::from_utf8_lossy(&one_line(b.as_bytes())).into_owned());
    }
    if let Value::Table(vt) = t.get(&key("verbatim_string")) {
        if let (Some(_format), Some(s)) = (str_field(&vt, "format"), str_field(&vt, "string")) {
            return Reply::Verbatim(s.as_bytes().to_vec());
        }
    }
    if let Value::Table(m) = t.get(&key("map")) {
        let mut pairs = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((nk, nv))) = m.next(&k) {
            pairs.push((convert(&nk, resp, depth + 1), convert(&nv, resp, depth + 1)));
            k = nk;
        }
        return Reply::Map(pairs);
    }
    if let Value::Table(s) = t.get(&key("set")) {
        let mut items = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((nk, _))) = s.next(&k) {
            items.push(convert(&nk, resp, depth + 1));
            k = nk;
        }
        return Reply::Set(items);
    }
    let mut items = Vec::new();
    for i in 1.. {
        let item = t.get_int(i);
        if item.is_nil() {
            break;
        }
        items.push(convert(&item, resp, depth + 1));
    }
    Reply::Array(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(items: &[(&str, Value)]) -> Value {
        let t = TableRef::new(0, 0);
        for (k, v) in items {
            t.set_str(k, v.clone());
        }
        Value::Table(t)
    }

    fn array(items: Vec<Value>) -> Value {
        let t = TableRef::new(0, 0);
        for (i, v) in items.into_iter().enumerate() {
            t.set_int(i as i64 + 1, v);
        }
        Value::Table(t)
    }

    #[test]
    fn numbers_truncate_and_booleans_follow_the_script_s_protocol() {
        assert_eq!(lua_to_reply(&Value::Num(3.99), 2).0, Reply::Int(3));
        assert_eq!(lua_to_reply(&Value::Num(-3.99), 2).0, Reply::Int(-3));
        assert_eq!(lua_to_reply(&Value::Bool(true), 2).0, Reply::Int(1));
        assert_eq!(lua_to_reply(&Value::Bool(false), 2).0, Reply::Nil);
        assert_eq!(lua_to_reply(&Value::Bool(false), 3).0, Reply::Bool(false));
        assert_eq!(lua_to_reply(&Value::Nil, 2).0, Reply::Nil);
    }

    #[test]
    fn a_table_is_an_array_up_to_its_first_nil() {
        let t = TableRef::new(0, 0);
        t.set_int(1, Value::Num(1.0));
        t.set_int(2, Value::str("a"));
        t.set_int(4, Value::Num(4.0));
        assert_eq!(
            lua_to_reply(&Value::Table(t), 2).0,
            Reply::Array(vec![Reply::Int(1), Reply::bulk("a")])
        );
    }

    #[test]
    fn err_ok_and_resp3_shapes_are_recognised() {
        assert_eq!(
            lua_to_reply(&table(&[("err", Value::str("bad thing"))]), 2).0,
            Reply::Error("bad thing".into())
        );
        assert_eq!(
            lua_to_reply(&table(&[("ok", Value::str("a\r\nb"))]), 2).0,
            Reply::status("a  b")
        );
        assert_eq!(
            lua_to_reply(&table(&[("double", Value::Num(1.5))]), 2).0,
            Reply::Double(1.5)
        );
        let set = TableRef::new(0, 0);
        set.set_str("a", Value::Bool(true));
        assert_eq!(
            lua_to_reply(&table(&[("set", Value::Table(set))]), 2).0,
            Reply::Set(vec![Reply::bulk("a")])
        );
    }

    #[test]
    fn replies_become_lua_values() {
        assert!(matches!(reply_to_lua(&Reply::Nil), Value::Bool(false)));
        let t = reply_to_lua(&Reply::Error("WRONGTYPE Operation".into()));
        let t = t.as_table().unwrap();
        assert_eq!(
            t.get_str("err").to_lua_str().unwrap().as_bytes(),
            b"WRONGTYPE Operation"
        );
        let e = error_table(b"Unknown Redis command called from script");
        assert_eq!(
            e.get_str("err").to_lua_str().unwrap().as_bytes(),
            b"ERR Unknown Redis command called from script"
        );
        let e = error_table(b"-NOSPACE");
        assert_eq!(
            e.get_str("err").to_lua_str().unwrap().as_bytes(),
            b"ERR NOSPACE"
        );
        let nested = reply_to_lua(&Reply::Array(vec![Reply::Int(1), Reply::Array(vec![])]));
        assert_eq!(
            lua_to_reply(&nested, 2).0,
            Reply::Array(vec![Reply::Int(1), Reply::Array(vec![])])
        );
        let _ = array(vec![]);
    }
}
