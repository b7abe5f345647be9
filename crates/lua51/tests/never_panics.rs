//! Random scripts never panic the VM: mutations of the case chunks (tokens dropped,
//! repeated, swapped, numbers and strings changed) compiled and run on a bounded fuel.

use lua51::{libs, NoHost, Step, Vm};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn chunks() -> Vec<String> {
    let text = include_str!("cases/core.lua");
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if line.starts_with("-- case:") || line.starts_with("-- expect:") {
            if !cur.trim().is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
        } else {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    out
}

const SPICE: &[&str] = &[
    "nil",
    "{}",
    "0",
    "-1",
    "1e308",
    "0/0",
    "'x'",
    "...",
    "#",
    "..",
    "(",
    ")",
    "end",
    "function() end",
    "setmetatable({}, {__index = function(t, k) return t[k] end})",
    "string.rep('a', 1000)",
    "coroutine.wrap(function() coroutine.yield(1) end)",
    "pcall",
    "error",
    "table.sort",
    "string.gsub",
    "select('#')",
    "unpack",
    "tostring",
    "math.huge",
    "-0",
    "2^53",
];

fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut words: Vec<String> = src
        .split_inclusive(|c: char| c.is_whitespace() || "(){}[],.;".contains(c))
        .map(String::from)
        .collect();
    for _ in 0..1 + rng.below(4) {
        if words.is_empty() {
            break;
        }
        let i = rng.below(words.len());
        match rng.below(5) {
            0 => {
                words.remove(i);
            }
            1 => {
                let w = words[i].clone();
                words.insert(i, w);
            }
            2 => {
                let j = rng.below(words.len());
                words.swap(i, j);
            }
            _ => {
                let s = SPICE[rng.below(SPICE.len())];
                words.insert(i, format!(" {s} "));
            }
        }
    }
    words.concat()
}

#[test]
fn mutated_scripts_never_panic() {
    let base = chunks();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut ran = 0;
    for _ in 0..std::env::var("LUA51_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12000)
    {
        let src = mutate(&base[rng.below(base.len())], &mut rng);
        let mut vm = Vm::new();
        libs::open_all(&mut vm);
        let Ok(f) = vm.load(src.as_bytes(), "user_script") else {
            continue;
        };
        ran += 1;
        vm.start(f, Vec::new());
        for _ in 0..20 {
            match vm.resume(&mut NoHost, 20_000) {
                Step::Yield => continue,
                _ => break,
            }
        }
        vm.abort();
    }
    assert!(ran > 500, "only {ran} mutations compiled");
}
