// Shared by the browser scripts: web/dist served locally with the production CSP, Debian's Chromium,
// and Playwright routes standing in for config.json and a Cognito-like OIDC provider.
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const distDir = join(webDir, 'dist');
export const AUTHORITY = 'https://auth.example.test';
export const CLIENT_ID = 'demo-client';
export const USER = { sub: 'user-0001', name: 'Maria Silva', email: 'maria@example.com' };

/**
 * Serves web/dist on an ephemeral port of 127.0.0.1 with the production Content-Security-Policy,
 * connect-src limited to `connectOrigins`. Resolves to { origin, close }.
 */
export async function serveDist(connectOrigins) {
  await stat(join(distDir, 'index.html')).catch(() => {
    throw new Error('web/dist/index.html is missing: run `npm run build` first');
  });
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connectOrigins.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(distDir + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/** Debian's Chromium with a fresh profile; `close()` also removes the profile. */
export async function launchChromium(viewport = { width: 1200, height: 900 }) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'upload-page-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    viewport,
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Collects console errors, CSP violations and uncaught page errors into `problems`. */
export function watchPage(page, problems) {
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

export async function routeConfig(page, origin, config) {
  await page.route(`${origin}/config.json`, (route) => route.fulfill({ json: config, headers: { 'cache-control': 'no-store' } }));
}

/**
 * A Cognito-like OIDC provider (no end_session_endpoint): discovery, an authorize endpoint that signs
 * USER in at once, and a token endpoint that insists on PKCE.
 */
export async function routeOidc(page, origin, problems) {
  const cors = { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'GET, POST' };
  await page.route(`${AUTHORITY}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    if (url.pathname === '/.well-known/openid-configuration') {
      return route.fulfill({
        headers: cors,
        json: {
          issuer: AUTHORITY,
          authorization_endpoint: `${AUTHORITY}/oauth2/authorize`,
          token_endpoint: `${AUTHORITY}/oauth2/token`,
          jwks_uri: `${AUTHORITY}/.well-known/jwks.json`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        },
      });
    }
    if (url.pathname === '/oauth2/authorize') {
      if (url.searchParams.get('code_challenge_method') !== 'S256') problems.push('sign-in did not use PKCE S256');
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', 'demo-code');
      back.searchParams.set('state', url.searchParams.get('state'));
      return route.fulfill({ status: 302, headers: { location: back.href } });
    }
    if (url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(request.postData() ?? '');
      if (!form.get('code_verifier')) problems.push('the token request carried no PKCE code_verifier');
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: AUTHORITY, aud: CLIENT_ID, ...USER, iat: now, exp: now + 3600 };
      const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return route.fulfill({
        headers: cors,
        json: {
          id_token: `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`,
          access_token: 'demo-access-token',
          refresh_token: 'demo-refresh-token',
          token_type: 'Bearer',
          expires_in: 3600,
        },
      });
    }
    return route.fulfill({ status: 404, headers: cors });
  });
}

/** The same part size rule as the server: max(8 MiB, ceil(size / 10,000) rounded up to a MiB). */
export function partSizeFor(size) {
  const MiB = 1024 * 1024;
  return Math.max(8 * MiB, Math.ceil(Math.ceil(size / 10000) / MiB) * MiB);
}
