import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fastestCrc32, instantiateWasmCrc32 } from '../src/platform/crc32-wasm';
import { crc32OfBlob, crc32Update } from '../src/uploader/checksum';

const signal = new AbortController().signal;

/** Bytes that differ at every position and do not repeat within a table's reach. */
function sample(length: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (Math.imul(i, 2654435761) >>> 24) ^ (i & 0xff);
  return data;
}

describe('the CRC-32 worker\'s WebAssembly CRC-32 (crc32.wat)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is assembled into the committed bytes (crc32-wasm.generated.ts is what crc32.wat assembles to)', () => {
    const script = fileURLToPath(new URL('../scripts/assemble-wasm.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('gives the standard check value for "123456789"', async () => {
    const update = await instantiateWasmCrc32();
    expect(update(0, new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('equals the JavaScript CRC-32 at every short length and byte offset (its 16-byte steps and its byte tail)', async () => {
    const update = await instantiateWasmCrc32();
    const data = sample(128);
    for (let offset = 0; offset < 9; offset++) {
      for (let length = 0; length <= 70; length++) {
        const view = data.subarray(offset, offset + length);
        expect(update(0, view), `offset ${offset}, length ${length}`).toBe(crc32Update(0, view));
      }
    }
  });

  it('equals the JavaScript CRC-32 and zlib on lengths around its step and its 1 MiB input buffer, from odd byte offsets', async () => {
    const update = await instantiateWasmCrc32();
    const MiB = 1024 * 1024;
    const data = sample(3 * MiB + 64);
    const lengths = [0, 1, 3, 15, 16, 17, 4095, 65_537, MiB - 1, MiB, MiB + 1, MiB + 17, 2 * MiB + 3, 3 * MiB];
    for (const length of lengths) {
      for (const offset of [0, 1, 3, 7, 33]) {
        const view = data.subarray(offset, offset + length);
        const expected = zlibCrc32(view);
        expect(update(0, view), `offset ${offset}, length ${length}`).toBe(expected);
        expect(crc32Update(0, view), `offset ${offset}, length ${length}`).toBe(expected);
      }
    }
  });

  it('continues a CRC-32 across calls, as the worker feeds it piece by piece', async () => {
    const update = await instantiateWasmCrc32();
    const data = sample(300_001);
    let crc = 0;
    for (const cut of [[0, 1], [1, 18], [18, 4113], [4113, 300_001]] as const) crc = update(crc, data.subarray(cut[0], cut[1]));
    expect(crc).toBe(zlibCrc32(data));
    expect(update(crc, new Uint8Array(0))).toBe(crc);
  });

  it('serves the worker\'s chunked reads of a Blob with the same result as the JavaScript CRC-32', async () => {
    const update = await instantiateWasmCrc32();
    const data = sample(2 * 1024 * 1024 + 5);
    const blob = new Blob([data]);
    expect(await crc32OfBlob(blob, signal, update)).toBe(await crc32OfBlob(blob, signal));
  });

  it('is the worker\'s choice where WebAssembly compiles', async () => {
    const choice = await fastestCrc32();
    expect(choice.implementation).toBe('wasm');
    expect(choice.update(0, sample(1000))).toBe(zlibCrc32(sample(1000)));
  });

  it('falls back to the JavaScript CRC-32 when compiling is refused (a CSP without \'wasm-unsafe-eval\')', async () => {
    const refused = () => Promise.reject(new WebAssembly.CompileError("Refused to compile or instantiate WebAssembly module because 'wasm-eval' is not an allowed source"));
    const choice = await fastestCrc32(refused);
    expect(choice).toEqual({ implementation: 'js', update: crc32Update });
  });

  it('falls back to the JavaScript CRC-32 where there is no WebAssembly at all', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const choice = await fastestCrc32();
    expect(choice).toEqual({ implementation: 'js', update: crc32Update });
  });
});
