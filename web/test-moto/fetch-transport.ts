import { isAbortError, NetworkError } from '../src/uploader/errors';
import { BROWSER_CONTROLLED_HEADERS, type HttpRequest, type HttpResponse, type SendOptions, type Transport } from '../src/uploader/transport';

/** The Transport over fetch, for Node: no upload progress, otherwise what XhrTransport does in the page. */
export class FetchTransport implements Transport {
  readonly sentHeaders = new Set<string>();

  async send(request: HttpRequest, { signal, onUploadProgress }: SendOptions): Promise<HttpResponse> {
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !BROWSER_CONTROLLED_HEADERS.has(name)));
    for (const name of Object.keys(headers)) this.sentHeaders.add(name);
    let body: Blob | Uint8Array<ArrayBuffer> | undefined;
    if (request.body instanceof Blob || request.body instanceof Uint8Array) body = request.body;
    else if (request.body !== undefined) throw new TypeError('FetchTransport sends Blob or Uint8Array bodies only');
    try {
      const response = await fetch(request.url, { method: request.method, headers, body: body ?? null, signal });
      const text = await response.text();
      if (body) onUploadProgress?.(body instanceof Blob ? body.size : body.byteLength);
      return { status: response.status, text, header: (name) => response.headers.get(name) };
    } catch (error) {
      if (isAbortError(error) || signal.aborted) throw error;
      throw new NetworkError('S3', `${request.method} got no answer`, { cause: error });
    }
  }
}
