import { abortError, NetworkError } from '../uploader/errors';
import { traceEnd, traceStart } from '../uploader/trace';
import { BROWSER_CONTROLLED_HEADERS, type HttpRequest, type HttpResponse, type SendOptions, type Transport } from '../uploader/transport';

export interface XhrTransportOptions {
  /**
   * A request that sends and receives nothing for this long is given up as a network error (and so
   * retried): a dead connection can otherwise hang forever. Default 60 s.
   */
  readonly stallTimeoutMs?: number;
}

/** Sends S3 requests with XMLHttpRequest: the browser API that reports upload progress. */
export class XhrTransport implements Transport {
  private readonly stallTimeoutMs: number;

  constructor(options: XhrTransportOptions = {}) {
    this.stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
  }

  send(request: HttpRequest, { signal, onUploadProgress }: SendOptions): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      if (signal.aborted) {
        reject(abortError(signal));
        return;
      }
      const body = request.body;
      if (body !== undefined && !(body instanceof Blob) && !(body instanceof Uint8Array)) {
        reject(new TypeError('XhrTransport sends Blob or Uint8Array bodies only'));
        return;
      }
      const xhr = new XMLHttpRequest();
      let stallTimer: ReturnType<typeof setTimeout> | undefined;
      const finish = (): void => {
        clearTimeout(stallTimer);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        xhr.abort();
        reject(abortError(signal));
      };
      const watch = (): void => {
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => {
          finish();
          xhr.abort();
          reject(new NetworkError('S3', `${request.method} made no progress for ${this.stallTimeoutMs / 1000} s`));
        }, this.stallTimeoutMs);
      };

      xhr.open(request.method, request.url);
      for (const [name, value] of Object.entries(request.headers)) {
        if (!BROWSER_CONTROLLED_HEADERS.has(name)) xhr.setRequestHeader(name, value);
      }
      xhr.upload.onprogress = (event) => {
        watch();
        onUploadProgress?.(event.loaded);
      };
      xhr.onprogress = watch;
      xhr.onload = () => {
        traceEnd(`send ${request.method}`, sending);
        finish();
        resolve({ status: xhr.status, text: xhr.responseText, header: (name) => xhr.getResponseHeader(name) });
      };
      xhr.onerror = () => {
        finish();
        reject(new NetworkError('S3', `${request.method} got no answer`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      watch();
      const sending = traceStart();
      xhr.send(body ?? null);
    });
  }
}
