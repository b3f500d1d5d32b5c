import type { OutputStream } from './io.js';

/** Progress of a long step, drawn as a bar on a terminal and as plain lines otherwise. */
export interface ProgressReporter {
  /** `done` of `total` items are finished; `detail` (e.g. `width 32`) follows the counts. */
  update(done: number, total: number, detail?: string): void;
  /** Writes a log line; on a terminal the bar is cleared first and redrawn below it. */
  writeLine(line: string): void;
  /** Ends the bar: later output starts on a fresh line. */
  finish(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  stream: OutputStream;
  /** A terminal gets one redrawn `\r` line; anything else gets a line per `step`. */
  isTTY: boolean;
  /** Shown before the counts, e.g. `Fetching model details`. */
  label: string;
  /** Width of the bar in characters. Default 30. */
  width?: number;
  /** Share of the total between two plain progress lines. Default 0.1 (every 10%). */
  step?: number;
}

const CLEAR_LINE = '\r\x1b[2K';

/** Creates a {@link ProgressReporter}; nothing is written until the first `update`. */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const { stream, isTTY, label } = options;
  const width = options.width ?? 30;
  const step = options.step ?? 0.1;
  let drawn = '';
  let lastBucket = -1;
  let finished = false;

  const draw = (done: number, total: number, suffix: string): string => {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(share * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    return `${label} [${bar}] ${done}/${total} ${Math.floor(share * 100)}%${suffix}`;
  };

  return {
    update(done, total, detail) {
      if (finished) return;
      const suffix = detail === undefined ? '' : `, ${detail}`;
      if (isTTY) {
        drawn = draw(done, total, suffix);
        stream.write(`${CLEAR_LINE}${drawn}`);
        return;
      }
      const share = total === 0 ? 1 : done / total;
      // Rounded first: 18/180 must land in bucket 1, not 0.999….
      const bucket = Math.floor(Math.round((share / step) * 1e6) / 1e6);
      if (bucket <= lastBucket) return;
      lastBucket = bucket;
      stream.write(`${label}: ${done}/${total} (${Math.floor(share * 100)}%)${suffix}\n`);
    },
    writeLine(line) {
      if (isTTY && drawn !== '' && !finished) {
        stream.write(`${CLEAR_LINE}${line}\n${drawn}`);
      } else {
        stream.write(`${line}\n`);
      }
    },
    finish() {
      if (isTTY && drawn !== '' && !finished) stream.write('\n');
      finished = true;
    },
  };
}
