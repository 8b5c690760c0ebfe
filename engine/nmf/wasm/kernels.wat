;; Quell's dense float32 kernels in WebAssembly SIMD (simd128), the in-place twins of the plain
;; TypeScript kernels in engine/nmf/kernels.ts. Pointers are byte offsets into the imported memory;
;; matrices are row-major. engine/nmf/wasm/wasm-kernels.ts places every operand in this memory and
;; calls these exports; scripts/build-wasm.ts assembles this file into kernels-wasm.generated.ts.
;;
;; The matrix products follow the BLIS/GotoBLAS design (Goto & van de Geijn 2008, "Anatomy of
;; high-performance matrix multiplication"; Van Zee & van de Geijn 2015, "BLIS"):
;;   for each block of NC columns of B and KC rows of B:  pack it into 8-column panels (L2)
;;     for each block of MC rows of A:                    pack it into 4-row panels (L2)
;;       for each 8-column panel of B (stays in L1):
;;         for each 4-row panel of A:                     micro-kernel: a 4 x 8 block of C
;; Packing pads edges with zeros, so one micro-kernel serves every shape (only its write-back knows
;; about partial blocks) and its loads come at fixed offsets from two pointers. The micro-kernel
;; keeps the 4 x 8 block in eight v128 accumulators; without FMA in simd128 each step is
;; f32x4.mul then f32x4.add. Eight accumulators, two B vectors, four broadcast A values (TurboFan
;; issues a step's loads first) and one product are exactly the 15 XMM registers V8 allocates on
;; x64. So the step loop is deliberately not unrolled: unrolled, TurboFan hoists every load of the
;; body to its top and spills accumulators (on Zen 4 with Node 20, 4x unrolled ran at 20-25
;; GFLOP/s, rolled at 37-39).
(module
  (import "env" "memory" (memory 1))

  ;; Scratch at the bottom of memory; the host allocates its buffers above scratchBytes.
  ;;   [0, 128)              TMP: one 4 x 8 block of C, for partial write-back
  ;;   [AP, AP + MC*KC*4)    packed A block: MC rows x KC steps (4-row panels, step-major inside)
  ;;   [BP, BP + KC*NC*4)    packed B block: KC steps x NC columns (8-column panels, step-major)
  ;; MC and NC are multiples of 4 and 8. K is cut into equal chunks of at most KC.
  (global $MC i32 (i32.const 128))
  (global $KC i32 (i32.const 384))
  (global $NC i32 (i32.const 512))
  (global $TMP i32 (i32.const 0))
  (global $AP i32 (i32.const 128))
  (global $BP i32 (i32.const 196736)) ;; 128 + MC * KC * 4
  (global (export "scratchBytes") i32 (i32.const 983168)) ;; BP + KC * NC * 4

  ;; Packs rows [0, mc) x columns [0, kc) of a row-major A (row stride lda floats) into 4-row
  ;; panels: panel q holds, for p in [0, kc), A[4q .. 4q+3][p] as four consecutive floats.
  ;; Rows past mc are zero. Full panels are transposed 4 x 4 at a time.
  (func $packA (param $a i32) (param $lda i32) (param $mc i32) (param $kc i32) (param $dst i32)
    (local $i i32) (local $p i32) (local $rows i32) (local $ii i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $ldab i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 2)))
    (loop $panels
      (local.set $rows (i32.sub (local.get $mc) (local.get $i)))
      (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ldab))))
      (local.set $p (i32.const 0))
      (if (i32.ge_u (local.get $rows) (i32.const 4))
        (then
          (local.set $r1 (i32.add (local.get $r0) (local.get $ldab)))
          (local.set $r2 (i32.add (local.get $r1) (local.get $ldab)))
          (local.set $r3 (i32.add (local.get $r2) (local.get $ldab)))
          ;; 4 x 4 transposes: rows r0..r3 at columns p..p+3 become four panel steps.
          (block $done4
            (loop $by4
              (br_if $done4 (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $kc)))
              (local.set $x0 (v128.load (local.get $r0)))
              (local.set $x1 (v128.load (local.get $r1)))
              (local.set $x2 (v128.load (local.get $r2)))
              (local.set $x3 (v128.load (local.get $r3)))
              (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
              (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
              (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
              (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
              (v128.store offset=0 (local.get $dst)
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
              (v128.store offset=16 (local.get $dst)
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
              (v128.store offset=32 (local.get $dst)
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
              (v128.store offset=48 (local.get $dst)
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
              (local.set $r0 (i32.add (local.get $r0) (i32.const 16)))
              (local.set $r1 (i32.add (local.get $r1) (i32.const 16)))
              (local.set $r2 (i32.add (local.get $r2) (i32.const 16)))
              (local.set $r3 (i32.add (local.get $r3) (i32.const 16)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (br $by4)))
          ;; Leftover columns, one panel step each.
          (block $done1
            (loop $by1
              (br_if $done1 (i32.ge_u (local.get $p) (local.get $kc)))
              (f32.store offset=0 (local.get $dst) (f32.load (local.get $r0)))
              (f32.store offset=4 (local.get $dst) (f32.load (local.get $r1)))
              (f32.store offset=8 (local.get $dst) (f32.load (local.get $r2)))
              (f32.store offset=12 (local.get $dst) (f32.load (local.get $r3)))
              (local.set $r0 (i32.add (local.get $r0) (i32.const 4)))
              (local.set $r1 (i32.add (local.get $r1) (i32.const 4)))
              (local.set $r2 (i32.add (local.get $r2) (i32.const 4)))
              (local.set $r3 (i32.add (local.get $r3) (i32.const 4)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $by1))))
        (else
          ;; The last, partial panel: 1 to 3 real rows, the rest zero.
          (block $doneEdge
            (loop $edge
              (br_if $doneEdge (i32.ge_u (local.get $p) (local.get $kc)))
              (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
              (local.set $ii (i32.const 0))
              (loop $row
                (f32.store
                  (i32.add (local.get $dst) (i32.shl (local.get $ii) (i32.const 2)))
                  (f32.load (i32.add (local.get $r0) (i32.mul (local.get $ii) (local.get $ldab)))))
                (local.set $ii (i32.add (local.get $ii) (i32.const 1)))
                (br_if $row (i32.lt_u (local.get $ii) (local.get $rows))))
              (local.set $r0 (i32.add (local.get $r0) (i32.const 4)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $edge)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $panels (i32.lt_u (local.get $i) (local.get $mc)))))

  ;; Packs the transpose: panel row i, step p is A[p][i] (A row-major, row stride lda floats), so
  ;; four panel rows at one step are four consecutive floats of A. Used by gemmAtB.
  (func $packAt (param $a i32) (param $lda i32) (param $mc i32) (param $kc i32) (param $dst i32)
    (local $i i32) (local $p i32) (local $rows i32) (local $ii i32) (local $src i32) (local $ldab i32)
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 2)))
    (loop $panels
      (local.set $rows (i32.sub (local.get $mc) (local.get $i)))
      (local.set $src (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $p (i32.const 0))
      (if (i32.ge_u (local.get $rows) (i32.const 4))
        (then
          (block $doneFull
            (loop $full
              (br_if $doneFull (i32.ge_u (local.get $p) (local.get $kc)))
              (v128.store (local.get $dst) (v128.load (local.get $src)))
              (local.set $src (i32.add (local.get $src) (local.get $ldab)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $full))))
        (else
          (block $doneEdge
            (loop $edge
              (br_if $doneEdge (i32.ge_u (local.get $p) (local.get $kc)))
              (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
              (local.set $ii (i32.const 0))
              (loop $row
                (f32.store
                  (i32.add (local.get $dst) (i32.shl (local.get $ii) (i32.const 2)))
                  (f32.load (i32.add (local.get $src) (i32.shl (local.get $ii) (i32.const 2)))))
                (local.set $ii (i32.add (local.get $ii) (i32.const 1)))
                (br_if $row (i32.lt_u (local.get $ii) (local.get $rows))))
              (local.set $src (i32.add (local.get $src) (local.get $ldab)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $edge)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $panels (i32.lt_u (local.get $i) (local.get $mc)))))

  ;; Packs rows [0, kc) x columns [0, nc) of a row-major B (row stride ldb floats) into 8-column
  ;; panels: panel q holds, for p in [0, kc), B[p][8q .. 8q+7] as eight consecutive floats.
  ;; Columns past nc are zero.
  (func $packB (param $b i32) (param $ldb i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (local $j i32) (local $p i32) (local $cols i32) (local $jj i32) (local $src i32) (local $ldbb i32)
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 2)))
    (loop $panels
      (local.set $cols (i32.sub (local.get $nc) (local.get $j)))
      (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $p (i32.const 0))
      (if (i32.ge_u (local.get $cols) (i32.const 8))
        (then
          (block $doneFull
            (loop $full
              (br_if $doneFull (i32.ge_u (local.get $p) (local.get $kc)))
              (v128.store offset=0 (local.get $dst) (v128.load offset=0 (local.get $src)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
              (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $full))))
        (else
          (block $doneEdge
            (loop $edge
              (br_if $doneEdge (i32.ge_u (local.get $p) (local.get $kc)))
              (v128.store offset=0 (local.get $dst) (v128.const i32x4 0 0 0 0))
              (v128.store offset=16 (local.get $dst) (v128.const i32x4 0 0 0 0))
              (local.set $jj (i32.const 0))
              (loop $col
                (f32.store
                  (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 2)))
                  (f32.load (i32.add (local.get $src) (i32.shl (local.get $jj) (i32.const 2)))))
                (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
                (br_if $col (i32.lt_u (local.get $jj) (local.get $cols))))
              (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $edge)))))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br_if $panels (i32.lt_u (local.get $j) (local.get $nc)))))

  ;; The micro-kernel: the 4 x 8 block at c (row stride ldc floats) gets, or with acc != 0 gains,
  ;; Ap (a packed 4-row panel) times Bp (a packed 8-column panel) over kc >= 1 steps.
  ;; Only the top-left mr x nr of the block is written.
  (func $micro (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32)
               (param $mr i32) (param $nr i32) (param $acc i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $end i32) (local $ldcb i32) (local $i i32) (local $j i32) (local $src i32) (local $dst i32)
    (local $x f32)
    (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $kc) (i32.const 4))))
    (loop $steps
      (local.set $b0 (v128.load offset=0 (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $a (v128.load32_splat offset=0 (local.get $ap)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=4 (local.get $ap)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=8 (local.get $ap)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load32_splat offset=12 (local.get $ap)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $steps (i32.lt_u (local.get $ap) (local.get $end))))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 2)))
    (if (i32.and (i32.eq (local.get $mr) (i32.const 4)) (i32.eq (local.get $nr) (i32.const 8)))
      (then
        (if (local.get $acc)
          (then
            (local.set $dst (local.get $c))
            (local.set $c00 (f32x4.add (local.get $c00) (v128.load offset=0 (local.get $dst))))
            (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $dst))))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldcb)))
            (local.set $c10 (f32x4.add (local.get $c10) (v128.load offset=0 (local.get $dst))))
            (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $dst))))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldcb)))
            (local.set $c20 (f32x4.add (local.get $c20) (v128.load offset=0 (local.get $dst))))
            (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $dst))))
            (local.set $dst (i32.add (local.get $dst) (local.get $ldcb)))
            (local.set $c30 (f32x4.add (local.get $c30) (v128.load offset=0 (local.get $dst))))
            (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $dst))))))
        (local.set $dst (local.get $c))
        (v128.store offset=0 (local.get $dst) (local.get $c00))
        (v128.store offset=16 (local.get $dst) (local.get $c01))
        (local.set $dst (i32.add (local.get $dst) (local.get $ldcb)))
        (v128.store offset=0 (local.get $dst) (local.get $c10))
        (v128.store offset=16 (local.get $dst) (local.get $c11))
        (local.set $dst (i32.add (local.get $dst) (local.get $ldcb)))
        (v128.store offset=0 (local.get $dst) (local.get $c20))
        (v128.store offset=16 (local.get $dst) (local.get $c21))
        (local.set $dst (i32.add (local.get $dst) (local.get $ldcb)))
        (v128.store offset=0 (local.get $dst) (local.get $c30))
        (v128.store offset=16 (local.get $dst) (local.get $c31))
        (return)))
    ;; A partial block (an edge of C): spill to TMP, then copy the mr x nr corner.
    (v128.store offset=0 (global.get $TMP) (local.get $c00))
    (v128.store offset=16 (global.get $TMP) (local.get $c01))
    (v128.store offset=32 (global.get $TMP) (local.get $c10))
    (v128.store offset=48 (global.get $TMP) (local.get $c11))
    (v128.store offset=64 (global.get $TMP) (local.get $c20))
    (v128.store offset=80 (global.get $TMP) (local.get $c21))
    (v128.store offset=96 (global.get $TMP) (local.get $c30))
    (v128.store offset=112 (global.get $TMP) (local.get $c31))
    (loop $rows
      (local.set $src (i32.add (global.get $TMP) (i32.shl (local.get $i) (i32.const 5))))
      (local.set $dst (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldcb))))
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $x (f32.load (local.get $src)))
        (if (local.get $acc) (then (local.set $x (f32.add (local.get $x) (f32.load (local.get $dst))))))
        (f32.store (local.get $dst) (local.get $x))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $cols (i32.lt_u (local.get $j) (local.get $nr))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $i) (local.get $mr)))))

  (func $min (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y))))

  ;; C (M x N, row stride N) = op(A) * B over K, where op(A) row i, step p is A[i][p] (transA = 0)
  ;; or A[p][i] (transA = 1), A has row stride lda and B (K x N) row stride ldb. M, N, K >= 1.
  (func $product (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $N i32) (param $K i32)
                 (param $lda i32) (param $ldb i32) (param $transA i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $kstep i32)
    (local $ic i32) (local $mc i32) (local $jr i32) (local $ir i32) (local $aBlock i32) (local $cRow i32)
    ;; K in equal chunks of at most KC, so K = 257 is one chunk of 257, not 256 + 1.
    (local.set $kc (i32.div_u (i32.add (local.get $K) (i32.sub (global.get $KC) (i32.const 1))) (global.get $KC)))
    (local.set $kstep (i32.div_u (i32.add (local.get $K) (i32.sub (local.get $kc) (i32.const 1))) (local.get $kc)))
    (loop $jBlocks
      (local.set $nc (call $min (global.get $NC) (i32.sub (local.get $N) (local.get $jc))))
      (local.set $pc (i32.const 0))
      (loop $pBlocks
        (local.set $kc (call $min (local.get $kstep) (i32.sub (local.get $K) (local.get $pc))))
                (call $packB
          (i32.add (local.get $b)
            (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $ldb)) (local.get $jc)) (i32.const 2)))
          (local.get $ldb) (local.get $kc) (local.get $nc) (global.get $BP))
        (local.set $ic (i32.const 0))
        (loop $iBlocks
          (local.set $mc (call $min (global.get $MC) (i32.sub (local.get $M) (local.get $ic))))
          (if (local.get $transA)
            (then
              (call $packAt
                (i32.add (local.get $a)
                  (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $lda)) (local.get $ic)) (i32.const 2)))
                (local.get $lda) (local.get $mc) (local.get $kc) (global.get $AP)))
            (else
              (call $packA
                (i32.add (local.get $a)
                  (i32.shl (i32.add (i32.mul (local.get $ic) (local.get $lda)) (local.get $pc)) (i32.const 2)))
                (local.get $lda) (local.get $mc) (local.get $kc) (global.get $AP))))
          (local.set $jr (i32.const 0))
          (loop $jPanels
            (local.set $ir (i32.const 0))
            (loop $iPanels
              (call $micro
                (i32.add (global.get $AP) (i32.mul (i32.shr_u (local.get $ir) (i32.const 2)) (i32.shl (local.get $kc) (i32.const 4))))
                (i32.add (global.get $BP) (i32.mul (i32.shr_u (local.get $jr) (i32.const 3)) (i32.shl (local.get $kc) (i32.const 5))))
                (local.get $kc)
                (i32.add (local.get $c)
                  (i32.shl
                    (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $N))
                      (i32.add (local.get $jc) (local.get $jr)))
                    (i32.const 2)))
                (local.get $N)
                (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir)))
                (call $min (i32.const 8) (i32.sub (local.get $nc) (local.get $jr)))
                (local.get $pc))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br_if $iPanels (i32.lt_u (local.get $ir) (local.get $mc))))
            (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
            (br_if $jPanels (i32.lt_u (local.get $jr) (local.get $nc))))
          (local.set $ic (i32.add (local.get $ic) (global.get $MC)))
          (br_if $iBlocks (i32.lt_u (local.get $ic) (local.get $M))))
        (local.set $pc (i32.add (local.get $pc) (local.get $kc)))
        (br_if $pBlocks (i32.lt_u (local.get $pc) (local.get $K))))
      (local.set $jc (i32.add (local.get $jc) (global.get $NC)))
      (br_if $jBlocks (i32.lt_u (local.get $jc) (local.get $N)))))

  ;; C (m x n) = A (m x k) * B (k x n). m, k, n >= 1.
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (call $product (local.get $a) (local.get $b) (local.get $c)
      (local.get $m) (local.get $n) (local.get $k) (local.get $k) (local.get $n) (i32.const 0)))

  ;; C (k x n) = A^T * B with A (m x k), B (m x n). m, k, n >= 1.
  (func (export "gemmAtB") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (call $product (local.get $a) (local.get $b) (local.get $c)
      (local.get $k) (local.get $n) (local.get $m) (local.get $k) (local.get $n) (i32.const 1)))

  ;; L[i] += eps, then R[i] = V[i] / L[i], for i < count.
  (func (export "shiftDivide") (param $v i32) (param $l i32) (param $eps f32) (param $count i32) (param $r i32)
    (local $end i32) (local $end4 i32) (local $e v128) (local $x v128) (local $s f32)
    (local.set $e (f32x4.splat (local.get $eps)))
    (local.set $end (i32.add (local.get $l) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $l) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $by4
        (br_if $done4 (i32.ge_u (local.get $l) (local.get $end4)))
        (local.set $x (f32x4.add (v128.load (local.get $l)) (local.get $e)))
        (v128.store (local.get $l) (local.get $x))
        (v128.store (local.get $r) (f32x4.div (v128.load (local.get $v)) (local.get $x)))
        (local.set $l (i32.add (local.get $l) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $by4)))
    (block $done1
      (loop $by1
        (br_if $done1 (i32.ge_u (local.get $l) (local.get $end)))
        (local.set $s (f32.add (f32.load (local.get $l)) (local.get $eps)))
        (f32.store (local.get $l) (local.get $s))
        (f32.store (local.get $r) (f32.div (f32.load (local.get $v)) (local.get $s)))
        (local.set $l (i32.add (local.get $l) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $by1))))

;; H[t,k] = max(floor, H[t,k] * r^(1 + quarters / 4)) with r = num[t,k] / (den[k] + eps), for H, num
  ;; frames x atoms; quarters in 0..3 (0: the plain MM step, computed as H * num / (den + eps)).
  ;; Quarter powers come from square roots (r^0.5, r^0.25), which simd128 has; a general power does not.
  ;; f32x4.pmax(floor, h) is floor < h ? h : floor, so a NaN ratio becomes floor, as in the JS kernel.
  (func (export "updateKl") (param $h i32) (param $num i32) (param $den i32) (param $frames i32) (param $atoms i32)
                            (param $eps f32) (param $floor f32) (param $quarters i32)
    (local $t i32) (local $k i32) (local $atoms4 i32) (local $e v128) (local $f v128) (local $x f32)
    (local $one v128) (local $use2 v128) (local $use4 v128) (local $r v128) (local $s2 v128)
    (local $r1 f32) (local $t2 f32)
    (local.set $e (f32x4.splat (local.get $eps)))
    (local.set $f (f32x4.splat (local.get $floor)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $use2 (i32x4.splat (i32.sub (i32.const 0) (i32.and (i32.shr_u (local.get $quarters) (i32.const 1)) (i32.const 1)))))
    (local.set $use4 (i32x4.splat (i32.sub (i32.const 0) (i32.and (local.get $quarters) (i32.const 1)))))
    (local.set $atoms4 (i32.and (local.get $atoms) (i32.const -4)))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_u (local.get $t) (local.get $frames)))
        (local.set $k (i32.const 0))
        (block $done4
          (loop $by4
            (br_if $done4 (i32.ge_u (local.get $k) (local.get $atoms4)))
            (if (i32.eqz (local.get $quarters))
              (then
                (v128.store (local.get $h)
                  (f32x4.pmax (local.get $f)
                    (f32x4.div
                      (f32x4.mul (v128.load (local.get $h)) (v128.load (local.get $num)))
                      (f32x4.add (v128.load (i32.add (local.get $den) (i32.shl (local.get $k) (i32.const 2)))) (local.get $e))))))
              (else
                (local.set $r
                  (f32x4.div (v128.load (local.get $num))
                    (f32x4.add (v128.load (i32.add (local.get $den) (i32.shl (local.get $k) (i32.const 2)))) (local.get $e))))
                (local.set $s2 (f32x4.sqrt (local.get $r)))
                (v128.store (local.get $h)
                  (f32x4.pmax (local.get $f)
                    (f32x4.mul (v128.load (local.get $h))
                      (f32x4.mul
                        (f32x4.mul (local.get $r) (v128.bitselect (local.get $s2) (local.get $one) (local.get $use2)))
                        (v128.bitselect (f32x4.sqrt (local.get $s2)) (local.get $one) (local.get $use4))))))))
            (local.set $h (i32.add (local.get $h) (i32.const 16)))
            (local.set $num (i32.add (local.get $num) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $by4)))
        (block $done1
          (loop $by1
            (br_if $done1 (i32.ge_u (local.get $k) (local.get $atoms)))
            (if (i32.eqz (local.get $quarters))
              (then
                (local.set $x
                  (f32.div
                    (f32.mul (f32.load (local.get $h)) (f32.load (local.get $num)))
                    (f32.add (f32.load (i32.add (local.get $den) (i32.shl (local.get $k) (i32.const 2)))) (local.get $eps)))))
              (else
                (local.set $r1
                  (f32.div (f32.load (local.get $num))
                    (f32.add (f32.load (i32.add (local.get $den) (i32.shl (local.get $k) (i32.const 2)))) (local.get $eps))))
                (local.set $t2 (f32.sqrt (local.get $r1)))
                (local.set $x
                  (f32.mul (f32.load (local.get $h))
                    (f32.mul
                      (f32.mul (local.get $r1) (select (local.get $t2) (f32.const 1) (i32.and (local.get $quarters) (i32.const 2))))
                      (select (f32.sqrt (local.get $t2)) (f32.const 1) (i32.and (local.get $quarters) (i32.const 1))))))))
            (f32.store (local.get $h)
              (select (local.get $x) (local.get $floor) (f32.gt (local.get $x) (local.get $floor))))
            (local.set $h (i32.add (local.get $h) (i32.const 4)))
            (local.set $num (i32.add (local.get $num) (i32.const 4)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $by1)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $rows))))
;; Polyphase FIR for the resampler (engine/dsp/resample.ts), in float64 like its JS kernels:
  ;; out[q * outStep] = f32(sum_k coef[k] * x[q * xStep + k]) for q < n, k < taps (taps even).
  ;; Steps are in bytes. Lane 0 sums the even taps and lane 1 the odd ones, then the two are added:
  ;; the JS dot1's order, so the results are bit-identical to it. Four outputs share each coefficient load.
  (func (export "firRun") (param $coef i32) (param $taps i32) (param $x i32) (param $xStep i32) (param $n i32)
                          (param $out i32) (param $outStep i32)
    (local $q i32) (local $n4 i32) (local $c i32) (local $end i32) (local $p i32) (local $h v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $coef) (i32.shl (local.get $taps) (i32.const 3))))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $done4
      (loop $by4
        (br_if $done4 (i32.ge_u (local.get $q) (local.get $n4)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $c (local.get $coef))
        (local.set $p (local.get $x))
        (block $doneTaps
          (loop $taps
            (br_if $doneTaps (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $h (v128.load (local.get $c)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $h) (v128.load (local.get $p)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $h)
              (v128.load (i32.add (local.get $p) (local.get $xStep))))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $h)
              (v128.load (i32.add (local.get $p) (i32.shl (local.get $xStep) (i32.const 1)))))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $h)
              (v128.load (i32.add (local.get $p) (i32.mul (local.get $xStep) (i32.const 3)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $taps)))
        (f32.store (local.get $out)
          (f32.demote_f64 (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0)))))
        (f32.store (i32.add (local.get $out) (local.get $outStep))
          (f32.demote_f64 (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1)))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $outStep) (i32.const 1)))
          (f32.demote_f64 (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2)))))
        (f32.store (i32.add (local.get $out) (i32.mul (local.get $outStep) (i32.const 3)))
          (f32.demote_f64 (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3)))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $xStep) (i32.const 2))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $outStep) (i32.const 2))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $by4)))
    (block $done1
      (loop $by1
        (br_if $done1 (i32.ge_u (local.get $q) (local.get $n)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $c (local.get $coef))
        (local.set $p (local.get $x))
        (block $doneTaps1
          (loop $taps1
            (br_if $doneTaps1 (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $c)) (v128.load (local.get $p)))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $taps1)))
        (f32.store (local.get $out)
          (f32.demote_f64 (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0)))))
        (local.set $x (i32.add (local.get $x) (local.get $xStep)))
        (local.set $out (i32.add (local.get $out) (local.get $outStep)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $by1))))
)
