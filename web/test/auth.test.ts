import type { User } from 'oidc-client-ts';
import { describe, expect, it } from 'vitest';
import { Auth, displayName, type OidcManager } from '../src/auth/auth';
import { SignInRequiredError } from '../src/uploader/errors';
import { ticks } from './support/fakes';

interface FakeUser {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  expired: boolean;
  profile: Record<string, unknown> & { sub: string };
}

/** The UserManager calls the page makes, recorded; users are plain objects shaped like oidc-client-ts's User. */
class FakeManager {
  user: FakeUser | null = null;
  calls: string[] = [];
  endSession: string | undefined;
  renewed: FakeUser | null | Error = null;

  readonly metadataService = { getEndSessionEndpoint: async () => this.endSession };

  async getUser(): Promise<User | null> {
    return this.user as unknown as User | null;
  }
  async removeUser(): Promise<void> {
    this.calls.push('removeUser');
    this.user = null;
  }
  async signinSilent(): Promise<User | null> {
    this.calls.push('signinSilent');
    await ticks(3);
    if (this.renewed instanceof Error) throw this.renewed;
    this.user = this.renewed;
    return this.renewed as unknown as User | null;
  }
  async signoutRedirect(): Promise<void> {
    this.calls.push('signoutRedirect');
  }
  async signinRedirect(): Promise<void> {
    this.calls.push('signinRedirect');
  }
}

function auth(manager: FakeManager, signOutUrl?: string) {
  const assigned: string[] = [];
  const location = { href: 'https://d123.cloudfront.net/?code=x&state=y', assign: (url: string | URL) => assigned.push(String(url)) };
  const subject = new Auth(
    { authority: 'https://idp.example', clientId: 'c', scope: 'openid', signOutUrl },
    location,
    manager as unknown as OidcManager,
  );
  return { subject, assigned };
}

const fresh = (token: string, extra: Partial<FakeUser> = {}): FakeUser => ({
  access_token: token,
  refresh_token: 'refresh',
  expires_in: 3000,
  expired: false,
  profile: { sub: 'user-1', name: 'Maria Silva' },
  ...extra,
});

describe('access tokens', () => {
  it('hands out the current token while it has more than a minute left', async () => {
    const manager = new FakeManager();
    manager.user = fresh('t1');
    expect(await auth(manager).subject.accessToken({ renew: false })).toBe('t1');
    expect(manager.calls).toEqual([]);
  });

  it('renews with the refresh token when the token is about to expire, once for concurrent callers', async () => {
    const manager = new FakeManager();
    manager.user = fresh('t1', { expires_in: 30 });
    manager.renewed = fresh('t2');
    const { subject } = auth(manager);
    const tokens = await Promise.all([subject.accessToken({ renew: false }), subject.accessToken({ renew: false })]);
    expect(tokens).toEqual(['t2', 't2']);
    expect(manager.calls).toEqual(['signinSilent']);
  });

  it('renews when asked to (the API said 401)', async () => {
    const manager = new FakeManager();
    manager.user = fresh('t1');
    manager.renewed = fresh('t2');
    expect(await auth(manager).subject.accessToken({ renew: true })).toBe('t2');
  });

  it('asks for an interactive sign-in when there is no refresh token, no session, or renewal fails', async () => {
    const noRefresh = new FakeManager();
    noRefresh.user = fresh('t1', { expired: true, refresh_token: undefined });
    await expect(auth(noRefresh).subject.accessToken({ renew: false })).rejects.toBeInstanceOf(SignInRequiredError);

    await expect(auth(new FakeManager()).subject.accessToken({ renew: false })).rejects.toBeInstanceOf(SignInRequiredError);

    const refused = new FakeManager();
    refused.user = fresh('t1', { expired: true });
    refused.renewed = new Error('invalid_grant');
    await expect(auth(refused).subject.accessToken({ renew: false })).rejects.toBeInstanceOf(SignInRequiredError);
  });
});

describe('signing out', () => {
  it('goes to the configured sign-out URL (Cognito /logout) after forgetting the local session', async () => {
    const manager = new FakeManager();
    manager.user = fresh('t1');
    const { subject, assigned } = auth(manager, 'https://x.auth.eu-west-1.amazoncognito.com/logout?client_id=c');
    expect(await subject.signOut()).toBe('navigating');
    expect(manager.calls).toEqual(['removeUser']);
    expect(assigned).toEqual(['https://x.auth.eu-west-1.amazoncognito.com/logout?client_id=c']);
  });

  it("uses the provider's end_session_endpoint when there is no sign-out URL", async () => {
    const manager = new FakeManager();
    manager.endSession = 'https://idp.example/logout';
    expect(await auth(manager).subject.signOut()).toBe('navigating');
    expect(manager.calls).toEqual(['signoutRedirect']);
  });

  it('only clears the local session when the provider has no way to end it', async () => {
    const manager = new FakeManager();
    manager.user = fresh('t1');
    expect(await auth(manager).subject.signOut()).toBe('local');
    expect(manager.calls).toEqual(['removeUser']);
  });
});

describe('the name shown', () => {
  it('prefers the name claim, then given and family names, then username, email, sub', () => {
    expect(displayName({ profile: { sub: 's', name: 'Maria Silva' } } as unknown as User)).toBe('Maria Silva');
    expect(displayName({ profile: { sub: 's', given_name: 'Maria', family_name: 'Silva' } } as unknown as User)).toBe('Maria Silva');
    expect(displayName({ profile: { sub: 's', email: 'maria@example.com' } } as unknown as User)).toBe('maria@example.com');
    expect(displayName({ profile: { sub: 's', 'cognito:username': 'msilva' } } as unknown as User)).toBe('msilva');
    expect(displayName({ profile: { sub: 'abc-123' } } as unknown as User)).toBe('abc-123');
  });

  it('uses the page address without query as the redirect URI', () => {
    const manager = new FakeManager();
    const { subject } = auth(manager);
    expect(subject.redirectUri).toBe('https://d123.cloudfront.net/');
  });
});
