//! The VM's running contract: fuel, yield, abort, nested calls, speed sanity.

use lua51::{libs, LuaError, NoHost, Step, Value, Vm};

fn vm() -> Vm {
    let mut vm = Vm::new();
    libs::open_all(&mut vm);
    vm
}

fn run_with_fuel(src: &str, fuel: u32) -> (Vec<Value>, usize) {
    let mut vm = vm();
    let f = vm.load(src.as_bytes(), "user_script").expect("compiles");
    vm.start(f, Vec::new());
    let mut yields = 0;
    loop {
        match vm.resume(&mut NoHost, fuel) {
            Step::Yield => yields += 1,
            Step::Done(v) => return (v, yields),
            Step::Error(e) => panic!("{e:?}"),
        }
    }
}

#[test]
fn a_script_gives_the_same_answer_whatever_its_fuel() {
    let src = "local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
               local t = {} for i = 1, 50 do t[i] = fib(i % 15) end
               local ok, v = pcall(function() return t[10] + t[20] end)
               return v, #t";
    let (a, ya) = run_with_fuel(src, 1_000_000);
    let (b, yb) = run_with_fuel(src, 7);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_eq!(ya, 0);
    assert!(yb > 100, "small fuel yields many times: {yb}");
}

#[test]
fn a_runaway_loop_yields_and_can_be_aborted() {
    let mut vm = vm();
    let f = vm.load(b"while true do end", "user_script").unwrap();
    vm.start(f, Vec::new());
    for _ in 0..100 {
        assert!(matches!(vm.resume(&mut NoHost, 10_000), Step::Yield));
    }
    assert!(vm.is_running());
    vm.abort();
    assert!(!vm.is_running());
    // the VM is usable again
    let g = vm.load(b"return 1 + 1", "user_script").unwrap();
    vm.start(g, Vec::new());
    assert!(
        matches!(vm.resume(&mut NoHost, 100), Step::Done(v) if matches!(v[0], Value::Num(n) if n == 2.0))
    );
}

#[test]
fn arguments_reach_the_chunk_as_varargs() {
    let mut vm = vm();
    let f = vm
        .load(
            b"local a, b = ... return b, a, select('#', ...)",
            "user_script",
        )
        .unwrap();
    vm.start(f, vec![Value::str("x"), Value::Num(2.0)]);
    match vm.resume(&mut NoHost, 1000) {
        Step::Done(v) => assert_eq!(format!("{v:?}"), "[2, \"x\", 2]"),
        _ => panic!(),
    }
}

#[test]
fn host_functions_are_called_with_their_number() {
    struct H(Vec<u32>);
    impl lua51::Host for H {
        fn host_call(
            &mut self,
            _vm: &mut Vm,
            id: u32,
            args: Vec<Value>,
        ) -> lua51::LuaResult<Vec<Value>> {
            self.0.push(id);
            if id == 2 {
                return Err(LuaError::msg("host says no"));
            }
            Ok(vec![Value::Num(args.len() as f64)])
        }
    }
    let mut vm = vm();
    vm.globals.set_str("one", Vm::host_function("one", 1));
    vm.globals.set_str("two", Vm::host_function("two", 2));
    let f = vm
        .load(
            b"local n = one(1, 2, 3) local ok, e = pcall(two) return n, e, two()",
            "user_script",
        )
        .unwrap();
    vm.start(f, Vec::new());
    let mut h = H(Vec::new());
    match vm.resume(&mut h, 1000) {
        Step::Error(LuaError::Value(v)) => {
            assert_eq!(format!("{v:?}"), "\"user_script:1: host says no\"")
        }
        other => panic!("{:?}", matches!(other, Step::Done(_))),
    }
    assert_eq!(h.0, vec![1, 2, 2]);
}

#[test]
fn a_million_iterations_run_in_reasonable_time() {
    let start = std::time::Instant::now();
    let (v, _) = run_with_fuel(
        "local s = 0 for i = 1, 1000000 do s = s + i % 7 end return s",
        100_000,
    );
    assert_eq!(format!("{v:?}"), "[2999998]");
    eprintln!("1M iterations: {:?}", start.elapsed());
}

#[test]
fn a_script_stops_when_the_host_is_out_of_memory() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static FULL: AtomicBool = AtomicBool::new(false);
    let mut vm = vm();
    vm.out_of_memory = Some(|| FULL.load(Ordering::Relaxed));
    let f = vm.load(b"local t = {} local ok = pcall(function() while true do t[#t + 1] = 'x' end end) return ok", "user_script").unwrap();
    vm.start(f, Vec::new());
    assert!(matches!(vm.resume(&mut NoHost, 100_000), Step::Yield));
    FULL.store(true, Ordering::Relaxed);
    match vm.resume(&mut NoHost, 100_000) {
        Step::Error(LuaError::Abort(m)) => assert_eq!(m, lua51::vm::OUT_OF_MEMORY),
        _ => panic!("pcall must not catch running out of memory"),
    }
}
