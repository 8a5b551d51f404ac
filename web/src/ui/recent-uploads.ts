import type { LedgerEntry, UploadsApi } from '../uploader/uploads-api';
import { el, setText, show } from './dom';
import { displayName, formatBytes, ledgerStateLabel, reasonInWords } from './format';

export interface RecentElements {
  readonly status: HTMLParagraphElement;
  readonly list: HTMLUListElement;
  readonly more: HTMLButtonElement;
}

/**
 * "Recent uploads": the server's list of this user's uploads (GET /uploads), so it survives a reload and
 * shows what the verifier decided. The first page on every refresh; "More" appends the next one.
 */
export class RecentUploads {
  private cursor: string | undefined;
  /** Bumped by each refresh, so an answer that a newer refresh overtook is dropped. */
  private generation = 0;

  constructor(
    private readonly doc: Document,
    private readonly els: RecentElements,
    private readonly api: Pick<UploadsApi, 'list'>,
  ) {
    els.more.addEventListener('click', () => void this.load(false));
  }

  refresh(): Promise<void> {
    return this.load(true);
  }

  private async load(first: boolean): Promise<void> {
    const generation = first ? ++this.generation : this.generation;
    const { status, list, more } = this.els;
    more.disabled = true;
    try {
      const page = await this.api.list(first ? {} : { cursor: this.cursor! }, new AbortController().signal);
      if (generation !== this.generation) return;
      const items = page.uploads.map((entry) => this.item(entry));
      if (first) list.replaceChildren(...items);
      else list.append(...items);
      // After "More", focus goes to the first entry it brought: the button may be gone (the last page).
      if (!first && items[0]) {
        items[0].tabIndex = -1;
        items[0].focus();
      }
      this.cursor = page.cursor;
      setText(status, list.childElementCount === 0 ? 'No uploads yet.' : '');
    } catch (error) {
      if (generation !== this.generation) return;
      setText(status, `The list of recent uploads could not be loaded (${error instanceof Error ? error.message : String(error)}).`);
    }
    show(status, status.textContent !== '');
    more.disabled = false;
    show(more, this.cursor !== undefined);
  }

  private item(entry: LedgerEntry): HTMLLIElement {
    const li = el(this.doc, 'li', 'recent-item');
    li.dataset.state = entry.state;
    const shown = displayName(entry.fileName);
    // <bdi> as in the file rows: a right-to-left name cannot reorder the text around it.
    const name = el(this.doc, 'bdi', 'saved-name', shown);
    name.title = shown;
    const size = entry.actualSize ?? entry.declaredSize;
    const started = entry.createdAt === undefined ? '' : new Date(entry.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    const detail = [size === undefined ? '' : formatBytes(size), started === '' ? '' : `started ${started}`].filter((part) => part !== '').join(' · ');
    const state = el(this.doc, 'span', 'recent-state', ledgerStateLabel(entry.state));
    li.append(name, state, el(this.doc, 'span', 'saved-detail', detail));
    if (entry.reason !== undefined) li.append(el(this.doc, 'span', 'recent-reason', reasonInWords(entry.reason)));
    return li;
  }
}
