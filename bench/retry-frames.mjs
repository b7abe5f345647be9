#!/usr/bin/env node
// Frame times of the retry simulation page: a benchmark, not a test.
//
//   node bench/retry-frames.mjs [--ops 1000] [--speed 600] [--seconds 10] [--preset seed]
//                               [--capacity 100] [--breaker on|off] [--panels all|top]
//
// Serves www/ (scripts/static-server.mjs), opens the page in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core), scrolls to the simulation, starts it from
// its controls with N operations at the given world-clock speed, and records every
// requestAnimationFrame timestamp (and long tasks) for a while. Prints p50/p95/max frame
// time and fps, plus where the time goes inside the page's frames (simulation vs drawing).
// The target is 60 fps: p95 ≤ ~17 ms. The machine's other work makes numbers noisy; rerun.
// With `--panels all` (the default) the viewport is as tall as the page, so every panel —
// chart (showing load against the capacity), timeline, numbers, the layer build-up with all
// its rows, experiments, keys, log — is visible and drawn; a circuit breaker is on. Also
// printed: the model's commands per second of wall time while measured, and how long the
// layer build-up (engine.simLayers) of this config takes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/static-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
};
const OPS = Number(arg('ops', 1000));
const SPEED = Number(arg('speed', 600));
const SECONDS = Number(arg('seconds', 10));
const PRESET = arg('preset', 'seed');
const CAPACITY = Number(arg('capacity', 100));
const PANELS = arg('panels', 'all');
const BREAKER = arg('breaker', 'on') !== 'off';

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (x) => `${x.toFixed(1)} ms`;

const { server, url } = await startServer({ root: path.join(ROOT, 'www'), port: 0 });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
  await page.waitForSelector('#retry .rs-start');

  // Set up as a learner would: a preset, the number of operations, the speed, Start.
  await page.click(`#retry .rs-preset[data-preset="${PRESET}"]`);
  await page.fill('#retry input[name="operations"]', String(OPS));
  await page.fill('#retry input[name="capacity"]', String(CAPACITY));
  await page.setChecked('#retry input[name="breaker"]', BREAKER);
  await page.selectOption('#retry .rs-chart select', 'peakCallsPerS');
  const layersMs = await page.evaluate(() => {
    const t = performance.now();
    document.querySelector('#retry .rs-layer-all').click();
    return performance.now() - t;
  });
  await page.click(`#clock .clock-speed[data-speed="${SPEED}"]`).catch(() => page.evaluate((s) => window.redisPlayground.clock.setSpeed(s), SPEED));
  await page.click('#retry .rs-start');
  if (PANELS === 'all') {
    // Every panel in view at once.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1400, height: Math.min(16_000, height) });
  } else {
    // The chart and the timeline in view (the busiest part of the page).
    await page.evaluate(() => document.querySelector('#retry .rs-view-tools').scrollIntoView({ block: 'start' }));
  }
  await page.waitForTimeout(1000);

  const result = await page.evaluate(async (seconds) => {
    const frames = [];
    const longTasks = [];
    let po = null;
    try {
      po = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
      po.observe({ type: 'longtask', buffered: false });
    } catch { /* not supported */ }
    // Time spent inside the page's own simulation calls vs the rest of its frame.
    const engine = window.redisPlayground.engine;
    const proto = Object.getPrototypeOf(engine);
    const original = proto.simAdvance;
    let simMs = 0;
    let simMax = 0;
    let calls = 0;
    proto.simAdvance = function (...a) {
      const t = performance.now();
      try { return original.apply(this, a); } finally {
        const d = performance.now() - t;
        simMs += d;
        simMax = Math.max(simMax, d);
        calls++;
      }
    };
    // The page's own work per frame: every requestAnimationFrame callback, timed.
    const nativeRaf = window.requestAnimationFrame;
    const busy = new Map(); // frame timestamp → ms spent in callbacks
    window.requestAnimationFrame = (fn) => nativeRaf.call(window, (t) => {
      const a = performance.now();
      try { fn(t); } finally { busy.set(t, (busy.get(t) ?? 0) + performance.now() - a); }
    });
    // Let the page's loops pick up the wrapper.
    await new Promise((r) => setTimeout(r, 100));
    // Commands sent (idle TTLs that are only counted are left out).
    const commands = () => engine.simState().metrics.reduce((n, m) => n + m.commands - m.idlePollsCounted, 0);
    const commandsBefore = commands();
    const start = performance.now();
    await new Promise((resolve) => {
      const tick = (t) => {
        frames.push(t);
        if (t - start < seconds * 1000) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    proto.simAdvance = original;
    window.requestAnimationFrame = nativeRaf;
    po?.disconnect();
    const state = engine.simState();
    const wallS = (performance.now() - start) / 1000;
    return {
      commandsPerS: (commands() - commandsBefore) / wallS,
      frames, longTasks, simMs, simMax, calls, busy: [...busy.values()],
      simNow: state.nowMs - state.startMs,
      retries: state.metrics.map((m) => `${m.strategy} ${m.retries}`).join(', '),
      idle: state.config.countOnlyIdlePolls,
    };
  }, SECONDS);

  const deltas = [];
  for (let i = 1; i < result.frames.length; i++) deltas.push(result.frames[i] - result.frames[i - 1]);
  const sorted = [...deltas].sort((a, b) => a - b);
  const total = result.frames[result.frames.length - 1] - result.frames[0];
  console.log(`retry simulation, ${OPS} operations at ${SPEED}× (preset ${PRESET}, idle TTLs ${result.idle ? 'counted' : 'sent'}), ${SECONDS} s measured`);
  console.log(`frames: ${deltas.length}  fps: ${(deltas.length / (total / 1000)).toFixed(1)}`);
  console.log(`frame time: p50 ${ms(pct(sorted, 50))}  p95 ${ms(pct(sorted, 95))}  p99 ${ms(pct(sorted, 99))}  max ${ms(sorted[sorted.length - 1])}`);
  console.log(`frames over 17 ms: ${deltas.filter((d) => d > 17).length}  over 33 ms: ${deltas.filter((d) => d > 33).length}`);
  console.log(`long tasks (>50 ms): ${result.longTasks.length}${result.longTasks.length ? `, longest ${ms(Math.max(...result.longTasks))}` : ''}`);
  const busy = [...result.busy].sort((a, b) => a - b);
  console.log(`page JS per frame (rAF callbacks): p50 ${ms(pct(busy, 50))}  p95 ${ms(pct(busy, 95))}  max ${ms(busy[busy.length - 1])}`);
  console.log(`simAdvance: ${ms(result.simMs / Math.max(1, deltas.length))} per frame (${result.calls} calls, longest ${ms(result.simMax)})`);
  console.log(`world time simulated: ${(result.simNow / 60000).toFixed(1)} min; retries: ${result.retries}`);
  console.log(`model: ${Math.round(result.commandsPerS).toLocaleString('en-US')} Redis commands sent per second of wall time (all strategies)`);
  console.log(`panels: ${PANELS}; capacity ${CAPACITY ? `${CAPACITY}/s` : 'unlimited'}${BREAKER ? ' with a circuit breaker' : ''}; layer build-up (7 runs of ${OPS} operations): ${ms(layersMs)}`);
  if (errors.length) console.log(`page errors: ${errors.join('\n')}`);
} finally {
  await browser.close();
  server.close();
}
