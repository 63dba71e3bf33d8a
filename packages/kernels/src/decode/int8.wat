;; WebAssembly SIMD kernels of the int8 output layer (int8-head.ts), assembled by
;; scripts/build-wasm.mjs into int8-wasm.ts. All offsets are bytes into this module's memory,
;; 16-byte aligned; vector lengths are padded (with zeros) to the multiples each function names.
;;
;; gemv: the int8 output layer. Integer arithmetic is exact, so the JS fallback, which runs the
;; same sums and the same three float32 operations, gives the same bits:
;;
;;   out[r·V + j] = f32( f32( f32(S[r, j]) · scale[j] ) · hs[r] ) + bias[j]
;;   S[r, j]      = Σ_k w[j·Kp + k] · h[r·Kp + k]   (int32, exact: the caller keeps |S| < 2^31)
;;
;; w: int8 [V, Kp], one row per output id (V a multiple of 4, Kp of 16); h: int16 [b, Kp];
;; scale, bias: f32 [V]; hs: f32 [b]; out: f32 [b, V]. Four output rows share each load of h.
;;
;; prep8: the int8 head's quantization and transposed float32 copy, done once at build.
(module
  (memory (export "memory") 1)
  (func (export "gemv")
    (param $w i32) (param $scale i32) (param $bias i32) (param $h i32) (param $hs i32)
    (param $out i32) (param $V i32) (param $Kp i32) (param $b i32)
    (local $j i32) (local $r i32) (local $k i32)
    (local $wp i32) (local $hp i32) (local $op i32) (local $sp i32) (local $bp i32)
    (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $hsr f32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $wv v128) (local $hl v128) (local $hh v128)
    (local.set $o1 (local.get $Kp))
    (local.set $o2 (i32.shl (local.get $Kp) (i32.const 1)))
    (local.set $o3 (i32.mul (local.get $Kp) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $jdone
      (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $V)))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rloop
            (br_if $rdone (i32.ge_u (local.get $r) (local.get $b)))
            (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $Kp))))
            (local.set $hp
              (i32.add (local.get $h)
                (i32.shl (i32.mul (local.get $r) (local.get $Kp)) (i32.const 1))))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $k (i32.const 0))
            (block $kdone
              (loop $kloop
                (br_if $kdone (i32.ge_u (local.get $k) (local.get $Kp)))
                (local.set $hl (v128.load (local.get $hp)))
                (local.set $hh (v128.load offset=16 (local.get $hp)))
                ;; row j
                (local.set $wv (v128.load (local.get $wp)))
                (local.set $a0 (i32x4.add (local.get $a0) (i32x4.add
                  (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $wv)) (local.get $hl))
                  (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $wv)) (local.get $hh)))))
                ;; row j + 1
                (local.set $wv (v128.load (i32.add (local.get $wp) (local.get $o1))))
                (local.set $a1 (i32x4.add (local.get $a1) (i32x4.add
                  (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $wv)) (local.get $hl))
                  (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $wv)) (local.get $hh)))))
                ;; row j + 2
                (local.set $wv (v128.load (i32.add (local.get $wp) (local.get $o2))))
                (local.set $a2 (i32x4.add (local.get $a2) (i32x4.add
                  (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $wv)) (local.get $hl))
                  (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $wv)) (local.get $hh)))))
                ;; row j + 3
                (local.set $wv (v128.load (i32.add (local.get $wp) (local.get $o3))))
                (local.set $a3 (i32x4.add (local.get $a3) (i32x4.add
                  (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $wv)) (local.get $hl))
                  (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $wv)) (local.get $hh)))))
                (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
                (local.set $hp (i32.add (local.get $hp) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $kloop)))
            (local.set $hsr
              (f32.load (i32.add (local.get $hs) (i32.shl (local.get $r) (i32.const 2)))))
            (local.set $op
              (i32.add (local.get $out)
                (i32.shl (i32.add (i32.mul (local.get $r) (local.get $V)) (local.get $j))
                  (i32.const 2))))
            (local.set $sp (i32.add (local.get $scale) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $bp (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))
            (f32.store (local.get $op)
              (f32.add
                (f32.mul
                  (f32.mul (f32.convert_i32_s (call $hsum (local.get $a0))) (f32.load (local.get $sp)))
                  (local.get $hsr))
                (f32.load (local.get $bp))))
            (f32.store offset=4 (local.get $op)
              (f32.add
                (f32.mul
                  (f32.mul (f32.convert_i32_s (call $hsum (local.get $a1)))
                    (f32.load offset=4 (local.get $sp)))
                  (local.get $hsr))
                (f32.load offset=4 (local.get $bp))))
            (f32.store offset=8 (local.get $op)
              (f32.add
                (f32.mul
                  (f32.mul (f32.convert_i32_s (call $hsum (local.get $a2)))
                    (f32.load offset=8 (local.get $sp)))
                  (local.get $hsr))
                (f32.load offset=8 (local.get $bp))))
            (f32.store offset=12 (local.get $op)
              (f32.add
                (f32.mul
                  (f32.mul (f32.convert_i32_s (call $hsum (local.get $a3)))
                    (f32.load offset=12 (local.get $sp)))
                  (local.get $hsr))
                (f32.load offset=12 (local.get $bp))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rloop)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $jloop))))
