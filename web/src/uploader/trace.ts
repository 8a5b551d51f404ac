// Optional User Timing measures of an upload's steps (waiting for a checksum, signing, sending), for
// profiling the page (bench/upload-profile). Off unless the page turns them on: the entries stay in the
// browser's performance timeline, one per step, so they are not for everyday uploads.
let tracing = false;

export function traceUploads(enabled: boolean): void {
  tracing = enabled;
}

/** The start time of a step to measure, or 0 when tracing is off. */
export function traceStart(): number {
  return tracing ? performance.now() : 0;
}

/** Records the step `name` from `startedAt` (a traceStart()) until now, with `detail` about how it ran if given. */
export function traceEnd(name: string, startedAt: number, detail?: unknown): void {
  if (tracing && startedAt > 0) performance.measure(name, { start: startedAt, end: performance.now(), detail });
}
