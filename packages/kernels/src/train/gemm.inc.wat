;; Part of train.wat, spliced in at its @include line by scripts/build-wasm.mjs.
;; The GEMM: a 4×8 register micro-kernel over packed panels, GotoBLAS-style blocking, and the
;; batched, thread-split export.
  ;; The 4×8 micro-kernel: C[4, 8] (+)= Ap[kc][4] · Bp[kc][8] (packed panels), rows × cols of it
  ;; written (edges go through the 128-byte tile); first: store instead of add.
  (func $micro (param $ap i32) (param $bp i32) (param $kc i32) (param $cp i32) (param $ldcb i32)
    (param $rows i32) (param $cols i32) (param $first i32) (param $tile i32)
    (local $k i32) (local $b0 v128) (local $b1 v128) (local $a v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $r i32) (local $j i32) (local $p i32) (local $v f32) (local $end i32) (local $a4 v128)
    ;; One k a round: A's four values in one load, each broadcast by a shuffle (fewer
    ;; instructions per multiply-add than four splat loads); the A pointer counts the rounds.
    (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $kc) (i32.const 4))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ap) (local.get $end)))
        (local.set $b0 (v128.load (local.get $bp)))
        (local.set $b1 (v128.load offset=16 (local.get $bp)))
        (local.set $a4 (v128.load (local.get $ap)))
        (local.set $a (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $a4) (local.get $a4)))
        (local.set $c00 (FMA (local.get $a) (local.get $b0) (local.get $c00)))
        (local.set $c01 (FMA (local.get $a) (local.get $b1) (local.get $c01)))
        (local.set $a (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $a4) (local.get $a4)))
        (local.set $c10 (FMA (local.get $a) (local.get $b0) (local.get $c10)))
        (local.set $c11 (FMA (local.get $a) (local.get $b1) (local.get $c11)))
        (local.set $a (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $a4) (local.get $a4)))
        (local.set $c20 (FMA (local.get $a) (local.get $b0) (local.get $c20)))
        (local.set $c21 (FMA (local.get $a) (local.get $b1) (local.get $c21)))
        (local.set $a (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $a4) (local.get $a4)))
        (local.set $c30 (FMA (local.get $a) (local.get $b0) (local.get $c30)))
        (local.set $c31 (FMA (local.get $a) (local.get $b1) (local.get $c31)))
        (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
        (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
        (br $next)))
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
      (then
        (if (i32.eqz (local.get $first))
          (then
            (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $cp))))
            (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $cp))))
            (local.set $p (i32.add (local.get $cp) (local.get $ldcb)))
            (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $p))))
            (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $ldcb)))
            (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $p))))
            (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $ldcb)))
            (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $p))))
            (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $p))))))
        (v128.store (local.get $cp) (local.get $c00))
        (v128.store offset=16 (local.get $cp) (local.get $c01))
        (local.set $p (i32.add (local.get $cp) (local.get $ldcb)))
        (v128.store (local.get $p) (local.get $c10))
        (v128.store offset=16 (local.get $p) (local.get $c11))
        (local.set $p (i32.add (local.get $p) (local.get $ldcb)))
        (v128.store (local.get $p) (local.get $c20))
        (v128.store offset=16 (local.get $p) (local.get $c21))
        (local.set $p (i32.add (local.get $p) (local.get $ldcb)))
        (v128.store (local.get $p) (local.get $c30))
        (v128.store offset=16 (local.get $p) (local.get $c31))
        (return)))
    (v128.store (local.get $tile) (local.get $c00))
    (v128.store offset=16 (local.get $tile) (local.get $c01))
    (v128.store offset=32 (local.get $tile) (local.get $c10))
    (v128.store offset=48 (local.get $tile) (local.get $c11))
    (v128.store offset=64 (local.get $tile) (local.get $c20))
    (v128.store offset=80 (local.get $tile) (local.get $c21))
    (v128.store offset=96 (local.get $tile) (local.get $c30))
    (v128.store offset=112 (local.get $tile) (local.get $c31))
    (local.set $r (i32.const 0))
    (block $rd
      (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $jd
          (loop $jl
            (br_if $jd (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $p (i32.add (i32.add (local.get $cp) (i32.mul (local.get $r) (local.get $ldcb)))
              (i32.shl (local.get $j) (i32.const 2))))
            (local.set $v (f32.load (i32.add (local.get $tile)
              (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 3)) (local.get $j)) (i32.const 2)))))
            (if (i32.eqz (local.get $first))
              (then (local.set $v (f32.add (local.get $v) (f32.load (local.get $p))))))
            (f32.store (local.get $p) (local.get $v))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; C[m0:m1, n0:n1] (+)= A · B for one matrix: A(i, k) at A + 4(i·ars + k·acs), B(k, j) at
  ;; B + 4(k·brs + j·bcs) (so transposes are stride swaps), C(i, j) at C + 4(i·ldc + j).
  ;; Blocked as GotoBLAS: 512-column panels of B, 256-deep slices of K, 64-row blocks of A, each
  ;; packed (zero-padded) into the thread's workspace ws (64 KiB A block, 512 KiB B panel, tile).
  (func $gemm1 (param $A i32) (param $ars i32) (param $acs i32) (param $B i32) (param $brs i32)
    (param $bcs i32) (param $C i32) (param $ldc i32) (param $m0 i32) (param $m1 i32) (param $n0 i32)
    (param $n1 i32) (param $K i32) (param $acc i32) (param $ws i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $np i32) (local $nq i32) (local $p i32) (local $q i32) (local $k i32) (local $jj i32)
    (local $j i32) (local $i i32) (local $dst i32) (local $src i32) (local $bpb i32) (local $tile i32)
    (local $first i32)
    (local.set $bpb (i32.add (local.get $ws) (i32.const 65536)))
    (local.set $tile (i32.add (local.get $ws) (i32.const 589824)))
    (local.set $jc (local.get $n0))
    (block $jcd (loop $jcl
      (br_if $jcd (i32.ge_s (local.get $jc) (local.get $n1)))
      (local.set $nc (call $min (i32.const 512) (i32.sub (local.get $n1) (local.get $jc))))
      (local.set $np (i32.shr_u (i32.add (local.get $nc) (i32.const 7)) (i32.const 3)))
      (local.set $pc (i32.const 0))
      (block $pcd (loop $pcl
        (br_if $pcd (i32.ge_s (local.get $pc) (local.get $K)))
        (local.set $kc (call $min (i32.const 256) (i32.sub (local.get $K) (local.get $pc))))
        (local.set $first (i32.and (i32.eqz (local.get $pc)) (i32.eqz (local.get $acc))))
        ;; pack B[pc:pc+kc, jc:jc+nc] into np panels [kc][8]
        (local.set $p (i32.const 0))
        (block $pbd (loop $pbl
          (br_if $pbd (i32.ge_u (local.get $p) (local.get $np)))
          (local.set $j (i32.add (local.get $jc) (i32.shl (local.get $p) (i32.const 3))))
          (local.set $dst (i32.add (local.get $bpb) (i32.shl (i32.mul (local.get $p) (local.get $kc)) (i32.const 5))))
          (local.set $k (i32.const 0))
          (if (i32.and (i32.eq (local.get $bcs) (i32.const 1))
                (i32.le_s (i32.add (local.get $j) (i32.const 8)) (local.get $n1)))
            (then
              (block $kd (loop $kl
                (br_if $kd (i32.ge_u (local.get $k) (local.get $kc)))
                (local.set $src (i32.shl (i32.add (i32.mul (i32.add (local.get $pc) (local.get $k)) (local.get $brs))
                  (local.get $j)) (i32.const 2)))
                (v128.store (local.get $dst) (v128.load (i32.add (local.get $B) (local.get $src))))
                (v128.store offset=16 (local.get $dst) (v128.load offset=16 (i32.add (local.get $B) (local.get $src))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $kl))))
            (else
              (block $kd2 (loop $kl2
                (br_if $kd2 (i32.ge_u (local.get $k) (local.get $kc)))
                (local.set $jj (i32.const 0))
                (block $jjd (loop $jjl
                  (br_if $jjd (i32.ge_u (local.get $jj) (i32.const 8)))
                  (f32.store (local.get $dst)
                    (if (result f32) (i32.lt_s (i32.add (local.get $j) (local.get $jj)) (local.get $n1))
                      (then (f32.load (i32.add (local.get $B) (i32.shl (i32.add
                        (i32.mul (i32.add (local.get $pc) (local.get $k)) (local.get $brs))
                        (i32.mul (i32.add (local.get $j) (local.get $jj)) (local.get $bcs))) (i32.const 2)))))
                      (else (f32.const 0))))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                  (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
                  (br $jjl)))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $kl2)))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pbl)))
        (local.set $ic (local.get $m0))
        (block $icd (loop $icl
          (br_if $icd (i32.ge_s (local.get $ic) (local.get $m1)))
          (local.set $mc (call $min (i32.const 64) (i32.sub (local.get $m1) (local.get $ic))))
          (local.set $nq (i32.shr_u (i32.add (local.get $mc) (i32.const 3)) (i32.const 2)))
          ;; pack A[ic:ic+mc, pc:pc+kc] into nq panels [kc][4]
          (local.set $dst (local.get $ws))
          (local.set $q (i32.const 0))
          (block $qd (loop $ql
            (br_if $qd (i32.ge_u (local.get $q) (local.get $nq)))
            (local.set $k (i32.const 0))
            (block $kd3 (loop $kl3
              (br_if $kd3 (i32.ge_u (local.get $k) (local.get $kc)))
              (local.set $jj (i32.const 0))
              (block $id (loop $il
                (br_if $id (i32.ge_u (local.get $jj) (i32.const 4)))
                (local.set $i (i32.add (i32.add (local.get $ic) (i32.shl (local.get $q) (i32.const 2))) (local.get $jj)))
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_s (local.get $i) (local.get $m1))
                    (then (f32.load (i32.add (local.get $A) (i32.shl (i32.add
                      (i32.mul (local.get $i) (local.get $ars))
                      (i32.mul (i32.add (local.get $pc) (local.get $k)) (local.get $acs))) (i32.const 2)))))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
                (br $il)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl3)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $ql)))
          ;; micro-kernels: each B panel (L1) against every A panel of the block (L2)
          (local.set $p (i32.const 0))
          (block $pd (loop $pl
            (br_if $pd (i32.ge_u (local.get $p) (local.get $np)))
            (local.set $q (i32.const 0))
            (block $qd2 (loop $ql2
              (br_if $qd2 (i32.ge_u (local.get $q) (local.get $nq)))
              (local.set $i (i32.add (local.get $ic) (i32.shl (local.get $q) (i32.const 2))))
              (local.set $j (i32.add (local.get $jc) (i32.shl (local.get $p) (i32.const 3))))
              (call $micro
                (i32.add (local.get $ws) (i32.shl (i32.mul (local.get $q) (local.get $kc)) (i32.const 4)))
                (i32.add (local.get $bpb) (i32.shl (i32.mul (local.get $p) (local.get $kc)) (i32.const 5)))
                (local.get $kc)
                (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc))
                  (local.get $j)) (i32.const 2)))
                (i32.shl (local.get $ldc) (i32.const 2))
                (call $min (i32.const 4) (i32.sub (local.get $m1) (local.get $i)))
                (call $min (i32.const 8) (i32.sub (local.get $n1) (local.get $j)))
                (local.get $first)
                (local.get $tile))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br $ql2)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $pl)))
          (local.set $ic (i32.add (local.get $ic) (i32.const 64)))
          (br $icl)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 256)))
        (br $pcl)))
      (local.set $jc (i32.add (local.get $jc) (i32.const 512)))
      (br $jcl))))

  ;; Batched C_b (+)= A_b · B_b for b < batch (A_b at A + 4·b·abs, likewise B and C): the batch is
  ;; split over threads when it has at least nt entries, else the larger of M and N (8-column or
  ;; 4-row units). K ≥ 1. ws: workspaces of 590,080 bytes per thread, thread t's at ws + t·590,080.
  (func (export "gemm") (param $tid i32) (param $nt i32)
    (param $A i32) (param $ars i32) (param $acs i32) (param $abs i32)
    (param $B i32) (param $brs i32) (param $bcs i32) (param $bbs i32)
    (param $C i32) (param $ldc i32) (param $cbs i32)
    (param $M i32) (param $N i32) (param $K i32) (param $batch i32) (param $acc i32) (param $ws i32)
    (local $b0 i32) (local $b1 i32) (local $m0 i32) (local $m1 i32) (local $n0 i32) (local $n1 i32)
    (local.set $ws (i32.add (local.get $ws) (i32.mul (local.get $tid) (i32.const 590080))))
    (local.set $m1 (local.get $M))
    (local.set $n1 (local.get $N))
    (local.set $b1 (local.get $batch))
    (if (i32.and (i32.gt_u (local.get $batch) (i32.const 1)) (i32.ge_u (local.get $batch) (local.get $nt)))
      (then
        (local.set $b0 (call $part (local.get $batch) (i32.const 1) (local.get $tid) (local.get $nt)))
        (local.set $b1 (call $part (local.get $batch) (i32.const 1)
          (i32.add (local.get $tid) (i32.const 1)) (local.get $nt))))
      (else
        (if (i32.ge_u (local.get $N) (local.get $M))
          (then
            (local.set $n0 (call $part (local.get $N) (i32.const 8) (local.get $tid) (local.get $nt)))
            (local.set $n1 (call $part (local.get $N) (i32.const 8)
              (i32.add (local.get $tid) (i32.const 1)) (local.get $nt))))
          (else
            (local.set $m0 (call $part (local.get $M) (i32.const 4) (local.get $tid) (local.get $nt)))
            (local.set $m1 (call $part (local.get $M) (i32.const 4)
              (i32.add (local.get $tid) (i32.const 1)) (local.get $nt)))))))
    (block $bd (loop $bl
      (br_if $bd (i32.ge_u (local.get $b0) (local.get $b1)))
      (call $gemm1
        (i32.add (local.get $A) (i32.shl (i32.mul (local.get $b0) (local.get $abs)) (i32.const 2)))
        (local.get $ars) (local.get $acs)
        (i32.add (local.get $B) (i32.shl (i32.mul (local.get $b0) (local.get $bbs)) (i32.const 2)))
        (local.get $brs) (local.get $bcs)
        (i32.add (local.get $C) (i32.shl (i32.mul (local.get $b0) (local.get $cbs)) (i32.const 2)))
        (local.get $ldc) (local.get $m0) (local.get $m1) (local.get $n0) (local.get $n1)
        (local.get $K) (local.get $acc) (local.get $ws))
      (local.set $b0 (i32.add (local.get $b0) (i32.const 1)))
      (br $bl))))

