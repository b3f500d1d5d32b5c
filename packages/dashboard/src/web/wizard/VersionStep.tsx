import { Content, Label } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMemo } from 'react';

import { buildImageReference, type ModelEntry } from '@odh-nim/contract';

import { buildVersionOptions } from './version-options.js';

export interface VersionStepProps {
  model: ModelEntry;
  selected: string | undefined;
  onSelect: (tag: string) => void;
  registry: string | undefined;
}

/** Wizard step 2: the model's tags newest first, the recommended one preselected. */
export function VersionStep({ model, selected, onSelect, registry }: VersionStepProps) {
  const options = useMemo(() => buildVersionOptions(model), [model]);
  return (
    <>
      <Content component="p" className="nim-step-intro">
        Versions of <strong>{model.displayName}</strong>, newest first. Floating tags such as{' '}
        <code>latest</code> move to newer releases when the model server restarts; pick a fixed
        release to keep the same image.
      </Content>
      <Table aria-label={`Versions of ${model.displayName}`} variant="compact" isStriped={false}>
        <Thead>
          <Tr>
            <Th screenReaderText="Selected" />
            <Th width={20}>Version</Th>
            <Th width={15}>Type</Th>
            <Th>Details</Th>
          </Tr>
        </Thead>
        <Tbody>
          {options.map((option, rowIndex) => (
            <Tr
              key={option.tag}
              isClickable
              isRowSelected={option.tag === selected}
              onRowClick={() => onSelect(option.tag)}
              data-testid={`version-row-${option.tag}`}
            >
              <Td
                select={{
                  rowIndex,
                  onSelect: () => onSelect(option.tag),
                  isSelected: option.tag === selected,
                  variant: 'radio',
                  props: { name: 'nim-version', 'aria-label': `Version ${option.tag}` },
                }}
              />
              <Td dataLabel="Version">
                <code className="nim-tag">{option.tag}</code>
                {option.recommended ? (
                  <Label status="success" isCompact className="nim-recommended">
                    Recommended
                  </Label>
                ) : null}
              </Td>
              <Td dataLabel="Type">{option.kindLabel}</Td>
              <Td dataLabel="Details">{option.description}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {selected ? (
        <Content component="p" className="nim-image-ref">
          Image: <code>{buildImageReference(model, selected, { registry })}</code>
        </Content>
      ) : null}
    </>
  );
}