;; The int8 head's preparation (int8-head.ts, whose JS fallback computes the same bits):
  ;; from W f32 [K, V] row-major, per id j: cm[j] = max_k |W[k, j]|, scale[j] = cm[j] / 127 (1 when
  ;; cm[j] = 0), q = nearest(W[k, j] · (1 / scale[j])) (float64, half to even) into w8 [V, Kp],
  ;; W transposed into exact f32 [V, K], l1[j] = Σ_k |q| (float64). inv and l1 are f64 [V];
  ;; cm, scale f32 [V]; cm and l1 start at zero. A NaN or ±Infinity weight makes its column's cm
  ;; NaN or +Infinity (the caller checks). Pass 2 runs in 16×16 tiles (cache lines).
  (func (export "prep8") (param $W i32) (param $V i32) (param $K i32) (param $Kp i32)
    (param $cm i32) (param $scale i32) (param $inv i32) (param $w8 i32) (param $exact i32)
    (param $l1 i32)
    (local $k i32) (local $j i32) (local $k0 i32) (local $j0 i32) (local $k1 i32) (local $j1 i32)
    (local $a f32) (local $s f32) (local $q f64) (local $p i32)
    ;; pass 1: column maxima
    (local.set $k (i32.const 0))
    (block $k1done (loop $k1loop
      (br_if $k1done (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $j (i32.const 0))
      (block $j1done (loop $j1loop
        (br_if $j1done (i32.ge_u (local.get $j) (local.get $V)))
        (local.set $a (f32.abs (f32.load
          (i32.add (local.get $W)
            (i32.shl (i32.add (i32.mul (local.get $k) (local.get $V)) (local.get $j)) (i32.const 2))))))
        ;; f32.max keeps a NaN, so a non-finite weight shows in its column's maximum
        (local.set $p (i32.add (local.get $cm) (i32.shl (local.get $j) (i32.const 2))))
        (f32.store (local.get $p) (f32.max (local.get $a) (f32.load (local.get $p))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j1loop)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $k1loop)))
    ;; scales and their inverses
    (local.set $j (i32.const 0))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $j) (local.get $V)))
      (local.set $a (f32.load (i32.add (local.get $cm) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $s
        (select (f32.div (local.get $a) (f32.const 127)) (f32.const 1)
          (f32.gt (local.get $a) (f32.const 0))))
      (f32.store (i32.add (local.get $scale) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
      (f64.store (i32.add (local.get $inv) (i32.shl (local.get $j) (i32.const 3)))
        (f64.div (f64.const 1) (f64.promote_f32 (local.get $s))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $sloop)))
    ;; pass 2: quantize and transpose, tile by tile
    (local.set $k0 (i32.const 0))
    (block $tkdone (loop $tkloop
      (br_if $tkdone (i32.ge_u (local.get $k0) (local.get $K)))
      (local.set $k1 (select (i32.add (local.get $k0) (i32.const 16)) (local.get $K)
        (i32.lt_u (i32.add (local.get $k0) (i32.const 16)) (local.get $K))))
      (local.set $j0 (i32.const 0))
      (block $tjdone (loop $tjloop
        (br_if $tjdone (i32.ge_u (local.get $j0) (local.get $V)))
        (local.set $j1 (select (i32.add (local.get $j0) (i32.const 16)) (local.get $V)
          (i32.lt_u (i32.add (local.get $j0) (i32.const 16)) (local.get $V))))
        (local.set $k (local.get $k0))
        (block $kdone (loop $kloop
          (br_if $kdone (i32.ge_u (local.get $k) (local.get $k1)))
          (local.set $j (local.get $j0))
          (block $jdone (loop $jloop
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $j1)))
            (local.set $a (f32.load
              (i32.add (local.get $W)
                (i32.shl (i32.add (i32.mul (local.get $k) (local.get $V)) (local.get $j))
                  (i32.const 2)))))
            (f32.store
              (i32.add (local.get $exact)
                (i32.shl (i32.add (i32.mul (local.get $j) (local.get $K)) (local.get $k))
                  (i32.const 2)))
              (local.get $a))
            (local.set $q (f64.nearest (f64.mul (f64.promote_f32 (local.get $a))
              (f64.load (i32.add (local.get $inv) (i32.shl (local.get $j) (i32.const 3)))))))
            (i32.store8
              (i32.add (local.get $w8) (i32.add (i32.mul (local.get $j) (local.get $Kp)) (local.get $k)))
              (i32.trunc_sat_f64_s (local.get $q)))
            (local.set $p (i32.add (local.get $l1) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.abs (local.get $q))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jloop)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kloop)))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 16)))
        (br $tjloop)))
      (local.set $k0 (i32.add (local.get $k0) (i32.const 16)))
      (br $tkloop))))
  ;; Sum of the four int32 lanes (wrapping, as the exact sum fits).
  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))))
