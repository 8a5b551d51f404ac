import type { BlobLike } from './types';

/** One HTTP request, already signed. */
export interface HttpRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly url: string;
  /** Lower-case names. `host` is included for signing; transports leave it to the browser. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: BlobLike | Uint8Array<ArrayBuffer>;
}

export interface HttpResponse {
  readonly status: number;
  /** A response header, or null when absent or not exposed to the page by CORS. */
  header(name: string): string | null;
  readonly text: string;
}

export interface SendOptions {
  readonly signal: AbortSignal;
  readonly onUploadProgress?: (bytesSent: number) => void;
}

/**
 * Sends requests. Throws NetworkError when no HTTP answer came and an AbortError on abort; any HTTP
 * status, error or not, is a normal answer.
 */
export interface Transport {
  send(request: HttpRequest, options: SendOptions): Promise<HttpResponse>;
}

/** Headers a browser sets itself and refuses from scripts; they are signed but not sent by hand. */
export const BROWSER_CONTROLLED_HEADERS: ReadonlySet<string> = new Set(['host', 'content-length']);
