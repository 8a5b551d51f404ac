import { Auth, type SignedInUser } from '../auth/auth';
import { loadConfig, type AppConfig } from '../config';
import { browserNetwork, resumeStorage } from '../platform/browser';
import { droppedFiles, FileHandleStore, keepsFileHandles, mayRead, pickFiles, type ChosenFile } from '../platform/file-handles';
import { workerChecksum } from '../platform/worker-checksum';
import { XhrTransport } from '../platform/xhr-transport';
import { ServerClock } from '../uploader/environment';
import { fingerprintOf, ResumeStore, type ResumeRecord } from '../uploader/resume-store';
import { S3RestClient } from '../uploader/s3-rest';
import { traceUploads } from '../uploader/trace';
import type { UploaderEvent } from '../uploader/types';
import { Uploader } from '../uploader/uploader';
import { awaitVerdict } from '../uploader/ledger-verdict';
import { expectTarget, HttpUploadsApi, type UploadsApi } from '../uploader/uploads-api';
import { Announcer } from './announcer';
import { el, required, setText, show } from './dom';
import { FileRow } from './file-row';
import { describeFileChange, displayName, formatBytes, overallStatus, reasonInWords, signOutQuestion } from './format';
import { RecentUploads } from './recent-uploads';
import { RenderSchedule } from './render-schedule';

/** The page's elements, looked up once; a missing one is a build error reported at start-up. */
function pageElements(doc: Document) {
  return {
    alert: required(doc, 'alert', HTMLDivElement),
    loading: required(doc, 'loading', HTMLParagraphElement),
    userName: required(doc, 'user-name', HTMLSpanElement),
    signIn: required(doc, 'sign-in', HTMLButtonElement),
    signInLarge: required(doc, 'sign-in-large', HTMLButtonElement),
    signOut: required(doc, 'sign-out', HTMLButtonElement),
    signedOut: required(doc, 'signed-out', HTMLElement),
    uploads: required(doc, 'uploads', HTMLElement),
    dropZone: required(doc, 'drop-zone', HTMLDivElement),
    dropTitle: required(doc, 'drop-title', HTMLParagraphElement),
    dropOr: required(doc, 'drop-or', HTMLParagraphElement),
    checksumNote: required(doc, 'checksum-note', HTMLParagraphElement),
    choose: required(doc, 'choose', HTMLButtonElement),
    fileInput: required(doc, 'file-input', HTMLInputElement),
    dropNote: required(doc, 'drop-note', HTMLParagraphElement),
    saved: required(doc, 'saved', HTMLElement),
    savedNote: required(doc, 'saved-note', HTMLParagraphElement),
    savedList: required(doc, 'saved-list', HTMLUListElement),
    overall: required(doc, 'overall', HTMLParagraphElement),
    fileList: required(doc, 'file-list', HTMLUListElement),
    recentStatus: required(doc, 'recent-status', HTMLParagraphElement),
    recentList: required(doc, 'recent-list', HTMLUListElement),
    recentMore: required(doc, 'recent-more', HTMLButtonElement),
    announcer: required(doc, 'announcer', HTMLDivElement),
  };
}

type Elements = ReturnType<typeof pageElements>;

/** Starts the page: config, sign-in, then the uploader. Every failure ends as a readable message. */
export async function startApp(win: Window): Promise<void> {
  const doc = win.document;
  const els = pageElements(doc);
  const alert = (text: string): void => {
    setText(els.alert, text);
    show(els.alert, text !== '');
  };

  let config: AppConfig;
  try {
    config = await loadConfig(win.fetch.bind(win), doc.baseURI);
  } catch (error) {
    show(els.loading, false);
    alert(error instanceof Error ? error.message : String(error));
    return;
  }

  const auth = new Auth(config.auth, win.location);
  const callback = await auth.handleCallback();
  if (callback.kind === 'popup') {
    setText(els.loading, 'Signed in. You can close this window.');
    return;
  }
  if (callback.kind === 'error') alert(`Sign-in did not complete: ${callback.message}`);

  const user = await auth.currentUser();
  show(els.loading, false);
  if (!user) {
    for (const button of [els.signIn, els.signInLarge]) {
      button.addEventListener('click', () => {
        auth.signInRedirect().catch((error: unknown) => alert(`Could not start sign-in: ${messageOf(error)}`));
      });
    }
    show(els.signIn, true);
    show(els.signedOut, true);
    return;
  }
  new UploadPage(win, els, config, auth, user, alert);
}

