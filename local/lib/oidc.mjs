// Local mode's identity provider: oidc-provider (a certified OpenID Provider) with demo users, standing
// in for the Cognito user pool. The page signs in through it with oidc-client-ts exactly as against
// Cognito: discovery, authorization code + PKCE (S256, required for this public client), a token
// endpoint with CORS for the page's origin, refresh tokens, and RS256-signed JWT access tokens whose
// signing keys are published as JWKS. The client (redirect and sign-out URLs, scopes, token lifetimes)
// is registered from the template's Cognito app client; its resource server scope (the API's) goes into
// access tokens' scope claim, as Cognito puts it there, and never into ID tokens.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

/** The demo users. Local only: these passwords exist nowhere else. */
export const DEMO_USERS = Object.freeze([
  { username: 'alice', password: 'alice-local-password', sub: '5f0c7a4e-3d1b-4c8e-9a62-2b7d1e4f9a01', name: 'Alice Example', email: 'alice@example.test' },
  { username: 'bob', password: 'bob-local-password', sub: '9b2e6d13-7c4a-4f05-8e3d-6a1c0b5f2e77', name: 'Bob Example', email: 'bob@example.test' },
]);

/** The resource indicator of the credentials API; access tokens for it are JWTs. */
export const API_RESOURCE = 'urn:multipart-upload-sts:credentials-api';

/**
 * Binds the provider's port on `host` (0 picks a free one) so the issuer URL is known before the client is
 * registered; `configure(client)` then installs the provider. Resolves to { issuer, configure, close }.
 */
export async function listenOidc({ host = '127.0.0.1', port = 0, users = DEMO_USERS } = {}) {
  let provider;
  const server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('the provider is starting');
      return;
    }
    if (req.url.startsWith('/interaction/')) {
      interaction(provider, users, req, res).catch((error) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`sign-in failed: ${error.message}`);
      });
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const issuer = `http://${host}:${server.address().port}`;
  return {
    issuer,
    configure(client) {
      provider = createProvider(issuer, client, users);
    },
    close: () => new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}

/**
 * @param client { clientId, redirectUris, postLogoutRedirectUris, scopes, accessTokenSeconds, idTokenSeconds,
 *   refreshTokenSeconds }, as local/lib/world.mjs read them from the Cognito app client in the template
 */
function createProvider(issuer, client, users) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
  const bySub = new Map(users.map((user) => [user.sub, user]));
  // Cognito names a resource server's scopes <identifier>/<scope> and writes them only into access tokens;
  // here they are the API resource's scopes, and the rest are OpenID Connect scopes.
  const apiScopes = client.scopes.filter((scope) => scope.includes('/'));

  const provider = new Provider(issuer, {
    clients: [{
      client_id: client.clientId,
      client_name: 'Upload page (local)',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris,
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: client.scopes.filter((scope) => !apiScopes.includes(scope)),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    // Cognito puts the profile claims into the ID token; the page reads its greeting from there.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: user.email, email_verified: true, name: user.name, preferred_username: user.username }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resourceIndicator) {
          if (resourceIndicator !== API_RESOURCE) throw new errors.InvalidTarget();
          // aud is the client id: the Api stack's JWT authorizer lists the app client id as its audience.
          return { scope: apiScopes.join(' '), audience: client.clientId, accessTokenTTL: client.accessTokenSeconds, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // Public client on a known origin: CORS for the token endpoint, as Cognito allows the page.
    clientBasedCORS: (_ctx, origin, oidcClient) => oidcClient.redirectUris.some((uri) => new URL(uri).origin === origin),
    // Like Cognito: a refresh token with every code exchange, without asking for offline_access.
    issueRefreshToken: async (_ctx, oidcClient) => oidcClient.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    ttl: {
      AccessToken: client.accessTokenSeconds,
      IdToken: client.idTokenSeconds,
      RefreshToken: client.refreshTokenSeconds,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: client.refreshTokenSeconds,
      Grant: client.refreshTokenSeconds,
    },
  });
  // oidc-provider logs through events; surface server errors, which would otherwise be silent.
  provider.on('server_error', (_ctx, error) => console.error(`oidc-provider: ${error.stack ?? error}`));
  return provider;
}

async function interaction(provider, users, req, res) {
  const url = new URL(req.url, 'http://local');
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    if (req.method === 'POST' && url.pathname.endsWith('/login')) {
      const form = new URLSearchParams(await readBody(req));
      const user = users.find((u) => u.username === form.get('username') && u.password === form.get('password'));
      if (!user) {
        sendLoginForm(res, details.uid, 'Wrong username or password.', 401);
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
      return;
    }
    sendLoginForm(res, details.uid);
    return;
  }
  // A first-party client: consent is implied, as with Cognito's hosted sign-in.
  const { prompt, params, session, grantId } = details;
  const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

function sendLoginForm(res, uid, error, status = 200) {
  const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in (local)</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>Sign in</h1>
<p>Local identity provider for multipart-upload-sts. Demo users are listed in local/README.md.</p>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label>Username <input name="username" autocomplete="username" required autofocus></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form>
</main>
</body>
</html>`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 64 * 1024) reject(new Error('the form is too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
