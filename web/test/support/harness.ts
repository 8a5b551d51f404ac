import { MemoryStorage, ResumeStore } from '../../src/uploader/resume-store';
import type { JobSnapshot, UploaderEvent } from '../../src/uploader/types';
import { Uploader, type UploaderOptions } from '../../src/uploader/uploader';
import { FakeApi, FakeClock, FakeNetwork, FakeS3, fakeChecksum } from './fakes';

/** An Uploader wired to fakes, plus the fakes, for one test. */
export function harness(options: Partial<UploaderOptions> = {}, shared?: { storage?: MemoryStorage; clock?: FakeClock; s3?: FakeS3; api?: FakeApi }) {
  const clock = shared?.clock ?? new FakeClock();
  const s3 = shared?.s3 ?? new FakeS3(clock);
  const api = shared?.api ?? new FakeApi(clock);
  const storage = shared?.storage ?? new MemoryStorage();
  const store = new ResumeStore(storage, 'user-1');
  const network = new FakeNetwork();
  const events: UploaderEvent[] = [];
  const uploader = new Uploader({
    api,
    s3,
    store,
    clock,
    network,
    random: () => 0.5,
    checksum: fakeChecksum,
    ...options,
  });
  uploader.subscribe((event) => events.push(event));
  const job = (id: string): JobSnapshot => {
    const snapshot = uploader.snapshot(id);
    if (!snapshot) throw new Error(`no job ${id}`);
    return snapshot;
  };
  const statesOf = (id: string): string[] =>
    events.filter((e) => e.type === 'state' && e.job.id === id).map((e) => e.job.state);
  return { clock, s3, api, storage, store, network, events, uploader, job, statesOf };
}