/** The signed-in page: account bar, drop zone, saved uploads and the file list, wired to the engine. */
class UploadPage {
  private readonly uploader: Uploader;
  private readonly rows = new Map<string, FileRow>();
  private readonly announcer: Announcer;
  private readonly doc: Document;
  private readonly resumeStore: ResumeStore;
  /** Whether this browser keeps file handles across a reload (Chromium, with persistent storage). */
  private readonly keepsHandles: boolean;
  /** Where file handles are kept (Chromium); undefined when the browser cannot keep them. */
  private readonly handleStore: Promise<FileHandleStore | undefined>;
  /** Kept file handles by resume id, loaded once and then kept in step with the handle store. */
  private readonly keptHandles = new Map<string, FileSystemFileHandle>();
  /** The resume id of every job whose file came with a handle. */
  private readonly jobResumeIds = new Map<string, string>();
  /** When rows are drawn: new states at once, moving bytes a few times a second. */
  private readonly renderSchedule: RenderSchedule;
  private pendingSpeech: string[] = [];
  private sessionExpired = false;
  private readonly clock = new ServerClock();
  private readonly api: UploadsApi;
  private readonly recent: RecentUploads;
  /** Looks at the ledger after a completion, by job id; aborted when the row goes. */
  private readonly verdictWatches = new Map<string, AbortController>();

  constructor(
    private readonly win: Window,
    private readonly els: Elements,
    config: AppConfig,
    private readonly auth: Auth,
    user: SignedInUser,
    private readonly alert: (text: string) => void,
  ) {
    this.doc = win.document;
    this.renderSchedule = new RenderSchedule(win, () => win.performance.now(), (ids) => this.drawRows(ids));
    const clock = this.clock;
    const api = (this.api = expectTarget(new HttpUploadsApi({ apiUrl: config.apiUrl, accessToken: (o) => auth.accessToken(o) }), config));
    this.recent = new RecentUploads(this.doc, { status: els.recentStatus, list: els.recentList, more: els.recentMore }, api);
    traceUploads(tracingAsked(win));
    const { storage, persistent } = resumeStorage();
    this.resumeStore = new ResumeStore(storage, user.subject);
    this.keepsHandles = keepsFileHandles(win) && persistent;
    this.handleStore = this.keepsHandles ? FileHandleStore.open(win.indexedDB) : Promise.resolve(undefined);
    this.uploader = new Uploader({
      api,
      s3: new S3RestClient({
        transport: new XhrTransport(),
        ...(config.s3.endpoint === undefined ? {} : { endpoint: config.s3.endpoint }),
        forcePathStyle: config.s3.forcePathStyle,
        transferAcceleration: config.s3.transferAcceleration,
        now: () => clock.now(),
      }),
      store: this.resumeStore,
      concurrency: config.upload.concurrency,
      // CRC-32 of every part in a worker, off the thread that drives the requests and the page.
      checksum: workerChecksum(),
      clock,
      network: browserNetwork,
    });
    this.announcer = new Announcer({ say: (text) => this.say(text), now: () => Date.now() });
    if (!persistent) alert('This browser does not allow saving upload progress: uploads cannot continue after a reload.');

    this.showUser(user);
    show(els.uploads, true);
    this.wireAccount();
    this.wireFilePicking();
    this.uploader.subscribe((event) => this.onEvent(event));
    this.renderSaved();
    void this.recent.refresh();
    void this.loadKeptHandles();
    // Speed and time left change while no event arrives (a stall); refresh them every second.
    win.setInterval(() => this.refreshMoving(), 1000);
    win.addEventListener('beforeunload', (event) => {
      if (this.uploader.busy) event.preventDefault();
    });
  }

