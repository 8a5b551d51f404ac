"""Access tokens for the credentials API, for the scripts in this folder (standard library only).

Where the token comes from, first match wins:
1. UPLOAD_API_TOKEN: an access token, as is.
2. --token-command / UPLOAD_API_TOKEN_COMMAND: a shell command that prints one (for a real deployment:
   whatever signs your test user in to Cognito, see e2e/README.md).
3. Local mode's demo sign-in: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_REDIRECT_URI, OIDC_USERNAME and
   OIDC_PASSWORD. Runs the same authorization code + PKCE flow as the page, filling in the local
   provider's sign-in form; it only works with local mode's provider (local/lib/oidc.mjs).
"""
import base64
import hashlib
import json
import os
import re
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar


class TokenError(Exception):
    """No token could be obtained; the message says why."""


def access_token(token_command=None, env=os.environ):
    if env.get('UPLOAD_API_TOKEN'):
        return env['UPLOAD_API_TOKEN'].strip()
    command = token_command or env.get('UPLOAD_API_TOKEN_COMMAND')
    if command:
        result = subprocess.run(command, shell=True, capture_output=True, text=True)
        if result.returncode != 0 or not result.stdout.strip():
            raise TokenError(f'the token command failed (exit {result.returncode}): {result.stderr.strip()[:500]}')
        return result.stdout.strip()
    needed = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_REDIRECT_URI', 'OIDC_USERNAME', 'OIDC_PASSWORD']
    if all(env.get(name) for name in needed):
        return sign_in_with_password(env['OIDC_ISSUER'], env['OIDC_CLIENT_ID'], env['OIDC_REDIRECT_URI'],
                                     env['OIDC_USERNAME'], env['OIDC_PASSWORD'])['access_token']
    raise TokenError('no access token: set UPLOAD_API_TOKEN, UPLOAD_API_TOKEN_COMMAND (or --token-command), '
                     'or, for local mode, ' + ', '.join(needed))


class _StopAtRedirectUri(urllib.request.HTTPRedirectHandler):
    """Follows the provider's redirects, but stops at the client's redirect URI and keeps its query."""

    def __init__(self, redirect_uri):
        self.redirect_uri = redirect_uri
        self.landed = None

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urljoin(req.full_url, newurl)
        if target.startswith(self.redirect_uri):
            self.landed = target
            return None
        return super().redirect_request(req, fp, code, msg, headers, target)


# What the page asks for with the default settings: the sign-in scopes and the API's scope, which every API route
# requires (an access token without it gets 403).
PAGE_SCOPES = 'openid email profile multipart-upload-sts/upload'


def sign_in_with_password(issuer, client_id, redirect_uri, username, password, scope=PAGE_SCOPES):
    """Authorization code + PKCE (S256) against local mode's provider; returns the token response."""
    discovery = _json(urllib.request.urlopen(issuer.rstrip('/') + '/.well-known/openid-configuration', timeout=10))
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b'=').decode()
    state = secrets.token_urlsafe(16)
    redirects = _StopAtRedirectUri(redirect_uri)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), redirects)
    query = urllib.parse.urlencode({'client_id': client_id, 'redirect_uri': redirect_uri, 'response_type': 'code',
                                    'scope': scope, 'state': state, 'code_challenge': challenge,
                                    'code_challenge_method': 'S256'})
    form_page = opener.open(f'{discovery["authorization_endpoint"]}?{query}', timeout=10)
    html = form_page.read().decode()
    action = re.search(r'<form method="post" action="([^"]+)"', html)
    if not action:
        raise TokenError(f'the provider did not show its sign-in form at {form_page.geturl()}')
    login = urllib.parse.urljoin(form_page.geturl(), action.group(1))
    try:
        opener.open(login, data=urllib.parse.urlencode({'username': username, 'password': password}).encode(), timeout=10)
    except urllib.error.HTTPError as e:
        if e.code == 401:
            raise TokenError(f'the provider refused the password of {username}') from None
        if not redirects.landed:
            raise TokenError(f'sign-in failed: HTTP {e.code} from {e.url}') from None
    if not redirects.landed:
        raise TokenError('the provider did not send the browser back to the redirect URI')
    params = urllib.parse.parse_qs(urllib.parse.urlparse(redirects.landed).query)
    if params.get('state') != [state] or 'code' not in params:
        raise TokenError(f'the provider answered without a code for this state: {params.get("error", ["?"])[0]}')
    body = urllib.parse.urlencode({'grant_type': 'authorization_code', 'code': params['code'][0],
                                   'redirect_uri': redirect_uri, 'client_id': client_id,
                                   'code_verifier': verifier}).encode()
    return _json(urllib.request.urlopen(urllib.request.Request(discovery['token_endpoint'], data=body), timeout=10))


def call_api(api_url, path, body, token):
    """POSTs JSON to the credentials API; returns (status, parsed answer)."""
    request = urllib.request.Request(api_url.rstrip('/') + path, data=json.dumps(body).encode(), method='POST',
                                     headers={'content-type': 'application/json', 'authorization': f'Bearer {token}'})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, _json(response)
    except urllib.error.HTTPError as e:
        text = e.read().decode(errors='replace')
        try:
            return e.code, json.loads(text)
        except json.JSONDecodeError:
            return e.code, {'message': text}


def _json(response):
    return json.loads(response.read().decode())
