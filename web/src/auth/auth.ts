import { UserManager, type User } from 'oidc-client-ts';
import type { AuthConfig } from '../config';
import { SignInRequiredError } from '../uploader/errors';

/** Who is signed in, as the page shows it. */
export interface SignedInUser {
  /** The token's subject: stable, used to keep each user's saved uploads apart. */
  readonly subject: string;
  readonly displayName: string;
}

export type CallbackOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'signed-in' }
  /** This window is a sign-in popup; it has handed the result to the page that opened it. */
  | { readonly kind: 'popup' }
  | { readonly kind: 'error'; readonly message: string };

/** The part of oidc-client-ts's UserManager the page uses; tests pass a fake. */
export type OidcManager = Pick<
  UserManager,
  'getUser' | 'removeUser' | 'signinRedirect' | 'signinPopup' | 'signinSilent' | 'signinCallback' | 'signoutRedirect' | 'metadataService'
>;

/** Renew the access token when it has less than this left, so a request never carries a dying token. */
const RENEW_MARGIN_SECONDS = 60;

/**
 * Sign-in with OpenID Connect, authorization code + PKCE (oidc-client-ts). Tokens live in
 * sessionStorage (oidc-client-ts's default); access tokens are renewed with the refresh token.
 */
export class Auth {
  private readonly manager: OidcManager;
  /** Where the provider sends the browser back: the page's own address, as the deployment registers it. */
  readonly redirectUri: string;
  private renewal: Promise<User> | undefined;

  constructor(
    private readonly config: AuthConfig,
    private readonly location: Pick<Location, 'href' | 'assign'>,
    manager?: OidcManager,
  ) {
    this.redirectUri = new URL('./', location.href).href;
    this.manager = manager ?? new UserManager({
      authority: config.authority,
      client_id: config.clientId,
      scope: config.scope,
      response_type: 'code',
      redirect_uri: this.redirectUri,
      popup_redirect_uri: this.redirectUri,
      post_logout_redirect_uri: this.redirectUri,
      automaticSilentRenew: false,
      monitorSession: false,
      loadUserInfo: false,
    });
  }

  /** Finishes a sign-in when the provider sent the browser back here, and cleans code and state from the URL. */
  async handleCallback(): Promise<CallbackOutcome> {
    const params = new URL(this.location.href).searchParams;
    if (!params.has('state') || (!params.has('code') && !params.has('error'))) return { kind: 'none' };
    try {
      const user = await this.manager.signinCallback(this.location.href);
      return user ? { kind: 'signed-in' } : { kind: 'popup' };
    } catch (error) {
      const description = params.get('error_description') ?? params.get('error');
      return { kind: 'error', message: description ?? (error instanceof Error ? error.message : String(error)) };
    } finally {
      history.replaceState(history.state, '', new URL(this.redirectUri).pathname);
    }
  }

  /** The signed-in user, or undefined (also when the session can no longer be renewed). */
  async currentUser(): Promise<SignedInUser | undefined> {
    const user = await this.manager.getUser();
    if (!user || (user.expired && !user.refresh_token)) return undefined;
    return { subject: user.profile.sub, displayName: displayName(user) };
  }

  /** Full-page sign-in: the page reloads afterwards. */
  signInRedirect(): Promise<void> {
    return this.manager.signinRedirect();
  }

  /** Sign-in in a popup, so uploads in this page keep their place. Call straight from the click handler. */
  async signInPopup(): Promise<SignedInUser> {
    const user = await this.manager.signinPopup();
    return { subject: user.profile.sub, displayName: displayName(user) };
  }

  /**
   * Ends the session: the configured sign-out URL (Cognito's /logout), else the provider's
   * end_session_endpoint, else only the local session.
   */
  async signOut(): Promise<'navigating' | 'local'> {
    if (this.config.signOutUrl) {
      await this.manager.removeUser();
      this.location.assign(this.config.signOutUrl);
      return 'navigating';
    }
    const endSession = await this.manager.metadataService.getEndSessionEndpoint().catch(() => undefined);
    if (endSession) {
      await this.manager.signoutRedirect();
      return 'navigating';
    }
    await this.manager.removeUser();
    return 'local';
  }

  /**
   * An access token for the API; `renew` forces a new one. Throws SignInRequiredError when only an
   * interactive sign-in can help (no session, or a refresh token that no longer works).
   */
  async accessToken({ renew }: { renew: boolean }): Promise<string> {
    const user = await this.manager.getUser();
    if (!user) throw new SignInRequiredError('You are not signed in.');
    const expiresIn = user.expires_in ?? 0;
    if (!renew && !user.expired && expiresIn > RENEW_MARGIN_SECONDS) return user.access_token;
    return (await this.renew(user)).access_token;
  }

  private renew(user: User): Promise<User> {
    if (!user.refresh_token) return Promise.reject(new SignInRequiredError('Your session expired.'));
    this.renewal ??= this.manager
      .signinSilent()
      .then((renewed) => {
        if (!renewed) throw new SignInRequiredError('Your session expired.');
        return renewed;
      })
      .catch((error: unknown) => {
        if (error instanceof SignInRequiredError) throw error;
        throw new SignInRequiredError('Your session could not be renewed.', { cause: error });
      })
      .finally(() => {
        this.renewal = undefined;
      });
    return this.renewal;
  }
}

/** A name to greet the user with, from the ID token's claims. */
export function displayName(user: Pick<User, 'profile'>): string {
  const p = user.profile;
  const full = [p.given_name, p.family_name].filter(Boolean).join(' ');
  const candidates = [p.name, full, p.preferred_username, p.email, p['cognito:username'], p.sub];
  return candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '') ?? 'Signed in';
}
