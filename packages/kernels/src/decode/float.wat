;; WebAssembly SIMD kernels for decoding on the host in float32 (cpu and wasm backends),
;; assembled by scripts/build-wasm.mjs into float-wasm.ts. All offsets are bytes into this
;; module's memory, 16-byte aligned; vector lengths are padded (with zeros) to the multiples each
;; function names.
;;
;; maxf, sumexp: the two passes of a row's log-sum-exp (simd.ts).
;; gemvf, gemvf4, lstmgates, tanhv, addtanhdot: encoder and decoder steps
;; (seq2seq's host-encoder.ts, host-decoder.ts, host-stepper.ts, through arena.ts).
(module
  (memory (export "memory") 1)
    ;; Largest of n float32 values at p (n a positive multiple of 4); NaN if any is NaN.
  (func (export "maxf") (param $p i32) (param $n i32) (result f32)
    (local $m v128) (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $m (v128.load (local.get $p)))
    (local.set $p (i32.add (local.get $p) (i32.const 16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $m (f32x4.max (local.get $m) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
      (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
  ;; Σ exp(x − max) over n float32 values at p (n a positive multiple of 4), summed in float64.
  ;; Values below max − 87.5 count as exp(−87.5) ≈ 1e-38. NaN inputs give NaN.
  (func (export "sumexp") (param $p i32) (param $n i32) (param $max f32) (result f64)
    (local $end i32) (local $y v128) (local $acc v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $acc (v128.const f64x2 0 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $y
          (call $exp4 (f32x4.sub (v128.load (local.get $p)) (f32x4.splat (local.get $max)))))
        (local.set $acc
          (f64x2.add (local.get $acc)
            (f64x2.add
              (f64x2.promote_low_f32x4 (local.get $y))
              (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y) (local.get $y))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
  ;; exp of four float32 lanes: Cephes' expf. x is clamped to [−87.5, 88] (so 2^k stays a normal
  ;; float), split as k·ln2 + r, and exp(r) comes from a degree-7 polynomial; relative error ~1e-7.
  ;; NaN stays NaN.
  (func $exp4 (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $y v128)
    (local.set $x
      (f32x4.min
        (f32x4.max (local.get $x) (v128.const f32x4 -87.5 -87.5 -87.5 -87.5))
        (v128.const f32x4 88 88 88 88)))
    (local.set $k
      (f32x4.nearest
        (f32x4.mul (local.get $x)
          (v128.const f32x4 1.44269504088896341 1.44269504088896341
                            1.44269504088896341 1.44269504088896341))))
    (local.set $r
      (f32x4.sub
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
    (local.set $y
      (f32x4.add
        (f32x4.add (f32x4.mul (local.get $y) (f32x4.mul (local.get $r) (local.get $r)))
          (local.get $r))
        (v128.const f32x4 1 1 1 1)))
    ;; · 2^k: k in [−126, 127], so k + 127 is a normal exponent.
    (f32x4.mul (local.get $y)
      (i32x4.shl
        (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127))
        (i32.const 23))))
  ;; sigmoid(x) = 1 / (1 + exp(−x)).
  (func $sigmoid4 (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp4 (f32x4.neg (local.get $x))))))
  ;; tanh(x) = sign(x) · (1 − 2 / (exp(2|x|) + 1)); absolute error ~1e-7.
  (func $tanh4 (param $x v128) (result v128)
    (local $t v128)
    (local.set $t
      (f32x4.sub (v128.const f32x4 1 1 1 1)
        (f32x4.div (v128.const f32x4 2 2 2 2)
          (f32x4.add (v128.const f32x4 1 1 1 1)
            (call $exp4 (f32x4.mul (v128.const f32x4 2 2 2 2) (f32x4.abs (local.get $x))))))))
    ;; copy the sign bit of x onto t (t ≥ 0); NaN x gives NaN through exp4
    (v128.or (local.get $t)
      (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
  ;; out[0..Np) = bias + x · W for x f32 [K] and W f32 [K, Np] row-major (Np a multiple of 16):
  ;; sixteen outputs at a time in four accumulators, reading W down its rows.
  (func (export "gemvf") (param $x i32) (param $w i32) (param $bias i32) (param $out i32)
    (param $K i32) (param $Np i32)
    (local $j i32) (local $k i32) (local $wp i32) (local $stride i32) (local $xs v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $stride (i32.shl (local.get $Np) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $Np)))
        (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $a0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $k (i32.const 0))
        (block $kdone
          (loop $kloop
            (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $xs
              (v128.load32_splat (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xs) (v128.load (local.get $wp)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xs) (v128.load offset=16 (local.get $wp)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xs) (v128.load offset=32 (local.get $wp)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xs) (v128.load offset=48 (local.get $wp)))))
            (local.set $wp (i32.add (local.get $wp) (local.get $stride)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kloop)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $a1))
        (v128.store offset=32 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $a2))
        (v128.store offset=48 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $a3))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $jloop))))
;; gemvf for four rows at once, each weight load shared by the four: out_r = bias + x_r · W for
  ;; r < 4, x_r at x + r·xs and out_r at out + r·os (byte strides); eight outputs at a time.
  (func (export "gemvf4") (param $x i32) (param $xs i32) (param $w i32) (param $bias i32)
    (param $out i32) (param $os i32) (param $K i32) (param $Np i32)
    (local $j i32) (local $k i32) (local $wp i32) (local $xp i32) (local $stride i32)
    (local $wa v128) (local $wb v128) (local $s v128) (local $op i32)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128)
    (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local.set $stride (i32.shl (local.get $Np) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $Np)))
        (local.set $a0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $b0 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $a1 (local.get $a0)) (local.set $b1 (local.get $b0))
        (local.set $a2 (local.get $a0)) (local.set $b2 (local.get $b0))
        (local.set $a3 (local.get $a0)) (local.set $b3 (local.get $b0))
        (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $xp (local.get $x))
        (local.set $k (i32.const 0))
        (block $kdone
          (loop $kloop
            (br_if $kdone (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $wa (v128.load (local.get $wp)))
            (local.set $wb (v128.load offset=16 (local.get $wp)))
            (local.set $s (v128.load32_splat (local.get $xp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $wa))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $s) (local.get $wb))))
            (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $xs))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $wa))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $s) (local.get $wb))))
            (local.set $s
              (v128.load32_splat (i32.add (local.get $xp) (i32.shl (local.get $xs) (i32.const 1)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $wa))))
            (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $s) (local.get $wb))))
            (local.set $s
              (v128.load32_splat (i32.add (local.get $xp) (i32.mul (local.get $xs) (i32.const 3)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $wa))))
            (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $s) (local.get $wb))))
            (local.set $wp (i32.add (local.get $wp) (local.get $stride)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kloop)))
        (local.set $op (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store (local.get $op) (local.get $a0))
        (v128.store offset=16 (local.get $op) (local.get $b0))
        (local.set $op (i32.add (local.get $op) (local.get $os)))
        (v128.store (local.get $op) (local.get $a1))
        (v128.store offset=16 (local.get $op) (local.get $b1))
        (local.set $op (i32.add (local.get $op) (local.get $os)))
        (v128.store (local.get $op) (local.get $a2))
        (v128.store offset=16 (local.get $op) (local.get $b2))
        (local.set $op (i32.add (local.get $op) (local.get $os)))
        (v128.store (local.get $op) (local.get $a3))
        (v128.store offset=16 (local.get $op) (local.get $b3))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jloop))))
    ;; LSTM gates from z [4·Hp] (blocks i, f, g, o of Hp each; Hp a multiple of 4) and the cell
  ;; c [Hp], updated in place: c ← σ(f)·c + σ(i)·tanh(g); h [Hp] ← σ(o)·tanh(c).
  (func (export "lstmgates") (param $z i32) (param $c i32) (param $h i32) (param $Hp i32)
    (local $j i32) (local $blk i32) (local $zp i32) (local $cn v128)
    (local.set $blk (i32.shl (local.get $Hp) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $blk)))
        (local.set $zp (i32.add (local.get $z) (local.get $j)))
        (local.set $cn
          (f32x4.add
            (f32x4.mul
              (call $sigmoid4 (v128.load (i32.add (local.get $zp) (local.get $blk))))
              (v128.load (i32.add (local.get $c) (local.get $j))))
            (f32x4.mul
              (call $sigmoid4 (v128.load (local.get $zp)))
              (call $tanh4
                (v128.load (i32.add (local.get $zp) (i32.shl (local.get $blk) (i32.const 1))))))))
        (v128.store (i32.add (local.get $c) (local.get $j)) (local.get $cn))
        (v128.store (i32.add (local.get $h) (local.get $j))
          (f32x4.mul
            (call $sigmoid4
              (v128.load (i32.add (local.get $zp) (i32.mul (local.get $blk) (i32.const 3)))))
            (call $tanh4 (local.get $cn))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $next))))
  ;; x[0..n) ← tanh(x), n a multiple of 4.
  (func (export "tanhv") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p) (call $tanh4 (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next))))
  ;; Additive attention scores: out[t] = Σ_a v[a] · tanh(keys[t·Ap + a] + q[a]) for t < T
  ;; (keys f32 [T, Ap], q and v f32 [Ap], Ap a multiple of 4; padded entries of v are 0).
  (func (export "addtanhdot") (param $keys i32) (param $q i32) (param $v i32) (param $out i32)
    (param $T i32) (param $Ap i32)
    (local $t i32) (local $a i32) (local $kp i32) (local $acc v128) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $Ap) (i32.const 2)))
    (local.set $kp (local.get $keys))
    (local.set $t (i32.const 0))
    (block $tdone
      (loop $tloop
        (br_if $tdone (i32.ge_u (local.get $t) (local.get $T)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $a (i32.const 0))
        (block $adone
          (loop $aloop
            (br_if $adone (i32.ge_u (local.get $a) (local.get $bytes)))
            (local.set $acc
              (f32x4.add (local.get $acc)
                (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $a)))
                  (call $tanh4
                    (f32x4.add (v128.load (i32.add (local.get $kp) (local.get $a)))
                      (v128.load (i32.add (local.get $q) (local.get $a))))))))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (br $aloop)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $t) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $kp (i32.add (local.get $kp) (local.get $bytes)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tloop)))))
