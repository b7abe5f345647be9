// What the wasm module's bytes are: sections, and code bytes per function grouped by crate
// and module (from the name section), like `twiggy top` but with no tool to install.
//
//   node bench/wasm-size.mjs [FILE.wasm] [--top N]      (scripts/bench size)
//
// www/pkg/ ships without a name section: the names then come from target/bench/pkg-named/
// (scripts/build writes both), if its code is the same function for function.
//
// Also exported: `sizes(buf)` → { raw, gzip, brotli } and `breakdown(buf)`.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { WASM, NAMED_PKG, ROOT } from './lib.mjs';

export function sizes(buf) {
  return {
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function reader(buf) {
  let pos = 0;
  const r = {
    get pos() { return pos; },
    set pos(v) { pos = v; },
    u8: () => buf[pos++],
    leb() {
      let result = 0, shift = 0, b;
      do { b = buf[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      return result;
    },
    str() { const n = r.leb(); const s = buf.toString('utf8', pos, pos + n); pos += n; return s; },
  };
  return r;
}

/** Sections, and per-function code sizes with names. */
export function breakdown(buf) {
  const r = reader(buf);
  r.pos = 8;
  const sections = [];
  let importedFuncs = 0;
  const bodies = []; // code sizes of defined functions, in order
  const names = new Map(); // function index → name
  const dataSegments = [];
  while (r.pos < buf.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.pos;
    let name = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][id] ?? `id${id}`;
    if (id === 0) {
      const cname = r.str();
      name = `custom "${cname}"`;
      if (cname === 'name') {
        while (r.pos < start + size) {
          const sub = r.u8();
          const len = r.leb();
          const end = r.pos + len;
          if (sub === 1) {
            const n = r.leb();
            for (let i = 0; i < n; i++) names.set(r.leb(), r.str());
          }
          r.pos = end;
        }
      }
    } else if (id === 2) {
      const n = r.leb();
      for (let i = 0; i < n; i++) {
        r.str(); r.str();
        const kind = r.u8();
        if (kind === 0) { r.leb(); importedFuncs++; } else if (kind === 1) { r.u8(); const f = r.u8(); r.leb(); if (f & 1) r.leb(); } else if (kind === 2) { const f = r.u8(); r.leb(); if (f & 1) r.leb(); } else if (kind === 3) { r.u8(); r.u8(); }
      }
    } else if (id === 10) {
      const n = r.leb();
      for (let i = 0; i < n; i++) { const len = r.leb(); bodies.push(len); r.pos += len; }
    } else if (id === 11) {
      const n = r.leb();
      for (let i = 0; i < n; i++) {
        const flags = r.leb();
        if (flags === 2) r.leb();
        if (flags !== 1) { while (buf[r.pos] !== 0x0b) r.pos++; r.pos++; }
        const len = r.leb();
        dataSegments.push(len);
        r.pos += len;
      }
    }
    sections.push({ name, size });
    r.pos = start + size;
  }
  const funcs = bodies.map((size, i) => ({ name: names.get(importedFuncs + i) ?? `func[${importedFuncs + i}]`, size }));
  return { sections, funcs, dataSegments };
}

/**
 * The function names of `buf` when it has no name section: those of the named build
 * scripts/build writes beside www/pkg/, if its code is the same function for function.
 */
export function namesFromNamedBuild(funcs) {
  const namedFile = path.join(NAMED_PKG, 'redis_playground_bg.wasm');
  if (!fs.existsSync(namedFile)) return null;
  const other = breakdown(fs.readFileSync(namedFile)).funcs;
  return other.length === funcs.length && other.every((f, i) => f.size === funcs[i].size) ? other : null;
}

/** The group a (demangled-ish) Rust function name belongs to: crate::module. */
export function groupOf(name) {
  let n = name.replace(/^<+/, '').replace(/\[[0-9a-f]+\]/g, '');
  // `<T as Trait>::f`: attribute to the implementing type's path.
  const m = n.match(/^([A-Za-z_][\w]*(?:::[A-Za-z_][\w]*)*)/);
  const path = m ? m[1].split('::') : [n];
  const crate = path[0];
  if (crate === 'redis_playground') return path.slice(0, 3).filter((s) => !/^[A-Z]/.test(s) && !/^h[0-9a-f]{16}$/.test(s)).join('::');
  if (/serde/.test(crate)) return crate;
  return path.slice(0, 2).filter((s) => !/^h[0-9a-f]{16}$/.test(s)).join('::');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const ti = args.indexOf('--top');
  const top = ti >= 0 ? Number(args[ti + 1]) || 30 : 30;
  const file = args.find((a, i) => !a.startsWith('--') && !(ti >= 0 && i === ti + 1)) ?? WASM;
  const buf = fs.readFileSync(file);
  const s = sizes(buf);
  const { sections, dataSegments, funcs: bodies } = breakdown(buf);
  let funcs = bodies;
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  console.log(`${file}: ${kb(s.raw)} raw, ${kb(s.gzip)} gzip -9, ${kb(s.brotli)} brotli`);
  if (!sections.some((x) => x.name === 'custom "name"')) {
    const named = path.relative(ROOT, NAMED_PKG);
    funcs = namesFromNamedBuild(bodies) ?? bodies;
    console.log(funcs !== bodies
      ? `(function names from ${named}/, the same code with its name section)`
      : `(no name section, and ${named}/ is not the same build: run scripts/build for names)`);
  }
  console.log('\nsections:');
  for (const sec of sections.filter((x) => x.size > 1024).sort((a, b) => b.size - a.size)) {
    console.log(`  ${kb(sec.size).padStart(11)}  ${sec.name}`);
  }
  const code = funcs.reduce((a, f) => a + f.size, 0);
  console.log(`\ncode: ${funcs.length} functions, ${kb(code)}; data: ${dataSegments.length} segments, ${kb(dataSegments.reduce((a, b) => a + b, 0))}`);
  const groups = new Map();
  for (const f of funcs) {
    const g = groupOf(f.name);
    const e = groups.get(g) ?? { size: 0, n: 0 };
    e.size += f.size; e.n++;
    groups.set(g, e);
  }
  console.log(`\ncode by crate::module (top ${top}):`);
  for (const [g, e] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
    console.log(`  ${kb(e.size).padStart(11)} ${(100 * e.size / code).toFixed(1).padStart(5)}%  ${String(e.n).padStart(4)} fns  ${g}`);
  }
  console.log(`\nlargest functions (top ${top}):`);
  for (const f of [...funcs].sort((a, b) => b.size - a.size).slice(0, top)) {
    console.log(`  ${kb(f.size).padStart(11)}  ${f.name.length > 120 ? f.name.slice(0, 117) + '...' : f.name}`);
  }
}
