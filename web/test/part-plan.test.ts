import { describe, expect, it } from 'vitest';
import { UploadError } from '../src/uploader/errors';
import {
  defaultPartSize,
  GiB,
  isValidPartSize,
  MiB,
  partRange,
  planUpload,
  S3_MAX_PART_SIZE,
  S3_MIN_PART_SIZE,
  TiB,
  type PartPlan,
} from '../src/uploader/part-plan';

function expectWithinS3Limits(plan: PartPlan): void {
  expect(plan.partCount).toBeLessThanOrEqual(10_000);
  for (const n of [1, plan.partCount - 1, plan.partCount].filter((k) => k >= 1)) {
    const { start, end } = partRange(plan, n);
    expect(end - start).toBeLessThanOrEqual(S3_MAX_PART_SIZE);
    if (n < plan.partCount) expect(end - start).toBeGreaterThanOrEqual(S3_MIN_PART_SIZE);
  }
  expect(partRange(plan, plan.partCount).end).toBe(plan.size);
}

describe('part planning', () => {
  it('sends an empty file in one request', () => {
    const plan = planUpload(0);
    expect(plan).toMatchObject({ singleRequest: true, partCount: 1, partSize: 8 * MiB });
    expect(partRange(plan, 1)).toEqual({ start: 0, end: 0 });
  });

  it('sends a 5 MiB file in one request', () => {
    expect(planUpload(5 * MiB)).toMatchObject({ singleRequest: true, partCount: 1 });
  });

  it('sends exactly one part size in one request', () => {
    expect(planUpload(8 * MiB)).toMatchObject({ singleRequest: true, partCount: 1 });
  });

  it('cuts 8 MiB + 1 byte into an 8 MiB part and a 1-byte last part', () => {
    const plan = planUpload(8 * MiB + 1);
    expect(plan).toMatchObject({ singleRequest: false, partSize: 8 * MiB, partCount: 2 });
    expect(partRange(plan, 2)).toEqual({ start: 8 * MiB, end: 8 * MiB + 1 });
  });

  it('cuts 80 GiB into 9 MiB parts, fewer than 10,000', () => {
    const plan = planUpload(80 * GiB);
    expect(plan.partSize).toBe(9 * MiB);
    expect(plan.partCount).toBe(Math.ceil((80 * GiB) / (9 * MiB)));
    expect(plan.partCount).toBe(9103);
    expectWithinS3Limits(plan);
  });

  it('uses exactly 10,000 parts of 8 MiB at the boundary', () => {
    const plan = planUpload(10_000 * 8 * MiB);
    expect(plan).toMatchObject({ partSize: 8 * MiB, partCount: 10_000 });
    expectWithinS3Limits(plan);
  });

  it('grows the part to 9 MiB one byte past the boundary instead of needing part 10,001', () => {
    const plan = planUpload(10_000 * 8 * MiB + 1);
    expect(plan.partSize).toBe(9 * MiB);
    expect(plan.partCount).toBe(8889);
    expectWithinS3Limits(plan);
  });

  it('plans the largest object S3 takes, 5 TiB, in 525 MiB parts', () => {
    const plan = planUpload(5 * TiB);
    expect(plan.partSize).toBe(525 * MiB);
    expect(plan.partCount).toBe(9987);
    expectWithinS3Limits(plan);
  });

  it('refuses a file above 5 TiB with an error naming the limit', () => {
    expect(() => planUpload(5 * TiB + 1)).toThrowError(UploadError);
    expect(() => planUpload(5 * TiB + 1)).toThrowError(/5 TiB/);
  });

  it('keeps every part within S3 limits across a range of sizes', () => {
    for (const size of [1, 8 * MiB - 1, 100 * MiB + 7, 3 * GiB, 78 * GiB + 5, 1 * TiB, 4 * TiB + 3]) {
      const plan = planUpload(size);
      expectWithinS3Limits(plan);
      expect(plan.partSize % MiB).toBe(0);
      expect(plan.partSize).toBe(defaultPartSize(size));
    }
  });

  it("uses the server's part size when it is valid for the file", () => {
    expect(planUpload(1 * GiB, 16 * MiB)).toMatchObject({ partSize: 16 * MiB, partCount: 64 });
  });

  it("ignores a server part size that S3 would refuse, and computes its own", () => {
    expect(planUpload(1 * GiB, 4 * MiB).partSize).toBe(8 * MiB); // below 5 MiB
    expect(planUpload(100 * GiB, 8 * MiB).partSize).toBe(11 * MiB); // 12,800 parts
    expect(planUpload(1 * GiB, 8.5 * MiB + 0.5).partSize).toBe(8 * MiB); // not whole bytes
    expect(planUpload(1 * GiB, 6 * GiB).partSize).toBe(8 * MiB); // above 5 GiB
  });

  it('says which sizes are valid for a file', () => {
    expect(isValidPartSize(50 * GiB, 5 * MiB + 1)).toBe(false);
    expect(isValidPartSize(40 * GiB, 5 * MiB)).toBe(true);
    expect(isValidPartSize(40 * GiB, '8388608')).toBe(false);
  });

  it('rejects part numbers outside the plan', () => {
    const plan = planUpload(20 * MiB);
    expect(() => partRange(plan, 0)).toThrowError(/partNumber must be 1 to 3, but 0 was given/);
    expect(() => partRange(plan, 4)).toThrowError(RangeError);
  });
});
