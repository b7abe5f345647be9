// Section 4: the page. The wasm's size (raw, gzip -9, brotli) and the time from navigation
// to the first command answered, in headless Chromium on localhost (Debian's chromium via
// playwright-core, the flags of the browser tests).
//
//   node bench/page.mjs [RUNS]          (scripts/bench page; RUNS defaults to 7)
//
// "First command answered": an init script watches the console's input; the moment the
// page enables it (the engine is loaded and attached: the earliest a person can type), it
// types PING and submits the form as Enter does, and records when the console's transcript
// shows PONG. The figure is that instant, in performance.now() (ms since navigation start),
// median of RUNS cold loads (a fresh browser context each: empty HTTP cache, no compiled
// wasm cached). Also shown: the same on a simulated workshop wifi (Chromium's network
// emulation: 10 Mbit/s down, 5 up, 40 ms round trip), and what a second visit (HTTP cache)
// takes.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/static-server.mjs';
import { ROOT, WASM, record, log, median } from './lib.mjs';
import { sizes } from './wasm-size.mjs';

const SECTION = '4. The page';
const CHROMIUM = '/usr/bin/chromium';
const RUNS = Number(process.argv[2] ?? 7);

const buf = fs.readFileSync(process.env.BENCH_WWW ? path.join(process.env.BENCH_WWW, 'pkg', 'redis_playground_bg.wasm') : WASM);
const sz = sizes(buf);
const kib = (b) => b / 1024;
record({ section: SECTION, name: 'wasm size, raw', value: kib(sz.raw), unit: 'KiB', ok: null, target: '' });
record({ section: SECTION, name: 'wasm size, gzip -9', value: kib(sz.gzip), unit: 'KiB', target: '< 200 KB', ok: sz.gzip < 200 * 1000 });
record({ section: SECTION, name: 'wasm size, brotli -q 11', value: kib(sz.brotli), unit: 'KiB', ok: null, target: '' });

if (!fs.existsSync(CHROMIUM)) {
  log(`section 4: first command SKIPPED — ${CHROMIUM} is missing (scripts/bench installs chromium when root)`);
  record({ section: SECTION, name: 'chromium not installed: first command not measured', value: null, ok: null });
  process.exit(0);
}

// Runs in the page before its own scripts.
function probe() {
  const mark = (k) => { window.__bench[k] = performance.now(); };
  window.__bench = {};
  const watch = new MutationObserver(() => {
    const input = document.getElementById('input');
    const form = document.getElementById('input-form');
    if (!input || !form || input.disabled || window.__bench.enabled) return;
    mark('enabled');
    watch.disconnect();
    const out = document.getElementById('output');
    const seen = new MutationObserver(() => {
      const results = out.querySelectorAll('.entry .result');
      if ([...results].some((r) => r.textContent === 'PONG')) {
        mark('answered');
        seen.disconnect();
        requestAnimationFrame(() => mark('frame'));
      }
    });
    seen.observe(out, { childList: true, subtree: true, characterData: true });
    input.value = 'PING';
    form.requestSubmit();
  });
  watch.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
}

// $BENCH_WWW: another copy of the page to measure (A/B of a change to www/).
const { server, url } = await startServer({ root: process.env.BENCH_WWW ?? path.join(ROOT, 'www'), port: 0 });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--disable-quic'],
});

/** One cold load; returns { enabled, answered, frame, dcl, wasmEnd, bytes } in ms since navigation start. */
async function load({ network = null, reuse = null } = {}) {
  const context = reuse ?? await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(probe);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (network) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench && window.__bench.frame, null, { timeout: 60_000, polling: 50 });
  const r = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const wasm = res.find((e) => e.name.endsWith('.wasm'));
    const firstBytes = res.filter((e) => e.responseEnd <= window.__bench.answered)
      .reduce((a, e) => a + (e.transferSize || e.encodedBodySize || 0), nav.transferSize || nav.encodedBodySize || 0);
    return { ...window.__bench, dcl: nav.domContentLoadedEventEnd, wasmEnd: wasm?.responseEnd, bytes: firstBytes };
  });
  if (errors.length) log(`  page errors: ${errors.join('; ')}`);
  await page.close();
  if (!reuse) await context.close();
  return r;
}

try {
  log(`section 4: first command in headless Chromium (${RUNS} cold loads, localhost)`);
  await load(); // the browser's own first-start work, not counted
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await load());
  const m = (k) => median(runs.map((r) => r[k]));
  const answered = m('answered');
  record({
    section: SECTION, name: 'navigation → first command answered (PONG in the console), localhost', value: answered, unit: 'ms',
    target: '< 300 ms', ok: answered < 300,
    note: `median of ${RUNS}; min ${Math.min(...runs.map((r) => r.answered)).toFixed(0)}, max ${Math.max(...runs.map((r) => r.answered)).toFixed(0)}; ` +
      `DOMContentLoaded ${m('dcl').toFixed(0)}, wasm fetched ${m('wasmEnd').toFixed(0)}, input enabled ${m('enabled').toFixed(0)}, next frame ${m('frame').toFixed(0)} ms; ` +
      `${(m('bytes') / 1024).toFixed(0)} KiB fetched before it (uncompressed: the static server does not gzip)`,
  });
  // Second visit: the same context (HTTP cache warm).
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await load({ reuse: ctx });
  const warm = [];
  for (let i = 0; i < 3; i++) warm.push(await load({ reuse: ctx }));
  await ctx.close();
  record({
    section: SECTION, name: 'same, second visit (HTTP cache warm)', value: median(warm.map((r) => r.answered)), unit: 'ms', ok: null, target: '',
  });
  // A workshop's wifi, simulated (uncompressed transfer, as the static server sends it).
  const wifi = { offline: false, latency: 40, downloadThroughput: (10e6 / 8), uploadThroughput: (5e6 / 8) };
  const slow = [];
  for (let i = 0; i < 3; i++) slow.push(await load({ network: wifi }));
  record({
    section: SECTION, name: 'same, simulated wifi 10 Mbit/s, 40 ms RTT (uncompressed)', value: median(slow.map((r) => r.answered)), unit: 'ms',
    ok: null, target: '', note: `median of 3; wasm fetched at ${median(slow.map((r) => r.wasmEnd)).toFixed(0)} ms`,
  });
} finally {
  await browser.close();
  await new Promise((resolve) => server.close(resolve));
}
