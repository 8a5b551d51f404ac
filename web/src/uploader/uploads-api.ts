import { ApiError, isAbortError, NetworkError, UploadError } from './errors';
import type { UploadGrant } from './types';

/** The credentials API the engine calls. */
export interface UploadsApi {
  /** POST /uploads: a new key for this file, with credentials for it. */
  start(request: StartUploadRequest, signal: AbortSignal): Promise<UploadGrant>;
  /** POST /uploads/refresh: new credentials for a key this user already has. */
  refresh(key: string, signal: AbortSignal): Promise<UploadGrant>;
  /** POST /uploads/abort: the ledger marks this user's grant for `key` aborted and frees its quota slot. */
  abort(key: string, signal: AbortSignal): Promise<void>;
  /** GET /uploads: one page of this user's uploads, newest first. */
  list(page: { cursor?: string; limit?: number }, signal: AbortSignal): Promise<LedgerPage>;
}

/** An upload as the ledger knows it. */
export type LedgerState = 'granted' | 'completed' | 'rejected' | 'aborted' | 'expired';

export interface LedgerEntry {
  readonly key: string;
  readonly fileName: string;
  readonly state: LedgerState;
  /** The size the page declared at start; `actualSize` is what the verifier found. */
  readonly declaredSize?: number;
  readonly actualSize?: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** Why a rejected, aborted or expired upload ended (e.g. `user_aborted`). */
  readonly reason?: string;
}

export interface LedgerPage {
  readonly uploads: readonly LedgerEntry[];
  /** Absent on the last page. */
  readonly cursor?: string;
}

export interface StartUploadRequest {
  readonly fileName: string;
  readonly size: number;
  readonly contentType?: string;
}

export interface HttpUploadsApiOptions {
  /** The API's base URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com */
  readonly apiUrl: string;
  /**
   * The user's access token. With `renew`, a fresh one (the API said 401). Throws SignInRequiredError
   * when only an interactive sign-in can help.
   */
  readonly accessToken: (options: { renew: boolean }) => Promise<string>;
  readonly fetch?: typeof fetch;
}

/** The upload API over fetch, with `Authorization: Bearer <access token>` and JSON bodies. */
export class HttpUploadsApi implements UploadsApi {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpUploadsApiOptions) {
    this.baseUrl = options.apiUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  start(request: StartUploadRequest, signal: AbortSignal): Promise<UploadGrant> {
    return this.post('/uploads', request, signal);
  }

  refresh(key: string, signal: AbortSignal): Promise<UploadGrant> {
    return this.post('/uploads/refresh', { key }, signal);
  }

  async abort(key: string, signal: AbortSignal): Promise<void> {
    await this.call('POST', '/uploads/abort', { key }, signal);
  }

  async list(page: { cursor?: string; limit?: number }, signal: AbortSignal): Promise<LedgerPage> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.cursor !== undefined) query.set('cursor', page.cursor);
    const search = query.toString();
    const path = search === '' ? '/uploads' : `/uploads?${search}`;
    return parseLedgerPage(await this.call('GET', path, undefined, signal));
  }

  private async post(path: string, body: unknown, signal: AbortSignal): Promise<UploadGrant> {
    return parseGrant(await this.call('POST', path, body, signal), path);
  }

  /** One call; the 200 answer's text, or the API's error. */
  private async call(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal): Promise<string> {
    let response = await this.send(method, path, body, signal, false);
    if (response.status === 401) {
      // The access token may have expired a moment ago: renew it once before telling the user.
      response = await this.send(method, path, body, signal, true);
    }
    const text = await readText(response, signal);
    if (!response.ok) throw apiErrorFrom(response, text);
    return text;
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal, renew: boolean): Promise<Response> {
    const token = await this.options.accessToken({ renew });
    try {
      return await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers:
          method === 'POST' ? { authorization: `Bearer ${token}`, 'content-type': 'application/json' } : { authorization: `Bearer ${token}` },
        ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
        signal,
        cache: 'no-store',
      });
    } catch (error) {
      if (isAbortError(error) || signal.aborted) throw error;
      throw new NetworkError('API', `${method} ${path} got no answer`, { cause: error });
    }
  }
}

/**
 * Refuses grants for another bucket or region than the page is configured for: the page's
 * Content-Security-Policy would block those requests anyway, with a far less helpful message.
 */
