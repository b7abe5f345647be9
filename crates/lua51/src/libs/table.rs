//! Lua 5.1's `table` library (ltablib.c) as Redis 7.0.15 embeds it. Sizes and positions
//! are C ints (`luaL_checkint` keeps the low 32 bits), elements are read and written raw
//! (no metamethods) in the order the C code does, so a comparator that looks at the table,
//! an inconsistent comparator or a read-only table (Redis's) behave as there.

use crate::args::{check_function, check_int, check_table, opt_int, opt_str};
use crate::libs::string::{memory_error, MAX_STRING};
use crate::value::{LuaError, LuaResult, LuaStr, TableRef, Value};
use crate::vm::{Ctx, Vm};

/// Opens the library as the global `table`.
pub fn open(vm: &mut Vm) {
    let funcs: [(&'static str, crate::value::NativeFn); 9] = [
        ("concat", tconcat),
        ("foreach", foreach),
        ("foreachi", foreachi),
        ("getn", getn),
        ("maxn", maxn),
        ("insert", tinsert),
        ("remove", tremove),
        ("setn", setn),
        ("sort", sort),
    ];
    let t = TableRef::new(0, funcs.len());
    for (name, f) in funcs {
        t.set_str(name, Value::native(name, f));
    }
    vm.globals.set_str("table", Value::Table(t));
}

/// `lua_rawseti`. Its errors (Redis's `Attempt to modify a readonly table`) come from
/// `luaG_runerror` while a C function runs, so they carry no position.
fn rawset(t: &TableRef, i: i64, v: Value) -> LuaResult<()> {
    if t.readonly() {
        return Err(LuaError::Value(Value::str(
            "Attempt to modify a readonly table",
        )));
    }
    t.set(Value::Num(i as f64), v).map_err(unpositioned)
}

fn unpositioned(e: LuaError) -> LuaError {
    match e {
        LuaError::Msg(m) => LuaError::Value(Value::str(&m)),
        other => other,
    }
}

/// `aux_getn`: the table argument and its length as a C int.
fn aux_getn(ctx: &Ctx<'_>, args: &[Value]) -> LuaResult<(TableRef, i64)> {
    let t = check_table(ctx, args, 1)?;
    let n = t.len() as i32 as i64;
    Ok((t, n))
}

/// `luaL_checkint`.
fn check_i32(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<i64> {
    check_int(ctx, args, n).map(|i| i as i32 as i64)
}

/// `luaL_optint`.
fn opt_i32(ctx: &Ctx<'_>, args: &[Value], n: usize, default: i64) -> LuaResult<i64> {
    opt_int(ctx, args, n, default).map(|i| i as i32 as i64)
}

fn first(v: Vec<Value>) -> Value {
    v.into_iter().next().unwrap_or(Value::Nil)
}

fn foreachi(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let (t, n) = aux_getn(ctx, &args)?;
    let f = check_function(ctx, &args, 2)?;
    for i in 1..=n {
        let r = first(ctx.call(&f, vec![Value::Num(i as f64), t.get_int(i)])?);
        if !r.is_nil() {
            return Ok(vec![r]);
        }
    }
    Ok(vec![])
}

fn foreach(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    let f = check_function(ctx, &args, 2)?;
    let mut key = Value::Nil;
    while let Some((k, v)) = t.next(&key).map_err(unpositioned)? {
        let r = first(ctx.call(&f, vec![k.clone(), v])?);
        if !r.is_nil() {
            return Ok(vec![r]);
        }
        key = k;
    }
    Ok(vec![])
}

fn maxn(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    let mut max = 0.0;
    let mut key = Value::Nil;
    while let Some((k, _)) = t.next(&key).map_err(unpositioned)? {
        if let Value::Num(v) = k {
            if v > max {
                max = v;
            }
        }
        key = k;
    }
    Ok(vec![Value::Num(max)])
}

fn getn(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let (_, n) = aux_getn(ctx, &args)?;
    Ok(vec![Value::Num(n as f64)])
}

fn setn(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    check_table(ctx, &args, 1)?;
    Err(LuaError::msg("'setn' is obsolete"))
}

fn tinsert(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let (t, n) = aux_getn(ctx, &args)?;
    let mut e = n + 1; // the first empty element
    let pos = match args.len() {
        2 => e,
        3 => {
            let pos = check_i32(ctx, &args, 2)?;
            if pos > e {
                e = pos;
            }
            // move up the elements from pos on
            let mut i = e;
            while i > pos {
                rawset(&t, i, t.get_int(i - 1))?;
                i -= 1;
            }
            pos
        }
        _ => return Err(LuaError::msg("wrong number of arguments to 'insert'")),
    };
    let v = args.last().cloned().unwrap_or(Value::Nil);
    rawset(&t, pos, v)?;
    Ok(vec![])
}

fn tremove(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let (t, e) = aux_getn(ctx, &args)?;
    let mut pos = opt_i32(ctx, &args, 2, e)?;
    if !(1 <= pos && pos <= e) {
        return Ok(vec![]);
    }
    let removed = t.get_int(pos);
    while pos < e {
        rawset(&t, pos, t.get_int(pos + 1))?;
        pos += 1;
    }
    rawset(&t, e, Value::Nil)?;
    Ok(vec![removed])
}

fn tconcat(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let sep = opt_str(ctx, &args, 2, "")?;
    let t = check_table(ctx, &args, 1)?;
    let mut i = opt_i32(ctx, &args, 3, 1)?;
    let last = match args.get(3) {
        None | Some(Value::Nil) => t.len() as i32 as i64,
        Some(_) => check_i32(ctx, &args, 4)?,
    };
    let mut buf: Vec<u8> = Vec::new();
    let add_field = |buf: &mut Vec<u8>, i: i64| -> LuaResult<()> {
        let v = t.get_int(i);
        match v.to_lua_str() {
            Some(s) => {
                if buf.len() + s.len() > MAX_STRING {
                    return Err(memory_error());
                }
                buf.extend_from_slice(s.as_bytes());
                Ok(())
            }
            None => Err(LuaError::msg(format!(
                "invalid value ({}) at index {i} in table for 'concat'",
                v.type_name()
            ))),
        }
    };
    while i < last {
        add_field(&mut buf, i)?;
        if buf.len() + sep.len() > MAX_STRING {
            return Err(memory_error());
        }
        buf.extend_from_slice(sep.as_bytes());
        i += 1;
    }
    if i == last {
        add_field(&mut buf, i)?;
    }
    Ok(vec![Value::Str(LuaStr::from(buf))])
}

// ---------------------------------------------------------------------------------------
// sort: ltablib.c's quicksort step for step (Sedgewick's, median of three, recursion on
// the smaller half), so comparator calls, their order and the result with ties or an
// inconsistent comparator are Lua 5.1's.

struct Sorter<'t> {
    t: &'t TableRef,
    comp: Option<Value>,
}

impl Sorter<'_> {
    fn get(&self, i: i64) -> Value {
        self.t.get_int(i)
    }

    /// `set2`: t[i] = a, t[j] = b.
    fn set2(&self, i: i64, a: Value, j: i64, b: Value) -> LuaResult<()> {
        rawset(self.t, i, a)?;
        rawset(self.t, j, b)
    }

    /// `sort_comp`: a < b by the comparator or by `<`.
    fn less(&self, ctx: &mut Ctx<'_>, a: &Value, b: &Value) -> LuaResult<bool> {
        match &self.comp {
            Some(f) => Ok(first(ctx.call(f, vec![a.clone(), b.clone()])?).truthy()),
            None => ctx.less_than(a, b),
        }
    }

    fn sort(&self, ctx: &mut Ctx<'_>, mut l: i64, mut u: i64) -> LuaResult<()> {
        while l < u {
            // sort a[l], a[(l+u)/2] and a[u]
            let al = self.get(l);
            let au = self.get(u);
            if self.less(ctx, &au, &al)? {
                self.set2(l, au, u, al)?;
            }
            if u - l == 1 {
                break; // only 2 elements
            }
            let mut i = (l + u) / 2;
            let ai = self.get(i);
            let al = self.get(l);
            if self.less(ctx, &ai, &al)? {
                self.set2(i, al, l, ai)?;
            } else {
                let au = self.get(u);
                if self.less(ctx, &au, &ai)? {
                    self.set2(i, au, u, ai)?;
                }
            }
            if u - l == 2 {
                break; // only 3 elements
            }
            let pivot = self.get(i);
            let x = self.get(u - 1);
            self.set2(i, x, u - 1, pivot.clone())?;
            // a[l] <= P == a[u-1] <= a[u]: only l+1 .. u-2 remain
            i = l;
            let mut j = u - 1;
            loop {
                // repeat ++i until a[i] >= P
                let ai = loop {
                    i += 1;
                    let ai = self.get(i);
                    if !self.less(ctx, &ai, &pivot)? {
                        break ai;
                    }
                    if i > u {
                        return Err(LuaError::msg("invalid order function for sorting"));
                    }
                };
                // repeat --j until a[j] <= P
                let aj = loop {
                    j -= 1;
                    let aj = self.get(j);
                    if !self.less(ctx, &pivot, &aj)? {
                        break aj;
                    }
                    if j < l {
                        return Err(LuaError::msg("invalid order function for sorting"));
                    }
                };
                if j < i {
                    break;
                }
                self.set2(i, aj, j, ai)?;
            }
            // swap the pivot (a[u-1]) with a[i]
            let x = self.get(u - 1);
            let y = self.get(i);
            self.set2(u - 1, y, i, x)?;
            // a[l..i-1] <= a[i] == P <= a[i+1..u]; recurse into the smaller half
            let (lo, hi);
            if i - l < u - i {
                lo = l;
                hi = i - 1;
                l = i + 1;
            } else {
                lo = i + 1;
                hi = u;
                u = i - 1;
            }
            self.sort(ctx, lo, hi)?;
        }
        Ok(())
    }
}

