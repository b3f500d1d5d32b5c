import {
  Accordion,
  AccordionContent,
  AccordionItem,
  AccordionToggle,
  CodeBlock,
  CodeBlockAction,
  CodeBlockCode,
  ClipboardCopyButton,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  Title,
} from '@patternfly/react-core';
import { Fragment, useMemo, useState } from 'react';

import { buildImageReference, type ModelEntry } from '@odh-nim/contract';

import type { DeployRequest, DeployStep } from '../../api/types.js';
import { DeployProgress } from './DeployProgress.js';
import type { DeployState } from './deploy-progress.js';
import { EuRestrictedLabel } from './ModelStep.js';
import { buildPreviewObjects } from './yaml-preview.js';

export interface ReviewStepProps {
  namespace: string;
  model: ModelEntry;
  request: DeployRequest;
  registry: string | undefined;
  keyCollection: boolean;
  deployState: DeployState;
  deploySteps: readonly DeployStep[];
}

function Item({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <DescriptionListGroup>
      <DescriptionListTerm>{term}</DescriptionListTerm>
      <DescriptionListDescription>{children}</DescriptionListDescription>
    </DescriptionListGroup>
  );
}

/** Text that may wrap after each "/" and before the ":" of a tag, not inside a word. */
function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=\/)|(?=:)/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </>
  );
}

function describeKey(request: DeployRequest, keyCollection: boolean): string {
  if (!keyCollection) return 'Not needed (the cluster pulls NIM images with its own credentials)';
  if (request.useExistingKey) return 'The key already stored in this project';
  return 'New key, validated (stored in the project, shown redacted below)';
}

function YamlBlock({ id, yaml }: { id: string; yaml: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <CodeBlock
      className="nim-yaml"
      actions={
        <CodeBlockAction>
          <ClipboardCopyButton
            id={`${id}-copy`}
            textId={`${id}-code`}
            aria-label="Copy YAML"
            variant="plain"
            exitDelay={copied ? 1500 : 600}
            onClick={() => {
              void navigator.clipboard?.writeText(yaml);
              setCopied(true);
            }}
            onTooltipHidden={() => setCopied(false)}
          >
            {copied ? 'Copied' : 'Copy YAML'}
          </ClipboardCopyButton>
        </CodeBlockAction>
      }
    >
      <CodeBlockCode id={`${id}-code`} data-testid="yaml-preview">
        {yaml}
      </CodeBlockCode>
    </CodeBlock>
  );
}

/** Wizard step 5: what will be created, as a summary and as YAML, and the deploy's progress. */
export function ReviewStep(props: ReviewStepProps) {
  const { request, model, namespace } = props;
  const objects = useMemo(
    () =>
      buildPreviewObjects(request, {
        namespace,
        model,
        registry: props.registry,
        keyCollection: props.keyCollection,
      }),
    [request, namespace, model, props.registry, props.keyCollection],
  );
  const [openObjects, setOpenObjects] = useState<number[]>([0]);
  const storage = request.storage;

  return (
    <div className="nim-review">
      <DeployProgress steps={props.deploySteps} state={props.deployState} />
      <Title headingLevel="h3" size="lg">
        Summary
      </Title>
      <DescriptionList
        isCompact
        columnModifier={{ default: '2Col', lg: '3Col' }}
        className="nim-summary"
      >
        <Item term="Model">
          {model.displayName}{' '}
          {model.euRestricted ? <EuRestrictedLabel modelName={model.name} /> : null}
        </Item>
        <Item term="Version">
          <code>{request.tag}</code>
        </Item>
        <Item term="Image">
          <code>
            <Breakable
              text={buildImageReference(model, request.tag, { registry: props.registry })}
            />
          </code>
        </Item>
        <Item term="Project">{namespace}</Item>
        <Item term="Deployment name">{request.displayName}</Item>
        <Item term="Resource name">
          <code>{request.name}</code>
        </Item>
        <Item term="Replicas">{request.replicas.max}</Item>
        <Item term="Resources per replica">
          {request.resources.gpus} GPU · CPU {request.resources.cpu.request}–
          {request.resources.cpu.limit} · memory {request.resources.memory.request}–
          {request.resources.memory.limit}
        </Item>
        <Item term="Model cache">
          {storage.mode === 'new'
            ? `New ${storage.size} claim${storage.storageClassName ? ` (${storage.storageClassName})` : ''}`
            : `Existing claim ${storage.claimName}${storage.subPath ? `, sub-path ${storage.subPath}` : ''}`}
        </Item>
        <Item term="Protocol">{request.protocol === 'grpc' ? 'gRPC' : 'HTTP (REST)'}</Item>
        <Item term="Access">
          {request.externalRoute ? (
            <Label isCompact>External route</Label>
          ) : (
            'Inside the cluster only'
          )}{' '}
          {request.tokenAuth ? <Label isCompact>Token authentication</Label> : null}
        </Item>
        <Item term="NGC API key">{describeKey(request, props.keyCollection)}</Item>
      </DescriptionList>

      <Title headingLevel="h3" size="lg" className="nim-review__objects-title">
        Objects to create
      </Title>
      <Content component="p" className="nim-muted">
        {objects.length} objects in project {namespace}. Secret values are shown as{' '}
        <code>&lt;redacted&gt;</code>.
      </Content>
      <Accordion asDefinitionList={false} className="nim-objects" togglePosition="start">
        {objects.map((object, index) => {
          const id = `nim-object-${index}`;
          const expanded = openObjects.includes(index);
          return (
            <AccordionItem key={`${object.kind}/${object.name}`} isExpanded={expanded}>
              <AccordionToggle
                id={`${id}-toggle`}
                onClick={() =>
                  setOpenObjects((open) =>
                    open.includes(index) ? open.filter((i) => i !== index) : [...open, index],
                  )
                }
              >
                <span className="nim-object-kind">{object.kind}</span>{' '}
                <code className="nim-object-name">{object.name}</code>
              </AccordionToggle>
              <AccordionContent id={`${id}-content`}>
                {expanded ? <YamlBlock id={id} yaml={object.yaml} /> : null}
              </AccordionContent>
            </AccordionItem>
          );
        })}
      </Accordion>
    </div>
  );
}
