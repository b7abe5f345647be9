//! A Lua table laid out as Lua 5.1 lays it out: an array part and a hash part of 2^k
//! nodes with chained collisions and a free pointer moving down. Keeping the same layout
//! keeps what a learner can see the same as in Redis: the order `pairs` and `next` visit
//! keys in (and so what `cjson.encode` writes) and what `#t` says of a table with holes.

use crate::value::{TableRef, Value};

/// Array indices above 2^26 always go to the hash part (Lua's MAXBITS).
const MAXBITS: usize = 26;
const MAXASIZE: i64 = 1 << MAXBITS;

#[derive(Clone, Default)]
struct Node {
    /// Nil: the node was never used since the last resize.
    key: Value,
    /// Nil with a key: a dead key (removed or set to nil), still in its chain.
    val: Value,
    next: Option<u32>,
}

#[derive(Default)]
pub struct Table {
    array: Vec<Value>,
    nodes: Vec<Node>,
    lastfree: usize,
    pub meta: Option<TableRef>,
    /// Redis's read-only tables (its patched Lua): writes raise an error.
    pub readonly: bool,
}

/// The array index a key stands for, if it is an integer-valued number.
fn array_index(key: &Value) -> Option<i64> {
    match key {
        Value::Num(n) => {
            let i = *n as i64;
            if i as f64 == *n && n.is_finite() {
                Some(i)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// ceil(log2(x)) for x >= 1.
fn ceil_log2(x: usize) -> usize {
    let mut l = 0;
    while (1usize << l) < x {
        l += 1;
    }
    l
}

impl Table {
    pub fn new(narray: usize, nhash: usize) -> Table {
        let mut t = Table {
            array: vec![Value::Nil; narray],
            ..Table::default()
        };
        t.set_node_vector(nhash);
        t
    }

    fn set_node_vector(&mut self, size: usize) {
        if size == 0 {
            self.nodes = Vec::new();
        } else {
            let n = 1usize << ceil_log2(size);
            self.nodes = vec![Node::default(); n];
        }
        self.lastfree = self.nodes.len();
    }

    /// The node a key hashes to.
    fn main_position(&self, key: &Value) -> usize {
        let size = self.nodes.len();
        let modulo = |h: u32| (h % (((size as u32) - 1) | 1)) as usize;
        match key {
            Value::Num(n) => {
                if *n == 0.0 {
                    return 0;
                }
                let bits = n.to_bits();
                let h = (bits as u32).wrapping_add((bits >> 32) as u32);
                modulo(h)
            }
            Value::Str(s) => (s.hash() as usize) & (size - 1),
            Value::Bool(b) => (*b as usize) & (size - 1),
            Value::Table(t) => modulo(t.id() as u32),
            Value::Func(f) => modulo(f.id() as u32),
            Value::Light(p) => modulo(*p as u32),
            Value::Thread(t) => modulo(std::rc::Rc::as_ptr(t) as *const u8 as usize as u32),
            Value::Nil => 0,
        }
    }

    fn find_node(&self, key: &Value) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let mut n = self.main_position(key);
        loop {
            if self.nodes[n].key.raw_eq(key) {
                return Some(n);
            }
            n = self.nodes[n].next? as usize;
        }
    }

    pub fn get(&self, key: &Value) -> Value {
        if let Some(i) = array_index(key) {
            return self.get_int(i);
        }
        if key.is_nil() {
            return Value::Nil;
        }
        match self.find_node(key) {
            Some(n) => self.nodes[n].val.clone(),
            None => Value::Nil,
        }
    }

    pub fn get_int(&self, i: i64) -> Value {
        if i >= 1 && (i as u64) <= self.array.len() as u64 {
            return self.array[(i - 1) as usize].clone();
        }
        match self.find_node(&Value::Num(i as f64)) {
            Some(n) => self.nodes[n].val.clone(),
            None => Value::Nil,
        }
    }

    /// A raw set. Like Lua 5.1, assigning nil to a missing key still takes a node.
    pub fn set(&mut self, key: Value, val: Value) -> Result<(), &'static str> {
        if let Some(i) = array_index(&key) {
            if i >= 1 && (i as u64) <= self.array.len() as u64 {
                self.array[(i - 1) as usize] = val;
                return Ok(());
            }
        }
        match &key {
            Value::Nil => return Err("table index is nil"),
            Value::Num(n) if n.is_nan() => return Err("table index is NaN"),
            _ => {}
        }
        if let Some(n) = self.find_node(&key) {
            self.nodes[n].val = val;
            return Ok(());
        }
        match self.new_key(&key) {
            Some(n) => {
                self.nodes[n].val = val;
                Ok(())
            }
            // the table grew: the key may now belong to the array part
            None => self.set(key, val),
        }
    }

    fn get_free_pos(&mut self) -> Option<usize> {
        while self.lastfree > 0 {
            self.lastfree -= 1;
            if self.nodes[self.lastfree].key.is_nil() {
                return Some(self.lastfree);
            }
        }
        None
    }

    /// Puts a key that is not in the table into the hash part and returns its node, or
    /// grows the table and returns None (the caller sets the key again).
    fn new_key(&mut self, key: &Value) -> Option<usize> {
        if self.nodes.is_empty() {
            self.rehash(key);
            return None;
        }
        let mut mp = self.main_position(key);
        if !self.nodes[mp].val.is_nil() {
            let Some(free) = self.get_free_pos() else {
                self.rehash(key);
                return None;
            };
            let other = self.main_position(&self.nodes[mp].key.clone());
            if other != mp {
                // the colliding node is out of its main position: move it to the free node
                let mut prev = other;
                while self.nodes[prev].next != Some(mp as u32) {
                    match self.nodes[prev].next {
                        Some(p) => prev = p as usize,
                        None => break,
                    }
                }
                self.nodes[prev].next = Some(free as u32);
                self.nodes[free] = std::mem::take(&mut self.nodes[mp]);
                self.nodes[mp].next = None;
                self.nodes[mp].val = Value::Nil;
            } else {
                // the colliding node is in its own main position: the new key goes to the free node
                self.nodes[free].next = self.nodes[mp].next;
                self.nodes[mp].next = Some(free as u32);
                mp = free;
            }
        }
        self.nodes[mp].key = key.clone();
        Some(mp)
    }

    fn count_int(key: &Value, nums: &mut [usize; MAXBITS + 1]) -> usize {
        match array_index(key) {
            Some(k) if 0 < k && k <= MAXASIZE => {
                nums[ceil_log2(k as usize)] += 1;
                1
            }
            _ => 0,
        }
    }

    fn rehash(&mut self, extra: &Value) {
        let mut nums = [0usize; MAXBITS + 1];
        // keys in the array part, by slices (2^(lg-1), 2^lg]
        let mut nasize = 0;
        let mut i = 1usize;
        let mut ttlg = 1usize;
        for num in nums.iter_mut() {
            let mut lim = ttlg;
            if lim > self.array.len() {
                lim = self.array.len();
                if i > lim {
                    break;
                }
            }
            let mut lc = 0;
            while i <= lim {
                if !self.array[i - 1].is_nil() {
                    lc += 1;
                }
                i += 1;
            }
            *num += lc;
            nasize += lc;
            ttlg *= 2;
        }
        let mut total = nasize;
        for node in self.nodes.iter().rev() {
            if !node.val.is_nil() {
                nasize += Self::count_int(&node.key, &mut nums);
                total += 1;
            }
        }
        nasize += Self::count_int(extra, &mut nums);
        total += 1;
        // the largest n such that more than half of 1..n are in use
        let mut a = 0;
        let mut na = 0;
        let mut n = 0;
        let mut twotoi = 1usize;
        let mut i = 0;
        while twotoi / 2 < nasize {
            if nums[i] > 0 {
                a += nums[i];
                if a > twotoi / 2 {
                    n = twotoi;
                    na = a;
                }
            }
            if a == nasize {
                break;
            }
            i += 1;
            twotoi *= 2;
            if i > MAXBITS {
                break;
            }
        }
        self.resize(n, total - na);
    }

    fn resize(&mut self, nasize: usize, nhsize: usize) {
        let oldasize = self.array.len();
        if nasize > oldasize {
            self.array.resize(nasize, Value::Nil);
        }
        let old_nodes = std::mem::take(&mut self.nodes);
        self.set_node_vector(nhsize);
        if nasize < oldasize {
            let vanishing = self.array.split_off(nasize);
            for (j, v) in vanishing.into_iter().enumerate() {
                if !v.is_nil() {
                    let _ = self.set(Value::Num((nasize + j + 1) as f64), v);
                }
            }
        }
        for node in old_nodes.into_iter().rev() {
            if !node.val.is_nil() {
                let _ = self.set(node.key, node.val);
            }
        }
    }

    /// `#t`: a border (Lua 5.1's search: the array part first, then doubling in the hash).
    pub fn len(&self) -> usize {
        let mut j = self.array.len();
        if j > 0 && self.array[j - 1].is_nil() {
            let mut i = 0;
            while j - i > 1 {
                let m = (i + j) / 2;
                if self.array[m - 1].is_nil() {
                    j = m;
                } else {
                    i = m;
                }
            }
            return i;
        }
        if self.nodes.is_empty() {
            return j;
        }
        let mut i = j;
        let mut j = j + 1;
        while !self.get_int(j as i64).is_nil() {
            i = j;
            j = match j.checked_mul(2) {
                Some(v) if v <= i32::MAX as usize => v,
                _ => {
                    let mut k = 1;
                    while !self.get_int(k as i64).is_nil() {
                        k += 1;
                    }
                    return k - 1;
                }
            };
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if self.get_int(m as i64).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    pub fn is_empty(&self) -> bool {
        self.array.iter().all(Value::is_nil) && self.nodes.iter().all(|n| n.val.is_nil())
    }

    /// The pair after `key` in traversal order (array part, then nodes in order); `Err`
    /// for a key that is not in the table.
    #[allow(clippy::result_unit_err)]
    pub fn next(&self, key: &Value) -> Result<Option<(Value, Value)>, ()> {
        let mut i = match key {
            Value::Nil => 0,
            _ => match array_index(key) {
                Some(k) if k >= 1 && (k as u64) <= self.array.len() as u64 => k as usize,
                _ => self.find_node(key).ok_or(())? + self.array.len() + 1,
            },
        };
        while i < self.array.len() {
            if !self.array[i].is_nil() {
                return Ok(Some((Value::Num((i + 1) as f64), self.array[i].clone())));
            }
            i += 1;
        }
        let mut n = i - self.array.len();
        while n < self.nodes.len() {
            if !self.nodes[n].val.is_nil() {
                return Ok(Some((self.nodes[n].key.clone(), self.nodes[n].val.clone())));
            }
            n += 1;
        }
        Ok(None)
    }

    /// Sizes the array part for `n` more positional items (table constructors, SETLIST).
    pub fn array_len(&self) -> usize {
        self.array.len()
    }

    /// Roughly the memory the table holds (for the script memory budget).
    pub fn footprint(&self) -> usize {
        self.array.len() * 16 + self.nodes.len() * 40
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Table {
        Table::new(0, 0)
    }

    #[test]
    fn a_constructor_with_a_hole_has_its_full_length() {
        let mut tb = Table::new(5, 0);
        for (i, v) in [Some(1.0), Some(2.0), Some(3.0), None, Some(4.0)]
            .iter()
            .enumerate()
        {
            tb.set(
                Value::Num((i + 1) as f64),
                v.map(Value::Num).unwrap_or(Value::Nil),
            )
            .unwrap();
        }
        assert_eq!(tb.len(), 5);
    }

    #[test]
    fn assigned_holes_give_lua_5_1_borders() {
        let mut tb = t();
        tb.set(Value::Num(1.0), Value::Num(1.0)).unwrap();
        tb.set(Value::Num(3.0), Value::Num(3.0)).unwrap();
        assert_eq!(tb.len(), 1);
        let mut tb = t();
        for i in 1..=10 {
            tb.set(Value::Num(i as f64), Value::Bool(true)).unwrap();
        }
        assert_eq!(tb.len(), 10);
        tb.set(Value::Num(10.0), Value::Nil).unwrap();
        assert_eq!(tb.len(), 9);
    }

    #[test]
    fn keys_come_back_in_insertion_independent_lua_order() {
        let mut tb = t();
        for k in ["a", "b", "c", "d", "e"] {
            tb.set(Value::str(k), Value::Bool(true)).unwrap();
        }
        let mut seen = Vec::new();
        let mut k = Value::Nil;
        while let Some((nk, _)) = tb.next(&k).unwrap() {
            seen.push(format!("{nk:?}"));
            k = nk;
        }
        assert_eq!(seen.len(), 5);
        assert!(tb.next(&Value::str("zz")).is_err());
    }

    #[test]
    fn nil_and_nan_are_not_keys() {
        let mut tb = t();
        assert_eq!(
            tb.set(Value::Nil, Value::Num(1.0)),
            Err("table index is nil")
        );
        assert_eq!(
            tb.set(Value::Num(f64::NAN), Value::Num(1.0)),
            Err("table index is NaN")
        );
    }
}