  private showUser(user: SignedInUser): void {
    setText(this.els.userName, user.displayName);
    show(this.els.userName, true);
    show(this.els.signOut, true);
  }

  private wireAccount(): void {
    const { signIn, signOut } = this.els;
    // Only shown once the session has expired mid-upload: a popup keeps this page and its uploads.
    signIn.addEventListener('click', () => {
      this.auth
        .signInPopup()
        .then((user) => {
          this.sessionExpired = false;
          show(signIn, false);
          this.showUser(user);
          this.alert('');
          for (const job of this.uploader.snapshots()) {
            if (job.state === 'failed' && job.error?.kind === 'signed-out') this.uploader.resume(job.id);
          }
        })
        .catch((error: unknown) =>
          this.alert(`Sign-in did not complete (${messageOf(error)}). If the browser blocked the sign-in window, allow pop-ups for this page.`),
        );
    });
    signOut.addEventListener('click', () => {
      const running = this.uploader.snapshots().filter((j) => j.state === 'uploading' || j.state === 'retrying' || j.state === 'queued');
      if (running.length > 0 && !this.win.confirm(signOutQuestion(running.map((job) => ({ name: job.name, continuesFromList: this.continuesFromList(job.id) }))))) {
        return;
      }
      void Promise.all(running.map((job) => this.uploader.pause(job.id)))
        .then(() => this.auth.signOut())
        .then((how) => {
          if (how === 'local') this.win.location.reload();
        })
        .catch((error: unknown) => this.alert(`Sign-out failed: ${messageOf(error)}`));
    });
  }

