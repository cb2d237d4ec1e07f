;; The CPU step's kernels, in four float32 SIMD lanes: the whole training step of a plain MLP runs on them, in
;; one memory that the caller lays out (cpuStep.ts). Pointers are byte offsets, 16-byte aligned; matrices are
;; row-major with row strides (in floats) that are multiples of 4, their padding zero where a sum runs over it.
(module
  (import "env" "memory" (memory 1))

  ;; C[m, n] = A·B, plus bias[r] on row r when bias ≠ 0 (n a multiple of 4, k ≥ 1). A's element (r, i) is at
  ;; a + 4(r·ars + i·aks), so A may be read transposed; B is [k, n] with row stride ldb; C has row stride ldc.
  ;; Blocks of 4 rows × 8 columns keep 8 accumulators in registers: each B vector loaded serves 4 rows, each
  ;; A value broadcast serves 8 columns.
  (func (export "matmul")
    (param $c i32) (param $a i32) (param $b i32) (param $bias i32)
    (param $m i32) (param $n i32) (param $k i32)
    (param $ars i32) (param $aks i32) (param $ldb i32) (param $ldc i32)
    (local $r i32) (local $col i32) (local $i i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $a2 i32) (local $a3 i32)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $i0 v128) (local $i1 v128) (local $i2 v128) (local $i3 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $ars (i32.shl (local.get $ars) (i32.const 2)))
    (local.set $aks (i32.shl (local.get $aks) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $a2 (i32.shl (local.get $ars) (i32.const 1)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
    ;; Rows four at a time.
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $m)))
        (local.set $i0 (call $rowStart (local.get $bias) (local.get $r)))
        (local.set $i1 (call $rowStart (local.get $bias) (i32.add (local.get $r) (i32.const 1))))
        (local.set $i2 (call $rowStart (local.get $bias) (i32.add (local.get $r) (i32.const 2))))
        (local.set $i3 (call $rowStart (local.get $bias) (i32.add (local.get $r) (i32.const 3))))
        (local.set $col (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.gt_u (i32.add (local.get $col) (i32.const 8)) (local.get $n)))
            (local.set $c00 (local.get $i0))
            (local.set $c01 (local.get $i0))
            (local.set $c10 (local.get $i1))
            (local.set $c11 (local.get $i1))
            (local.set $c20 (local.get $i2))
            (local.set $c21 (local.get $i2))
            (local.set $c30 (local.get $i3))
            (local.set $c31 (local.get $i3))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $ars))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
            (local.set $i (local.get $k))
            (loop $inner
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $s (v128.load32_splat (local.get $pa)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $ars))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $a2))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $a3))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $pa (i32.add (local.get $pa) (local.get $aks)))
              (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
              (br_if $inner (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
            (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))) (i32.shl (local.get $col) (i32.const 2))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $col (i32.add (local.get $col) (i32.const 8)))
            (br $cols)))
        ;; A last block of 4 columns.
        (if (i32.lt_u (local.get $col) (local.get $n))
          (then
            (local.set $c00 (local.get $i0))
            (local.set $c10 (local.get $i1))
            (local.set $c20 (local.get $i2))
            (local.set $c30 (local.get $i3))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $ars))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
            (local.set $i (local.get $k))
            (loop $inner
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $s (v128.load32_splat (local.get $pa)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $ars))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $a2))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $a3))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $pa (i32.add (local.get $pa) (local.get $aks)))
              (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
              (br_if $inner (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
            (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))) (i32.shl (local.get $col) (i32.const 2))))
            (v128.store (local.get $pc) (local.get $c00))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c10))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c20))
            (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
            (v128.store (local.get $pc) (local.get $c30))
))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows)))
    ;; The last rows one at a time, 4 columns at a time.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $r) (local.get $m)))
        (local.set $i0 (call $rowStart (local.get $bias) (local.get $r)))
        (local.set $col (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $col) (local.get $n)))
            (local.set $c00 (local.get $i0))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $ars))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $col) (i32.const 2))))
            (local.set $i (local.get $k))
            (loop $inner
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (v128.load32_splat (local.get $pa)) (v128.load (local.get $pb)))))
              (local.set $pa (i32.add (local.get $pa) (local.get $aks)))
              (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
              (br_if $inner (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
            (v128.store
              (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))) (i32.shl (local.get $col) (i32.const 2)))
              (local.get $c00))
            (local.set $col (i32.add (local.get $col) (i32.const 4)))
            (br $cols)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $tail))))

  ;; What row r's sums start from: its bias, or zero.
  (func $rowStart (param $bias i32) (param $r i32) (result v128)
    (if (result v128) (local.get $bias)
      (then (v128.load32_splat (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2)))))
      (else (v128.const i32x4 0 0 0 0))))

  ;; dst[j, i] = src[i, j] for a [rows, cols] matrix with row stride lds into one with row stride ldd.
  (func (export "transpose") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32) (param $lds i32) (param $ldd i32)
    (local $i i32) (local $j i32) (local $ps i32) (local $pd i32)
    (local.set $lds (i32.shl (local.get $lds) (i32.const 2)))
    (local.set $ldd (i32.shl (local.get $ldd) (i32.const 2)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $ps (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $lds))))
        (local.set $pd (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $j (local.get $cols))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.eqz (local.get $j)))
            (f32.store (local.get $pd) (f32.load (local.get $ps)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 4)))
            (local.set $pd (i32.add (local.get $pd) (local.get $ldd)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

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

  ;; dst[i] ·= x[i] for the first n values (n a multiple of 4).
  (func (export "multiply") (param $dst i32) (param $x i32) (param $n i32)
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
  ;; |x| = 0.0004, are Eigen's.
  (func (export "tanh") (param $zs i32) (param $as i32) (param $slopes i32) (param $n i32)
    (local $p i32) (local $end i32)
    (local $z v128) (local $x v128) (local $x2 v128) (local $num v128) (local $den v128) (local $a v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $z (v128.load (i32.add (local.get $zs) (local.get $p))))
        (local.set $x (f32x4.min (f32x4.max (local.get $z) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805))
                                 (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)))
        (local.set $x2 (f32x4.mul (local.get $x) (local.get $x)))
        (local.set $num (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)))
        (local.set $num (f32x4.add (f32x4.mul (local.get $num) (local.get $x2)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)))
        (local.set $num (f32x4.mul (local.get $num) (local.get $x)))
        (local.set $den (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06))
        (local.set $den (f32x4.add (f32x4.mul (local.get $den) (local.get $x2)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)))
        (local.set $den (f32x4.add (f32x4.mul (local.get $den) (local.get $x2)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)))
        (local.set $den (f32x4.add (f32x4.mul (local.get $den) (local.get $x2)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))
        (local.set $a
          (v128.bitselect
            (local.get $z)
            (f32x4.div (local.get $num) (local.get $den))
            (f32x4.lt (f32x4.abs (local.get $z)) (v128.const f32x4 0.0004 0.0004 0.0004 0.0004))))
        (v128.store (i32.add (local.get $as) (local.get $p)) (local.get $a))
        (v128.store (i32.add (local.get $slopes) (local.get $p))
          (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $a) (local.get $a))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))))
