// The CRC-32 worker's fast path: crc32.wat (slicing by 16, like crc32Update) compiled from the bytes
// bundled with the worker. Compiling WebAssembly is refused where the context's CSP lacks
// 'wasm-unsafe-eval' (the page's own CSP does; only the worker script's response allows it), or where
// there is no WebAssembly at all: then the worker uses crc32Update and the upload goes on as before.
import { buildCrc32Tables, crc32Update, type Crc32Update } from '../uploader/checksum';
import { CRC32_WASM } from './crc32-wasm.generated';

/** Which code computes the worker's CRC-32s: crc32.wat compiled to WebAssembly, or crc32Update. */
export type Crc32Implementation = 'wasm' | 'js';

export interface Crc32Choice {
  implementation: Crc32Implementation;
  update: Crc32Update;
}

// The memory map crc32.wat documents: the tables at 0, the bytes to checksum at 64 KiB, at most 1 MiB.
const TABLES_AT = 0;
const INPUT_AT = 64 * 1024;
const INPUT_CAPACITY = 1024 * 1024;

interface Crc32Exports {
  memory: WebAssembly.Memory;
  update(crc: number, at: number, length: number): number;
}

/** Compiles crc32.wat's bytes and fills in its tables; rejects where WebAssembly may not be compiled. */
export async function instantiateWasmCrc32(): Promise<Crc32Update> {
  const { instance } = await WebAssembly.instantiate(CRC32_WASM);
  const { memory, update } = instance.exports as unknown as Crc32Exports;
  const tables = buildCrc32Tables();
  new Int32Array(memory.buffer, TABLES_AT, tables.length).set(tables);
  // The memory never grows (its maximum is its size), so this view stays attached.
  const input = new Uint8Array(memory.buffer, INPUT_AT, INPUT_CAPACITY);
  return (crc, data) => {
    let c = crc >>> 0;
    for (let from = 0; from < data.length; from += INPUT_CAPACITY) {
      const piece = data.subarray(from, from + INPUT_CAPACITY);
      input.set(piece);
      c = update(c, INPUT_AT, piece.length) >>> 0;
    }
    return c;
  };
}

/**
 * The fastest CRC-32 this context may run: crc32.wat where it compiles, else crc32Update. Never rejects:
 * a missing WebAssembly (its use throws) or a refused compilation (a CompileError under a CSP without
 * 'wasm-unsafe-eval') only means the slower path.
 */
export async function fastestCrc32(instantiate: () => Promise<Crc32Update> = instantiateWasmCrc32): Promise<Crc32Choice> {
  try {
    return { implementation: 'wasm', update: await instantiate() };
  } catch {
    return { implementation: 'js', update: crc32Update };
  }
}
