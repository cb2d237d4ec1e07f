;; The CPU step's kernels, in four float32 SIMD lanes: the whole training step of a plain MLP runs on them, in
;; one memory that the caller lays out (cpuStep.ts). Pointers are byte offsets, 16-byte aligned; matrices are
;; row-major with row strides (in floats) that are multiples of 4, their padding zero where a sum runs over it.
(module
  (import "env" "memory" (memory 1))

  ;; C[m, n] = A·B, plus bias[r] on row r when bias ≠ 0 (n a multiple of 4, k ≥ 1). A's element (r, i) is at
  ;; a + 4(r·ars + i·aks), so A may be read transposed (ars = 1: then its rows are padded to lanes); B is [k, n]
  ;; with row stride ldb; C has row stride ldc. Only k's values k0 … k − 1 are summed (k0 < k), onto C where k0 > 0:
;; a product computed over consecutive ranges of k, in order, is the same as in one call, bit for bit, since every
;; sum runs over k in order and C holds the float32 each range ends with.
  ;; Cache-tiled: k in slices of 256 and n in blocks of 512 columns. Each such block of B is packed (at `pack`)
  ;; as panels of 8 columns, each contiguous, 512 KB at most, which stay in L2 while every strip of 4 rows streams
  ;; through them; the strip's 4 rows of A (4 KB) stay in L1. Unpacked, every step of k read B a full row stride
  ;; further on, and every strip streamed the whole of B from memory once it outgrew the caches. A transposed A
  ;; is packed too, a strip at a time (after B's panels), else every step of k would touch a new cache line of
  ;; it; an untransposed A's 4 rows are already 4 contiguous streams.
  ;; Every sum still runs over k in order, so the result does not depend on the blocking.
  (global (export "packFloats") i32 (i32.const 132096))
  (func $matmul (export "matmul")
    (param $c i32) (param $a i32) (param $b i32) (param $bias i32)
    (param $m i32) (param $n i32) (param $k i32)
    (param $ars i32) (param $aks i32) (param $ldb i32) (param $ldc i32) (param $k0 i32) (param $pack i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $row i32) (local $packA i32) (local $packed i32)
    (local.set $packed (i32.eq (local.get $ars) (i32.const 1)))
    (local.set $packA (i32.add (local.get $pack) (i32.const 524288)))
    (local.set $ars (i32.shl (local.get $ars) (i32.const 2)))
    (local.set $aks (i32.shl (local.get $aks) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (loop $columnBlocks
      (local.set $nc (call $min (i32.const 512) (i32.sub (local.get $n) (local.get $jc))))
      (local.set $pc (local.get $k0))
      (loop $slices
        (local.set $kc (call $min (i32.const 256) (i32.sub (local.get $k) (local.get $pc))))
        (call $packB (local.get $pack)
          (i32.add (i32.add (local.get $b) (i32.mul (local.get $pc) (local.get $ldb))) (i32.shl (local.get $jc) (i32.const 2)))
          (local.get $kc) (local.get $nc) (local.get $ldb))
        (local.set $row (i32.const 0))
        (loop $strips
          (if (local.get $packed)
            (then
              (call $packA (local.get $packA)
                (i32.add (i32.add (local.get $a) (i32.shl (local.get $row) (i32.const 2))) (i32.mul (local.get $pc) (local.get $aks)))
                (local.get $kc) (local.get $aks))))
          (call $strip
            (i32.add (i32.add (local.get $c) (i32.mul (local.get $row) (local.get $ldc))) (i32.shl (local.get $jc) (i32.const 2)))
            (select
              (local.get $packA)
              (i32.add (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $ars))) (i32.mul (local.get $pc) (local.get $aks)))
              (local.get $packed))
            (local.get $pack)
            (local.get $kc)
            (select (i32.const 16) (local.get $aks) (local.get $packed))
            (local.get $ars)
            (local.get $ldc)
            (i32.sub (local.get $m) (local.get $row))
            (local.get $nc)
            (i32.eqz (local.get $pc))
            (select (i32.add (local.get $bias) (i32.shl (local.get $row) (i32.const 2))) (i32.const 0) (local.get $bias)))
          (br_if $strips (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 4))) (local.get $m))))
        (br_if $slices (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (i32.const 256))) (local.get $k))))
      (br_if $columnBlocks (i32.lt_u (local.tee $jc (i32.add (local.get $jc) (i32.const 512))) (local.get $n)))))

  ;; One thread's share (`index` of `count`) of the operation whose code and arguments (i32) lie at `args`:
  ;; 0, a product (matmulShare); 1, tanh (its zs, as, slopes, n); 2, an elementwise multiply (dst, x, n); 3, a
  ;; transpose (dst, src, rows, cols, lds, ldd), shared by the source's columns in whole tiles of 32; 4 and 5, a
  ;; product, then on the share's own rows (whole rows of stride ldc, from the row pointers after the product's
  ;; twelve arguments) tanh (zs, as, slopes) or a multiply (dst, x): the rows are the share's own in every part
  ;; of a product, so its last part can finish them without the threads meeting again. An elementwise operation
  ;; is shared in whole lanes; each value is computed as on one thread.
  (func (export "share") (param $args i32) (param $index i32) (param $count i32) (param $pack i32)
    (local $n i32) (local $per i32) (local $first i32) (local $at i32) (local $code i32)
    (local.set $at (i32.add (local.get $args) (i32.const 4)))
    (local.set $code (i32.load (local.get $args)))
    (if (i32.or (i32.eqz (local.get $code)) (i32.ge_u (local.get $code) (i32.const 4)))
      (then
        (call $matmulShare (local.get $at) (local.get $index) (local.get $count) (local.get $pack))
        (if (i32.eqz (local.get $code)) (then (return)))
        (local.set $n (i32.load offset=16 (local.get $at)))
        (local.set $per (call $rowsPerShare (local.get $n) (local.get $count)))
        (local.set $first (i32.mul (local.get $index) (local.get $per)))
        (if (i32.ge_u (local.get $first) (local.get $n)) (then (return)))
        ;; The share's values: its rows times ldc, from byte (first row)·ldc·4.
        (local.set $n (i32.mul (call $min (local.get $per) (i32.sub (local.get $n) (local.get $first))) (i32.load offset=40 (local.get $at))))
        (local.set $first (i32.shl (i32.mul (local.get $first) (i32.load offset=40 (local.get $at))) (i32.const 2)))
        (if (i32.eq (local.get $code) (i32.const 4))
          (then
            (call $tanh
              (i32.add (i32.load offset=48 (local.get $at)) (local.get $first))
              (i32.add (i32.load offset=52 (local.get $at)) (local.get $first))
              (i32.add (i32.load offset=56 (local.get $at)) (local.get $first))
              (local.get $n)))
          (else
            (call $multiply
              (i32.add (i32.load offset=48 (local.get $at)) (local.get $first))
              (i32.add (i32.load offset=52 (local.get $at)) (local.get $first))
              (local.get $n))))
        (return)))
    (if (i32.eq (i32.load (local.get $args)) (i32.const 3))
      (then
        ;; ⌈cols / (32·count)⌉ tiles a share: the share writes whole rows of dst, `per` of them from index·per.
        (local.set $n (i32.load offset=12 (local.get $at)))
        (local.set $per (i32.shl
          (i32.div_u (i32.add (local.get $n) (i32.sub (i32.shl (local.get $count) (i32.const 5)) (i32.const 1))) (i32.shl (local.get $count) (i32.const 5)))
          (i32.const 5)))
        (local.set $first (i32.mul (local.get $index) (local.get $per)))
        (if (i32.ge_u (local.get $first) (local.get $n)) (then (return)))
        (call $transpose
          (i32.add (i32.load (local.get $at)) (i32.shl (i32.mul (local.get $first) (i32.load offset=20 (local.get $at))) (i32.const 2)))
          (i32.add (i32.load offset=4 (local.get $at)) (i32.shl (local.get $first) (i32.const 2)))
          (i32.load offset=8 (local.get $at))
          (call $min (local.get $per) (i32.sub (local.get $n) (local.get $first)))
          (i32.load offset=16 (local.get $at))
          (i32.load offset=20 (local.get $at)))
        (return)))
    ;; n is the last argument: the fourth of tanh, the third of multiply.
    (local.set $n (i32.load
      (i32.add (local.get $at) (select (i32.const 12) (i32.const 8) (i32.eq (i32.load (local.get $args)) (i32.const 1))))))
    ;; ⌈n / (4·count)⌉ lanes of four a share: `per` floats, from float index·per.
    (local.set $per (i32.shl
      (i32.div_u (i32.add (local.get $n) (i32.sub (i32.shl (local.get $count) (i32.const 2)) (i32.const 1))) (i32.shl (local.get $count) (i32.const 2)))
      (i32.const 2)))
    (local.set $first (i32.mul (local.get $index) (local.get $per)))
    (if (i32.ge_u (local.get $first) (local.get $n)) (then (return)))
    (local.set $n (call $min (local.get $per) (i32.sub (local.get $n) (local.get $first))))
    ;; Byte offset of the share's first value.
    (local.set $first (i32.shl (local.get $first) (i32.const 2)))
    (if (i32.eq (i32.load (local.get $args)) (i32.const 1))
      (then
        (call $tanh
          (i32.add (i32.load (local.get $at)) (local.get $first))
          (i32.add (i32.load offset=4 (local.get $at)) (local.get $first))
          (i32.add (i32.load offset=8 (local.get $at)) (local.get $first))
          (local.get $n)))
      (else
        (call $multiply
          (i32.add (i32.load (local.get $at)) (local.get $first))
          (i32.add (i32.load offset=4 (local.get $at)) (local.get $first))
          (local.get $n)))))

  ;; One thread's share of a product whose arguments lie at `args` (twelve i32: matmul's c, a, b, bias, m, n, k,
  ;; ars, aks, ldb, ldc, k0): of `count` shares of C's rows, in whole strips of 4, share `index`, with its own `pack`
  ;; area. A row's sums do not depend on which rows share its product, so the result is the same for any count.
  (func $matmulShare (param $args i32) (param $index i32) (param $count i32) (param $pack i32)
    (local $m i32) (local $per i32) (local $first i32) (local $bias i32)
    (local.set $m (i32.load offset=16 (local.get $args)))
    (local.set $per (call $rowsPerShare (local.get $m) (local.get $count)))
    (local.set $first (i32.mul (local.get $index) (local.get $per)))
    (if (i32.ge_u (local.get $first) (local.get $m)) (then (return)))
    (local.set $bias (i32.load offset=12 (local.get $args)))
    (call $matmul
      (i32.add (i32.load (local.get $args)) (i32.shl (i32.mul (local.get $first) (i32.load offset=40 (local.get $args))) (i32.const 2)))
      (i32.add (i32.load offset=4 (local.get $args)) (i32.shl (i32.mul (local.get $first) (i32.load offset=28 (local.get $args))) (i32.const 2)))
      (i32.load offset=8 (local.get $args))
      (select (i32.add (local.get $bias) (i32.shl (local.get $first) (i32.const 2))) (i32.const 0) (local.get $bias))
      (call $min (local.get $per) (i32.sub (local.get $m) (local.get $first)))
      (i32.load offset=20 (local.get $args))
      (i32.load offset=24 (local.get $args))
      (i32.load offset=28 (local.get $args))
      (i32.load offset=32 (local.get $args))
      (i32.load offset=36 (local.get $args))
      (i32.load offset=40 (local.get $args))
      (i32.load offset=44 (local.get $args))
      (local.get $pack)))

  ;; Rows a share of a product of m rows among `count` threads: ⌈m / (4·count)⌉ strips of 4.
  (func $rowsPerShare (param $m i32) (param $count i32) (result i32)
    (i32.shl
      (i32.div_u (i32.add (local.get $m) (i32.sub (i32.shl (local.get $count) (i32.const 2)) (i32.const 1))) (i32.shl (local.get $count) (i32.const 2)))
      (i32.const 2)))

  (func $min (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y))))

  ;; Packs kc rows of nc columns (a multiple of 4) from src (row stride ldb bytes) as panels of 8 columns: panel j
  ;; at dst + 32·kc·j, row p of it at + 32p; a last panel of 4 columns is padded with zeros.
  (func $packB (param $dst i32) (param $src i32) (param $kc i32) (param $nc i32) (param $ldb i32)
    (local $j i32) (local $s i32) (local $d i32) (local $panel i32)
    (local.set $panel (i32.shl (local.get $kc) (i32.const 5)))
    (loop $rows
      (local.set $s (local.get $src))
      (local.set $d (local.get $dst))
      (local.set $j (i32.const 8))
      (block $wholeDone
        (loop $whole
          (br_if $wholeDone (i32.gt_u (local.get $j) (local.get $nc)))
          (v128.store (local.get $d) (v128.load (local.get $s)))
          (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
          (local.set $s (i32.add (local.get $s) (i32.const 32)))
          (local.set $d (i32.add (local.get $d) (local.get $panel)))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $whole)))
      (if (i32.lt_u (i32.sub (local.get $j) (i32.const 8)) (local.get $nc))
        (then
          (v128.store (local.get $d) (v128.load (local.get $s)))
          (v128.store offset=16 (local.get $d) (v128.const i32x4 0 0 0 0))))
      (local.set $src (i32.add (local.get $src) (local.get $ldb)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (br_if $rows (local.tee $kc (i32.sub (local.get $kc) (i32.const 1))))))

  ;; Packs 4 rows of a transposed A (4 consecutive floats, the next k aks bytes on; rows past the last are its
  ;; padding) for kc values of k: the k-th 4 values at dst + 16k.
  (func $packA (param $dst i32) (param $src i32) (param $kc i32) (param $aks i32)
    (loop $values
      (v128.store (local.get $dst) (v128.load (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $src (i32.add (local.get $src) (local.get $aks)))
      (br_if $values (local.tee $kc (i32.sub (local.get $kc) (i32.const 1))))))

  ;; One strip of C: 4 rows (fewer where `rows` < 4) × `cols` columns from c, in tiles of 4 rows × 8 columns
  ;; kept in registers, over kc values of k: each packed B vector loaded serves 4 rows, each A value broadcast
  ;; serves 8 columns. A tile's sums start from the bias (or zero) on the first slice of k and from C on the
  ;; others. Rows past the last and the right half of a last tile of 4 columns are computed but not stored:
  ;; such rows read row 0's A, bias and C, so they equal row 0 and stay within its memory.
  (func $strip
    (param $c i32) (param $a i32) (param $p i32) (param $kc i32) (param $aks i32) (param $ars i32) (param $ldc i32)
    (param $rows i32) (param $cols i32) (param $first i32) (param $bias i32)
    (local $i i32) (local $pa i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $i0 v128) (local $i1 v128) (local $i2 v128) (local $i3 v128)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    ;; Byte offsets of rows 1-3 in A, C and the bias (0: row 0's).
    (local.set $a1 (select (local.get $ars) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 1))))
    (local.set $a2 (select (i32.shl (local.get $ars) (i32.const 1)) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 2))))
    (local.set $a3 (select (i32.mul (local.get $ars) (i32.const 3)) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 3))))
    (local.set $c1 (select (local.get $ldc) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 1))))
    (local.set $c2 (select (i32.shl (local.get $ldc) (i32.const 1)) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 2))))
    (local.set $c3 (select (i32.mul (local.get $ldc) (i32.const 3)) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 3))))
    ;; What each row's sums start from on the first slice: its bias, or zero.
    (if (local.get $bias)
      (then
        (local.set $i0 (v128.load32_splat (local.get $bias)))
        (local.set $i1 (v128.load32_splat (i32.add (local.get $bias) (select (i32.const 4) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 1))))))
        (local.set $i2 (v128.load32_splat (i32.add (local.get $bias) (select (i32.const 8) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 2))))))
        (local.set $i3 (v128.load32_splat (i32.add (local.get $bias) (select (i32.const 12) (i32.const 0) (i32.gt_u (local.get $rows) (i32.const 3))))))))
    (loop $tiles
      (if (local.get $first)
        (then
          (local.set $c00 (local.get $i0))
          (local.set $c01 (local.get $i0))
          (local.set $c10 (local.get $i1))
          (local.set $c11 (local.get $i1))
          (local.set $c20 (local.get $i2))
          (local.set $c21 (local.get $i2))
          (local.set $c30 (local.get $i3))
          (local.set $c31 (local.get $i3)))
        (else
          (local.set $c00 (v128.load (local.get $c)))
          (local.set $c10 (v128.load (i32.add (local.get $c) (local.get $c1))))
          (local.set $c20 (v128.load (i32.add (local.get $c) (local.get $c2))))
          (local.set $c30 (v128.load (i32.add (local.get $c) (local.get $c3))))
          (if (i32.ge_u (local.get $cols) (i32.const 8))
            (then
              (local.set $c01 (v128.load offset=16 (local.get $c)))
              (local.set $c11 (v128.load offset=16 (i32.add (local.get $c) (local.get $c1))))
              (local.set $c21 (v128.load offset=16 (i32.add (local.get $c) (local.get $c2))))
              (local.set $c31 (v128.load offset=16 (i32.add (local.get $c) (local.get $c3))))))))
      (local.set $pa (local.get $a))
      (local.set $i (local.get $kc))
      (loop $inner
        (local.set $b0 (v128.load (local.get $p)))
        (local.set $b1 (v128.load offset=16 (local.get $p)))
        (local.set $s (v128.load32_splat (local.get $pa)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $a1))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $a2))))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $a3))))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aks)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br_if $inner (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
      ;; Rows 3 to 0, so that row 0's own values are the last written there.
      (v128.store (i32.add (local.get $c) (local.get $c3)) (local.get $c30))
      (v128.store (i32.add (local.get $c) (local.get $c2)) (local.get $c20))
      (v128.store (i32.add (local.get $c) (local.get $c1)) (local.get $c10))
      (v128.store (local.get $c) (local.get $c00))
      (if (i32.ge_u (local.get $cols) (i32.const 8))
        (then
          (v128.store offset=16 (i32.add (local.get $c) (local.get $c3)) (local.get $c31))
          (v128.store offset=16 (i32.add (local.get $c) (local.get $c2)) (local.get $c21))
          (v128.store offset=16 (i32.add (local.get $c) (local.get $c1)) (local.get $c11))
          (v128.store offset=16 (local.get $c) (local.get $c01))))
      ;; The next panel of B follows this one's kc rows of 8.
      (local.set $c (i32.add (local.get $c) (i32.const 32)))
      (br_if $tiles (i32.gt_s (local.tee $cols (i32.sub (local.get $cols) (i32.const 8))) (i32.const 0)))))

  ;; dst[j, i] = src[i, j] for a [rows, cols] matrix with row stride lds into one with row stride ldd, in tiles of
  ;; 32 × 32: row by row, every value of a source row went to a new cache line of dst, 20-30 ns each once dst
  ;; outgrew L1 (the CPU step transposes every hidden layer's input each step); a tile's 32 lines of dst stay in it.
  (func $transpose (export "transpose") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32) (param $lds i32) (param $ldd i32)
    (local $ib i32) (local $jb i32) (local $i i32) (local $j i32) (local $iEnd i32) (local $jEnd i32) (local $ps i32) (local $pd i32)
    (local.set $lds (i32.shl (local.get $lds) (i32.const 2)))
    (local.set $ldd (i32.shl (local.get $ldd) (i32.const 2)))
    (block $rowTilesDone
      (loop $rowTiles
        (br_if $rowTilesDone (i32.ge_u (local.get $ib) (local.get $rows)))
        (local.set $iEnd (call $min (i32.add (local.get $ib) (i32.const 32)) (local.get $rows)))
        (local.set $jb (i32.const 0))
        (block $colTilesDone
          (loop $colTiles
            (br_if $colTilesDone (i32.ge_u (local.get $jb) (local.get $cols)))
            (local.set $jEnd (call $min (i32.add (local.get $jb) (i32.const 32)) (local.get $cols)))
            (local.set $i (local.get $ib))
            (loop $tileRows
              (local.set $ps (i32.add (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $lds))) (i32.shl (local.get $jb) (i32.const 2))))
              (local.set $pd (i32.add (i32.add (local.get $dst) (i32.mul (local.get $jb) (local.get $ldd))) (i32.shl (local.get $i) (i32.const 2))))
              (local.set $j (local.get $jb))
              (loop $tileCols
                (f32.store (local.get $pd) (f32.load (local.get $ps)))
                (local.set $ps (i32.add (local.get $ps) (i32.const 4)))
                (local.set $pd (i32.add (local.get $pd) (local.get $ldd)))
                (br_if $tileCols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $jEnd))))
              (br_if $tileRows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $iEnd))))
            (local.set $jb (i32.add (local.get $jb) (i32.const 32)))
            (br $colTiles)))
        (local.set $ib (i32.add (local.get $ib) (i32.const 32)))
        (br $rowTiles))))

  ;; dst[i] = Σ_j src[i, j] over a [rows, cols] matrix with row stride ld (cols a multiple of 4).
  (func (export "rowSums") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32) (param $ld i32)
    (local $i i32) (local $p i32) (local $end i32) (local $sum v128)
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $p (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $ld))))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $sum (v128.const i32x4 0 0 0 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $sum (f32x4.add (local.get $sum) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $cols)))
        (f32.store
          (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
            (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; m[r, j] ← m[r, j]·scales[r] + bias[r] (+ 0 where bias = 0) over a [rows, cols] matrix with row stride ld
  ;; (cols a multiple of 4): MscaleDNN's input scales per first-layer neuron, as the tape applies them.
  (func (export "scaleRows") (param $m i32) (param $scales i32) (param $bias i32) (param $rows i32) (param $cols i32) (param $ld i32)
    (local $p i32) (local $end i32) (local $s v128) (local $b v128)
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.eqz (local.get $rows)))
        (local.set $s (v128.load32_splat (local.get $scales)))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (if (local.get $bias)
          (then
            (local.set $b (v128.load32_splat (local.get $bias)))
            (local.set $bias (i32.add (local.get $bias) (i32.const 4)))))
        (local.set $p (local.get $m))
        (local.set $end (i32.add (local.get $m) (i32.shl (local.get $cols) (i32.const 2))))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $p) (local.get $end)))
            (v128.store (local.get $p) (f32x4.add (f32x4.mul (v128.load (local.get $p)) (local.get $s)) (local.get $b)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $cols)))
        (local.set $m (i32.add (local.get $m) (local.get $ld)))
        (local.set $scales (i32.add (local.get $scales) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $rows))))

    ;; dst[i] ·= x[i] for the first n values (n a multiple of 4).
  (func $multiply (export "multiply") (param $dst i32) (param $x i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.mul (v128.load (local.get $dst)) (v128.load (local.get $x))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $next))))

  ;; Adam as PyTorch's (single-tensor, float32) computes it, in place on [parameters | m | v | gradient] from
  ;; `base`, each n floats, in its order of operations:
  ;;   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g·g,  p ← p − stepSize·m / (√v / √(1 − β₂ᵗ) + ε)
  ;; with stepSize = lr / (1 − β₁ᵗ). The caller computes every constant in double, 1 − β included, and rounds it
  ;; once, as PyTorch rounds its Python scalars: 1 − β₂ taken in float32 is off by 1.3e-5 relative.
  (func (export "adam")
    (param $base i32) (param $n i32) (param $beta1 f32) (param $beta2 f32) (param $oneMinusBeta1 f32) (param $oneMinusBeta2 f32)
    (param $stepSize f32) (param $correction2Sqrt f32) (param $epsilon f32)
    (local $p i32) (local $end i32) (local $bytes i32)
    (local $b1 v128) (local $b2 v128) (local $a1 v128) (local $a2 v128) (local $step v128) (local $c2 v128) (local $eps v128)
    (local $g v128) (local $m v128) (local $v v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (local.get $base))
    (local.set $end (i32.add (local.get $base) (local.get $bytes)))
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $a1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $a2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $step (f32x4.splat (local.get $stepSize)))
    (local.set $c2 (f32x4.splat (local.get $correction2Sqrt)))
    (local.set $eps (f32x4.splat (local.get $epsilon)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $g (v128.load (i32.add (local.get $p) (i32.mul (local.get $bytes) (i32.const 3)))))
        (local.set $m
          (f32x4.add
            (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $p) (local.get $bytes))))
            (f32x4.mul (local.get $a1) (local.get $g))))
        (local.set $v
          (f32x4.add
            (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $p) (i32.shl (local.get $bytes) (i32.const 1)))))
            (f32x4.mul (f32x4.mul (local.get $a2) (local.get $g)) (local.get $g))))
        (v128.store (i32.add (local.get $p) (local.get $bytes)) (local.get $m))
        (v128.store (i32.add (local.get $p) (i32.shl (local.get $bytes) (i32.const 1))) (local.get $v))
        (v128.store (local.get $p)
          (f32x4.sub
            (v128.load (local.get $p))
            (f32x4.div
              (f32x4.mul (local.get $step) (local.get $m))
              (f32x4.add (f32x4.div (f32x4.sqrt (local.get $v)) (local.get $c2)) (local.get $eps)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))

  ;; Gradient descent on [parameters | m | v | gradient] from `base`: p ← p − lr·g.
  (func (export "sgd") (param $base i32) (param $n i32) (param $lr f32)
    (local $p i32) (local $end i32) (local $g i32) (local $rate v128)
    (local.set $p (local.get $base))
    (local.set $end (i32.add (local.get $base) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $g (i32.mul (i32.shl (local.get $n) (i32.const 2)) (i32.const 3)))
    (local.set $rate (f32x4.splat (local.get $lr)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p)
          (f32x4.sub (v128.load (local.get $p)) (f32x4.mul (local.get $rate) (v128.load (i32.add (local.get $p) (local.get $g))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))

  ;; a = tanh z and slope = 1 − tanh² z for the first n values (rounded up to whole lanes), accurate to a few
  ;; float32 ulps for every z (2σ(2z) − 1 loses all relative precision at the tiny z of small initializations);
  ;; a may be z itself. The rational approximation tanh x ≈ x·P(x²)/Q(x²) on the clamped x, and x itself below
  ;; |x| = 0.0004, are Eigen's. The coefficients are splatted once into locals (a v128.const in the loop costs
  ;; V8 several instructions each time), and the clamp is pmin/pmax, one instruction each where min/max take
  ;; several; both keep NaN (divergence stays visible).
  (func $tanh (export "tanh") (param $zs i32) (param $as i32) (param $slopes i32) (param $n i32)
    (local $p i32) (local $end i32)
    (local $z v128) (local $x v128) (local $x2 v128) (local $num v128) (local $den v128) (local $a v128)
    (local $clamp v128) (local $negativeClamp v128) (local $linear v128) (local $one v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $p4 v128) (local $p5 v128) (local $p6 v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local.set $clamp (f32x4.splat (f32.const 7.90531110763549805)))
    (local.set $negativeClamp (f32x4.neg (local.get $clamp)))
    (local.set $linear (f32x4.splat (f32.const 0.0004)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $p6 (f32x4.splat (f32.const -2.76076847742355e-16)))
    (local.set $p5 (f32x4.splat (f32.const 2.00018790482477e-13)))
    (local.set $p4 (f32x4.splat (f32.const -8.60467152213735e-11)))
    (local.set $p3 (f32x4.splat (f32.const 5.12229709037114e-08)))
    (local.set $p2 (f32x4.splat (f32.const 1.48572235717979e-05)))
    (local.set $p1 (f32x4.splat (f32.const 6.37261928875436e-04)))
    (local.set $p0 (f32x4.splat (f32.const 4.89352455891786e-03)))
    (local.set $q3 (f32x4.splat (f32.const 1.19825839466702e-06)))
    (local.set $q2 (f32x4.splat (f32.const 1.18534705686654e-04)))
    (local.set $q1 (f32x4.splat (f32.const 2.26843463243900e-03)))
    (local.set $q0 (f32x4.splat (f32.const 4.89352518554385e-03)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $z (v128.load (i32.add (local.get $zs) (local.get $p))))
        ;; pmax(z, −c) is z when z is NaN, and pmin(x, c) is x.
        (local.set $x (f32x4.pmin (f32x4.pmax (local.get $z) (local.get $negativeClamp)) (local.get $clamp)))
        (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $p6) (local.get $x2)) (local.get $p5)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (local.get $p4)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (local.get $p3)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (local.get $p2)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (local.get $p1)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (local.get $p0)))
        (local.set $num (f32x4.mul (local.get $num) (local.get $x)))
        (local.set $den (f32x4.add (f32x4.mul (local.get $q3) (local.get $x2)) (local.get $q2)))
        (local.set $den (f32x4.add (f32x4.mul (local.get $den) (local.get $x2)) (local.get $q1)))
        (local.set $den (f32x4.add (f32x4.mul (local.get $den) (local.get $x2)) (local.get $q0)))
        (local.set $a
          (v128.bitselect
            (local.get $z)
            (f32x4.div (local.get $num) (local.get $den))
            (f32x4.lt (f32x4.abs (local.get $z)) (local.get $linear))))
        (v128.store (i32.add (local.get $as) (local.get $p)) (local.get $a))
        (v128.store (i32.add (local.get $slopes) (local.get $p))
          (f32x4.sub (local.get $one) (f32x4.mul (local.get $a) (local.get $a))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))))
