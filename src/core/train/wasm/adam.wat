;; Adam (as PyTorch computes it) over flat float32 arrays in four SIMD lanes. The caller lays out, from byte 0,
;; the parameters, m, v and the gradient, each `n` floats with n a multiple of 4, and updates them in place:
;;   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  p ← p − stepSize·m / (√v·inverseCorrection + ε)
;; with stepSize = lr / (1 − β₁ᵗ) and inverseCorrection = 1 / √(1 − β₂ᵗ).
(module
  (import "env" "memory" (memory 1))
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
        (br $next)))))
