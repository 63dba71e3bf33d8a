;; WebAssembly SIMD kernels of the training step (train-step.ts), assembled by
;; scripts/build-wasm.mjs into train-wasm.ts: plain SIMD and relaxed-SIMD FMA builds of the same
;; text ((FMA a b c) = a·b + c), each importing a shared memory (threads) or not (fallback).
;;
;; Every exported kernel takes (tid, nt) first: the calling thread's index and the thread count.
;; Each thread computes a fixed slice of the output (rows, columns or batch entries) with the
;; same arithmetic order whatever slice it gets, so results are bit-identical for any thread count.
;; Offsets are bytes; strides and sizes are in float32 elements; feature widths (H, V, E, n) are multiples of 4; vector rows 16-byte
;; aligned.
;; The kernels live in the NAME.inc.wat files beside this one, spliced in at the @include lines.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Start of thread t's share of n units split over nt threads in multiples of q (≤ n).
  (func $part (param $n i32) (param $q i32) (param $t i32) (param $nt i32) (result i32)
    (local $u i32)
    (local.set $u (i32.div_u (i32.add (local.get $n) (i32.sub (local.get $q) (i32.const 1)))
      (local.get $q)))
    (local.set $u (i32.mul (i32.div_u (i32.mul (local.get $u) (local.get $t)) (local.get $nt))
      (local.get $q)))
    (select (local.get $n) (local.get $u) (i32.gt_u (local.get $u) (local.get $n))))

  (func $min (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b))))

  ;; exp, sigmoid and tanh of four lanes (as decode.wat: Cephes expf, relative error ~1e-7).
  (func $exp4 (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $y v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.5 -87.5 -87.5 -87.5))
      (v128.const f32x4 88 88 88 88)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x)
        (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $k)
        (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $y (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
      (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
      (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
      (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
      (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $r))
      (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $y (f32x4.add
      (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
      (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $y)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127))
        (i32.const 23))))
  (func $sig4 (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp4 (f32x4.neg (local.get $x))))))
  (func $tanh4 (param $x v128) (result v128)
    (local $t v128)
    (local.set $t (f32x4.sub (v128.const f32x4 1 1 1 1)
      (f32x4.div (v128.const f32x4 2 2 2 2)
        (f32x4.add (v128.const f32x4 1 1 1 1)
          (call $exp4 (f32x4.mul (v128.const f32x4 2 2 2 2) (f32x4.abs (local.get $x))))))))
    (v128.or (local.get $t)
      (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))

  ;; @include gemm.inc.wat
  ;; @include lstm.inc.wat
  ;; @include xent.inc.wat
  ;; @include optim.inc.wat
  ;; @include elementwise.inc.wat
)
