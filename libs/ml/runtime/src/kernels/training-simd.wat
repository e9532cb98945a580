;; WebAssembly SIMD (f32x4) kernels for the CNN training kernels in this folder. The module imports the tfjs wasm
;; backend's own memory, so it reads the tensors where the backend keeps them and writes its results straight
;; into tensors the backend allocated (no copies in or out). All pointers are byte offsets into that memory;
;; tensors are float32, NHWC, row-major. Same results as the JavaScript fallbacks beside them:
;;   $im2col       exact copies (bit-identical);
;;   $maxPoolGrad  the first maximum of each window in row-major order gets the gradient (as tfjs's cpu kernel);
;;   $columnSum    each column summed in float32 from 0, rows in order.
;; Regenerate training-simd.wasm.ts after editing: node tools/wasm/build-training-simd.mjs
(module
  (import "env" "memory" (memory 1))

  ;; Stores 0 at p, p+R, ... for `lanes` rows.
  (func $zeros (param $p i32) (param $R i32) (param $lanes i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $lanes)))
        (f32.store (local.get $p) (f32.const 0))
        (local.set $p (i32.add (local.get $p) (local.get $R)))
        (local.set $lanes (i32.sub (local.get $lanes) (i32.const 1)))
        (br $next))))

  ;; One (n, oy) row of outW output positions for `lanes` consecutive channels (rows p, p+R, ... of the column
  ;; matrix). Positions outside [oxStart, oxEnd) are padding (0); inside, position ox reads src + (ox-oxStart)·stepX.
  ;; lanes 4: 4×4 transposes; lanes 3 (only with stepX = 12, i.e. 3 channels at stride 1): 3 loads give 3 rows
  ;; of 4 positions; anything else and the tails: scalar.
  (func $row (param $p i32) (param $src i32) (param $R i32) (param $stepX i32)
    (param $oxStart i32) (param $oxEnd i32) (param $outW i32) (param $lanes i32)
    (local $ox i32) (local $l i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    ;; padding on the left
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $ox) (local.get $oxStart)))
        (call $zeros (local.get $p) (local.get $R) (local.get $lanes))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (br $next)))
    (if (i32.eq (local.get $lanes) (i32.const 4))
      (then
        (block $done
          (loop $next
            (br_if $done (i32.gt_s (i32.add (local.get $ox) (i32.const 4)) (local.get $oxEnd)))
            (local.set $a (v128.load (local.get $src)))
            (local.set $b (v128.load (i32.add (local.get $src) (local.get $stepX))))
            (local.set $c (v128.load (i32.add (local.get $src) (i32.shl (local.get $stepX) (i32.const 1)))))
            (local.set $d (v128.load (i32.add (local.get $src) (i32.mul (local.get $stepX) (i32.const 3)))))
            ;; t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
            ;; channel j across the 4 positions: a_j b_j c_j d_j
            (v128.store (local.get $p)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $p) (local.get $R))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $R) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $p) (i32.mul (local.get $R) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $src (i32.add (local.get $src) (i32.shl (local.get $stepX) (i32.const 2))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 4)))
            (br $next)))))
    (if (i32.and (i32.eq (local.get $lanes) (i32.const 3)) (i32.eq (local.get $stepX) (i32.const 12)))
      (then
        (block $done
          (loop $next
            (br_if $done (i32.gt_s (i32.add (local.get $ox) (i32.const 4)) (local.get $oxEnd)))
            ;; a = q0c0 q0c1 q0c2 q1c0, b = q1c1 q1c2 q2c0 q2c1, c = q2c2 q3c0 q3c1 q3c2 (positions q0..q3)
            (local.set $a (v128.load (local.get $src)))
            (local.set $b (v128.load offset=16 (local.get $src)))
            (local.set $c (v128.load offset=32 (local.get $src)))
            ;; channel 0: a0 a3 b2 | c1
            (local.set $t0 (i8x16.shuffle 0 1 2 3 12 13 14 15 24 25 26 27 24 25 26 27 (local.get $a) (local.get $b)))
            (v128.store (local.get $p)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 20 21 22 23 (local.get $t0) (local.get $c)))
            ;; channel 1: a1 b0 b3 | c2
            (local.set $t0 (i8x16.shuffle 4 5 6 7 16 17 18 19 28 29 30 31 28 29 30 31 (local.get $a) (local.get $b)))
            (v128.store (i32.add (local.get $p) (local.get $R))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 24 25 26 27 (local.get $t0) (local.get $c)))
            ;; channel 2: a2 b1 | c0 c3
            (local.set $t0 (i8x16.shuffle 8 9 10 11 20 21 22 23 20 21 22 23 20 21 22 23 (local.get $a) (local.get $b)))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $R) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 28 29 30 31 (local.get $t0) (local.get $c)))
            (local.set $src (i32.add (local.get $src) (i32.const 48)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 4)))
            (br $next)))))
    ;; the rest of the image, scalar
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $ox) (local.get $oxEnd)))
        (local.set $l (i32.const 0))
        (block $lanesDone
          (loop $lane
            (br_if $lanesDone (i32.ge_s (local.get $l) (local.get $lanes)))
            (f32.store
              (i32.add (local.get $p) (i32.mul (local.get $l) (local.get $R)))
              (f32.load (i32.add (local.get $src) (i32.shl (local.get $l) (i32.const 2)))))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br $lane)))
        (local.set $src (i32.add (local.get $src) (local.get $stepX)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (br $next)))
    ;; padding on the right
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $ox) (local.get $outW)))
        (call $zeros (local.get $p) (local.get $R) (local.get $lanes))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (br $next))))

  ;; im2col in the column layout: out is [filterHeight·filterWidth·channels, batch·outHeight·outWidth], row
  ;; k = (ky, kx, c), column = output position (n, oy, ox); padding reads as 0. Dilation 1.
  (func (export "im2col")
    (param $x i32) (param $out i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32)
    (param $outH i32) (param $outW i32) (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32)
    (param $padTop i32) (param $padLeft i32)
    (local $R i32) (local $xRow i32) (local $xImg i32) (local $stepX i32) (local $outRow i32)
    (local $ky i32) (local $kx i32) (local $c i32) (local $lanes i32) (local $l i32)
    (local $oxStart i32) (local $oxEnd i32) (local $n i32) (local $oy i32) (local $iy i32)
    (local $p i32) (local $img i32) (local $src0 i32)
    (local.set $R (i32.shl (i32.mul (local.get $batch) (i32.mul (local.get $outH) (local.get $outW))) (i32.const 2)))
    (local.set $xRow (i32.shl (i32.mul (local.get $inW) (local.get $C)) (i32.const 2)))
    (local.set $xImg (i32.mul (local.get $inH) (local.get $xRow)))
    (local.set $stepX (i32.shl (i32.mul (local.get $sw) (local.get $C)) (i32.const 2)))
    (local.set $outRow (i32.shl (local.get $outW) (i32.const 2)))
    (local.set $ky (i32.const 0))
    (loop $kyLoop
      (local.set $kx (i32.const 0))
      (loop $kxLoop
        ;; output columns whose input column ox·sw − padLeft + kx lies inside the image: [oxStart, oxEnd)
        (local.set $oxStart (i32.const 0))
        (block $found
          (loop $next
            (br_if $found (i32.ge_s (local.get $oxStart) (local.get $outW)))
            (br_if $found (i32.ge_s
              (i32.add (i32.sub (i32.mul (local.get $oxStart) (local.get $sw)) (local.get $padLeft)) (local.get $kx))
              (i32.const 0)))
            (local.set $oxStart (i32.add (local.get $oxStart) (i32.const 1)))
            (br $next)))
        (local.set $oxEnd (local.get $outW))
        (block $found
          (loop $next
            (br_if $found (i32.le_s (local.get $oxEnd) (local.get $oxStart)))
            (br_if $found (i32.lt_s
              (i32.add (i32.sub (i32.mul (i32.sub (local.get $oxEnd) (i32.const 1)) (local.get $sw)) (local.get $padLeft))
                (local.get $kx))
              (local.get $inW)))
            (local.set $oxEnd (i32.sub (local.get $oxEnd) (i32.const 1)))
            (br $next)))
        ;; source offset of column oxStart within an input row (meaningful only when oxStart < oxEnd)
        (local.set $src0 (i32.shl
          (i32.mul
            (i32.add (i32.sub (i32.mul (local.get $oxStart) (local.get $sw)) (local.get $padLeft)) (local.get $kx))
            (local.get $C))
          (i32.const 2)))
        (local.set $c (i32.const 0))
        (block $channelsDone
          (loop $group
            (br_if $channelsDone (i32.ge_s (local.get $c) (local.get $C)))
            (local.set $lanes
              (if (result i32) (i32.ge_s (i32.sub (local.get $C) (local.get $c)) (i32.const 4))
                (then (i32.const 4))
                (else
                  (if (result i32) (i32.and (i32.eq (local.get $C) (i32.const 3)) (i32.eq (local.get $sw) (i32.const 1)))
                    (then (i32.const 3))
                    (else (i32.const 1))))))
            (local.set $p (i32.add (local.get $out)
              (i32.mul
                (i32.add (i32.mul (i32.add (i32.mul (local.get $ky) (local.get $fw)) (local.get $kx)) (local.get $C))
                  (local.get $c))
                (local.get $R))))
            (local.set $img (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $n (i32.const 0))
            (block $imagesDone
              (loop $image
                (br_if $imagesDone (i32.ge_s (local.get $n) (local.get $batch)))
                (local.set $oy (i32.const 0))
                (block $rowsDone
                  (loop $rowLoop
                    (br_if $rowsDone (i32.ge_s (local.get $oy) (local.get $outH)))
                    (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $padTop))
                      (local.get $ky)))
                    (if (i32.and (i32.lt_u (local.get $iy) (local.get $inH))
                          (i32.lt_s (local.get $oxStart) (local.get $oxEnd)))
                      (then
                        (call $row (local.get $p)
                          (i32.add (i32.add (local.get $img) (i32.mul (local.get $iy) (local.get $xRow))) (local.get $src0))
                          (local.get $R) (local.get $stepX) (local.get $oxStart) (local.get $oxEnd) (local.get $outW)
                          (local.get $lanes)))
                      (else
                        (local.set $l (i32.const 0))
                        (block $zeroDone
                          (loop $zeroLane
                            (br_if $zeroDone (i32.ge_s (local.get $l) (local.get $lanes)))
                            (memory.fill (i32.add (local.get $p) (i32.mul (local.get $l) (local.get $R)))
                              (i32.const 0) (local.get $outRow))
                            (local.set $l (i32.add (local.get $l) (i32.const 1)))
                            (br $zeroLane)))))
                    (local.set $p (i32.add (local.get $p) (local.get $outRow)))
                    (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
                    (br $rowLoop)))
                (local.set $img (i32.add (local.get $img) (local.get $xImg)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (br $image)))
            (local.set $c (i32.add (local.get $c) (local.get $lanes)))
            (br $group)))
        (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
        (br_if $kxLoop (i32.lt_s (local.get $kx) (local.get $fw))))
      (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
      (br_if $kyLoop (i32.lt_s (local.get $ky) (local.get $fh)))))

  ;; MaxPoolGrad for windows that do not overlap (stride ≥ filter size on both axes) and channels a multiple of
  ;; 4: dx = 0, then each window's gradient goes to its first maximum in row-major order (strictly greater
  ;; than everything before it, starting from −∞; a window with no such element passes nothing on).
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $C i32)
    (param $outH i32) (param $outW i32) (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32)
    (param $padTop i32) (param $padLeft i32)
    (local $rowB i32) (local $imgB i32) (local $CB i32) (local $n i32) (local $oy i32) (local $ox i32)
    (local $y0 i32) (local $yS i32) (local $yE i32) (local $x0 i32) (local $xS i32) (local $xE i32)
    (local $img i32) (local $dimg i32) (local $w i32) (local $cb i32) (local $iy i32) (local $ix i32)
    (local $at i32) (local $e i32) (local $g i32)
    (local $best v128) (local $idx v128) (local $v v128) (local $m v128) (local $grad v128)
    (local.set $CB (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowB (i32.mul (local.get $inW) (local.get $CB)))
    (local.set $imgB (i32.mul (local.get $inH) (local.get $rowB)))
    (memory.fill (local.get $dx) (i32.const 0) (i32.mul (local.get $batch) (local.get $imgB)))
    (local.set $g (local.get $dy))
    (local.set $img (local.get $x))
    (local.set $dimg (local.get $dx))
    (block $imagesDone
      (loop $image
        (br_if $imagesDone (i32.ge_s (local.get $n) (local.get $batch)))
        (local.set $oy (i32.const 0))
        (block $rowsDone
          (loop $rowLoop
            (br_if $rowsDone (i32.ge_s (local.get $oy) (local.get $outH)))
            (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $padTop)))
            (local.set $yS (select (local.get $y0) (i32.const 0) (i32.gt_s (local.get $y0) (i32.const 0))))
            (local.set $yE (i32.add (local.get $y0) (local.get $fh)))
            (local.set $yE (select (local.get $yE) (local.get $inH) (i32.lt_s (local.get $yE) (local.get $inH))))
            (local.set $ox (i32.const 0))
            (block $colsDone
              (loop $colLoop
                (br_if $colsDone (i32.ge_s (local.get $ox) (local.get $outW)))
                (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $padLeft)))
                (local.set $xS (select (local.get $x0) (i32.const 0) (i32.gt_s (local.get $x0) (i32.const 0))))
                (local.set $xE (i32.add (local.get $x0) (local.get $fw)))
                (local.set $xE (select (local.get $xE) (local.get $inW) (i32.lt_s (local.get $xE) (local.get $inW))))
                ;; byte offset of the window's first element within the image
                (local.set $w (i32.add (i32.mul (local.get $yS) (local.get $rowB)) (i32.mul (local.get $xS) (local.get $CB))))
                (local.set $cb (i32.const 0))
                (block $channelsDone
                  (loop $channels
                    (br_if $channelsDone (i32.ge_s (local.get $cb) (local.get $CB)))
                    ;; pass 1: the first maximum's element number in the window, per lane
                    (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
                    (local.set $idx (v128.const i32x4 -1 -1 -1 -1))
                    (local.set $e (i32.const 0))
                    (local.set $iy (local.get $yS))
                    (block $d1
                      (loop $r1
                        (br_if $d1 (i32.ge_s (local.get $iy) (local.get $yE)))
                        (local.set $at (i32.add (i32.add (local.get $w) (local.get $cb))
                          (i32.mul (i32.sub (local.get $iy) (local.get $yS)) (local.get $rowB))))
                        (local.set $ix (local.get $xS))
                        (block $d2
                          (loop $r2
                            (br_if $d2 (i32.ge_s (local.get $ix) (local.get $xE)))
                            (local.set $v (v128.load (i32.add (local.get $img) (local.get $at))))
                            (local.set $m (f32x4.gt (local.get $v) (local.get $best)))
                            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $m)))
                            (local.set $idx (v128.bitselect (i32x4.splat (local.get $e)) (local.get $idx) (local.get $m)))
                            (local.set $e (i32.add (local.get $e) (i32.const 1)))
                            (local.set $at (i32.add (local.get $at) (local.get $CB)))
                            (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
                            (br $r2)))
                        (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
                        (br $r1)))
                    ;; pass 2: the gradient where the lane's element number matches, 0 elsewhere
                    (local.set $grad (v128.load (local.get $g)))
                    (local.set $e (i32.const 0))
                    (local.set $iy (local.get $yS))
                    (block $d1
                      (loop $r1
                        (br_if $d1 (i32.ge_s (local.get $iy) (local.get $yE)))
                        (local.set $at (i32.add (i32.add (local.get $w) (local.get $cb))
                          (i32.mul (i32.sub (local.get $iy) (local.get $yS)) (local.get $rowB))))
                        (local.set $ix (local.get $xS))
                        (block $d2
                          (loop $r2
                            (br_if $d2 (i32.ge_s (local.get $ix) (local.get $xE)))
                            (v128.store (i32.add (local.get $dimg) (local.get $at))
                              (v128.and (local.get $grad) (i32x4.eq (local.get $idx) (i32x4.splat (local.get $e)))))
                            (local.set $e (i32.add (local.get $e) (i32.const 1)))
                            (local.set $at (i32.add (local.get $at) (local.get $CB)))
                            (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
                            (br $r2)))
                        (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
                        (br $r1)))
                    (local.set $g (i32.add (local.get $g) (i32.const 16)))
                    (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
                    (br $channels)))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $colLoop)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $rowLoop)))
        (local.set $img (i32.add (local.get $img) (local.get $imgB)))
        (local.set $dimg (i32.add (local.get $dimg) (local.get $imgB)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $image))))

  ;; out[c] = Σ_r x[r, c] for a row-major [rows, C] matrix: float32 sums from 0, rows in order.
  (func (export "columnSum") (param $x i32) (param $out i32) (param $rows i32) (param $C i32)
    (local $CB i32) (local $VB i32) (local $j i32) (local $r i32)
    (local.set $CB (i32.shl (local.get $C) (i32.const 2)))
    (local.set $VB (i32.and (local.get $CB) (i32.const -16)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $CB))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $vDone
          (loop $vec
            (br_if $vDone (i32.ge_s (local.get $j) (local.get $VB)))
            (v128.store (i32.add (local.get $out) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $j)))
                (v128.load (i32.add (local.get $x) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $vec)))
        (block $sDone
          (loop $scalar
            (br_if $sDone (i32.ge_s (local.get $j) (local.get $CB)))
            (f32.store (i32.add (local.get $out) (local.get $j))
              (f32.add (f32.load (i32.add (local.get $out) (local.get $j)))
                (f32.load (i32.add (local.get $x) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $scalar)))
        (local.set $x (i32.add (local.get $x) (local.get $CB)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
