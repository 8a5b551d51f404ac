// bin/local, as a newcomer runs it: it comes up on the ports asked for, serves the page with a
// config.json pointing at the local endpoints, stops everything on Ctrl-C (SIGINT to its process
// group), and a second run on the same ports works.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../local/lib/stack.mjs';
import { repoRoot } from '../lib/harness.mjs';

function canBind(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function runOnce(t, ports) {
  const args = ['--web-port', ports.web, '--oidc-port', ports.oidc, '--api-port', ports.api, '--moto-port', ports.moto].map(String);
  // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
  const child = spawn(join(repoRoot, 'bin', 'local'), args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } });

  const until = Date.now() + 10 * 60_000;
  while (!/local mode is up/.test(output)) {
    assert.ok(Date.now() < until, `bin/local did not come up:\n${output}`);
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 200))]);
    assert.equal(early, null, `bin/local exited before it was up:\n${output}`);
  }
  const pageUrl = `http://127.0.0.1:${ports.web}/`;
  assert.match(output, new RegExp(`page +${pageUrl}`));
  assert.match(output, /sign in as +alice \/ alice-local-password/);
  const page = await fetch(pageUrl);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy'), new RegExp(`connect-src 'self' http://127.0.0.1:${ports.api} http://127.0.0.1:${ports.moto} http://127.0.0.1:${ports.oidc}`));
  const config = await (await fetch(`${pageUrl}config.json`)).json();
  assert.equal(config.apiUrl, `http://127.0.0.1:${ports.api}`);
  assert.equal(config.auth.authority, `http://127.0.0.1:${ports.oidc}`);
  assert.deepEqual(config.s3, { endpoint: `http://127.0.0.1:${ports.moto}`, forcePathStyle: true });
  assert.equal((await fetch(`http://127.0.0.1:${ports.oidc}/.well-known/openid-configuration`)).status, 200);

  process.kill(-child.pid, 'SIGINT');
  const { code } = await exited;
  assert.equal(code, 0, output);
  assert.match(output, /stopped\./);
  for (const [name, port] of Object.entries(ports)) assert.ok(await canBind(port), `the ${name} port ${port} is free again`);
}

test('bin/local starts, stops cleanly on Ctrl-C, and a second run on the same ports works', { timeout: 20 * 60_000 }, async (t) => {
  const picked = new Set();
  while (picked.size < 4) picked.add(await freePort());
  const [web, oidc, api, moto] = picked;
  const ports = { web, oidc, api, moto };
  await t.test('first run', (tt) => runOnce(tt, ports));
  await t.test('second run', (tt) => runOnce(tt, ports));
});
