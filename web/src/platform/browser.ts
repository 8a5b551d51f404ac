import { abortError } from '../uploader/errors';
import type { Network } from '../uploader/environment';
import { MemoryStorage, type KeyValueStorage } from '../uploader/resume-store';

/** The browser's online state: navigator.onLine and the window's `online` event. */
export const browserNetwork: Network = {
  isOnline: () => navigator.onLine,
  waitOnline: (signal) =>
    new Promise<void>((resolve, reject) => {
      if (navigator.onLine) {
        resolve();
        return;
      }
      const onOnline = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        window.removeEventListener('online', onOnline);
        reject(abortError(signal));
      };
      window.addEventListener('online', onOnline, { once: true });
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * localStorage, or memory when the browser blocks it (private modes, disabled site data): uploads
 * still work, they just cannot resume after a reload. `persistent` says which one it is.
 */
export function resumeStorage(): { storage: KeyValueStorage; persistent: boolean } {
  try {
    const storage = window.localStorage;
    const probe = 'mpu:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return { storage, persistent: true };
  } catch {
    return { storage: new MemoryStorage(), persistent: false };
  }
}
