import { describe, expect, it } from 'vitest';

import { createProgressReporter } from './progress.js';

function sink(): { stream: { write: (chunk: string) => void }; text: () => string } {
  let text = '';
  return { stream: { write: (chunk) => (text += chunk) }, text: () => text };
}

describe('createProgressReporter', () => {
  it('prints a line every 10% when not on a terminal', () => {
    const out = sink();
    const progress = createProgressReporter({
      stream: out.stream,
      isTTY: false,
      label: 'Fetching',
    });
    for (let done = 0; done <= 180; done += 1) progress.update(done, 180);
    progress.finish();
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('Fetching: 0/180 (0%)');
    expect(lines[1]).toBe('Fetching: 18/180 (10%)');
    expect(lines.at(-1)).toBe('Fetching: 180/180 (100%)');
  });

  it('redraws one line on a terminal and keeps log lines above it', () => {
    const out = sink();
    const progress = createProgressReporter({
      stream: out.stream,
      isTTY: true,
      label: 'Fetching',
      width: 10,
    });
    progress.update(5, 10);
    progress.writeLine('warning: slow');
    progress.update(10, 10);
    progress.finish();
    expect(out.text()).toBe(
      '\r\x1b[2KFetching [#####-----] 5/10 50%' +
        '\r\x1b[2Kwarning: slow\nFetching [#####-----] 5/10 50%' +
        '\r\x1b[2KFetching [##########] 10/10 100%\n',
    );
  });

  it('puts a detail, such as the live width, after the counts', () => {
    const tty = sink();
    const bar = createProgressReporter({ stream: tty.stream, isTTY: true, label: 'F', width: 4 });
    bar.update(1, 2, 'width 16');
    expect(tty.text()).toBe('\r\x1b[2KF [##--] 1/2 50%, width 16');
    const plain = sink();
    const lines = createProgressReporter({ stream: plain.stream, isTTY: false, label: 'F' });
    lines.update(2, 2, 'width 32');
    expect(plain.text()).toBe('F: 2/2 (100%), width 32\n');
  });
});