fn sort(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let (t, n) = aux_getn(ctx, &args)?;
    let comp = match args.get(1) {
        None | Some(Value::Nil) => None,
        Some(_) => Some(check_function(ctx, &args, 2)?),
    };
    Sorter { t: &t, comp }.sort(ctx, 1, n)?;
    Ok(vec![])
}

#[cfg(test)]
mod tests {
    use crate::libs::string::harness::check;

    // Each line: a call and what Redis 7.0.15's Lua answered (` | t=` is the table
    // afterwards, ` | log=` the comparator's calls in order).

    use crate::libs::string::harness::vm;
    use crate::value::{LuaError, TableRef, Value};
    use crate::vm::NoHost;

    fn call(f: &str, args: Vec<Value>) -> Result<Vec<Value>, LuaError> {
        let mut vm = vm();
        let func = vm.globals.get_str("table").as_table().unwrap().get_str(f);
        vm.call(&mut NoHost, func, args)
    }

    fn list(items: &[f64]) -> TableRef {
        let t = TableRef::new(items.len(), 0);
        for (i, x) in items.iter().enumerate() {
            t.set_int(i as i64 + 1, Value::Num(*x));
        }
        t
    }

    #[test]
    fn writes_to_a_read_only_table_fail_without_a_position() {
        let t = list(&[3.0, 1.0, 2.0]);
        t.set_readonly(true);
        for (f, args) in [
            ("insert", vec![Value::Table(t.clone()), Value::Num(1.0)]),
            ("remove", vec![Value::Table(t.clone())]),
            ("sort", vec![Value::Table(t.clone())]),
        ] {
            match call(f, args) {
                Err(LuaError::Value(Value::Str(s))) => {
                    assert_eq!(
                        s.to_str_lossy(),
                        "Attempt to modify a readonly table",
                        "{f}"
                    )
                }
                other => panic!("{f}: {:?}", other.map(|v| v.len())),
            }
        }
        // reading is fine
        let r = call("concat", vec![Value::Table(t.clone()), Value::str(",")]).unwrap();
        assert_eq!(r[0].to_lua_str().unwrap().to_str_lossy(), "3,1,2");
    }

