// The static server used by scripts/serve and the browser tests: MIME types, no way out of its root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { startServer, resolvePath, CSP, SECURITY_HEADERS } from '../../scripts/static-server.mjs';

let dir;
let root;
let server;
let url;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'static-server-'));
  root = path.join(dir, 'www');
  fs.mkdirSync(path.join(root, 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(root, 'app.js'), 'export {};');
  fs.writeFileSync(path.join(root, 'pkg', 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
  ({ server, url } = await startServer({ root, port: 0 }));
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request, so that paths like /../ reach the server unnormalized. */
function rawGet(p) {
  return new Promise((resolve, reject) => {
    const { port } = server.address();
    const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    sock.on('data', (c) => { data += c.toString('latin1'); });
    sock.on('close', () => resolve(data));
    sock.on('error', reject);
  });
}

test('it listens on 127.0.0.1 and serves index.html for /', async () => {
  assert.equal(server.address().address, '127.0.0.1');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
});

test('wasm is application/wasm and modules are JavaScript', async () => {
  const wasm = await fetch(new URL('pkg/m.wasm', url));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal((await wasm.arrayBuffer()).byteLength, 8);
  const js = await fetch(new URL('app.js', url));
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
});

test('missing files are 404 and other methods 405', async () => {
  assert.equal((await fetch(new URL('nope.js', url))).status, 404);
  assert.equal((await fetch(url, { method: 'POST', body: 'x' })).status, 405);
});

test('no request reaches a file outside the root', async () => {
  for (const p of ['/../secret.txt', '/pkg/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt',
    '/pkg/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/secret.txt%00.html']) {
    const res = await rawGet(p);
    assert.doesNotMatch(res, /do not serve/, p);
    assert.match(res, /^HTTP\/1\.1 (403|404|400)/, p);
  }
  assert.equal(resolvePath(root, '/../secret.txt'), path.join(root, 'secret.txt'));
  assert.equal(resolvePath(root, '/a%00b'), null);
});

test('every response carries the security headers, and the CSP says what index.html says', async () => {
  for (const p of ['', 'app.js', 'nope.js']) {
    const res = await fetch(new URL(p, url));
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      assert.equal(res.headers.get(name), value, `${name} on /${p}`);
    }
  }
  const html = fs.readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');
  const meta = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/);
  assert.ok(meta, 'index.html states its CSP in a <meta> tag');
  // frame-ancestors is ignored in a <meta> tag, so only the header carries it.
  assert.equal(CSP, `${meta[1]}; frame-ancestors 'none'`);
});

test('the README lists the same headers for other hosts', () => {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = readme.match(/<!-- headers:start -->\n```\n([\s\S]*?)```\n<!-- headers:end -->/);
  assert.ok(block, 'the README has the headers block');
  assert.equal(block[1], Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\n`).join(''));
});