export function expectTarget(api: UploadsApi, expected: { bucket: string; region: string }): UploadsApi {
  const check = (grant: UploadGrant): UploadGrant => {
    if (grant.bucket !== expected.bucket || grant.region !== expected.region) {
      throw new UploadError(
        'server',
        `The upload API granted bucket ${grant.bucket} in ${grant.region}, but this page is configured for ` +
          `${expected.bucket} in ${expected.region} (config.json).`,
      );
    }
    return grant;
  };
  return {
    start: async (request, signal) => check(await api.start(request, signal)),
    refresh: async (key, signal) => check(await api.refresh(key, signal)),
    abort: (key, signal) => api.abort(key, signal),
    list: (page, signal) => api.list(page, signal),
  };
}

async function readText(response: Response, signal: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (isAbortError(error) || signal.aborted) throw error;
    throw new NetworkError('API', 'The answer of the upload API was cut off', { cause: error });
  }
}

function apiErrorFrom(response: Response, text: string): ApiError {
  let code = `http_${response.status}`;
  let message = '';
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) {
      if (typeof parsed.error === 'string') code = parsed.error;
      if (typeof parsed.message === 'string') message = parsed.message;
    }
  } catch {
    // Not JSON (a gateway's own error page): keep the status alone.
  }
  return new ApiError(response.status, code, message, parseRetryAfter(response.headers.get('retry-after')));
}

/** Retry-After as delta-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Validates the 200 answer's shape; a malformed answer fails the upload with a clear reason, not later. */
export function parseGrant(text: string, path: string): UploadGrant {
  const fail = (field: string): never => {
    throw new UploadError('server', `The upload API's answer to POST ${path} has no valid "${field}".`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('JSON body');
  }
  if (!isRecord(value)) return fail('JSON object');
  const { bucket, region, key, partSize, credentials } = value;
  if (typeof bucket !== 'string' || bucket === '') return fail('bucket');
  if (typeof region !== 'string' || region === '') return fail('region');
  if (typeof key !== 'string' || key === '') return fail('key');
  if (partSize !== undefined && partSize !== null && typeof partSize !== 'number') return fail('partSize');
  if (!isRecord(credentials)) return fail('credentials');
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials;
  if (typeof AccessKeyId !== 'string' || AccessKeyId === '') return fail('credentials.AccessKeyId');
  if (typeof SecretAccessKey !== 'string' || SecretAccessKey === '') return fail('credentials.SecretAccessKey');
  if (typeof SessionToken !== 'string' || SessionToken === '') return fail('credentials.SessionToken');
  const expiration = typeof Expiration === 'string' ? Date.parse(Expiration) : Number.NaN;
  if (Number.isNaN(expiration)) return fail('credentials.Expiration');
  return {
    bucket,
    region,
    key,
    ...(typeof partSize === 'number' ? { partSize } : {}),
    credentials: { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration },
  };
}

const ledgerStates: readonly string[] = ['granted', 'completed', 'rejected', 'aborted', 'expired'];

/** Validates GET /uploads's answer; an entry of an unknown shape fails the whole page with the field named. */
export function parseLedgerPage(text: string): LedgerPage {
  const fail = (field: string): never => {
    throw new UploadError('server', `The upload API's answer to GET /uploads has no valid "${field}".`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('JSON body');
  }
  if (!isRecord(value) || !Array.isArray(value.uploads)) return fail('uploads');
  const uploads = value.uploads.map((entry: unknown, i): LedgerEntry => {
    if (!isRecord(entry)) return fail(`uploads[${i}]`);
    const { key, fileName, state } = entry;
    if (typeof key !== 'string' || key === '') return fail(`uploads[${i}].key`);
    if (typeof fileName !== 'string') return fail(`uploads[${i}].fileName`);
    if (typeof state !== 'string' || !ledgerStates.includes(state)) return fail(`uploads[${i}].state`);
    const optional: Record<string, unknown> = {};
    for (const field of ['declaredSize', 'actualSize'] as const) if (typeof entry[field] === 'number') optional[field] = entry[field];
    for (const field of ['createdAt', 'updatedAt', 'reason'] as const) if (typeof entry[field] === 'string') optional[field] = entry[field];
    return { key, fileName, state: state as LedgerState, ...optional };
  });
  const { cursor } = value;
  if (cursor !== undefined && cursor !== null && (typeof cursor !== 'string' || cursor === '')) return fail('cursor');
  return typeof cursor === 'string' ? { uploads, cursor } : { uploads };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
