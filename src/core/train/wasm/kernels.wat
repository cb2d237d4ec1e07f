;; The CPU step's kernels that tfjs-wasm lacks, in four float32 SIMD lanes. Each instance gets its own memory, in
;; which the caller lays out the arrays from byte 0, each `n` floats long with n a multiple of 4.
(module
  (import "env" "memory" (memory 1))

  ;; Adam as PyTorch computes it, in place on [parameters | m | v | gradient]:
  ;;   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  p ← p − stepSize·m / (√v·inverseCorrection + ε)
  ;; with stepSize = lr / (1 − β₁ᵗ) and inverseCorrection = 1 / √(1 − β₂ᵗ).
  (func (export "adam")
    (param $n i32) (param $beta1 f32) (param $beta2 f32) (param $stepSize f32) (param $inverseCorrection f32) (param $epsilon f32)
    (local $p i32) (local $end i32) (local $bytes i32)
    (local $b1 v128) (local $b2 v128) (local $a1 v128) (local $a2 v128) (local $step v128) (local $ic v128) (local $eps v128)
    (local $g v128) (local $m v128) (local $v v128)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end (local.get $bytes))
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $a1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $a2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $step (f32x4.splat (local.get $stepSize)))
    (local.set $ic (f32x4.splat (local.get $inverseCorrection)))
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
            (f32x4.mul (local.get $a2) (f32x4.mul (local.get $g) (local.get $g)))))
        (v128.store (i32.add (local.get $p) (local.get $bytes)) (local.get $m))
        (v128.store (i32.add (local.get $p) (i32.shl (local.get $bytes) (i32.const 1))) (local.get $v))
        (v128.store (local.get $p)
          (f32x4.sub
            (v128.load (local.get $p))
            (f32x4.div
              (f32x4.mul (local.get $step) (local.get $m))
              (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $v)) (local.get $ic)) (local.get $eps)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))

  ;; tanh and its slope for the first n values (rounded up to whole lanes) of [z | tanh z | 1 − tanh² z], arrays
  ;; `stride` floats apart, accurate to a few float32 ulps for every z (tfjs-wasm's tanh
  ;; is scalar, and 2σ(2z) − 1 loses all relative precision at the tiny z of small initializations). The rational
  ;; approximation tanh x ≈ x·P(x²)/Q(x²) on the clamped x, and x itself below |x| = 0.0004, are Eigen's.
  (func (export "tanh") (param $stride i32) (param $n i32)
    (local $p i32) (local $end i32) (local $bytes i32)
    (local $z v128) (local $x v128) (local $x2 v128) (local $num v128) (local $den v128) (local $a v128)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $z (v128.load (local.get $p)))
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
        (v128.store (i32.add (local.get $p) (local.get $bytes)) (local.get $a))
        (v128.store (i32.add (local.get $p) (i32.shl (local.get $bytes) (i32.const 1)))
          (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $a) (local.get $a))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))))