    #[test]
    fn sorting_a_thousand_numbers_orders_them() {
        let mut x: u64 = 1;
        let items: Vec<f64> = (0..1000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) % 500) as f64
            })
            .collect();
        let t = list(&items);
        call("sort", vec![Value::Table(t.clone())]).unwrap();
        let mut want = items.clone();
        want.sort_by(|a, b| a.partial_cmp(b).unwrap());
        for (i, w) in want.iter().enumerate() {
            assert_eq!(t.get_int(i as i64 + 1).to_number(), Some(*w));
        }
    }

    #[test]
    fn the_library_has_lua_5_1_s_functions() {
        let vm = vm();
        let lib = vm.globals.get_str("table");
        let lib = lib.as_table().unwrap();
        for name in [
            "concat", "foreach", "foreachi", "getn", "maxn", "insert", "remove", "setn", "sort",
        ] {
            assert!(matches!(lib.get_str(name), Value::Func(_)), "{name}");
        }
        assert!(lib.get_str("unpack").is_nil());
    }

    const TABLE: &str = r##"
table.insert({1, 2, 3}, 4) => ok:  | t={1=1,2=2,3=3,4=4}
table.insert({1, 2, 3}, 1, 0) => ok:  | t={1=0,2=1,3=2,4=3}
table.insert({1, 2, 3}, 2, 'x') => ok:  | t={1=1,2="x",3=2,4=3}
table.insert({1, 2, 3}, 4, 'x') => ok:  | t={1=1,2=2,3=3,4="x"}
table.insert({1, 2, 3}, 10, 'x') => ok:  | t={10="x",1=1,2=2,3=3}
table.insert({1, 2, 3}, 0, 'x') => ok:  | t={0="x",2=1,3=2,4=3}
table.insert({1, 2, 3}, -2, 'x') => ok:  | t={-2="x",2=1,3=2,4=3}
table.insert({1, 2, 3}, 2^32 + 1, 'x') => ok:  | t={1="x",2=1,3=2,4=3}
table.insert({1, 2, 3}, 2.7, 'x') => ok:  | t={1=1,2="x",3=2,4=3}
table.insert({1, 2, 3}, '2', 'x') => ok:  | t={1=1,2="x",3=2,4=3}
table.insert({1, 2, 3}, 'x', 'y') => err: bad argument #2 to 'insert' (number expected, got string) | t={1=1,2=2,3=3}
table.insert({}, nil) => ok:  | t={}
table.insert({1}, 1, nil) => ok:  | t={2=1}
table.insert({1, 2}) => err: wrong number of arguments to 'insert' | t={1=1,2=2}
table.insert({1, 2}, 1, 2, 3) => err: wrong number of arguments to 'insert' | t={1=1,2=2}
table.insert() => err: bad argument #1 to 'insert' (table expected, got no value)
table.insert(nil, 1) => err: bad argument #1 to 'insert' (table expected, got nil)
table.insert('x', 1) => err: bad argument #1 to 'insert' (table expected, got string)
table.remove({1, 2, 3}) => ok: 3 | t={1=1,2=2}
table.remove({1, 2, 3}, 1) => ok: 1 | t={1=2,2=3}
table.remove({1, 2, 3}, 2) => ok: 2 | t={1=1,2=3}
table.remove({1, 2, 3}, 3) => ok: 3 | t={1=1,2=2}
table.remove({1, 2, 3}, 4) => ok:  | t={1=1,2=2,3=3}
table.remove({1, 2, 3}, 0) => ok:  | t={1=1,2=2,3=3}
table.remove({1, 2, 3}, -1) => ok:  | t={1=1,2=2,3=3}
table.remove({}) => ok:  | t={}
table.remove({}, 1) => ok:  | t={}
table.remove({n = 1}) => ok:  | t={"n"=1}
table.remove({1, 2, 3}, 'x') => err: bad argument #2 to 'remove' (number expected, got string) | t={1=1,2=2,3=3}
table.remove() => err: bad argument #1 to 'remove' (table expected, got no value)
table.concat({1, 2, 3}) => ok: "123" | t={1=1,2=2,3=3}
table.concat({1, 2, 3}, ', ') => ok: "1, 2, 3" | t={1=1,2=2,3=3}
table.concat({'a', 'b', 'c'}, '-', 2) => ok: "b-c" | t={1="a",2="b",3="c"}
table.concat({'a', 'b', 'c'}, '-', 2, 3) => ok: "b-c" | t={1="a",2="b",3="c"}
table.concat({'a', 'b', 'c'}, '-', 3, 2) => ok: "" | t={1="a",2="b",3="c"}
table.concat({'a', 'b', 'c'}, '-', 3, 3) => ok: "c" | t={1="a",2="b",3="c"}
table.concat({}, 'x') => ok: "" | t={}
table.concat({1.5, 1/3, 1e100, -0.0}, ' ') => ok: "1.5 0.33333333333333 1e+100 -0" | t={1=1.5,2=0.33333333333333,3=1e+100,4=-0}
table.concat({1, {}, 3}) => err: invalid value (table) at index 2 in table for 'concat' | t={1=1,2={},3=3}
table.concat({1, 2}, ',', 1, 3) => err: invalid value (nil) at index 3 in table for 'concat' | t={1=1,2=2}
table.concat({1, true}) => err: invalid value (boolean) at index 2 in table for 'concat' | t={1=1,2=true}
table.concat({'a', 'b'}, 1) => ok: "a1b" | t={1="a",2="b"}
table.concat({'a', 'b'}, {}) => err: bad argument #2 to 'concat' (string expected, got table) | t={1="a",2="b"}
table.concat(nil) => err: bad argument #1 to 'concat' (table expected, got nil)
table.concat({}, {}) => err: bad argument #2 to 'concat' (string expected, got table) | t={}
table.concat({'a'}, '', 'x') => err: bad argument #3 to 'concat' (number expected, got string) | t={1="a"}
table.concat({'a', 'b', 'c'}, '', nil, 2) => ok: "ab" | t={1="a",2="b",3="c"}
table.concat({'a', 'b', 'c'}, '', 2^32 + 1, 2^32 + 2) => ok: "ab" | t={1="a",2="b",3="c"}
table.getn({1, 2, 3}) => ok: 3 | t={1=1,2=2,3=3}
table.getn({}) => ok: 0 | t={}
table.getn({n = 5}) => ok: 0 | t={"n"=5}
table.getn() => err: bad argument #1 to 'getn' (table expected, got no value)
table.maxn({1, 2, 3}) => ok: 3 | t={1=1,2=2,3=3}
table.maxn({[10] = 1, [2.5] = 1, x = 1}) => ok: 10 | t={"x"=1,10=1,2.5=1}
table.maxn({[-1] = 1}) => ok: 0 | t={-1=1}
table.maxn({}) => ok: 0 | t={}
table.maxn('x') => err: bad argument #1 to 'maxn' (table expected, got string)
table.setn({}, 1) => err: 'setn' is obsolete | t={}
table.setn(1) => err: bad argument #1 to 'setn' (table expected, got number)
table.foreachi({'a', 'b', 'c'}, pair) => ok: "1-a" | t={1="a",2="b",3="c"}
table.foreachi({'a', 'b'}, retnil) => ok:  | t={1="a",2="b"}
table.foreachi({'a'}, retfalse) => ok: false | t={1="a"}
table.foreachi({}, pair) => ok:  | t={}
table.foreachi({1}) => err: bad argument #2 to 'foreachi' (function expected, got no value) | t={1=1}
table.foreachi({1}, 'x') => err: bad argument #2 to 'foreachi' (function expected, got string) | t={1=1}
table.foreach({x = 1}, pair) => ok: "x-1" | t={"x"=1}
table.foreach({10, 20}, pair) => ok: "1-10" | t={1=10,2=20}
table.foreach({1, 2, 3}, retnil) => ok:  | t={1=1,2=2,3=3}
table.foreach({}, errf) => ok:  | t={}
table.foreach({1}, errf) => err: boom | t={1=1}
table.foreach({1}) => err: bad argument #2 to 'foreach' (function expected, got no value) | t={1=1}
table.sort({3, 1, 2}) => ok:  | t={1=1,2=2,3=3}
table.sort({5, 2, 8, 1, 9, 3, 7, 4, 6, 10}) => ok:  | t={10=10,1=1,2=2,3=3,4=4,5=5,6=6,7=7,8=8,9=9}
table.sort({'banana', 'apple', 'cherry', 'Apple', '10', '9'}) => ok:  | t={1="10",2="9",3="Apple",4="apple",5="banana",6="cherry"}
table.sort({3, 1, 2}, gt) => ok:  | t={1=3,2=2,3=1}
table.sort({5, 2, 8, 1, 9, 3, 7, 4, 6, 10}, gt) => ok:  | t={10=1,1=10,2=9,3=8,4=7,5=6,6=5,7=4,8=3,9=2}
table.sort({}) => ok:  | t={}
table.sort({1}) => ok:  | t={1=1}
table.sort({2, 1}) => ok:  | t={1=1,2=2}
table.sort({3, 1, 2}, logcmp) => ok:  | t={1=1,2=2,3=3} | log=2<3 1<2
table.sort({1, 2, 3, 4, 5}, logcmp) => ok:  | t={1=1,2=2,3=3,4=4,5=5} | log=5<1 3<1 5<3 2<3 4<3 3<4 3<2 5<4 2<1
table.sort({5, 4, 3, 2, 1}, logcmp) => ok:  | t={1=1,2=2,3=3,4=4,5=5} | log=1<5 3<1 5<3 4<3 3<2 4<3 3<2 5<4 2<1
table.sort({4, 1, 3, 1, 5, 9, 2, 6, 5, 3, 5}, logcmp) => ok:  | t={10=6,11=9,1=1,2=1,3=2,4=3,5=3,6=4,7=5,8=5,9=5} | log=5<4 9<4 5<9 1<5 3<5 1<5 5<5 5<5 3<5 2<5 6<5 5<6 5<2 9<5 6<5 9<6 2<4 1<2 1<2 3<2 2<5 2<3 2<3 2<1 1<1 4<3 5<3 4<5 3<4 4<4 4<3 3<3
table.sort({2, 2, 2, 2, 2, 2}, logcmp) => ok:  | t={1=2,2=2,3=2,4=2,5=2,6=2} | log=2<2 2<2 2<2 2<2 2<2 2<2 2<2 2<2 2<2 2<2 2<2 2<2 2<2
table.sort({1, 2, 3}, always) => ok:  | t={1=2,2=3,3=1}
table.sort({1, 2, 3, 4}, always) => err: invalid order function for sorting | t={1=2,2=3,3=4,4=1}
table.sort({1, 2, 3, 4, 5}, always) => err: invalid order function for sorting | t={1=3,2=2,3=4,4=5,5=1}
table.sort({5, 4, 3, 2, 1}, never) => ok:  | t={1=5,2=2,3=3,4=4,5=1}
table.sort({3, 1, 2, 5, 4, 3, 3}, le) => err: invalid order function for sorting | t={1=1,2=2,3=3,4=3,5=3,6=4,7=5}
table.sort({1, 1, 1, 1, 1}, le) => err: attempt to compare nil with number | t={1=1,2=1,3=1,4=1,5=1}
table.sort({3, 1, 2}, errf) => err: boom | t={1=3,2=1,3=2}
table.sort({3, 1, 2}, 1) => err: bad argument #2 to 'sort' (function expected, got number) | t={1=3,2=1,3=2}
table.sort({3, 1, 2}, nil) => ok:  | t={1=1,2=2,3=3}
table.sort() => err: bad argument #1 to 'sort' (table expected, got no value)
table.sort({1, 'x'}) => err: attempt to compare string with number | t={1=1,2="x"}
table.sort({1, nil, 3}) => err: attempt to compare nil with number | t={1=1,3=3}
table.sort({3, 2, 1, n = 'x'}) => ok:  | t={"n"="x",1=1,2=2,3=3}
table.sort({9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 15, 13, 12, 14, 10, 20, 19, 18, 17, 16}) => ok:  | t={10=9,11=10,12=11,13=12,14=13,15=14,16=15,17=16,18=17,19=18,1=0,20=19,21=20,2=1,3=2,4=3,5=4,6=5,7=6,8=7,9=8}
# random lines from a differential run
table.sort({'B', '\200', 'a\0', '\200', 'ab', 'B', '', '\200', 'B', '', 'ab'}, logcmp) => ok:  | t={10="\200",11="\200",1="",2="",3="B",4="B",5="B",6="a\000",7="ab",8="ab",9="\200"} | log="ab"<"B" "B"<"B" "ab"<"B" "\200"<"B" "B"<"B" "a\000"<"B" "B"<"\200" "B"<"" "\200"<"B" "B"<"" "ab"<"B" "B"<"ab" "B"<"" ""<"B" "B"<"" "B"<"B" ""<"B" "B"<"B" "B"<"" ""<"" "ab"<"\200" "\200"<"ab" "\200"<"\200" "a\000"<"\200" "ab"<"\200" "\200"<"\200" "\200"<"\200" "\200"<"\200" "\200"<"ab" "\200"<"ab" "a\000"<"ab" "ab"<"ab" "ab"<"ab" "ab"<"ab" "ab"<"a\000" "ab"<"a\000"
table.sort({'ab', 'ab', 'ab', 'a', '\200', 'B'}, logcmp) => ok:  | t={1="B",2="a",3="ab",4="ab",5="ab",6="\200"} | log="B"<"ab" "ab"<"B" "ab"<"ab" "ab"<"ab" "ab"<"a" "\200"<"ab" "ab"<"\200" "ab"<"a" "a"<"B" "ab"<"ab" "\200"<"ab" "ab"<"\200"
table.sort({'\200'}, logcmp) => ok:  | t={1="\200"}
table.sort({'', 'ab', '', 'ab', 'b', '\200', 'B', ''}, logcmp) => ok:  | t={1="",2="",3="",4="B",5="ab",6="ab",7="b",8="\200"} | log=""<"" "ab"<"" ""<"ab" "ab"<"" ""<"\200" ""<"b" ""<"B" ""<"" "ab"<"" ""<"" ""<"" "ab"<"B" "\200"<"B" "ab"<"\200" "b"<"ab" "ab"<"ab" "b"<"ab" "ab"<"ab" "\200"<"b" "ab"<"B"
table.sort({4, 1, 6, 2, 2, 6, 6, 5, 0, 6, 4, 2, 4}, le) => err: attempt to compare nil with number | t={10=6,11=4,12=6,13=6,1=4,2=1,3=0,4=2,5=2,6=2,7=4,8=5,9=6}
table.sort({6, 6, 2, 3, 2, 5, 3, 2}, always) => err: invalid order function for sorting | t={1=3,2=6,3=2,4=3,5=2,6=5,7=2,8=6}
table.sort({2, 6, 1, 6, 0, 3, 5, 4, 6, 3, 0, 6}, le) => err: attempt to compare number with nil | t={10=3,11=6,12=6,1=0,2=1,3=0,4=2,5=3,6=6,7=5,8=4,9=6}
table.concat({5, 3, 4}, '-', 5, 4) => ok: "" | t={1=5,2=3,3=4}
table.insert({3, 6, 4, 3, 5, 6}, 5, 'x') => ok:  | t={1=3,2=6,3=4,4=3,5="x",6=5,7=6}
table.insert({1, 0}, 5, 'x') => ok:  | t={1=1,2=0,5="x"}
table.concat({4, 5, 1, 0, 5, 3}, '-', 8, 6) => ok: "" | t={1=4,2=5,3=1,4=0,5=5,6=3}
"##;

    #[test]
    fn insert_remove_concat_sort_and_the_rest_answer_as_redis_does() {
        check(TABLE);
    }
}
