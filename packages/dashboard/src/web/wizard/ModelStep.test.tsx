// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { EMPTY_MODEL_FILTER, type ModelFilter } from './model-filter.js';
import { EU_RESTRICTED_TEXT, ModelStep } from './ModelStep.js';
import { mockModel } from './test-models.js';

const models = [
  mockModel(),
  mockModel({
    name: 'llama-3.2-90b-vision-instruct',
    displayName: 'Llama 3.2 90B Vision',
    euRestricted: true,
  }),
  mockModel({ name: 'mistral-7b', displayName: 'Mistral 7B', namespace: 'nim/mistralai' }),
];

function renderStep(props: { filter?: ModelFilter; selected?: string } = {}) {
  const onSelect = vi.fn();
  const onFilterChange = vi.fn();
  render(
    <ModelStep
      models={models}
      selected={props.selected}
      onSelect={onSelect}
      filter={props.filter ?? EMPTY_MODEL_FILTER}
      onFilterChange={onFilterChange}
    />,
  );
  return { onSelect, onFilterChange };
}

afterEach(cleanup);

describe('ModelStep', () => {
  it('lists every model with its namespace, versions and last update', () => {
    renderStep();
    const cards = screen.getAllByTestId('model-card');
    expect(cards).toHaveLength(3);
    expect(cards[0]?.textContent).toContain('Llama 3.1 8B Instruct');
    expect(cards[0]?.textContent).toContain('nim/meta');
    expect(cards[0]?.textContent).toContain('5 versions · Updated Jul 7, 2025');
    expect(screen.getByTestId('model-count').textContent).toBe('3 models');
  });

  it('labels EU-restricted models visibly, without hiding them', () => {
    renderStep();
    const label = screen.getByTestId('eu-restricted-llama-3.2-90b-vision-instruct');
    expect(label.textContent).toBe('Not available in the EU');
    expect(label.getAttribute('aria-label')).toBe(EU_RESTRICTED_TEXT);
    expect(screen.queryByTestId('eu-restricted-alert')).toBeNull();
  });

  it('warns in an alert once a restricted model is selected', () => {
    renderStep({ selected: 'llama-3.2-90b-vision-instruct' });
    expect(screen.getByTestId('eu-restricted-alert').textContent).toContain(EU_RESTRICTED_TEXT);
  });

  it('reports search input and narrows the gallery by the filter', () => {
    const { onFilterChange } = renderStep({ filter: { query: 'mistral', publisher: '' } });
    expect(screen.getAllByTestId('model-card')).toHaveLength(1);
    expect(screen.getByTestId('model-count').textContent).toBe('1 of 3 models');
    fireEvent.change(screen.getByLabelText('Search models'), { target: { value: 'llama' } });
    expect(onFilterChange).toHaveBeenCalledWith({ query: 'llama', publisher: '' });
  });

  it('offers to clear filters that match nothing', () => {
    const { onFilterChange } = renderStep({ filter: { query: 'nothing', publisher: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Clear all filters' }));
    expect(onFilterChange).toHaveBeenCalledWith(EMPTY_MODEL_FILTER);
  });

  it('selects a model with its radio', () => {
    const { onSelect } = renderStep();
    const card = screen.getAllByTestId('model-card')[2] as HTMLElement;
    fireEvent.click(within(card).getByRole('radio'));
    expect(onSelect).toHaveBeenCalledWith(models[2]);
  });
});
