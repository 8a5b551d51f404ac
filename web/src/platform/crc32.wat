;; CRC-32 (IEEE 802.3, the one S3 calls CRC32) for the page's CRC-32 worker, as WebAssembly.
;;
;; The same algorithm as crc32Update in src/uploader/checksum.ts (slicing by 16 over 32-bit word loads),
;; written again here because it runs faster compiled from WebAssembly: 1.7x the JavaScript in Node 20,
;; 1.1-1.6x in the worker in Chromium 156, reads included (bench/crc32-worker). The JavaScript version
;; stays the reference and the fallback (crc32-wasm.ts).
;;
;; This file is the source; src/platform/crc32-wasm.generated.ts holds its bytes, written by
;; `npm run assemble-wasm` (scripts/assemble-wasm.mjs), and test/crc32-wasm.test.ts fails when they differ.
;;
;; Linear memory, fixed at 17 pages of 64 KiB (it never grows, so views on it stay valid):
;;   0 .. 16 KiB       the 16 lookup tables, table k at byte k * 1024 (256 entries of 4 bytes), written by
;;                     crc32-wasm.ts from checksum.ts's crc32Tables(), so the tables are built in one place
;;   64 KiB .. 1088 KiB the bytes to checksum, copied in by crc32-wasm.ts (at most 1 MiB at a time, the
;;                     worker's read size); 64 KiB is a multiple of 16, so the word loads below are aligned
(module
  (memory (export "memory") 17 17)

  ;; Continues a CRC-32 over the $length bytes at $at; start with 0. Returns the CRC as an i32 (the
  ;; caller makes it unsigned with >>> 0).
  (func (export "update") (param $crc i32) (param $at i32) (param $length i32) (result i32)
    (local $c i32)
    (local $end i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)

    ;; The register holds the complement of the CRC, as in the JavaScript version.
    (local.set $c (i32.xor (local.get $crc) (i32.const -1)))

    ;; Sixteen bytes per step, while at least sixteen are left. The four words are read little-endian
    ;; (WebAssembly always is), so the low byte of $w0 is the first byte of the step.
    (local.set $end (i32.add (local.get $at) (i32.and (local.get $length) (i32.const -16))))
    (block $sixteens_done
      (loop $sixteens
        (br_if $sixteens_done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $w0 (i32.xor (i32.load (local.get $at)) (local.get $c)))
        (local.set $w1 (i32.load offset=4 (local.get $at)))
        (local.set $w2 (i32.load offset=8 (local.get $at)))
        (local.set $w3 (i32.load offset=12 (local.get $at)))
        ;; Byte j of the step (0..15) goes through table 15 - j. A byte's table index times 4 is its
        ;; byte offset in the table: (word << 2) & 1020 for the low byte, (word >> 6) & 1020 for the next,
        ;; then >> 14 and >> 22.
        (i32.load offset=15360 (i32.and (i32.shl (local.get $w0) (i32.const 2)) (i32.const 1020)))
        (i32.load offset=14336 (i32.and (i32.shr_u (local.get $w0) (i32.const 6)) (i32.const 1020)))
        i32.xor
        (i32.load offset=13312 (i32.and (i32.shr_u (local.get $w0) (i32.const 14)) (i32.const 1020)))
        i32.xor
        (i32.load offset=12288 (i32.and (i32.shr_u (local.get $w0) (i32.const 22)) (i32.const 1020)))
        i32.xor
        (i32.load offset=11264 (i32.and (i32.shl (local.get $w1) (i32.const 2)) (i32.const 1020)))
        i32.xor
        (i32.load offset=10240 (i32.and (i32.shr_u (local.get $w1) (i32.const 6)) (i32.const 1020)))
        i32.xor
        (i32.load offset=9216 (i32.and (i32.shr_u (local.get $w1) (i32.const 14)) (i32.const 1020)))
        i32.xor
        (i32.load offset=8192 (i32.and (i32.shr_u (local.get $w1) (i32.const 22)) (i32.const 1020)))
        i32.xor
        (i32.load offset=7168 (i32.and (i32.shl (local.get $w2) (i32.const 2)) (i32.const 1020)))
        i32.xor
        (i32.load offset=6144 (i32.and (i32.shr_u (local.get $w2) (i32.const 6)) (i32.const 1020)))
        i32.xor
        (i32.load offset=5120 (i32.and (i32.shr_u (local.get $w2) (i32.const 14)) (i32.const 1020)))
        i32.xor
        (i32.load offset=4096 (i32.and (i32.shr_u (local.get $w2) (i32.const 22)) (i32.const 1020)))
        i32.xor
        (i32.load offset=3072 (i32.and (i32.shl (local.get $w3) (i32.const 2)) (i32.const 1020)))
        i32.xor
        (i32.load offset=2048 (i32.and (i32.shr_u (local.get $w3) (i32.const 6)) (i32.const 1020)))
        i32.xor
        (i32.load offset=1024 (i32.and (i32.shr_u (local.get $w3) (i32.const 14)) (i32.const 1020)))
        i32.xor
        (i32.load (i32.and (i32.shr_u (local.get $w3) (i32.const 22)) (i32.const 1020)))
        i32.xor
        local.set $c
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $sixteens)))

    ;; The last 0 to 15 bytes one at a time, through table 0.
    (local.set $end (i32.add (local.get $end) (i32.and (local.get $length) (i32.const 15))))
    (block $bytes_done
      (loop $bytes
        (br_if $bytes_done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $c
          (i32.xor
            (i32.load (i32.shl
              (i32.and (i32.xor (local.get $c) (i32.load8_u (local.get $at))) (i32.const 255))
              (i32.const 2)))
            (i32.shr_u (local.get $c) (i32.const 8))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $bytes)))

    (i32.xor (local.get $c) (i32.const -1))))
