import { describe, expect, it } from 'vitest';
import { applyJsonPatch, parseJsonPatch } from './json-patch.js';

describe('parseJsonPatch', () => {
  it('reads a YAML list of operations, as kustomize does', () => {
    expect(
      parseJsonPatch(
        [
          '- op: test',
          '  path: /a/0',
          '  value: x',
          '- op: add',
          '  path: /b',
          '  value: {c: 1}',
          '- op: remove',
          '  path: /d',
        ].join('\n'),
      ),
    ).toEqual([
      { op: 'test', path: '/a/0', value: 'x' },
      { op: 'add', path: '/b', value: { c: 1 } },
      { op: 'remove', path: '/d' },
    ]);
  });

  it.each([
    ['not a list', 'op: add'],
    ['an empty list', '[]'],
    ['an unsupported op', '- {op: move, from: /a, path: /b}'],
    ['a path that is no JSON pointer', '- {op: remove, path: a}'],
    ['an add without a value', '- {op: add, path: /a}'],
    ['bad YAML', '- [a'],
  ])('rejects %s', (_what, text) => {
    expect(() => parseJsonPatch(text, 'p.yaml')).toThrow(
      expect.objectContaining({ code: 'invalid-crd', message: expect.stringContaining('p.yaml') }),
    );
  });
});

describe('applyJsonPatch', () => {
  const doc = { a: ['x', 'y'], b: { 'c/d': 1, 'e~f': 2 }, n: null };

  it('adds, replaces, removes and tests, leaving the input alone', () => {
    const before = structuredClone(doc);
    expect(
      applyJsonPatch(doc, [
        { op: 'test', path: '/a/1', value: 'y' },
        { op: 'add', path: '/a/-', value: 'z' },
        { op: 'add', path: '/a/0', value: 'w' },
        { op: 'replace', path: '/b/c~1d', value: 3 },
        { op: 'remove', path: '/b/e~0f' },
        { op: 'add', path: '/b/g', value: { h: [1] } },
        { op: 'test', path: '/n', value: null },
      ]),
    ).toEqual({ a: ['w', 'x', 'y', 'z'], b: { 'c/d': 3, g: { h: [1] } }, n: null });
    expect(doc).toEqual(before);
  });

  it('patches one of two places a YAML alias shares, not both', () => {
    const shared = { nim: {}, other: {} };
    const patched = applyJsonPatch({ v1: shared, v2: shared }, [{ op: 'remove', path: '/v1/nim' }]);
    expect(patched).toEqual({ v1: { other: {} }, v2: { nim: {}, other: {} } });
  });

  it.each([
    ['a failed test', { op: 'test', path: '/a/0', value: 'y' }, /found "x"/],
    ['a missing member', { op: 'remove', path: '/b/zz' }, /no zz/],
    ['a missing parent', { op: 'add', path: '/q/r', value: 1 }, /no q/],
    ['an index out of range', { op: 'replace', path: '/a/5', value: 1 }, /out of range/],
    ['the whole document', { op: 'replace', path: '/', value: 1 }, /no /],
  ] as const)('fails on %s', (_what, op, message) => {
    expect(() => applyJsonPatch(doc, [op])).toThrow(message);
  });
});
