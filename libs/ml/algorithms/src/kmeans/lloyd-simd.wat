;; WebAssembly SIMD kernel for lloyd.ts: the three passes over X (first assignment with the cluster sums,
;; Hamerly reassignment, inertia). Arithmetic is float64 (f64x2), in exactly the order of the JavaScript path in
;; lloyd.ts, so both paths give bit-identical labels, bounds, sums and inertia:
;;   sqDist  = (s0 + s2) + (s1 + s3), s_m summing the features j ≡ m (mod 4), then the d mod 4 tail in order;
;;   guess   = sequential sum over the first min(d, 4) features;
;;   sums    = per-feature running sums, rows in order.
;; Float32 rows are widened to float64 (exact) into a scratch row before use.
;;
;; Memory layout (byte offsets, all 16-aligned) is chosen by lloyd.ts and passed to $configure.
;; Regenerate lloyd-simd.wasm.ts after editing: node tools/wasm/build-lloyd-simd.mjs
(module
  (memory (export "memory") 1)

  (global $x (mut i32) (i32.const 0))          ;; X, row-major, float32 or float64
  (global $xf32 (mut i32) (i32.const 0))       ;; 1 when X is float32
  (global $n (mut i32) (i32.const 0))
  (global $d (mut i32) (i32.const 0))
  (global $k (mut i32) (i32.const 0))
  (global $labels (mut i32) (i32.const 0))     ;; i32 × n
  (global $upper (mut i32) (i32.const 0))      ;; f64 × n
  (global $lower (mut i32) (i32.const 0))      ;; f64 × n
  (global $centers (mut i32) (i32.const 0))    ;; f64 × k × d
  (global $centerDist (mut i32) (i32.const 0)) ;; f64 × k × k
  (global $sums (mut i32) (i32.const 0))       ;; f64 × k × d
  (global $counts (mut i32) (i32.const 0))     ;; f64 × k
  (global $scratch (mut i32) (i32.const 0))    ;; f64 × k
  (global $move (mut i32) (i32.const 0))       ;; f64 × k
  (global $gaps (mut i32) (i32.const 0))       ;; f64 × k
  (global $xrow (mut i32) (i32.const 0))       ;; f64 × d: the current row widened from float32
  (global $x0 (mut i32) (i32.const 0))         ;; f64 × d: row 0 (variance shift)
  (global $guessT (mut i32) (i32.const 0))     ;; f64 × 4 × kp: first 4 features of the centers, transposed
  (global $list (mut i32) (i32.const 0))       ;; i32 × n: rows that fail the bound test in $reassign
  (global $kp (mut i32) (i32.const 0))         ;; k rounded up to even

  (func (export "configure")
    (param $x i32) (param $xf32 i32) (param $n i32) (param $d i32) (param $k i32)
    (param $labels i32) (param $upper i32) (param $lower i32) (param $centers i32) (param $centerDist i32)
    (param $sums i32) (param $counts i32) (param $scratch i32) (param $move i32) (param $gaps i32)
    (param $xrow i32) (param $x0 i32) (param $guessT i32) (param $list i32)
    (global.set $x (local.get $x))
    (global.set $xf32 (local.get $xf32))
    (global.set $n (local.get $n))
    (global.set $d (local.get $d))
    (global.set $k (local.get $k))
    (global.set $labels (local.get $labels))
    (global.set $upper (local.get $upper))
    (global.set $lower (local.get $lower))
    (global.set $centers (local.get $centers))
    (global.set $centerDist (local.get $centerDist))
    (global.set $sums (local.get $sums))
    (global.set $counts (local.get $counts))
    (global.set $scratch (local.get $scratch))
    (global.set $move (local.get $move))
    (global.set $gaps (local.get $gaps))
    (global.set $xrow (local.get $xrow))
    (global.set $x0 (local.get $x0))
    (global.set $guessT (local.get $guessT))
    (global.set $list (local.get $list))
    (global.set $kp (i32.and (i32.add (local.get $k) (i32.const 1)) (i32.const -2))))

  ;; Address of row i as float64: in place for float64 X, else widened into $xrow.
  (func $rowPtr (param $i i32) (result i32)
    (local $src i32) (local $dst i32) (local $end i32) (local $v v128)
    (if (i32.eqz (global.get $xf32))
      (then (return (i32.add (global.get $x) (i32.mul (local.get $i) (i32.shl (global.get $d) (i32.const 3)))))))
    (local.set $src (i32.add (global.get $x) (i32.mul (local.get $i) (i32.shl (global.get $d) (i32.const 2)))))
    (local.set $dst (global.get $xrow))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $v (v128.load align=4 (local.get $src)))
        (v128.store (local.get $dst) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (local.get $dst)
          (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $four)))
    (local.set $end (i32.add (global.get $xrow) (i32.shl (global.get $d) (i32.const 3))))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f64.store (local.get $dst) (f64.promote_f32 (f32.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (br $one)))
    (global.get $xrow))

  ;; Squared distance between the float64 rows at $p and $c (d values).
  (func $sqDist (param $p i32) (param $c i32) (result f64)
    (local $end i32) (local $all i32) (local $a v128) (local $acc0 v128) (local $acc1 v128) (local $s f64) (local $t f64)
    (local.set $all (i32.add (local.get $p) (i32.shl (global.get $d) (i32.const 3))))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (f64x2.sub (v128.load align=8 (local.get $p)) (v128.load align=8 (local.get $c))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (local.get $a))))
        (local.set $a (f64x2.sub (v128.load offset=16 align=8 (local.get $p)) (v128.load offset=16 align=8 (local.get $c))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (local.get $a))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $c (i32.add (local.get $c) (i32.const 32)))
        (br $four)))
    (local.set $a (f64x2.add (local.get $acc0) (local.get $acc1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $p) (local.get $all)))
        (local.set $t (f64.sub (f64.load (local.get $p)) (f64.load (local.get $c))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $t) (local.get $t))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $c (i32.add (local.get $c) (i32.const 8)))
        (br $one)))
    (local.get $s))

