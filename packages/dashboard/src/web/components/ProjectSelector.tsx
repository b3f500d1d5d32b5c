import {
  Divider,
  MenuSearch,
  MenuSearchInput,
  MenuToggle,
  SearchInput,
  Select,
  SelectList,
  SelectOption,
} from '@patternfly/react-core';
import { useMemo, useState } from 'react';

import type { Project } from '../../api/types.js';
import { matchProjects } from './project-filter.js';

export interface ProjectSelectorProps {
  projects: readonly Project[];
  selected: string | undefined;
  onSelect: (namespace: string) => void;
  isLoading?: boolean;
}

/**
 * The project switcher, as in OpenShift AI. Users who may not list namespaces still reach a
 * project they work in by typing its name.
 */
export function ProjectSelector({ projects, selected, onSelect, isLoading }: ProjectSelectorProps) {
  const [isOpen, setIsOpen] = useState(false);
  const [query, setQuery] = useState('');
  const { matches, canOpenTyped } = useMemo(
    () => matchProjects(projects, query),
    [projects, query],
  );
  const current = projects.find((p) => p.name === selected);
  const choose = (name: string): void => {
    setIsOpen(false);
    setQuery('');
    if (name !== selected) onSelect(name);
  };

  return (
    <div className="nim-project-selector">
      <span className="nim-project-selector__label" id="nim-project-label">
        Project
      </span>
      <Select
        isOpen={isOpen}
        selected={selected}
        onSelect={(_event, value) => {
          if (typeof value === 'string') choose(value);
        }}
        onOpenChange={setIsOpen}
        toggle={(toggleRef) => (
          <MenuToggle
            ref={toggleRef}
            onClick={() => setIsOpen((open) => !open)}
            isExpanded={isOpen}
            aria-labelledby="nim-project-label nim-project-toggle"
            id="nim-project-toggle"
            className="nim-project-selector__toggle"
            isDisabled={isLoading}
          >
            {current?.displayName ??
              selected ??
              (isLoading ? 'Loading projects' : 'Select a project')}
          </MenuToggle>
        )}
        shouldFocusToggleOnSelect
        isScrollable
        popperProps={{ minWidth: '20rem' }}
      >
        <MenuSearch>
          <MenuSearchInput>
            <SearchInput
              aria-label="Find a project"
              placeholder="Find or type a project name"
              value={query}
              onChange={(_event, value) => setQuery(value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && canOpenTyped) choose(query.trim().toLowerCase());
              }}
            />
          </MenuSearchInput>
        </MenuSearch>
        <Divider />
        <SelectList aria-label="Projects">
          {matches.map((project) => (
            <SelectOption
              key={project.name}
              value={project.name}
              description={project.displayName ? project.name : undefined}
            >
              {project.displayName ?? project.name}
            </SelectOption>
          ))}
          {canOpenTyped ? (
            <SelectOption value={query.trim().toLowerCase()}>
              Open project &quot;{query.trim().toLowerCase()}&quot;
            </SelectOption>
          ) : null}
          {matches.length === 0 && !canOpenTyped ? (
            <SelectOption isDisabled value="__none">
              {projects.length === 0
                ? 'Type the name of a project you work in'
                : 'No project matches'}
            </SelectOption>
          ) : null}
        </SelectList>
      </Select>
    </div>
  );
}
