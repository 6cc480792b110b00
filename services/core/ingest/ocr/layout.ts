/** Skew angles tried, in degrees either way: phone photos of a page are rarely more crooked. */
const MAX_SKEW = 15;

export interface Layout {
  /** Clockwise skew of the text lines, in degrees. */
  angle: number;
  /** Median height of a text line in pixels of the bitmap measured, or null when no lines were found. */
  lineHeight: number | null;
}

/**
 * Finds the skew and line height of text in a greyscale bitmap by projection profiles: the
 * dark pixels are projected onto rows at each candidate angle, and text lines line up
 * (the squared row counts peak) at the page's skew. At that angle each run of inked rows is
 * one text line.
 */
export function measureLayout(gray: Uint8Array, width: number, height: number): Layout {
  let sum = 0;
  for (const v of gray) sum += v;
  const threshold = (sum / Math.max(1, gray.length)) * 0.7;
  let count = 0;
  for (const v of gray) if (v < threshold) count++;
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  let k = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((gray[y * width + x] ?? 255) < threshold) {
        xs[k] = x;
        ys[k] = y;
        k++;
      }
    }
  }
  if (count === 0) return { angle: 0, lineHeight: null };

  const profile = (deg: number) => {
    const a = (deg * Math.PI) / 180;
    const s = Math.sin(a);
    const c = Math.cos(a);
    const bins = new Float64Array(height + width + 2);
    for (let i = 0; i < count; i++) bins[Math.round((ys[i] ?? 0) * c - (xs[i] ?? 0) * s) + width]++;
    return bins;
  };
  const energy = (bins: Float64Array) => bins.reduce((n, b) => n + b * b, 0);
  let angle = 0;
  let best = energy(profile(0));
  const tryAngle = (deg: number) => {
    const e = energy(profile(deg));
    if (e > best) {
      best = e;
      angle = deg;
    }
  };
  for (let deg = -MAX_SKEW; deg <= MAX_SKEW; deg += 0.5) tryAngle(deg);
  const coarse = angle;
  for (let deg = coarse - 0.4; deg <= coarse + 0.41; deg += 0.1) tryAngle(Math.round(deg * 10) / 10);

  const bins = profile(angle);
  const peak = bins.reduce((m, b) => Math.max(m, b), 0);
  const runs: number[] = [];
  let run = 0;
  for (const b of bins) {
    if (b > peak * 0.08) run++;
    else {
      if (run > 1) runs.push(run);
      run = 0;
    }
  }
  runs.sort((a, b) => a - b);
  const median = runs.length >= 2 ? (runs[Math.floor(runs.length / 2)] ?? null) : null;
  return { angle: Math.round(angle * 10) / 10, lineHeight: median };
}