;; $sqDist between row i of X, read directly (float32 widened in registers, which is exact), and the float64
  ;; row at $c.
  (func $sqDistRow (param $i i32) (param $c i32) (result f64)
    (local $q i32) (local $stop i32) (local $all i32) (local $v v128) (local $a v128) (local $acc0 v128) (local $acc1 v128)
    (local $s f64) (local $t f64)
    (if (i32.eqz (global.get $xf32))
      (then (return (call $sqDist
        (i32.add (global.get $x) (i32.mul (local.get $i) (i32.shl (global.get $d) (i32.const 3)))) (local.get $c)))))
    (local.set $q (i32.add (global.get $x) (i32.mul (local.get $i) (i32.shl (global.get $d) (i32.const 2)))))
    (local.set $stop (i32.add (local.get $q) (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 2))))
    (local.set $all (i32.add (local.get $q) (i32.shl (global.get $d) (i32.const 2))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $q) (local.get $stop)))
        (local.set $v (v128.load align=4 (local.get $q)))
        (local.set $a (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (v128.load align=8 (local.get $c))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (local.get $a))))
        (local.set $a (f64x2.sub
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))
          (v128.load offset=16 align=8 (local.get $c))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (local.get $a))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 32)))
        (br $four)))
    (local.set $a (f64x2.add (local.get $acc0) (local.get $acc1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $q) (local.get $all)))
        (local.set $t (f64.sub (f64.promote_f32 (f32.load (local.get $q))) (f64.load (local.get $c))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $t) (local.get $t))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 8)))
        (br $one)))
    (local.get $s))

  ;; As $sqDist, but returns the partial sum (a lower bound) as soon as it exceeds $limit after a group of 4.
  (func $sqDistBounded (param $p i32) (param $c i32) (param $limit f64) (result f64)
    (local $end i32) (local $all i32) (local $a v128) (local $acc0 v128) (local $acc1 v128) (local $s f64) (local $t f64)
    (local.set $all (i32.add (local.get $p) (i32.shl (global.get $d) (i32.const 3))))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (f64x2.sub (v128.load align=8 (local.get $p)) (v128.load align=8 (local.get $c))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (local.get $a))))
        (local.set $a (f64x2.sub (v128.load offset=16 align=8 (local.get $p)) (v128.load offset=16 align=8 (local.get $c))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (local.get $a))))
        (local.set $a (f64x2.add (local.get $acc0) (local.get $acc1)))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
        (if (f64.gt (local.get $s) (local.get $limit)) (then (return (local.get $s))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $c (i32.add (local.get $c) (i32.const 32)))
        (br $four)))
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $p) (local.get $all)))
        (local.set $t (f64.sub (f64.load (local.get $p)) (f64.load (local.get $c))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $t) (local.get $t))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $c (i32.add (local.get $c) (i32.const 8)))
        (br $one)))
    (local.get $s))

  ;; First guess for a row when d < 4 (initialAssignment inlines the d ≥ 4 case): the center nearest on all d
  ;; features, each summed in order (strict <, lowest index wins).
  (func $guess (param $p i32) (result i32)
    (local $best i32) (local $bestSq f64) (local $c i32) (local $j i32) (local $s f64) (local $t f64)
    (local.set $bestSq (f64.const inf))
    (block $done
      (loop $center
        (br_if $done (i32.ge_u (local.get $c) (global.get $k)))
        (local.set $s (f64.const 0))
        (local.set $j (i32.const 0))
        (block $fdone
          (loop $feature
            (br_if $fdone (i32.ge_u (local.get $j) (global.get $d)))
            (local.set $t (f64.sub
              (f64.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 3))))
              (f64.load (i32.add (global.get $centers)
                (i32.shl (i32.add (i32.mul (local.get $c) (global.get $d)) (local.get $j)) (i32.const 3))))))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $t) (local.get $t))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $feature)))
        (if (f64.lt (local.get $s) (local.get $bestSq))
          (then (local.set $bestSq (local.get $s)) (local.set $best (local.get $c))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $center)))
    (local.get $best))

  ;; Nearest center for row i (float64 row at $p) from a guess and its exact distance: Elkan's test, then partial
  ;; distance search. Writes label, upper and lower bound; returns the label. Mirrors assignPruned in lloyd.ts.
  (func $assignPruned (param $i i32) (param $p i32) (param $guess i32) (param $guessDist f64) (result i32)
    (local $best i32) (local $u f64) (local $bestSq f64) (local $c i32) (local $cd f64) (local $sq f64)
    (local $lower f64) (local $v f64) (local $k i32) (local $rowBytes i32)
    (local.set $k (global.get $k))
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $best (local.get $guess))
    (local.set $u (local.get $guessDist))
    (local.set $bestSq (f64.mul (local.get $u) (local.get $u)))
    (f64.store (i32.add (global.get $scratch) (i32.shl (local.get $guess) (i32.const 3))) (local.get $u))
    (block $done
      (loop $center
        (br_if $done (i32.ge_u (local.get $c) (local.get $k)))
        (block $next
          (br_if $next (i32.eq (local.get $c) (local.get $guess)))
          (local.set $cd (f64.load (i32.add (global.get $centerDist)
            (i32.shl (i32.add (i32.mul (local.get $best) (local.get $k)) (local.get $c)) (i32.const 3)))))
          (if (f64.ge (local.get $cd) (f64.mul (f64.const 2) (local.get $u)))
            (then
              (f64.store (i32.add (global.get $scratch) (i32.shl (local.get $c) (i32.const 3)))
                (f64.sub (local.get $cd) (local.get $u)))
              (br $next)))
          (local.set $sq (call $sqDistBounded (local.get $p)
            (i32.add (global.get $centers) (i32.mul (local.get $c) (local.get $rowBytes))) (local.get $bestSq)))
          (if (i32.or (f64.lt (local.get $sq) (local.get $bestSq))
                (i32.and (f64.eq (local.get $sq) (local.get $bestSq)) (i32.lt_u (local.get $c) (local.get $best))))
            (then
              (local.set $best (local.get $c))
              (local.set $bestSq (local.get $sq))
              (local.set $u (f64.sqrt (local.get $sq)))))
          (f64.store (i32.add (global.get $scratch) (i32.shl (local.get $c) (i32.const 3))) (f64.sqrt (local.get $sq))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $center)))
    (local.set $lower (f64.const inf))
    (local.set $c (i32.const 0))
    (block $done
      (loop $center
        (br_if $done (i32.ge_u (local.get $c) (local.get $k)))
        (if (i32.ne (local.get $c) (local.get $best))
          (then
            (local.set $v (f64.load (i32.add (global.get $scratch) (i32.shl (local.get $c) (i32.const 3)))))
            (if (f64.lt (local.get $v) (local.get $lower)) (then (local.set $lower (local.get $v))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $center)))
    (i32.store (i32.add (global.get $labels) (i32.shl (local.get $i) (i32.const 2))) (local.get $best))
    (f64.store (i32.add (global.get $upper) (i32.shl (local.get $i) (i32.const 3))) (local.get $u))
    (f64.store (i32.add (global.get $lower) (i32.shl (local.get $i) (i32.const 3))) (local.get $lower))
    (local.get $best))

  ;; dst[j] += p[j] (sign 1) or dst[j] -= p[j] (sign 0) for the d values of a row; counts[cluster] ± 1.
  (func $addRow (param $p i32) (param $cluster i32) (param $add i32)
    (local $dst i32) (local $end i32) (local $all i32) (local $cnt i32)
    (local.set $dst (i32.add (global.get $sums) (i32.mul (local.get $cluster) (i32.shl (global.get $d) (i32.const 3)))))
    (local.set $all (i32.add (local.get $dst) (i32.shl (global.get $d) (i32.const 3))))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (global.get $d) (i32.const -2)) (i32.const 3))))
    (local.set $cnt (i32.add (global.get $counts) (i32.shl (local.get $cluster) (i32.const 3))))
    (if (local.get $add)
      (then
        (block $done
          (loop $two
            (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
            (v128.store align=8 (local.get $dst)
              (f64x2.add (v128.load align=8 (local.get $dst)) (v128.load align=8 (local.get $p))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $two)))
        (if (i32.lt_u (local.get $dst) (local.get $all))
          (then (f64.store (local.get $dst) (f64.add (f64.load (local.get $dst)) (f64.load (local.get $p))))))
        (f64.store (local.get $cnt) (f64.add (f64.load (local.get $cnt)) (f64.const 1))))
      (else
        (block $done
          (loop $two
            (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
            (v128.store align=8 (local.get $dst)
              (f64x2.sub (v128.load align=8 (local.get $dst)) (v128.load align=8 (local.get $p))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $two)))
        (if (i32.lt_u (local.get $dst) (local.get $all))
          (then (f64.store (local.get $dst) (f64.sub (f64.load (local.get $dst)) (f64.load (local.get $p))))))
        (f64.store (local.get $cnt) (f64.sub (f64.load (local.get $cnt)) (f64.const 1))))))

  ;; First assignment of rows [$i, $end): guess from the first 4 features, exact distance to the guess, then (unless
  ;; every other center is pruned by Elkan's test, u ≤ gaps[g]) the pruned search; cluster sums and counts; returns
  ;; $shifted + Σ‖x − x₀‖² over the rows. Mirrors initialAssignment in lloyd.ts; the helpers are inlined (hot).
  (func (export "initialAssignment") (param $i i32) (param $end i32) (param $shifted f64) (result f64)
    (local $d i32) (local $k i32) (local $rowBytes i32) (local $p i32) (local $q i32) (local $r i32) (local $stop i32)
    (local $all i32) (local $g i32) (local $b i32) (local $c i32) (local $col i32) (local $stride i32) (local $cnt i32)
    (local $u f64) (local $sq f64) (local $gap f64) (local $s f64) (local $t f64) (local $bestSq f64)
    (local $v v128) (local $a v128) (local $acc v128) (local $acc0 v128) (local $acc1 v128)
    (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128)
    (local.set $d (global.get $d))
    (local.set $k (global.get $k))
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (local.set $stride (i32.shl (global.get $kp) (i32.const 3)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $end)))
        ;; Row as float64 at $p (inlined $rowPtr).
        (if (global.get $xf32)
          (then
            (local.set $q (i32.add (global.get $x) (i32.mul (local.get $i) (i32.shl (local.get $d) (i32.const 2)))))
            (local.set $p (global.get $xrow))
            (local.set $r (local.get $p))
            (local.set $stop (i32.add (local.get $r) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3))))
            (block $done
              (loop $four
                (br_if $done (i32.ge_u (local.get $r) (local.get $stop)))
                (local.set $v (v128.load align=4 (local.get $q)))
                (v128.store (local.get $r) (f64x2.promote_low_f32x4 (local.get $v)))
                (v128.store offset=16 (local.get $r)
                  (f64x2.promote_low_f32x4
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v))))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (local.set $r (i32.add (local.get $r) (i32.const 32)))
                (br $four)))
            (local.set $stop (i32.add (local.get $p) (local.get $rowBytes)))
            (block $done
              (loop $one
                (br_if $done (i32.ge_u (local.get $r) (local.get $stop)))
                (f64.store (local.get $r) (f64.promote_f32 (f32.load (local.get $q))))
                (local.set $q (i32.add (local.get $q) (i32.const 4)))
                (local.set $r (i32.add (local.get $r) (i32.const 8)))
                (br $one))))
          (else (local.set $p (i32.add (global.get $x) (i32.mul (local.get $i) (local.get $rowBytes))))))
        ;; Guess (inlined $guess for d ≥ 4): two centers per f64x2, each lane summing its 4 features in order.
        (if (i32.ge_u (local.get $d) (i32.const 4))
          (then
            (local.set $g (i32.const 0))
            (local.set $bestSq (f64.const inf))
            (local.set $g0 (f64x2.splat (f64.load (local.get $p))))
            (local.set $g1 (f64x2.splat (f64.load offset=8 (local.get $p))))
            (local.set $g2 (f64x2.splat (f64.load offset=16 (local.get $p))))
            (local.set $g3 (f64x2.splat (f64.load offset=24 (local.get $p))))
            (local.set $c (i32.const 0))
            (local.set $col (global.get $guessT))
            (block $done
              (loop $pair
                (br_if $done (i32.ge_u (local.get $c) (local.get $k)))
                (local.set $a (f64x2.sub (local.get $g0) (v128.load align=8 (local.get $col))))
                (local.set $acc (f64x2.mul (local.get $a) (local.get $a)))
                (local.set $a (f64x2.sub (local.get $g1) (v128.load align=8 (i32.add (local.get $col) (local.get $stride)))))
                (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $a) (local.get $a))))
                (local.set $a (f64x2.sub (local.get $g2)
                  (v128.load align=8 (i32.add (local.get $col) (i32.shl (local.get $stride) (i32.const 1))))))
                (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $a) (local.get $a))))
                (local.set $a (f64x2.sub (local.get $g3)
                  (v128.load align=8 (i32.add (local.get $col) (i32.mul (local.get $stride) (i32.const 3))))))
                (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $a) (local.get $a))))
                (local.set $s (f64x2.extract_lane 0 (local.get $acc)))
                (if (f64.lt (local.get $s) (local.get $bestSq))
                  (then (local.set $bestSq (local.get $s)) (local.set $g (local.get $c))))
                (if (i32.lt_u (i32.add (local.get $c) (i32.const 1)) (local.get $k))
                  (then
                    (local.set $s (f64x2.extract_lane 1 (local.get $acc)))
                    (if (f64.lt (local.get $s) (local.get $bestSq))
                      (then (local.set $bestSq (local.get $s)) (local.set $g (i32.add (local.get $c) (i32.const 1)))))))
                (local.set $c (i32.add (local.get $c) (i32.const 2)))
                (local.set $col (i32.add (local.get $col) (i32.const 16)))
                (br $pair))))
          (else (local.set $g (call $guess (local.get $p)))))
        ;; Exact distance to the guess (inlined $sqDist).
        (local.set $q (local.get $p))
        (local.set $r (i32.add (global.get $centers) (i32.mul (local.get $g) (local.get $rowBytes))))
        (local.set $stop (i32.add (local.get $q) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3))))
        (local.set $all (i32.add (local.get $q) (local.get $rowBytes)))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (block $done
          (loop $four
            (br_if $done (i32.ge_u (local.get $q) (local.get $stop)))
            (local.set $a (f64x2.sub (v128.load align=8 (local.get $q)) (v128.load align=8 (local.get $r))))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (local.get $a))))
            (local.set $a (f64x2.sub (v128.load offset=16 align=8 (local.get $q)) (v128.load offset=16 align=8 (local.get $r))))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (local.get $a))))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $r (i32.add (local.get $r) (i32.const 32)))
            (br $four)))
        (local.set $a (f64x2.add (local.get $acc0) (local.get $acc1)))
        (local.set $sq (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $q) (local.get $all)))
            (local.set $t (f64.sub (f64.load (local.get $q)) (f64.load (local.get $r))))
            (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $t) (local.get $t))))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (local.set $r (i32.add (local.get $r) (i32.const 8)))
            (br $one)))
        (local.set $u (f64.sqrt (local.get $sq)))
        ;; Every other center c has ‖c − g‖ ≥ 2·gaps[g] ≥ 2u: none can be closer, and the smallest of Elkan's lower
        ;; bounds (‖c − g‖ − u) is 2·gaps[g] − u, exactly what the search would leave.
        (local.set $gap (f64.load (i32.add (global.get $gaps) (i32.shl (local.get $g) (i32.const 3)))))
        (if (f64.le (local.get $u) (local.get $gap))
          (then
            (local.set $b (local.get $g))
            (i32.store (i32.add (global.get $labels) (i32.shl (local.get $i) (i32.const 2))) (local.get $g))
            (f64.store (i32.add (global.get $upper) (i32.shl (local.get $i) (i32.const 3))) (local.get $u))
            (f64.store (i32.add (global.get $lower) (i32.shl (local.get $i) (i32.const 3)))
              (f64.sub (f64.mul (f64.const 2) (local.get $gap)) (local.get $u))))
          (else (local.set $b (call $assignPruned (local.get $i) (local.get $p) (local.get $g) (local.get $u)))))
        ;; sums[b] += x and Σ‖x − x₀‖² (the order of $sqDist), in one pass over the row.
        (local.set $q (local.get $p))
        (local.set $r (i32.add (global.get $sums) (i32.mul (local.get $b) (local.get $rowBytes))))
        (local.set $c (global.get $x0))
        (local.set $stop (i32.add (local.get $q) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (block $done
          (loop $four
            (br_if $done (i32.ge_u (local.get $q) (local.get $stop)))
            (local.set $v (v128.load align=8 (local.get $q)))
            (v128.store align=8 (local.get $r) (f64x2.add (v128.load align=8 (local.get $r)) (local.get $v)))
            (local.set $a (f64x2.sub (local.get $v) (v128.load align=8 (local.get $c))))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (local.get $a))))
            (local.set $v (v128.load offset=16 align=8 (local.get $q)))
            (v128.store offset=16 align=8 (local.get $r) (f64x2.add (v128.load offset=16 align=8 (local.get $r)) (local.get $v)))
            (local.set $a (f64x2.sub (local.get $v) (v128.load offset=16 align=8 (local.get $c))))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (local.get $a))))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (local.set $r (i32.add (local.get $r) (i32.const 32)))
            (local.set $c (i32.add (local.get $c) (i32.const 32)))
            (br $four)))
        (local.set $a (f64x2.add (local.get $acc0) (local.get $acc1)))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $q) (local.get $all)))
            (local.set $t (f64.load (local.get $q)))
            (f64.store (local.get $r) (f64.add (f64.load (local.get $r)) (local.get $t)))
            (local.set $t (f64.sub (local.get $t) (f64.load (local.get $c))))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $t) (local.get $t))))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (local.set $r (i32.add (local.get $r) (i32.const 8)))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $one)))
        (local.set $shifted (f64.add (local.get $shifted) (local.get $s)))
        (local.set $cnt (i32.add (global.get $counts) (i32.shl (local.get $b) (i32.const 3))))
        (f64.store (local.get $cnt) (f64.add (f64.load (local.get $cnt)) (f64.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
    (local.get $shifted))

;; One Hamerly pass over rows [$i, $n) after the centers moved by $move (centerDist and gaps already updated);
  ;; returns how many labels changed. Same per-row work, in the same row order, as reassignPass in lloyd.ts, but in
  ;; two phases: the bound test for every row (branch-free, listing the rows that fail it), then the exact work for
  ;; the listed rows. Those rows are scattered through X, which is mostly not in cache; without a mispredicted
  ;; branch between them the CPU overlaps their cache misses (about 3× faster on blobs_200k).
  (func (export "reassign") (param $i i32) (param $n i32) (param $maxMoveIdx i32) (param $maxMove f64) (param $secondMove f64) (result i32)
    (local $a i32) (local $b i32) (local $p i32) (local $rowBytes i32) (local $changed i32) (local $count i32) (local $j i32)
    (local $u f64) (local $l f64) (local $g f64) (local $bound f64) (local $exact f64) (local $up i32) (local $lo i32)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (i32.load (i32.add (global.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $up (i32.add (global.get $upper) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $lo (i32.add (global.get $lower) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $u (f64.add (f64.load (local.get $up))
          (f64.load (i32.add (global.get $move) (i32.shl (local.get $a) (i32.const 3))))))
        (local.set $l (f64.sub (f64.load (local.get $lo))
          (select (local.get $secondMove) (local.get $maxMove) (i32.eq (local.get $a) (local.get $maxMoveIdx)))))
        (local.set $g (f64.load (i32.add (global.get $gaps) (i32.shl (local.get $a) (i32.const 3)))))
        (local.set $bound (select (local.get $l) (local.get $g) (f64.gt (local.get $l) (local.get $g))))
        ;; Kept as is when the bound holds; otherwise overwritten in phase 2.
        (f64.store (local.get $up) (local.get $u))
        (f64.store (local.get $lo) (local.get $l))
        (i32.store (i32.add (global.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
        (local.set $count (i32.add (local.get $count) (i32.eqz (f64.le (local.get $u) (local.get $bound)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
    (block $done
      (loop $listed
        (br_if $done (i32.ge_u (local.get $j) (local.get $count)))
        (block $next
          (local.set $i (i32.load (i32.add (global.get $list) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $a (i32.load (i32.add (global.get $labels) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $l (f64.load (i32.add (global.get $lower) (i32.shl (local.get $i) (i32.const 3)))))
          (local.set $g (f64.load (i32.add (global.get $gaps) (i32.shl (local.get $a) (i32.const 3)))))
          (local.set $bound (select (local.get $l) (local.get $g) (f64.gt (local.get $l) (local.get $g))))
          ;; Tighten the upper bound with the one exact distance before paying for a full scan.
          (local.set $exact (f64.sqrt (call $sqDistRow (local.get $i)
            (i32.add (global.get $centers) (i32.mul (local.get $a) (local.get $rowBytes))))))
          (if (f64.le (local.get $exact) (local.get $bound))
            (then
              (f64.store (i32.add (global.get $upper) (i32.shl (local.get $i) (i32.const 3))) (local.get $exact))
              (br $next)))
          (local.set $p (call $rowPtr (local.get $i)))
          (local.set $b (call $assignPruned (local.get $i) (local.get $p) (local.get $a) (local.get $exact)))
          (if (i32.ne (local.get $b) (local.get $a))
            (then
              (call $addRow (local.get $p) (local.get $a) (i32.const 0))
              (call $addRow (local.get $p) (local.get $b) (i32.const 1))
              (local.set $changed (i32.add (local.get $changed) (i32.const 1))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $listed)))
    (local.get $changed))

  ;; $s + Σ over rows [$i, $n), in order, of the squared distance to the row's center (the order of $sqDist; float32
  ;; rows are widened in registers, which is exact, instead of through $xrow).
  (func (export "inertia") (param $i i32) (param $n i32) (param $s f64) (result f64)
    (local $d i32) (local $rowBytes i32) (local $q i32) (local $r i32) (local $stop i32) (local $all i32)
    (local $v v128) (local $a v128) (local $acc0 v128) (local $acc1 v128) (local $t f64) (local $sq f64)
    (local.set $d (global.get $d))
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 3)))
    (if (global.get $xf32)
      (then
        (local.set $q (i32.add (global.get $x) (i32.mul (local.get $i) (i32.shl (local.get $d) (i32.const 2)))))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $r (i32.add (global.get $centers)
              (i32.mul (i32.load (i32.add (global.get $labels) (i32.shl (local.get $i) (i32.const 2)))) (local.get $rowBytes))))
            (local.set $stop (i32.add (local.get $q) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 2))))
            (local.set $all (i32.add (local.get $q) (i32.shl (local.get $d) (i32.const 2))))
            (local.set $acc0 (v128.const i64x2 0 0))
            (local.set $acc1 (v128.const i64x2 0 0))
            (block $done
              (loop $four
                (br_if $done (i32.ge_u (local.get $q) (local.get $stop)))
                (local.set $v (v128.load align=4 (local.get $q)))
                (local.set $a (f64x2.sub (f64x2.promote_low_f32x4 (local.get $v)) (v128.load align=8 (local.get $r))))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (local.get $a))))
                (local.set $a (f64x2.sub
                  (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))
                  (v128.load offset=16 align=8 (local.get $r))))
                (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (local.get $a))))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (local.set $r (i32.add (local.get $r) (i32.const 32)))
                (br $four)))
            (local.set $a (f64x2.add (local.get $acc0) (local.get $acc1)))
            (local.set $sq (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
            (block $done
              (loop $one
                (br_if $done (i32.ge_u (local.get $q) (local.get $all)))
                (local.set $t (f64.sub (f64.promote_f32 (f32.load (local.get $q))) (f64.load (local.get $r))))
                (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $t) (local.get $t))))
                (local.set $q (i32.add (local.get $q) (i32.const 4)))
                (local.set $r (i32.add (local.get $r) (i32.const 8)))
                (br $one)))
            (local.set $s (f64.add (local.get $s) (local.get $sq)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row))))
      (else
        (local.set $q (i32.add (global.get $x) (i32.mul (local.get $i) (i32.shl (local.get $d) (i32.const 3)))))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $r (i32.add (global.get $centers)
              (i32.mul (i32.load (i32.add (global.get $labels) (i32.shl (local.get $i) (i32.const 2)))) (local.get $rowBytes))))
            (local.set $stop (i32.add (local.get $q) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3))))
            (local.set $all (i32.add (local.get $q) (i32.shl (local.get $d) (i32.const 3))))
            (local.set $acc0 (v128.const i64x2 0 0))
            (local.set $acc1 (v128.const i64x2 0 0))
            (block $done
              (loop $four
                (br_if $done (i32.ge_u (local.get $q) (local.get $stop)))
                (local.set $a (f64x2.sub (v128.load align=8 (local.get $q)) (v128.load align=8 (local.get $r))))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (local.get $a))))
                (local.set $a (f64x2.sub (v128.load offset=16 align=8 (local.get $q)) (v128.load offset=16 align=8 (local.get $r))))
                (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (local.get $a))))
                (local.set $q (i32.add (local.get $q) (i32.const 32)))
                (local.set $r (i32.add (local.get $r) (i32.const 32)))
                (br $four)))
            (local.set $a (f64x2.add (local.get $acc0) (local.get $acc1)))
            (local.set $sq (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
            (block $done
              (loop $one
                (br_if $done (i32.ge_u (local.get $q) (local.get $all)))
                (local.set $t (f64.sub (f64.load (local.get $q)) (f64.load (local.get $r))))
                (local.set $sq (f64.add (local.get $sq) (f64.mul (local.get $t) (local.get $t))))
                (local.set $q (i32.add (local.get $q) (i32.const 8)))
                (local.set $r (i32.add (local.get $r) (i32.const 8)))
                (br $one)))
            (local.set $s (f64.add (local.get $s) (local.get $sq)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))))
    (local.get $s)))
