import { useEffect, useState } from 'react';

/**
 * How many of `total` items to render now: `initial` at once, then `step` more each frame until
 * all are shown. Restarts when `resetKey` changes (a new filter). Keeps the first paint of a long
 * gallery fast; the rest follows within a few frames.
 */
export function useProgressiveCount(
  total: number,
  resetKey: unknown,
  options: { initial?: number; step?: number } = {},
): number {
  const initial = options.initial ?? 24;
  const step = options.step ?? 40;
  const [count, setCount] = useState(Math.min(total, initial));

  useEffect(() => {
    setCount(Math.min(total, initial));
  }, [resetKey, total, initial]);

  useEffect(() => {
    if (count >= total) return undefined;
    const frame = requestAnimationFrame(() => setCount((n) => Math.min(total, n + step)));
    return () => cancelAnimationFrame(frame);
  }, [count, total, step]);

  return Math.min(count, total);
}