  private wireFilePicking(): void {
    const { choose, fileInput, dropZone, dropTitle, dropOr } = this.els;
    // Dragging needs a mouse or a pen somewhere; a phone with a touch screen only can only choose.
    const fine = this.win.matchMedia('(any-pointer: fine)');
    const offerDrop = (): void => {
      setText(dropTitle, fine.matches ? 'Drop video files here' : 'Upload video files');
      show(dropOr, fine.matches);
    };
    offerDrop();
    fine.addEventListener('change', offerDrop);
    const keepsHandles = keepsFileHandles(this.win);
    if (keepsHandles) setText(this.els.dropNote, 'Files of many gigabytes are fine. Uploads survive a reload and a browser restart: continue them from the list.');
    choose.addEventListener('click', () => {
      // Chromium's own picker gives handles that can be kept, so the file need not be chosen again to continue.
      if (!keepsHandles) {
        fileInput.click();
        return;
      }
      pickFiles(this.win)
        .then((chosen) => this.addFiles(chosen))
        .catch((error: unknown) => this.alert(`The file picker failed (${messageOf(error)}). Drop the files on this page instead.`));
    });
    fileInput.addEventListener('change', () => {
      this.addFiles([...(fileInput.files ?? [])].map((file) => ({ file, handle: undefined })));
      fileInput.value = ''; // so the same file can be chosen again, e.g. to resume it
    });
    // The whole window accepts drops: a file dropped beside the zone must not replace the page.
    const hasFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;
    this.win.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      dropZone.classList.add('is-dragging');
    });
    this.win.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) dropZone.classList.remove('is-dragging');
    });
    this.win.addEventListener('drop', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      dropZone.classList.remove('is-dragging');
      if (!event.dataTransfer) return;
      const { files, folders } = droppedFiles(event.dataTransfer.items);
      void files.then((chosen) => {
        this.addFiles(chosen);
        if (folders > 0) this.alert('Folders cannot be uploaded; drop the files inside them instead.');
      });
    });
  }

  private addFiles(chosen: readonly ChosenFile[]): string[] {
    if (chosen.length === 0) return [];
    const added: string[] = [];
    const duplicates: string[] = [];
    for (const { file, handle } of chosen) {
      const result = this.uploader.add([file]);
      duplicates.push(...result.duplicates);
      for (const id of result.added) {
        added.push(id);
        if (handle) this.keepHandle(id, this.resumeStore.idOf(fingerprintOf(file)), handle);
      }
    }
    this.alert(duplicates.length > 0 ? `Already in the list: ${duplicates.map(displayName).join(', ')}.` : '');
    if (added.length > 0) this.say(`${added.length} ${added.length === 1 ? 'file' : 'files'} added to the uploads.`);
    return added;
  }

  /** Keeps a job's file handle until the job is done or cancelled, so that it can continue after a reload. */
  private keepHandle(jobId: string, resumeId: string, handle: FileSystemFileHandle): void {
    this.jobResumeIds.set(jobId, resumeId);
    this.keptHandles.set(resumeId, handle);
    void this.handleStore
      .then((store) => store?.put(resumeId, handle))
      .catch((error: unknown) =>
        this.alert(`This browser would not keep ${handle.name} for later (${messageOf(error)}): after a reload, choose it again to continue.`),
      );
  }

  /**
   * Whether a job can continue after a reload without its file being chosen again: its handle is kept and its
   * multipart upload is saved for resuming (a queued job, or one not yet past CreateMultipartUpload, has none).
   */
  private continuesFromList(jobId: string): boolean {
    const resumeId = this.jobResumeIds.get(jobId);
    return this.keepsHandles && resumeId !== undefined && this.resumeStore.list().some((record) => this.resumeStore.idOf(record.fingerprint) === resumeId);
  }

  private forgetHandle(jobId: string): void {
    const resumeId = this.jobResumeIds.get(jobId);
    if (resumeId === undefined) return;
    this.jobResumeIds.delete(jobId);
    this.dropKept(resumeId);
  }

  private dropKept(resumeId: string): void {
    this.keptHandles.delete(resumeId);
    void this.handleStore.then((store) => store?.delete(resumeId)).catch(() => {
      // Left behind, it is removed at the next start, when no saved upload matches it.
    });
  }

  /** Loads the kept handles once; those no saved upload and no job needs are removed. */
  private async loadKeptHandles(): Promise<void> {
    const store = await this.handleStore;
    if (!store) return;
    const saved = new Set(this.resumeStore.list().map((record) => this.resumeStore.idOf(record.fingerprint)));
    const inUse = new Set(this.jobResumeIds.values());
    try {
      for (const [id, handle] of await store.all()) {
        if (saved.has(id)) this.keptHandles.set(id, handle);
        else if (!inUse.has(id)) await store.delete(id);
      }
    } catch (error) {
      this.alert(`Files kept from earlier visits could not be read (${messageOf(error)}): choose them again to continue.`);
    }
    this.renderSaved();
  }

  private onEvent(event: UploaderEvent): void {
    const { job } = event;
    switch (event.type) {
      case 'added': {
        const row = new FileRow(this.doc, job, {
          pause: (id) => void this.uploader.pause(id),
          resume: (id) => this.uploader.resume(id),
          cancel: (id) => this.cancel(id),
          remove: (id) => this.remove(id),
        });
        this.rows.set(job.id, row);
        this.els.fileList.append(row.element);
        this.renderSaved();
        break;
      }
      case 'removed':
        this.removeRow(job.id);
        return;
      case 'state':
        if (job.state === 'done' || job.state === 'cancelled') this.forgetHandle(job.id);
        this.announcer.state(job);
        // Said once for the page, not on every row: a server that reports no checksum reports none for any file.
        if (job.state === 'done' && job.result && !job.result.checksumVerified) show(this.els.checksumNote, true);
        if (job.state === 'done') this.watchVerdict(job.id, job.key);
        this.renderSaved();
        if (job.state === 'failed' && job.error?.kind === 'signed-out') this.showSessionExpired();
        break;
      case 'progress':
        this.announcer.progress(job);
        this.renderSchedule.progress(job.id);
        return;
      case 'retry':
      case 'resumed':
        break;
    }
    this.renderSchedule.urgent(job.id);
  }

  private cancel(id: string): void {
    const job = this.uploader.snapshot(id);
    if (job && job.loaded > 0 && !this.win.confirm(`Cancel the upload of ${displayName(job.name)}? What was sent so far is deleted.`)) return;
    this.uploader
      .cancel(id)
      .catch((error: unknown) => this.alert(`Cancel failed: ${messageOf(error)}`))
      .finally(() => void this.recent.refresh());
  }

  /**
   * After a completion: the recent list at once (the upload as the ledger has it now), then the verifier's
   * verdict on the row, looked up a few times; the list again once there is one.
   */
  private watchVerdict(id: string, key: string | undefined): void {
    void this.recent.refresh();
    const row = this.rows.get(id);
    if (key === undefined || !row || this.verdictWatches.has(id)) return;
    const controller = new AbortController();
    this.verdictWatches.set(id, controller);
    row.setVerdict('verifying');
    awaitVerdict(this.api, key, this.clock, controller.signal)
      .then((verdict) => {
        if (verdict.state === 'rejected') {
          const why = reasonInWords(verdict.reason);
          row.setVerdict({ rejected: why });
          this.say(`${displayName(this.uploader.snapshot(id)?.name ?? key)} was rejected by the server: ${why}.`);
        } else {
          row.setVerdict(verdict.state);
        }
        if (verdict.state !== 'unanswered') void this.recent.refresh();
      })
      .catch(() => {
        // Aborted: the row was removed.
      })
      .finally(() => this.verdictWatches.delete(id));
  }

  /** Takes a finished row off the list; a failed one that Retry cannot mend is cancelled first. */
  private remove(id: string): void {
    if (this.uploader.snapshot(id)?.state !== 'failed') {
      this.uploader.remove(id);
      return;
    }
    this.uploader
      .cancel(id)
      .then(() => this.uploader.remove(id))
      .catch((error: unknown) => this.alert(`Remove failed: ${messageOf(error)}`))
      .finally(() => void this.recent.refresh());
  }

  private removeRow(id: string): void {
    this.verdictWatches.get(id)?.abort();
    const row = this.rows.get(id);
    if (!row) return;
    const hadFocus = row.element.contains(this.doc.activeElement);
    const ids = [...this.rows.keys()];
    const next = this.rows.get(ids[ids.indexOf(id) + 1] ?? '') ?? this.rows.get(ids[ids.indexOf(id) - 1] ?? '');
    row.element.remove();
    this.rows.delete(id);
    this.announcer.forget(id);
    if (hadFocus) {
      if (next) next.focus();
      else this.els.choose.focus();
    }
    this.renderOverall();
  }

  private showSessionExpired(): void {
    if (this.sessionExpired) return;
    this.sessionExpired = true;
    setText(this.els.signIn, 'Sign in again');
    show(this.els.signIn, true);
    this.alert('Your session expired. Sign in again to continue; finished parts are kept.');
  }

  private drawRows(ids: ReadonlySet<string>): void {
    for (const id of ids) {
      const snapshot = this.uploader.snapshot(id);
      if (snapshot) this.rows.get(id)?.update(snapshot);
    }
    this.renderOverall();
  }

  private refreshMoving(): void {
    for (const job of this.uploader.snapshots()) {
      if (job.state === 'uploading' || job.state === 'retrying') this.renderSchedule.progress(job.id);
    }
  }

  private renderOverall(): void {
    setText(this.els.overall, overallStatus(this.uploader.snapshots()));
  }

  private renderSaved(): void {
    const records = this.uploader.savedUploads();
    const { saved, savedList, savedNote } = this.els;
    show(saved, records.length > 0);
    const continuable = records.filter((record) => this.keptHandles.has(this.resumeStore.idOf(record.fingerprint))).length;
    setText(
      savedNote,
      continuable === 0
        ? 'Choose the same file again to continue, or discard what was sent.'
        : continuable === records.length
          ? 'Continue where each stopped, or discard what was sent.'
          : 'Continue where the button is offered; for the others choose the same file again. Or discard what was sent.',
    );
    savedList.replaceChildren(...records.map((record) => this.savedItem(record)));
  }

  private savedItem(record: ResumeRecord): HTMLLIElement {
    const li = el(this.doc, 'li', 'saved-item');
    const shown = displayName(record.fingerprint.name);
    const name = el(this.doc, 'bdi', 'saved-name', shown);
    name.title = shown;
    const started = new Date(record.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    const detail = el(this.doc, 'span', 'saved-detail', `${formatBytes(record.fingerprint.size)} · started ${started}`);
    const discard = el(this.doc, 'button', 'button button-small button-quiet', 'Discard');
    discard.type = 'button';
    discard.setAttribute('aria-label', `Discard the unfinished upload of ${shown}`);
    discard.addEventListener('click', () => {
      if (!this.win.confirm(`Discard the unfinished upload of ${shown}? What was sent so far is deleted.`)) return;
      discard.disabled = true;
      this.uploader
        .discardSaved(record)
        .then(() => this.say(`Discarded the unfinished upload of ${shown}.`))
        .catch((error: unknown) => this.alert(`Could not discard ${shown}: ${messageOf(error)}`))
        .finally(() => {
          this.dropKept(this.resumeStore.idOf(record.fingerprint));
          this.renderSaved();
          void this.recent.refresh();
          this.els.choose.focus();
        });
    });
    const handle = this.keptHandles.get(this.resumeStore.idOf(record.fingerprint));
    if (handle) {
      const resume = el(this.doc, 'button', 'button button-small', 'Continue');
      resume.type = 'button';
      resume.setAttribute('aria-label', `Continue the upload of ${shown}`);
      resume.addEventListener('click', () => {
        resume.disabled = true;
        void this.continueSaved(record, handle).finally(() => {
          resume.disabled = false;
        });
      });
      li.append(name, detail, resume, discard);
    } else {
      li.append(name, detail, discard);
    }
    return li;
  }

  /**
   * Continues a saved upload from its kept file: read permission (the browser asks only if it must),
   * then the file as it is now, which must have the size and last-modified time it had. The engine
   * then compares the parts S3 holds with the file and sends only the missing ones.
   */
  private async continueSaved(record: ResumeRecord, handle: FileSystemFileHandle): Promise<void> {
    const name = displayName(record.fingerprint.name);
    const again = 'Choose it again to continue, or discard the unfinished upload.';
    try {
      if (!(await mayRead(handle))) {
        this.alert(`This page was not allowed to read ${name}. ${again}`);
        return;
      }
    } catch (error) {
      this.alert(`Could not ask for permission to read ${name} (${messageOf(error)}). ${again}`);
      return;
    }
    let file: File;
    try {
      file = await handle.getFile();
    } catch (error) {
      this.alert(`${name} cannot be read where it was chosen (moved, renamed or deleted? ${messageOf(error)}). ${again}`);
      return;
    }
    const change = describeFileChange(record.fingerprint, fingerprintOf(file));
    if (change !== undefined) {
      this.alert(
        `${name} has changed since its upload started (${change}), so the upload cannot continue from it. ` +
          `Discard the unfinished upload, then add the file again to upload it as it is now.`,
      );
      return;
    }
    const [id] = this.addFiles([{ file, handle }]);
    if (id !== undefined) this.rows.get(id)?.focus();
  }

  /** Speaks through the polite live region; sentences arriving together are read together. */
  private say(text: string): void {
    this.pendingSpeech.push(text);
    if (this.pendingSpeech.length > 1) return;
    this.win.setTimeout(() => {
      const sentence = this.pendingSpeech.join(' ');
      this.pendingSpeech = [];
      // Cleared first so that the same sentence twice is still announced twice.
      this.els.announcer.textContent = '';
      this.win.setTimeout(() => setText(this.els.announcer, sentence), 50);
    }, 250);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether this tab asked for performance measures of its uploads (sessionStorage `upload:trace` = "1"). */
function tracingAsked(win: Window): boolean {
  try {
    return win.sessionStorage.getItem('upload:trace') === '1';
  } catch {
    return false;
  }
}
