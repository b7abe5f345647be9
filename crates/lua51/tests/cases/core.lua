-- Lua 5.1 semantics, each case checked against Redis 7.0.15's own Lua (tests/record.py
-- writes the server's answer after `-- expect:`). A case is a chunk returning a string.
-- case: numbers are written with %.14g
return tostring(10/2) .. " " .. tostring(1/3) .. " " .. tostring(1e15) .. " " .. tostring(2^53) .. " " .. tostring(-0)
-- expect: ok 5 0.33333333333333 1e+15 9.007199254741e+15 -0
-- case: integer-valued doubles stay exact up to 2^53
return tostring(2^53 + 1) .. " " .. tostring(123456789012) .. " " .. tostring(0.1 + 0.2)
-- expect: ok 9.007199254741e+15 123456789012 0.3
-- case: modulo follows floor division
return tostring(5 % 3) .. " " .. tostring(-5 % 3) .. " " .. tostring(5 % -3) .. " " .. tostring(5.5 % 2)
-- expect: ok 2 1 -1 1.5
-- case: power and unary minus
return tostring(-2^2) .. " " .. tostring(2^-1) .. " " .. tostring(2^3^2)
-- expect: ok -4 0.5 512
-- case: division by zero gives inf and nan
return tostring(1/0) .. " " .. tostring(-1/0) .. " " .. tostring(0/0 ~= 0/0)
-- expect: ok inf -inf true
-- case: strings coerce to numbers in arithmetic
return tostring("10" + 5) .. " " .. tostring("0x10" * 1) .. " " .. tostring(" 3 " * 2) .. " " .. tostring("1e2" + 0)
-- expect: ok 15 16 6 100
-- case: numbers coerce to strings in concatenation
return 1 .. 2 .. " " .. 1.5 .. "|" .. 10/4
-- expect: ok 12 1.5|2.5
-- case: comparison of strings is bytewise
return tostring("a" < "b") .. tostring("Z" < "a") .. tostring("abc" < "abd") .. tostring("" < "a") .. tostring("a\0b" < "a\0c")
-- expect: ok truetruetruetruetrue
-- case: comparing a number with a string is an error
return tostring(1 < "2")
-- expect: err user_script:1: attempt to compare number with string
-- case: comparing two tables without __lt is an error
local a, b = {}, {}
return tostring(a < b)
-- expect: err user_script:2: attempt to compare two table values
-- case: arithmetic on nil names the local
local x
return x + 1
-- expect: err user_script:2: attempt to perform arithmetic on local 'x' (a nil value)
-- case: arithmetic on a field names the field
local t = {}
return t.count + 1
-- expect: err user_script:2: attempt to perform arithmetic on field 'count' (a nil value)
-- case: arithmetic on a global names the global
return undefined_thing + 1
-- expect: err user_script:1: Script attempted to access nonexistent global variable 'undefined_thing'
-- case: indexing nil names the local
local cfg
return cfg.name
-- expect: err user_script:2: attempt to index local 'cfg' (a nil value)
-- case: indexing a nested nil names the field
local t = {a = {}}
return t.a.b.c
-- expect: err user_script:2: attempt to index field 'b' (a nil value)
-- case: calling nil names the global
nosuch()
-- expect: err user_script:1: Script attempted to access nonexistent global variable 'nosuch'
-- case: calling a nil field
local t = {}
t.go()
-- expect: err user_script:2: attempt to call field 'go' (a nil value)
-- case: calling a nil method
local t = {}
t:go()
-- expect: err user_script:2: attempt to call method 'go' (a nil value)
-- case: concatenating nil names the local
local v
return "x" .. v
-- expect: err user_script:2: attempt to concatenate local 'v' (a nil value)
-- case: concatenating a table
return "x" .. {}
-- expect: err user_script:1: attempt to concatenate a table value
-- case: length of a number is an error
local n = 5
return #n
-- expect: err user_script:2: attempt to get length of local 'n' (a number value)
-- case: upvalues are shared between closures
local function counter()
  local n = 0
  return function() n = n + 1 return n end, function() return n end
