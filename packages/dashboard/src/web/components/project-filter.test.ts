import { describe, expect, it } from 'vitest';

import { matchProjects } from './project-filter.js';

const projects = [{ name: 'team-a', displayName: 'Team A' }, { name: 'demo' }];

describe('matchProjects', () => {
  it('matches names and display names', () => {
    expect(matchProjects(projects, '').matches).toHaveLength(2);
    expect(matchProjects(projects, 'team a').matches).toEqual([projects[0]]);
    expect(matchProjects(projects, 'dem').matches).toEqual([projects[1]]);
  });

  it('offers to open a typed project name only when it is a valid, unlisted name', () => {
    expect(matchProjects(projects, 'other-project').canOpenTyped).toBe(true);
    expect(matchProjects(projects, 'demo').canOpenTyped).toBe(false);
    expect(matchProjects(projects, 'Not Valid!').canOpenTyped).toBe(false);
    expect(matchProjects([], '').canOpenTyped).toBe(false);
  });
});
