// Section 7: the page left open for hours. Headless Chromium with its clock faked
// (Playwright's page.clock: Date, performance.now and every timer), so two hours of a tab
// left open run in a few minutes: the world at 3600× (an hour of world time every second),
// the retry simulation started again whenever it finishes, 200 keys with TTLs written
// every minute and expiring by themselves, every pane drawing as it does for a person.
//
//   node bench/soak.mjs [HOURS]          (scripts/bench soak; HOURS defaults to 2: about 6 minutes)
//
// Sampled every 10 minutes of page time: the wasm module's linear memory (captured at
// instantiation; it grows and never shrinks, so "flat" is what matters), what the engine
// counts as held (memoryUsed) and the JS heap. The figures: linear memory after the first
// 10 minutes and at the end, and the engine's memory at the end against after 10 minutes.
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/static-server.mjs';
import { ROOT, record, log, now } from './lib.mjs';

const SECTION = '7. Hours at 3600×';
const CHROMIUM = '/usr/bin/chromium';
const HOURS = Number(process.argv[2] ?? 2);
const MINUTE = 60_000;

if (!fs.existsSync(CHROMIUM)) {
  log(`section 7: SKIPPED — ${CHROMIUM} is missing`);
  process.exit(0);
}

// Runs in the page before its scripts: keep the wasm instance's memory where we can read it.
function captureMemory() {
  const keep = (result) => {
    const instance = result.instance ?? result;
    if (instance?.exports?.memory) window.__wasmMemory = instance.exports.memory;
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) WebAssembly.instantiateStreaming = (...a) => streaming.apply(WebAssembly, a).then(keep);
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...a) => plain.apply(WebAssembly, a).then(keep);
}

const { server, url } = await startServer({ root: path.join(ROOT, 'www'), port: 0 });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--disable-quic'],
});

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(captureMemory);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.clock.install({ time: new Date('2026-12-07T09:00:00Z') });
  await page.goto(url);
  await page.waitForSelector('#input:not([disabled])', { timeout: 60_000 });
  await page.waitForFunction(() => window.redisPlayground?.retry, null, { timeout: 60_000 });
  await page.evaluate(() => {
    window.redisPlayground.engine.setSpeed(3600);
    window.redisPlayground.retry.start();
    window.redisPlayground.engine.setSpeed(3600);
  });

  const cdp = await context.newCDPSession(page);
  const sample = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const s = await page.evaluate(() => {
      const { engine } = window.redisPlayground;
      return {
        wasm: window.__wasmMemory?.buffer.byteLength ?? null,
        used: engine.memoryUsed(),
        keys: Array.from(engine.dbSizes()).reduce((a, b) => a + b, 0),
      };
    });
    return { ...s, heap: usedSize };
  };

  const samples = [];
  const started = now();
  let restarts = 0;
  let written = 0;
  for (let minute = 1; minute <= HOURS * 60; minute++) {
    restarts += await page.evaluate((base) => {
      const { engine, retry } = window.redisPlayground;
      const c = engine.console(0);
      // 200 keys whose TTLs (1 s to 5 days of world time: at 3600×, up to two minutes of the
      // page's) run out by themselves, so some are always there and some always expiring.
      for (let i = 0; i < 200; i++) c.exec(`SET soak:${base + i} ${'x'.repeat(64)} EX ${1 + ((base + i) * 7919) % 432_000}`);
      if (engine.simState()?.finished) {
        retry.reset();
        retry.start();
        engine.setSpeed(3600);
        return 1;
      }
      return 0;
    }, written);
    written += 200;
    await page.clock.runFor(MINUTE);
    if (minute % 10 === 0) {
      const s = await sample();
      samples.push({ minute, ...s });
      log(`  ${String(minute).padStart(4)} min: wasm ${(s.wasm / 1048576).toFixed(1)} MiB, engine ${(s.used / 1048576).toFixed(2)} MiB, ` +
        `${s.keys} keys, JS heap ${s.heap === null ? '—' : (s.heap / 1048576).toFixed(1)} MiB`);
    }
  }
  const took = (now() - started) / 1000;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const peak = Math.max(...samples.map((s) => s.wasm));
  const mib = (b) => b / 1048576;
  record({
    section: SECTION, name: `wasm linear memory, after 10 min → after ${HOURS} h`, value: `${mib(first.wasm).toFixed(1)} → ${mib(last.wasm).toFixed(1)}`,
    unit: 'MiB', target: 'flat (≤ +10%)', ok: last.wasm <= first.wasm * 1.1,
    note: `peak ${mib(peak).toFixed(1)} MiB; ${written.toLocaleString('en-US')} keys written with TTLs, ${last.keys} left; ` +
      `the simulation started ${restarts + 1} times; ${HOURS} h of page time in ${took.toFixed(0)} s (clock faked)`,
  });
  const peakUsed = Math.max(...samples.map((s) => s.used));
  record({
    section: SECTION, name: 'engine memory (memoryUsed), after 10 min → end', value: `${mib(first.used).toFixed(2)} → ${mib(last.used).toFixed(2)}`,
    unit: 'MiB', target: 'flat (≤ +25%)', ok: last.used <= first.used * 1.25,
    note: `peak ${mib(peakUsed).toFixed(2)} MiB; keys alive at the samples: ${Math.min(...samples.map((s) => s.keys))}–${Math.max(...samples.map((s) => s.keys))}`,
  });
  if (first.heap !== null) {
    record({
      section: SECTION, name: 'JS heap, after 10 min → end', value: `${mib(first.heap).toFixed(1)} → ${mib(last.heap).toFixed(1)}`,
      unit: 'MiB', ok: null, target: '',
    });
  }
  if (errors.length) log(`  page errors: ${errors.join('; ')}`);
  await context.close();
} finally {
  await browser.close();
  await new Promise((resolve) => server.close(resolve));
}
