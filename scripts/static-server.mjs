#!/usr/bin/env node
// A tiny zero-dependency static file server for www/, bound to 127.0.0.1.
//
//   node scripts/static-server.mjs [ROOT]      (ROOT defaults to www/ next to scripts/)
//
// Port: $PORT, or the first free port from 8080. Prints "Redis Playground: http://127.0.0.1:PORT/".
// Also importable: `const { server, url } = await startServer({ root, port })`.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_ROOT = path.resolve(HERE, '..', 'www');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The page's content security policy, as index.html's <meta> tag states it, plus what only a
 * header can say: no other site may frame the page (a frame could overlay the share dialog's
 * Run button). tests/node/static-server.test.mjs checks the two agree.
 */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

/** Sent with every response (a static host should send the same: see the README). */
export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': CSP,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});

function send(res, status, body, headers) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

/** Map a request URL to a file under root, or null when it would leave root. */
export function resolvePath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

function handler(root, security) {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, 'Method Not Allowed\n', { ...security, Allow: 'GET, HEAD' });
    }
    let file = resolvePath(root, req.url || '/');
    if (!file) return send(res, 403, 'Forbidden\n', security);
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        if (!req.url.split('?')[0].endsWith('/')) {
          return send(res, 301, '', { ...security, Location: req.url.split('?')[0] + '/' });
        }
        file = path.join(file, 'index.html');
        return fs.stat(file, (err2, st2) => serve(err2, st2));
      }
      serve(err, st);
    });
    function serve(err, st) {
      if (err || !st.isFile()) return send(res, 404, 'Not Found\n', security);
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, {
        ...security,
        'Content-Type': type,
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    }
  };
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    const onError = (e) => { server.off('listening', onListening); reject(e); };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/**
 * Start serving `root`. `port`: a number to use exactly (0 = any free port), or
 * undefined for the first free port from 8080. `securityHeaders: false` serves without
 * them, as a careless static host would (for the test that the page guards itself).
 */
export async function startServer({ root = DEFAULT_ROOT, port, securityHeaders = true } = {}) {
  root = path.resolve(root);
  const server = http.createServer(handler(root, securityHeaders ? SECURITY_HEADERS : {}));
  if (port !== undefined) {
    await listen(server, port);
  } else {
    for (let p = 8080; ; p++) {
      try {
        await listen(server, p);
        break;
      } catch (e) {
        if (e.code !== 'EADDRINUSE' || p >= 8180) throw e;
      }
    }
  }
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { server, url };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] || DEFAULT_ROOT);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`static-server: ${root}/index.html not found`);
    process.exit(1);
  }
  const envPort = process.env.PORT ? Number(process.env.PORT) : undefined;
  if (envPort !== undefined && !(Number.isInteger(envPort) && envPort >= 0 && envPort < 65536)) {
    console.error(`static-server: PORT must be a port number, got "${process.env.PORT}"`);
    process.exit(1);
  }
  const { url } = await startServer({ root, port: envPort });
  console.log(`Redis Playground: ${url}`);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
}