end
local inc, get = counter()
inc() inc() inc()
return tostring(get())
-- expect: ok 3
-- case: each loop iteration has its own local
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
return fs[1]() .. fs[2]() .. fs[3]()
-- expect: ok 123
-- case: while loop closures capture per iteration locals
local fs, i = {}, 1
while i <= 3 do local j = i fs[i] = function() return j end i = i + 1 end
return fs[1]() .. fs[2]() .. fs[3]()
-- expect: ok 123
-- case: repeat until sees body locals
local n = 0
repeat local m = n + 1 n = m until m >= 5
return tostring(n)
-- expect: ok 5
-- case: numeric for with float step
local s = ""
for i = 1, 2, 0.25 do s = s .. i .. "," end
return s
-- expect: ok 1,1.25,1.5,1.75,2,
-- case: numeric for counting down
local s = ""
for i = 10, 1, -3 do s = s .. i .. "," end
return s
-- expect: ok 10,7,4,1,
-- case: numeric for with strings as bounds
local s = ""
for i = "1", "3" do s = s .. i end
return s
-- expect: ok 123
-- case: for with a bad limit
for i = 1, {} do end
-- expect: err user_script:1: 'for' limit must be a number
-- case: for with a bad initial value
for i = nil, 2 do end
-- expect: err user_script:1: 'for' initial value must be a number
-- case: break leaves the innermost loop
local s = ""
for i = 1, 3 do for j = 1, 3 do if j == 2 then break end s = s .. i .. j .. " " end end
return s
-- expect: ok 11 21 31 
-- case: varargs and select
local function f(...) return select('#', ...) .. ":" .. tostring((select(2, ...))) .. ":" .. tostring(select(-1, ...)) end
return f(1, nil, 3)
-- expect: ok 3:nil:3
-- case: select with a bad index
return select(0, 1, 2)
-- expect: err user_script:1: bad argument #1 to 'select' (index out of range)
-- case: varargs in a table constructor keep the trailing values
local function f(...) local t = {...} return #t end
return tostring(f(1, 2, 3)) .. tostring(f())
-- expect: ok 30
-- case: a call in the middle is cut to one value
local function two() return 1, 2 end
local t = {two(), two()}
return tostring(#t) .. tostring(t[1]) .. tostring(t[2]) .. tostring(t[3])
-- expect: ok 3112
-- case: parentheses cut a call to one value
local function two() return 1, 2 end
local t = {(two())}
return tostring(#t)
-- expect: ok 1
-- case: multiple assignment evaluates before assigning
local a, b = 1, 2
a, b = b, a
return a .. b
-- expect: ok 21
-- case: assignment to a table index uses the old index
local i = 1
local t = {}
i, t[i] = i + 1, 20
return tostring(t[1]) .. tostring(t[2]) .. i
-- expect: ok 20nil2
-- case: extra values are dropped and missing ones are nil
local a, b, c = 1, 2
local d = 5, 6
return tostring(c) .. d
-- expect: ok nil5
-- case: length of a constructor with a hole
return tostring(#{1, 2, 3, nil, 5})
-- expect: ok 5
-- case: length after assigning with holes
local t = {}
t[1] = 1 t[2] = 2 t[4] = 4
return tostring(#t)
-- expect: ok 4
-- case: length of a constructor ending with nil
return tostring(#{1, 2, nil})
-- expect: ok 2
-- case: pairs order of string keys is Lua 5.1's
local t = {alpha = 1, beta = 2, gamma = 3, delta = 4, epsilon = 5}
local s = ""
for k in pairs(t) do s = s .. k .. " " end
return s
-- expect: ok beta epsilon delta alpha gamma 
-- case: pairs order of a mixed table
local t = {10, 20, 30, x = 1, y = 2, [100] = 3, [2.5] = 4}
local s = ""
for k, v in pairs(t) do s = s .. tostring(k) .. "=" .. tostring(v) .. " " end
return s
-- expect: ok 1=10 2=20 3=30 y=2 x=1 2.5=4 100=3 
-- case: pairs after many inserts and removals
local t = {}
for i = 1, 20 do t["k" .. i] = i end
for i = 1, 20, 2 do t["k" .. i] = nil end
local s = ""
for k, v in pairs(t) do s = s .. k .. " " end
return s
-- expect: ok k16 k20 k10 k8 k12 k2 k18 k14 k6 k4 
-- case: ipairs stops at the first nil
local s = ""
for i, v in ipairs({1, 2, nil, 4}) do s = s .. i .. "=" .. v .. " " end
return s
-- expect: ok 1=1 2=2 
-- case: next with a key not in the table
return tostring(next({}, "nope"))
-- expect: err invalid key to 'next'
-- case: table index is nil
local t = {}
t[nil] = 1
-- expect: err user_script:2: table index is nil
-- case: table index is NaN
local t = {}
t[0/0] = 1
-- expect: err user_script:2: table index is NaN
-- case: integer and float keys are the same key
local t = {}
t[1] = "a" t[1.0] = "b" t[2^53] = "c"
return t[1] .. t[2^53]
-- expect: ok bc
-- case: __index table and function
local base = {greet = "hi"}
local t = setmetatable({}, {__index = base})
local u = setmetatable({}, {__index = function(t, k) return k .. "!" end})
return t.greet .. " " .. u.wow
-- expect: ok hi wow!
-- case: __newindex redirects writes
local store = {}
local t = setmetatable({}, {__newindex = function(t, k, v) rawset(store, k, v * 2) end})
t.x = 21
return tostring(rawget(t, "x")) .. " " .. store.x
-- expect: ok nil 42
-- case: __call makes a table callable
local t = setmetatable({}, {__call = function(self, a, b) return a + b end})
return tostring(t(2, 3))
-- expect: ok 5
-- case: arithmetic metamethods
local mt = {__add = function(a, b) return "added" end, __unm = function(a) return "negated" end, __concat = function(a, b) return "joined" end}
local t = setmetatable({}, mt)
return (t + 1) .. " " .. (1 + t) .. " " .. (-t) .. " " .. (t .. "x") .. " " .. ("x" .. t)
-- expect: ok added added negated joined joined
-- case: __eq only between tables with the same handler
local mt = {__eq = function() return true end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
local c = setmetatable({}, {__eq = function() return true end})
return tostring(a == b) .. tostring(a == c) .. tostring(a ~= b)
-- expect: ok truefalsefalse
-- case: __lt and __le
local mt = {__lt = function(a, b) return a.v < b.v end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
return tostring(a < b) .. tostring(a > b) .. tostring(a <= b)
-- expect: ok truefalsetrue
-- case: __tostring
local t = setmetatable({}, {__tostring = function() return "I am t" end})
return tostring(t)
-- expect: ok I am t
-- case: __metatable protects the metatable
local t = setmetatable({}, {__metatable = "locked"})
return tostring(getmetatable(t)) .. " " .. tostring(pcall(setmetatable, t, {}))
-- expect: ok locked false
-- case: setmetatable on a protected metatable is an error
local t = setmetatable({}, {__metatable = "locked"})
setmetatable(t, {})
-- expect: err user_script:2: cannot change a protected metatable
-- case: pcall returns false and the message
local ok, err = pcall(function() error("boom") end)
return tostring(ok) .. " " .. err
-- expect: ok false user_script:1: boom
-- case: error with a table value
local ok, err = pcall(error, {code = 42})
return tostring(ok) .. " " .. err.code
-- expect: ok false 42
-- case: error level 2 blames the caller
local function check(x) if not x then error("bad input", 2) end end
local ok, err = pcall(function()
  check(false)
end)
return err
-- expect: ok user_script:3: bad input
-- case: error level 0 adds no position
local ok, err = pcall(error, "plain", 0)
return err
-- expect: ok plain
-- case: error with a number
local ok, err = pcall(error, 42)
return type(err) .. tostring(err)
-- expect: ok string42
-- case: error without position from a native called by pcall
local ok, err = pcall(error)
return tostring(ok) .. tostring(err)
-- expect: ok falsenil
-- case: runtime errors inside pcall carry the position
local ok, err = pcall(function() local x = nil; return x.y end)
return err
-- expect: ok user_script:1: attempt to index local 'x' (a nil value)
-- case: pcall of a non-function
local ok, err = pcall(42)
return tostring(ok) .. " " .. err
-- expect: ok false attempt to call a number value
-- case: xpcall calls the handler with the message
return select(2, xpcall(function() error("deep") end, function(m) return "handled: " .. m end))
-- expect: ok handled: user_script:1: deep
-- case: nested pcall
local ok1, r = pcall(function()
  local ok2, e = pcall(error, "inner")
  error("outer after " .. e, 0)
end)
return r
-- expect: ok outer after inner
-- case: error escapes to the top
error("top level")
-- expect: err user_script:1: top level
-- case: error with a table escapes
error({err = "x"})
-- expect: err x
-- case: assert passes its arguments
return select('#', assert(1, 2, 3)) .. tostring(select(3, assert(1, 2, 3)))
-- expect: ok 33
-- case: assert fails with its message
assert(false, "custom assert")
-- expect: err user_script:1: custom assert
-- case: assert fails without a message
assert(nil)
-- expect: err user_script:1: assertion failed!
-- case: tonumber with bases
return tostring(tonumber("ff", 16)) .. " " .. tostring(tonumber("777", 8)) .. " " .. tostring(tonumber("zz", 36)) .. " " .. tostring(tonumber("8", 8)) .. " " .. tostring(tonumber(" 10 ")) .. " " .. tostring(tonumber("10x"))
-- expect: ok 255 511 1295 nil 10 nil
-- case: tonumber with a bad base
return tonumber("1", 99)
-- expect: err user_script:1: bad argument #2 to 'tonumber' (base out of range)
-- case: type names
return type(nil) .. type(true) .. type(1) .. type("") .. type({}) .. type(print) .. type(function() end)
-- expect: err user_script:1: Script attempted to access nonexistent global variable 'print'
-- case: unpack ranges
local a, b, c = unpack({1, 2, 3}, 2)
return tostring(a) .. tostring(b) .. tostring(c) .. select('#', unpack({}, 1, 3))
-- expect: ok 23nil3
-- case: rawequal and rawget skip metamethods
local t = setmetatable({}, {__index = function() return "meta" end})
return tostring(rawget(t, "x")) .. " " .. tostring(t.x) .. " " .. tostring(rawequal(t, t))
-- expect: ok nil meta true
-- case: deep recursion works
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
return tostring(depth(5000))
-- expect: ok 5000
-- case: infinite recursion is a stack overflow
local function f() return 1 + f() end
local ok, err = pcall(f)
return tostring(ok) .. " " .. string.sub(err, 1, 40)
-- expect: ok false user_script:1: stack overflow
-- case: tail calls do not grow the stack
local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
return loop(100000)
-- expect: ok done
-- case: method definitions get self
local obj = {n = 5}
function obj:get(x) return self.n + x end
function obj.static(x) return x end
return obj:get(1) .. obj.static(2)
-- expect: ok 62
-- case: nested functions and recursion through upvalues
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
return tostring(fib(20))
-- expect: ok 6765
-- case: and/or values
return tostring(nil or "d") .. tostring(false and 1) .. tostring(1 and 2) .. tostring(nil and 1) .. tostring(false or nil)
-- expect: ok dfalse2nilnil
-- case: not and comparisons as values
local x = 3
local t = {x > 2, x == 3, x ~= 3, not x, not nil}
return tostring(t[1]) .. tostring(t[2]) .. tostring(t[3]) .. tostring(t[4]) .. tostring(t[5])
-- expect: ok truetruefalsefalsetrue
-- case: if elseif else
local function grade(n) if n >= 90 then return "A" elseif n >= 80 then return "B" else return "C" end end
return grade(95) .. grade(85) .. grade(10)
-- expect: ok ABC
-- case: long strings and escapes
local s = [[
line1
line2]]
return s .. "|" .. "tab\there" .. "|\65\066\x|" .. #"\0abc"
-- expect: ok line1\nline2|tab	here|ABx|4
-- case: strings are byte strings
return tostring(#"héllo")
-- expect: ok 6
-- case: globals cannot be created
x = 5
-- expect: err user_script:1: Attempt to modify a readonly table
-- case: reading an unknown global is an error
return tostring(unknown_global)
-- expect: err user_script:1: Script attempted to access nonexistent global variable 'unknown_global'
-- case: _G is readable
return type(_G) .. tostring(_G.nope == nil)
-- expect: err user_script:1: Script attempted to access nonexistent global variable 'nope'
-- case: loadstring is not available
return type(loadstring) .. type(dofile) .. type(loadfile) .. type(load)
-- expect: err user_script:1: Script attempted to access nonexistent global variable 'dofile'
-- case: _VERSION
return _VERSION
-- expect: ok Lua 5.1
-- case: many locals in a function
local a1,a2,a3,a4,a5,a6,a7,a8,a9,a10 = 1,2,3,4,5,6,7,8,9,10
local b1,b2,b3,b4,b5,b6,b7,b8,b9,b10 = a1,a2,a3,a4,a5,a6,a7,a8,a9,a10
return tostring(b1+b2+b3+b4+b5+b6+b7+b8+b9+b10)
-- expect: ok 55
-- case: a table constructor with many items
local t = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60}
return #t .. " " .. t[55]
-- expect: ok 60 55
-- case: generic for with a custom iterator closure
local function range(n) local i = 0 return function() i = i + 1 if i <= n then return i end end end
local s = 0
for v in range(10) do s = s + v end
return tostring(s)
-- expect: ok 55
-- case: generic for with a stateless iterator and three values
local function iter(t, i) i = i + 1 if t[i] then return i, t[i] end end
local s = ""
for i, v in iter, {"a", "b", "c"}, 0 do s = s .. i .. v end
return s
-- expect: ok 1a2b3c
-- case: shadowing locals
local x = 1
do local x = 2 end
local x = x + 10
return tostring(x)
-- expect: ok 11
-- case: closures over loop variables after break
local fs = {}
for i = 1, 10 do fs[#fs + 1] = function() return i end if i == 3 then break end end
return fs[1]() .. fs[2]() .. fs[3]()
-- expect: ok 123
-- case: a function returning nothing gives nil in an expression
local function none() end
return tostring(none()) .. select('#', none())
-- expect: err user_script:2: bad argument #1 to 'tostring' (value expected)
-- case: string indexing through the string metatable
local s = "hello"
return type(s.len) .. tostring(("x").nope)
-- expect: ok functionnil
-- case: indexing a number is an error
local n = 5
return n.x
-- expect: err user_script:2: attempt to index local 'n' (a number value)
-- case: integer keys from strings are not numbers
local t = {}
t["1"] = "s" t[1] = "n"
return t["1"] .. t[1]
-- expect: ok sn
-- case: comparison results with mixed constants
local a = 5
if a > 3 and a < 10 and not (a == 7) then return "in range" end
return "out"
-- expect: ok in range
-- case: getmetatable of a string
return type(getmetatable("")) .. tostring(getmetatable("").__index == string)
-- expect: ok tabletrue
-- case: select negative out of range
return select(-5, 1, 2)
-- expect: err user_script:1: bad argument #1 to 'select' (index out of range)
-- case: a long concatenation chain
local t = {}
for i = 1, 100 do t[#t + 1] = i end
local s = ""
for i = 1, #t do s = s .. t[i] end
return #s .. s:sub(1, 5)
-- expect: ok 19212345
-- case: calling through a local holding a number
local f = 42
f()
-- expect: err user_script:2: attempt to call local 'f' (a number value)
-- case: calling a field of a field
local a = {b = {}}
a.b.c()
-- expect: err user_script:2: attempt to call field 'c' (a nil value)
-- case: upvalue names in errors
local u
local function f() return u.x end
return f()
-- expect: err user_script:2: attempt to index upvalue 'u' (a nil value)
-- case: rawset on a table
local t = {}
rawset(t, "a", 1)
return tostring(t.a)
-- expect: ok 1
-- case: unpack with too many results
return select('#', unpack({}, 1, 1e6))
-- expect: err user_script:1: too many results to unpack
-- case: string to number conversion edge cases
return tostring("0x" + 0)
-- expect: err user_script:1: attempt to perform arithmetic on a string value
-- case: number formatting of large and small values
return tostring(1e100) .. " " .. tostring(1e-100) .. " " .. tostring(123.456e10) .. " " .. tostring(-1.5e-7)
-- expect: ok 1e+100 1e-100 1234560000000 -1.5e-07
-- case: tostring of booleans and nil
return tostring(true) .. tostring(false) .. tostring(nil)
-- expect: ok truefalsenil
-- case: concatenating a boolean is an error
return "a" .. true
-- expect: err user_script:1: attempt to concatenate a boolean value
-- case: the length of a string with a multibyte character
return tostring(#"日本")
-- expect: ok 6
-- case: while with a complex condition
local i, s = 0, 0
while i < 10 and (s < 100 or i == 0) do i = i + 1 s = s + i * i end
return i .. "," .. s
-- expect: ok 7,140
-- case: loadstring compiles a chunk
local f = loadstring("return 1 + 1")
return tostring(f())
-- expect: ok 2
-- case: loadstring reports errors with the string's name
local f, e = loadstring("return +")
return tostring(f) .. " " .. e
-- expect: ok nil [string "return +"]:1: unexpected symbol near '+'
-- case: loadstring with a long first line is cut
local f, e = loadstring("return 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 +\nnil +")
return e
-- expect: ok [string "return 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + ..."]:2: unexpected symbol near '<eof>'
-- case: a loaded chunk cannot create globals either
local f = loadstring("x = 5")
return tostring(pcall(f))
-- expect: ok false
-- case: load reads pieces
local parts = {"return ", "40 ", "+ 2"}
local i = 0
local f = load(function() i = i + 1 return parts[i] end)
return tostring(f())
-- expect: ok 42
-- case: the globals Redis leaves in place
local t = {}
for k in pairs(_G) do t[#t + 1] = k end
table.sort(t)
return table.concat(t, " ")
-- expect: ok ARGV KEYS _G _VERSION __redis__err__handler assert bit cjson cmsgpack collectgarbage coroutine error gcinfo getmetatable ipairs load loadstring math next pairs pcall rawequal rawget rawset redis select setmetatable string struct table tonumber tostring type unpack xpcall
-- case: a run-time error in a loaded chunk names it in 60 bytes
local f = loadstring("local x = nil return x.y -- a comment long enough to be cut off here")
return select(2, pcall(f))
-- expect: ok [string "local x = nil return x.y -- a comment long ..."]:1: attempt to index local 'x' (a nil value)
-- case: a vararg function that never says ... gets arg
local function f(a, ...) return type(arg) .. arg.n .. tostring(arg[2]) end
return f(1, "x", "y")
-- expect: ok table2y
-- case: a vararg function that says ... has no arg
local function f(...) local n = select('#', ...) return tostring(arg) .. n end
return f(1, 2)
-- expect: ok nil2
-- case: hexadecimal numbers at the edges
return tostring(tonumber("0x1P-1074")) .. " " .. tostring(tonumber("0x0p99999")) .. " " .. tostring(0x10)
-- expect: ok 4.9406564584125e-324 0 16
-- case: a coroutine yields and resumes
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
local r = {}
local function add(...) for i = 1, select('#', ...) do r[#r + 1] = tostring((select(i, ...))) end end
add(coroutine.resume(co, 1, 2))
add(coroutine.status(co))
add(coroutine.resume(co, 10))
add(coroutine.resume(co, 3, 4))
add(coroutine.status(co))
add(coroutine.resume(co))
return table.concat(r, " ")
-- expect: ok true 3 suspended true 20 true 7 dead false cannot resume dead coroutine
-- case: a coroutine shares upvalues with its creator
local total = 0
local co = coroutine.wrap(function() for i = 1, 3 do total = total + i coroutine.yield(total) end end)
local a, b = co(), co()
total = total + 100
local c = co()
return a .. " " .. b .. " " .. c .. " " .. total
-- expect: ok 1 3 106 106
-- case: a generator with wrap
local function range(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local s = 0
for i in range(10) do s = s + i end
return tostring(s)
-- expect: ok 55
-- case: an error inside a coroutine
local co = coroutine.create(function() local x = nil return x.y end)
local ok, err = coroutine.resume(co)
return tostring(ok) .. " " .. err .. " " .. coroutine.status(co)
-- expect: ok false user_script:1: attempt to index local 'x' (a nil value) dead
-- case: an error through wrap gets the caller's position too
local f = coroutine.wrap(function() error("inside") end)
local ok, err = pcall(f)
return err
-- expect: ok user_script:1: inside
-- case: yield outside a coroutine
coroutine.yield(1)
-- expect: err attempt to yield across metamethod/C-call boundary
-- case: yield inside pcall inside a coroutine
local co = coroutine.create(function() return pcall(coroutine.yield, 1) end)
return tostring(select(2, coroutine.resume(co))) .. " " .. tostring(select(3, coroutine.resume(co)))
-- expect: err user_script:2: bad argument #1 to 'tostring' (value expected)
-- case: yield across a metamethod
local t = setmetatable({}, {__index = function() return coroutine.yield(5) end})
local co = coroutine.create(function() return t.x end)
return table.concat({tostring(coroutine.resume(co))}, " ") .. " " .. select(2, coroutine.resume(co))
-- expect: ok false cannot resume dead coroutine
-- case: running and status from inside
local co
co = coroutine.create(function() return coroutine.status(co) .. " " .. tostring(coroutine.running() == co) end)
return select(2, coroutine.resume(co)) .. " " .. tostring(coroutine.running())
-- expect: ok running true nil
-- case: resuming a coroutine from within itself
local co
co = coroutine.create(function() return coroutine.resume(co) end)
local ok, a, b = coroutine.resume(co)
return tostring(ok) .. " " .. tostring(a) .. " " .. tostring(b)
-- expect: ok true false cannot resume running coroutine
-- case: create needs a Lua function
return coroutine.create(tostring)
-- expect: err user_script:1: bad argument #1 to 'create' (Lua function expected)
-- case: type and tostring of a thread
return type(coroutine.create(function() end))
-- expect: ok thread
