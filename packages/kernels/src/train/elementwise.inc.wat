;; Part of train.wat, spliced in at its @include line by scripts/build-wasm.mjs.
;; Embedding gradients, bias column sums, tanh forward/backward, dropout masks.
  ;; Embedding gradient: demb[ids[r], :] += dx[r, :] (dx row stride ldx), columns split over
  ;; threads so no two threads touch one float and rows add in order (deterministic).
  (func (export "embgrad") (param $tid i32) (param $nt i32) (param $dx i32) (param $ldx i32)
    (param $ids i32) (param $rows i32) (param $E i32) (param $demb i32)
    (local $e0 i32) (local $e1 i32) (local $r i32) (local $e i32) (local $dst i32) (local $src i32)
    (local.set $e0 (call $part (local.get $E) (i32.const 4) (local.get $tid) (local.get $nt)))
    (local.set $e1 (call $part (local.get $E) (i32.const 4) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $dst (i32.add (local.get $demb) (i32.shl (i32.mul
        (i32.load (i32.add (local.get $ids) (i32.shl (local.get $r) (i32.const 2)))) (local.get $E)) (i32.const 2))))
      (local.set $src (i32.add (local.get $dx) (i32.shl (i32.mul (local.get $r) (local.get $ldx)) (i32.const 2))))
      (local.set $e (local.get $e0))
      (block $ed (loop $el
        (br_if $ed (i32.ge_u (local.get $e) (local.get $e1)))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $e) (i32.const 2)))
          (f32x4.add (v128.load (i32.add (local.get $dst) (i32.shl (local.get $e) (i32.const 2))))
            (v128.load (i32.add (local.get $src) (i32.shl (local.get $e) (i32.const 2))))))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br $el)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))

  ;; Column sums (bias gradients): out[j] (+)= Σ_r x[r, j] for x [rows, N], columns split.
  (func (export "colsum") (param $tid i32) (param $nt i32) (param $x i32) (param $rows i32)
    (param $N i32) (param $out i32) (param $acc i32)
    (local $j i32) (local $j1 i32) (local $r i32) (local $s v128) (local $p i32)
    (local.set $j (call $part (local.get $N) (i32.const 4) (local.get $tid) (local.get $nt)))
    (local.set $j1 (call $part (local.get $N) (i32.const 4) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $j1)))
      (local.set $s (if (result v128) (local.get $acc)
        (then (v128.load (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))))
        (else (v128.const f32x4 0 0 0 0))))
      (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s (f32x4.add (local.get $s) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $N) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $jl))))

  ;; x ← tanh(x) on n floats (split over threads).
  (func (export "tanhf") (param $tid i32) (param $nt i32) (param $x i32) (param $n i32)
    (local $i i32) (local $i1 i32) (local $p i32)
    (local.set $i (call $part (local.get $n) (i32.const 4) (local.get $tid) (local.get $nt)))
    (local.set $i1 (call $part (local.get $n) (i32.const 4) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $p (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))
      (v128.store (local.get $p) (call $tanh4 (v128.load (local.get $p))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l))))

  ;; dy ← dy · (1 − y²) (tanh backward) on n floats; with m ≠ 0, first dy ← dy · m (dropout).
  (func (export "tanhb") (param $tid i32) (param $nt i32) (param $y i32) (param $dy i32)
    (param $m i32) (param $n i32)
    (local $i i32) (local $i1 i32) (local $o i32) (local $v v128) (local $d v128)
    (local.set $i (call $part (local.get $n) (i32.const 4) (local.get $tid) (local.get $nt)))
    (local.set $i1 (call $part (local.get $n) (i32.const 4) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (local.set $v (v128.load (i32.add (local.get $y) (local.get $o))))
      (local.set $d (v128.load (i32.add (local.get $dy) (local.get $o))))
      (if (local.get $m)
        (then (local.set $d (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $m) (local.get $o)))))))
      (v128.store (i32.add (local.get $dy) (local.get $o))
        (f32x4.mul (local.get $d) (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $v) (local.get $v)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l))))

  ;; x ← x · m on n floats (dropout masks, already scaled by 1 / keep).
  (func (export "mulv") (param $tid i32) (param $nt i32) (param $x i32) (param $m i32) (param $n i32)
    (local $i i32) (local $i1 i32) (local $o i32)
    (local.set $i (call $part (local.get $n) (i32.const 4) (local.get $tid) (local.get $nt)))
    (local.set $i1 (call $part (local.get $n) (i32.const 4) (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $i1)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (v128.store (i32.add (local.get $x) (local.get $o))
        (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $o))) (v128.load (i32.add (local.get $m) (local.get $o)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l))))
