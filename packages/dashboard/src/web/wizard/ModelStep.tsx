import {
  Alert,
  Card,
  CardBody,
  CardFooter,
  CardHeader,
  CardTitle,
  Content,
  EmptyState,
  EmptyStateBody,
  FormSelect,
  FormSelectOption,
  Gallery,
  Label,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
  Tooltip,
  Button,
} from '@patternfly/react-core';
import { SearchIcon } from '@patternfly/react-icons/dist/esm/icons/search-icon.js';
import { memo, useMemo } from 'react';

import type { ModelEntry } from '@odh-nim/contract';

import {
  describeVersionCount,
  EMPTY_MODEL_FILTER,
  filterModels,
  formatUpdated,
  listPublishers,
  publisherLabel,
  type ModelFilter,
} from './model-filter.js';
import { useProgressiveCount } from './use-progressive-count.js';

/** The EU notice, word for word wherever it appears. */
export const EU_RESTRICTED_TEXT = 'Not available in the EU due to regulatory restrictions';

export interface ModelStepProps {
  models: readonly ModelEntry[];
  selected: string | undefined;
  onSelect: (model: ModelEntry) => void;
  filter: ModelFilter;
  onFilterChange: (filter: ModelFilter) => void;
}

/** A visible "EU restricted" label with the full sentence in a tooltip (focusable). */
export function EuRestrictedLabel({ modelName }: { modelName: string }) {
  return (
    <Tooltip content={EU_RESTRICTED_TEXT} aria="describedby">
      <Label
        status="warning"
        isCompact
        tabIndex={0}
        className="nim-eu-label"
        data-testid={`eu-restricted-${modelName}`}
        aria-label={EU_RESTRICTED_TEXT}
      >
        Not available in the EU
      </Label>
    </Tooltip>
  );
}

interface ModelCardProps {
  model: ModelEntry;
  isSelected: boolean;
  onSelect: (model: ModelEntry) => void;
}

// Memoized: typing in the search box re-renders the gallery, not every one of 180 cards.
const ModelCard = memo(function ModelCard({ model, isSelected, onSelect }: ModelCardProps) {
  const titleId = `model-title-${model.name}`;
  return (
    <Card
      id={`model-card-${model.name}`}
      isSelectable
      isSelected={isSelected}
      isCompact
      className="nim-model-card"
      data-testid="model-card"
    >
      <CardHeader
        selectableActions={{
          selectableActionId: `select-model-${model.name}`,
          selectableActionAriaLabelledby: titleId,
          name: 'nim-model',
          variant: 'single',
          isChecked: isSelected,
          onChange: () => onSelect(model),
        }}
      >
        <CardTitle id={titleId}>{model.displayName}</CardTitle>
      </CardHeader>
      <CardBody>
        <div className="nim-model-card__labels">
          <span className="nim-chip">{model.namespace}</span>
          {model.euRestricted ? <EuRestrictedLabel modelName={model.name} /> : null}
        </div>
        <p className="nim-model-card__description" title={model.shortDescription}>
          {model.shortDescription || 'No description.'}
        </p>
      </CardBody>
      <CardFooter className="nim-model-card__footer">
        {describeVersionCount(model)} · Updated {formatUpdated(model.updatedDate)}
      </CardFooter>
    </Card>
  );
});

/** Wizard step 1: a searchable, filterable gallery of the catalog. */
export function ModelStep({ models, selected, onSelect, filter, onFilterChange }: ModelStepProps) {
  const publishers = useMemo(() => listPublishers(models), [models]);
  const visible = useMemo(() => filterModels(models, filter), [models, filter]);
  const shown = useProgressiveCount(visible.length, visible);
  const selectedModel = models.find((model) => model.name === selected);

  return (
    <>
      <Content component="p" className="nim-step-intro">
        Choose the NVIDIA NIM to deploy. Each NIM is a container with an optimized model and an
        OpenAI-compatible API.
      </Content>
      <Toolbar className="nim-model-toolbar" inset={{ default: 'insetNone' }}>
        <ToolbarContent>
          <ToolbarItem className="nim-model-toolbar__search">
            <SearchInput
              aria-label="Search models"
              placeholder="Search by name, description or publisher"
              value={filter.query}
              onChange={(_event, query) => onFilterChange({ ...filter, query })}
              onClear={() => onFilterChange({ ...filter, query: '' })}
            />
          </ToolbarItem>
          <ToolbarItem>
            <FormSelect
              aria-label="Filter by publisher"
              value={filter.publisher}
              onChange={(_event, publisher) => onFilterChange({ ...filter, publisher })}
              ouiaId="publisher-filter"
            >
              <FormSelectOption value="" label={`All publishers (${models.length})`} />
              {publishers.map((option) => (
                <FormSelectOption
                  key={option.namespace}
                  value={option.namespace}
                  label={`${option.label} (${option.count})`}
                />
              ))}
            </FormSelect>
          </ToolbarItem>
          <ToolbarItem align={{ default: 'alignEnd' }}>
            <span className="nim-muted" aria-live="polite" data-testid="model-count">
              {visible.length === models.length
                ? `${models.length} models`
                : `${visible.length} of ${models.length} models`}
            </span>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {selectedModel?.euRestricted ? (
        <Alert
          variant="warning"
          isInline
          title={`${selectedModel.displayName}: ${EU_RESTRICTED_TEXT}`}
          className="nim-step-alert"
          data-testid="eu-restricted-alert"
        >
          NVIDIA does not serve this model to the European Union. You can still deploy it; make sure
          your use complies with the regulations that apply to you.
        </Alert>
      ) : null}
      {visible.length === 0 ? (
        <EmptyState titleText="No models match" headingLevel="h3" icon={SearchIcon} variant="sm">
          <EmptyStateBody>
            No model matches{filter.query ? ` "${filter.query}"` : ''}
            {filter.publisher ? ` from ${publisherLabel(filter.publisher)}` : ''}.{' '}
            <Button variant="link" isInline onClick={() => onFilterChange(EMPTY_MODEL_FILTER)}>
              Clear all filters
            </Button>
          </EmptyStateBody>
        </EmptyState>
      ) : (
        <Gallery
          hasGutter
          minWidths={{ default: '100%', md: '280px' }}
          role="radiogroup"
          aria-label="NIM models"
        >
          {visible.slice(0, shown).map((model) => (
            <ModelCard
              key={model.name}
              model={model}
              isSelected={model.name === selected}
              onSelect={onSelect}
            />
          ))}
        </Gallery>
      )}
    </>
  );
}
