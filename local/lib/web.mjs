// Local mode's stand-in for CloudFront and the Web stack: serves the built page (web/dist, never changed)
// and a config.json of its own, with the response headers of the Hosting stack's policies, chosen per file
// by the distribution's path patterns as CloudFront does (the CRC-32 worker's file gets its own CSP). The
// page CSP's connect-src names the local API, S3 and sign-in origins instead of the AWS endpoint families.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Binds `host:port` (0 picks a free port) and serves `distDir`. Until `configure()` is called,
 * /config.json answers 503. Resolves to { origin, configure(config, siteHeaders, connectOrigins), close },
 * where siteHeaders is world.mjs's `{ page, byPath: [{ pathPattern, headers }] }`.
 */
export async function listenWeb({ host = '127.0.0.1', port = 0, distDir }) {
  await stat(join(distDir, 'index.html')).catch(() => {
    throw new Error(`${distDir}/index.html is missing: build the page first (cd web && npm ci && npm run build)`);
  });
  let site;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://local').pathname);
    if (!site) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('local mode is starting');
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { ...site.headersFor(path), 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(site.config, null, 2));
      return;
    }
    const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(distDir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const cache = file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable';
      res.writeHead(200, { ...site.headersFor(path), 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    origin: `http://${host}:${server.address().port}`,
    configure(config, siteHeaders, connectOrigins) {
      const page = localHeaders(siteHeaders.page, connectOrigins);
      const byPath = siteHeaders.byPath.map(({ pathPattern, headers }) => ({ matches: pathPatternMatcher(pathPattern), headers: localHeaders(headers, connectOrigins) }));
      site = { config, headersFor: (path) => byPath.find((behavior) => behavior.matches(path))?.headers ?? page };
    },
    close: () => new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}

/**
 * A CloudFront cache behavior's path pattern as a test of a request path: `*` stands for any characters, `?`
 * for one, case-sensitive, with or without the leading slash, as CloudFront matches them.
 */
export function pathPatternMatcher(pathPattern) {
  const body = pathPattern.replace(/^\//, '').split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  const regex = new RegExp(`^/${body}$`);
  return (path) => regex.test(path);
}

/**
 * The Hosting stack's headers with the CSP's connect-src (where it has one) replaced by the local origins,
 * and without upgrade-insecure-requests (local mode is plain HTTP on 127.0.0.1).
 */
export function localHeaders(headers, connectOrigins) {
  const out = { ...headers };
  const csp = headers['content-security-policy'];
  if (csp) {
    out['content-security-policy'] = csp
      .split(';')
      .map((directive) => directive.trim())
      .filter((directive) => directive && directive !== 'upgrade-insecure-requests')
      .map((directive) => (directive.startsWith('connect-src ') ? `connect-src 'self' ${connectOrigins.join(' ')}` : directive))
      .join('; ');
  }
  return out;
}
