;; Part of train.wat, spliced in at its @include line by scripts/build-wasm.mjs.
;; The optimiser's kernels: Adam and the blockwise Σp² that gradient clipping needs.
  ;; Adam on n floats (split over threads): g' = gs·g; m ← b1·m + (1 − b1)·g';
  ;; v ← b2·v + (1 − b2)·g'²; p ← p − (m · lrc1) / (√(v · ic2) + eps), lrc1 = lr / (1 − b1^t),
  ;; ic2 = 1 / (1 − b2^t) — the reference Adam's formula.
  (func (export "adam") (param $tid i32) (param $nt i32) (param $p i32) (param $g i32) (param $m i32)
    (param $v i32) (param $n i32) (param $gs f32) (param $b1 f32) (param $b2 f32) (param $lrc1 f32)
    (param $ic2 f32) (param $eps f32)
    (local $i i32) (local $i1 i32) (local $o i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local.set $i (call $part (local.get $n) (i32.const 4) (local.get $tid) (local.get $nt)))
    (local.set $i1 (call $part (local.get $n) (i32.const 4) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (local.set $gv (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $o))) (f32x4.splat (local.get $gs))))
      (local.set $mv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $o))) (f32x4.splat (local.get $b1)))
        (f32x4.mul (local.get $gv) (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))))
      (local.set $vv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $o))) (f32x4.splat (local.get $b2)))
        (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))))
      (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mv))
      (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vv))
      (v128.store (i32.add (local.get $p) (local.get $o))
        (f32x4.sub (v128.load (i32.add (local.get $p) (local.get $o)))
          (f32x4.div (f32x4.mul (local.get $mv) (f32x4.splat (local.get $lrc1)))
            (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vv) (f32x4.splat (local.get $ic2))))
              (f32x4.splat (local.get $eps))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l))))

  ;; Σ p² over n floats in blocks of 1024: block k's sum (float64) goes to out + 8k, blocks split
  ;; over threads, so the caller's ordered total is the same for any thread count.
  (func (export "sumsq") (param $tid i32) (param $nt i32) (param $p i32) (param $n i32) (param $out i32)
    (local $k i32) (local $k1 i32) (local $i i32) (local $e i32) (local $acc v128) (local $v v128)
    (local.set $k (call $part (i32.shr_u (i32.add (local.get $n) (i32.const 1023)) (i32.const 10))
      (i32.const 1) (local.get $tid) (local.get $nt)))
    (local.set $k1 (call $part (i32.shr_u (i32.add (local.get $n) (i32.const 1023)) (i32.const 10))
      (i32.const 1) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $k) (local.get $k1)))
      (local.set $i (i32.shl (local.get $k) (i32.const 10)))
      (local.set $e (call $min (local.get $n) (i32.add (local.get $i) (i32.const 1024))))
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (block $d2 (loop $l2
        (br_if $d2 (i32.ge_u (local.get $i) (local.get $e)))
        (local.set $v (v128.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v) (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l2)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
        (f64.add (f64.add (f64.promote_f32 (f32x4.extract_lane 0 (local.get $acc)))
                          (f64.promote_f32 (f32x4.extract_lane 1 (local.get $acc))))
                 (f64.add (f64.promote_f32 (f32x4.extract_lane 2 (local.get $acc)))
                          (f64.promote_f32 (f32x4.extract_lane 3 (local.get $acc))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l))))

