// Chromium's File System Access API: a file chosen with its picker or dropped on the page comes with a
// FileSystemFileHandle, which IndexedDB can keep. With it an unfinished upload continues after a reload
// or a browser restart without choosing the file again. Browsers without these calls (Firefox, Safari)
// give plain files, and the page asks for the same file again instead.

/** Read permission calls of a handle (WICG File System Access, Chromium only; not in TypeScript's DOM types). */
interface PermissionCalls {
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

type OpenFilePicker = (options: { multiple: boolean }) => Promise<FileSystemFileHandle[]>;
type HandleGetter = { getAsFileSystemHandle?(): Promise<FileSystemHandle | null> };

/** A file the user chose or dropped, with its handle when the browser gives one. */
export interface ChosenFile {
  readonly file: File;
  readonly handle: FileSystemFileHandle | undefined;
}

function openFilePicker(win: Window): OpenFilePicker | undefined {
  const picker = (win as Window & { showOpenFilePicker?: OpenFilePicker }).showOpenFilePicker;
  return typeof picker === 'function' ? picker.bind(win) : undefined;
}

/** True when the browser can keep chosen files for later (Chromium's showOpenFilePicker). */
export function keepsFileHandles(win: Window): boolean {
  return openFilePicker(win) !== undefined;
}

/** The browser's own file picker, several files at once; [] when the user closes it. */
export async function pickFiles(win: Window): Promise<ChosenFile[]> {
  const picker = openFilePicker(win);
  if (!picker) throw new Error('This browser has no showOpenFilePicker');
  let handles: FileSystemFileHandle[];
  try {
    handles = await picker({ multiple: true });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return [];
    throw error;
  }
  return Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), handle })));
}

/**
 * The files of a drop, with their handles where the browser gives them, and how many folders were
 * left out. Call it during the drop event: the items are readable only then.
 */
export function droppedFiles(items: DataTransferItemList): { files: Promise<ChosenFile[]>; folders: number } {
  const pending: Promise<ChosenFile | undefined>[] = [];
  let folders = 0;
  for (const item of items) {
    if (item.kind !== 'file') continue;
    if (item.webkitGetAsEntry()?.isDirectory) {
      folders += 1;
      continue;
    }
    const file = item.getAsFile();
    const handle = (item as DataTransferItem & HandleGetter).getAsFileSystemHandle?.();
    if (file) pending.push(fileWithHandle(file, handle));
  }
  return { files: Promise.all(pending).then((all) => all.filter((c): c is ChosenFile => c !== undefined)), folders };
}

async function fileWithHandle(file: File, handle: Promise<FileSystemHandle | null> | undefined): Promise<ChosenFile> {
  const kept = await handle?.catch(() => null);
  return { file, handle: isFileHandle(kept) ? kept : undefined };
}

/** Whether `value` is a file handle; the type itself is missing in older browsers. */
function isFileHandle(value: unknown): value is FileSystemFileHandle {
  return typeof FileSystemFileHandle !== 'undefined' && value instanceof FileSystemFileHandle;
}

/**
 * Read access to a kept file: asks the person (the browser's prompt) only when not granted already,
 * as after a browser restart. Call it from a click: the prompt needs one.
 */
export async function mayRead(handle: FileSystemFileHandle): Promise<boolean> {
  const calls = handle as FileSystemFileHandle & PermissionCalls;
  if (!calls.queryPermission || !calls.requestPermission) return true;
  if ((await calls.queryPermission({ mode: 'read' })) === 'granted') return true;
  return (await calls.requestPermission({ mode: 'read' })) === 'granted';
}

const DATABASE = 'multipart-upload-sts';
const STORE = 'file-handles';

/** File handles kept in IndexedDB by resume id (ResumeStore.idOf), so they are per user like the records. */
export class FileHandleStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** The store, or undefined when IndexedDB is unavailable (then files must be chosen again). */
  static async open(factory: IDBFactory | undefined): Promise<FileHandleStore | undefined> {
    if (!factory) return undefined;
    try {
      const opening = factory.open(DATABASE, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
      return new FileHandleStore(await request(opening));
    } catch {
      return undefined;
    }
  }

  /** Every kept handle by id. */
  async all(): Promise<Map<string, FileSystemFileHandle>> {
    const store = this.db.transaction(STORE).objectStore(STORE);
    const [ids, handles] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    const all = new Map<string, FileSystemFileHandle>();
    ids.forEach((id, i) => {
      const handle: unknown = handles[i];
      if (typeof id === 'string' && isFileHandle(handle)) all.set(id, handle);
    });
    return all;
  }

  put(id: string, handle: FileSystemFileHandle): Promise<void> {
    return this.write((store) => store.put(handle, id));
  }

  delete(id: string): Promise<void> {
    return this.write((store) => store.delete(id));
  }

  private write(change: (store: IDBObjectStore) => IDBRequest): Promise<void> {
    const transaction = this.db.transaction(STORE, 'readwrite');
    change(transaction.objectStore(STORE));
    return new Promise((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write was aborted'));
    });
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}
