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
});
