import type { FileFingerprint } from './types';

/** The part of the Web Storage API the store needs; `localStorage` in the page, MemoryStorage in tests. */
export interface KeyValueStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A KeyValueStorage held in memory. */
export class MemoryStorage implements KeyValueStorage {
  private readonly items = new Map<string, string>();

  get length(): number {
    return this.items.size;
  }

  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** What is saved so an unfinished multipart upload can continue after a reload or a browser restart. */
export interface ResumeRecord {
  readonly version: 1;
  readonly key: string;
  readonly bucket: string;
  readonly region: string;
  readonly uploadId: string;
  readonly partSize: number;
  readonly fingerprint: FileFingerprint;
  /** When the multipart upload was created, ms since the epoch. */
  readonly createdAt: number;
}

const PREFIX = 'mpu:v1:';

/**
 * Saved unfinished uploads, one per file fingerprint, in a namespace per signed-in user so two people
 * sharing a browser never try to continue each other's uploads.
 */
export class ResumeStore {
  private readonly namespace: string;

  constructor(
    private readonly storage: KeyValueStorage,
    /** The user's stable id (the token's `sub`). */
    scope: string,
  ) {
    this.namespace = `${PREFIX}${encodeURIComponent(scope)}:`;
  }

  find(fingerprint: FileFingerprint): ResumeRecord | undefined {
    const storageKey = this.storageKey(fingerprint);
    const record = parseRecord(this.read(storageKey));
    if (record === 'invalid') {
      this.remove(storageKey);
      return undefined;
    }
    return record;
  }

  /** Saves `record`; false when the browser refused (storage full or disabled), so the caller can say so. */
  save(record: ResumeRecord): boolean {
    try {
      this.storage.setItem(this.storageKey(record.fingerprint), JSON.stringify(record));
      return true;
    } catch {
      return false;
    }
  }

  forget(fingerprint: FileFingerprint): void {
    this.remove(this.storageKey(fingerprint));
  }

  /** The id of `fingerprint`'s record in this user's namespace, for whatever else is kept with it. */
  idOf(fingerprint: FileFingerprint): string {
    return this.storageKey(fingerprint);
  }

  /** Every saved upload of this user, oldest first. */
  list(): ResumeRecord[] {
    const records: ResumeRecord[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const storageKey = this.storage.key(i);
      if (storageKey === null || !storageKey.startsWith(this.namespace)) continue;
      const record = parseRecord(this.read(storageKey));
      if (record !== undefined && record !== 'invalid') records.push(record);
    }
    return records.sort((a, b) => a.createdAt - b.createdAt);
  }

  private storageKey(fingerprint: FileFingerprint): string {
    return `${this.namespace}${JSON.stringify([fingerprint.name, fingerprint.size, fingerprint.lastModified])}`;
  }

  private read(storageKey: string): string | null {
    try {
      return this.storage.getItem(storageKey);
    } catch {
      return null;
    }
  }

  private remove(storageKey: string): void {
    try {
      this.storage.removeItem(storageKey);
    } catch {
      // Storage disabled: there is nothing saved to remove either.
    }
  }
}

export function fingerprintOf(file: FileFingerprint): FileFingerprint {
  return { name: file.name, size: file.size, lastModified: file.lastModified };
}

export function sameFingerprint(a: FileFingerprint, b: FileFingerprint): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
}

function parseRecord(text: string | null): ResumeRecord | undefined | 'invalid' {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'invalid';
  }
  if (!isObject(value) || value.version !== 1) return 'invalid';
  const fp = value.fingerprint;
  const ok =
    typeof value.key === 'string' &&
    typeof value.bucket === 'string' &&
    typeof value.region === 'string' &&
    typeof value.uploadId === 'string' &&
    typeof value.partSize === 'number' &&
    typeof value.createdAt === 'number' &&
    isObject(fp) &&
    typeof fp.name === 'string' &&
    typeof fp.size === 'number' &&
    typeof fp.lastModified === 'number';
  return ok ? (value as unknown as ResumeRecord) : 'invalid';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
