/** Standard-normal helpers for truncated Gaussian kernels, in log space where the tails need it. */

const LOG_HALF = Math.log(0.5);
const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln erfc(x) for x ≥ 0 (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7, no underflow in the tail). */
function logErfcPositive(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + poly;
}

/** ln Φ(z). */
export function logNdtr(z: number): number {
  if (z < 0) return LOG_HALF + logErfcPositive(-z * SQRT1_2);
  return Math.log1p(-0.5 * Math.exp(logErfcPositive(z * SQRT1_2)));
}

/** Φ(z). */
export function ndtr(z: number): number {
  return Math.exp(logNdtr(z));
}

/** ln(Φ(b) − Φ(a)) for a < b, accurate when both sit in the same tail. */
export function logNdtrDiff(a: number, b: number): number {
  if (!(b > a)) return -Infinity;
  if (a > 0) return logNdtrDiff(-b, -a);
  const lb = logNdtr(b);
  const la = logNdtr(a);
  return lb + Math.log1p(-Math.exp(la - lb));
}

/** ln φ(z). */
export function logNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** Φ⁻¹(p) (Acklam's rational approximation, then one Newton step against ndtr). */
export function ndtri(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = ndtr(x) - p;
  const density = Math.exp(logNormalPdf(x));
  if (density > 0 && Number.isFinite(e)) x -= e / density;
  return x;
}

/** A draw of the standard normal truncated to [a, b], by inversion (mirrored so the tail it uses is the lower one). */
export function sampleTruncatedStandard(a: number, b: number, u: number): number {
  if (a > 0) return -sampleTruncatedStandard(-b, -a, 1 - u);
  const pa = ndtr(a);
  const pb = ndtr(b);
  const z = ndtri(pa + u * (pb - pa));
  return Math.min(b, Math.max(a, Number.isFinite(z) ? z : a));
}
