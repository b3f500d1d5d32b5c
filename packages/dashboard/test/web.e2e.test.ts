// The frontend in Debian's chromium against the real backend and apiserver: deploy through the
// wizard, the EU notice, the key check, delete, and a user without rights. One namespace per test.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { API, NIM_PULL_SECRET_NAME, NIM_SECRET_NAME } from '@odh-nim/contract';

import { REDACTED } from '../src/web/wizard/yaml-preview.js';
import {
  createProject,
  createRoleFor,
  deployBody,
  findLeaks,
  GOOD_KEY,
  LEGACY_KEY,
  listProjectObjects,
  NIM_EDITOR_RULES,
  REJECTED_KEY,
} from './harness.js';
import { startWebHarness, type WebHarness } from './web-e2e.js';

/** In the reference catalog, and in the reference EU-restricted list. */
const EU_MODEL = { name: 'llama-3.2-90b-vision-instruct', search: 'llama 3.2 90b vision' };
const MODEL = { name: 'llama-3.1-8b-instruct', search: 'llama 3.1 8b instruct' };

let web: WebHarness;

beforeAll(async () => {
  web = await startWebHarness();
});

afterAll(async () => {
  if (!web) return;
  // The page held keys in a password field and sent them to the backend: none may leak.
  expect(findLeaks(web.harness)).toEqual([]);
  await web.close();
});

const pageErrors = new WeakMap<Page, string[]>();

async function openPage(user: 'alice' | 'bob' | 'viewer', hash: string): Promise<Page> {
  const context = await web.newContext(user);
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${web.baseUrl}/${hash}`);
  return page;
}

/** Closes the page's context, failing the test if the page threw anything uncaught. */
async function closePage(page: Page): Promise<void> {
  const errors = pageErrors.get(page) ?? [];
  await page.context().close();
  expect(errors, 'uncaught errors in the page').toEqual([]);
}

// playwright-core has no web-first assertions: poll with vitest instead.
const textOf = (locator: Locator) => expect.poll(() => locator.textContent(), { timeout: 10_000 });
const checkedOf = (locator: Locator) => expect.poll(() => locator.isChecked(), { timeout: 10_000 });
const disabledOf = (locator: Locator) =>
  expect.poll(() => locator.isDisabled(), { timeout: 10_000 });
const shown = (locator: Locator) => locator.waitFor({ state: 'visible', timeout: 10_000 });

function selectorOf(name: string): string {
  return `#model-card-${name.replace(/\./g, '\\.')}`;
}

async function pickModel(page: Page, model: { name: string; search: string }): Promise<void> {
  await page.getByLabel('Search models').fill(model.search);
  await page.locator(selectorOf(model.name)).click();
}

/** May store the key and a claim, and see model servers, but not create them. */
const PARTIAL_RULES = [
  ...NIM_EDITOR_RULES.filter((rule) => rule.apiGroups?.includes('')),
  {
    apiGroups: [API.servingRuntime.group],
    resources: [API.servingRuntime.plural, API.inferenceService.plural],
    verbs: ['get', 'list', 'watch'],
  },
];

const next = (page: Page) => page.getByRole('button', { name: 'Next', exact: true });

describe('deploy wizard', () => {
  it('deploys a model end to end and the five objects exist in the apiserver', async () => {
    const ns = await createProject(web.harness, { prefix: 'web-deploy' });
    const page = await openPage('alice', `#/projects/${ns}/deploy`);

    await pickModel(page, MODEL);
    await next(page).click();
    // Version: latestTag preselected and marked recommended.
    const recommended = page.locator('tr', { hasText: 'Recommended' });
    await checkedOf(recommended.getByRole('radio')).toBe(true);
    await next(page).click();

    // Deployment: the Kubernetes name follows the display name as it is typed.
    await page.getByLabel(/^Deployment name/).fill('My Llama 8B');
    await textOf(page.getByTestId('resource-name')).toBe('my-llama-8b');
    await page.getByLabel(/^NVIDIA GPUs per replica/).fill('1');
    await next(page).click();

    await page.getByLabel(/^NGC personal key/).fill(GOOD_KEY);
    await page.getByRole('button', { name: 'Validate' }).click();
    await textOf(page.getByTestId('key-validation-result')).toContain('The key is valid');
    await next(page).click();

    // Review: YAML of the first object (the key Secret) with its values redacted.
    const yaml = page.getByTestId('yaml-preview').first();
    await textOf(yaml).toContain(`name: ${NIM_SECRET_NAME}`);
    expect(await yaml.textContent()).toContain(`NGC_API_KEY: ${REDACTED}`);
    expect(await page.content()).not.toContain(GOOD_KEY);
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();

    await shown(page.getByTestId('deploy-succeeded'));
    expect(await listProjectObjects(web.harness, ns)).toEqual({
      secrets: [NIM_PULL_SECRET_NAME, NIM_SECRET_NAME].sort(),
      pvcs: ['nim-pvc-my-llama-8b'],
      runtimes: ['my-llama-8b'],
      inferenceServices: ['my-llama-8b'],
    });

    await page.getByRole('button', { name: 'Go to deployments' }).click();
    const row = page.getByTestId('deployment-row-my-llama-8b');
    await textOf(row).toContain('My Llama 8B');
    expect(await row.textContent()).toContain('Llama-3.1-8B-Instruct');
    await closePage(page);
  });

  it('shows the EU notice on a restricted model and still lets it be chosen', async () => {
    const ns = await createProject(web.harness, { prefix: 'web-eu' });
    const page = await openPage('alice', `#/projects/${ns}/deploy`);
    await page.getByLabel('Search models').fill(EU_MODEL.search);

    const notice = page.getByTestId(`eu-restricted-${EU_MODEL.name}`);
    await shown(notice);
    expect(await notice.textContent()).toBe('Not available in the EU');
    await notice.hover();
    await textOf(page.getByRole('tooltip')).toBe(
      'Not available in the EU due to regulatory restrictions',
    );

    await page.locator(selectorOf(EU_MODEL.name)).click();
    await textOf(page.getByTestId('eu-restricted-alert')).toContain(
      'Not available in the EU due to regulatory restrictions',
    );
    await disabledOf(next(page)).toBe(false);
    await closePage(page);
  });

  it('stops at the key step while the key is invalid or legacy', async () => {
    const ns = await createProject(web.harness, { prefix: 'web-key' });
    const page = await openPage('alice', `#/projects/${ns}/deploy`);
    await pickModel(page, MODEL);
    await next(page).click();
    await next(page).click();
    await next(page).click();

    const key = page.getByLabel(/^NGC personal key/);
    await key.fill(LEGACY_KEY);
    await shown(page.getByText('Only NGC personal keys'));
    await disabledOf(page.getByRole('button', { name: 'Validate' })).toBe(true);
    await disabledOf(next(page)).toBe(true);

    await key.fill(REJECTED_KEY);
    await page.getByRole('button', { name: 'Validate' }).click();
    await textOf(page.getByTestId('key-validation-result')).toContain('NGC rejected this key');
    await disabledOf(next(page)).toBe(true);
    // Nor can the review be reached from the step list.
    await disabledOf(page.getByRole('button', { name: 'Review' })).toBe(true);

    // Changing the key clears the verdict: it must be validated again.
    await key.fill(GOOD_KEY);
    await expect.poll(() => page.getByTestId('key-validation-result').count()).toBe(0);
    await disabledOf(next(page)).toBe(true);
    expect(await listProjectObjects(web.harness, ns)).toMatchObject({ secrets: [], runtimes: [] });
    await closePage(page);
  });

  it('shows the failed step, the reason and the rollback when the deploy fails', async () => {
    // Alice may store secrets and claims here, but not create model servers.
    const ns = await createProject(web.harness, { prefix: 'web-fail', editors: [] });
    await createRoleFor(web.harness.admin, {
      namespace: ns,
      role: 'nim-partial',
      subject: 'alice',
      rules: PARTIAL_RULES,
    });
    const page = await openPage('alice', `#/projects/${ns}/deploy`);
    await pickModel(page, MODEL);
    await next(page).click();
    await next(page).click();
    await next(page).click();
    await page.getByLabel(/^NGC personal key/).fill(GOOD_KEY);
    await page.getByRole('button', { name: 'Validate' }).click();
    await textOf(page.getByTestId('key-validation-result')).toContain('The key is valid');
    await next(page).click();
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();

    const failure = page.getByTestId('deploy-error');
    await textOf(failure).toContain('Deploy failed at');
    const text = (await failure.textContent()) ?? '';
    expect(text).toMatch(/forbidden|permission/i);
    expect(await page.getByTestId('rollback-summary').textContent()).toMatch(/rolled back|Nothing/);
    // The user can go back and change something: the wizard is still there.
    await disabledOf(page.getByRole('button', { name: 'Back', exact: true })).toBe(false);
    expect(await listProjectObjects(web.harness, ns)).toEqual({
      secrets: [],
      pvcs: [],
      runtimes: [],
      inferenceServices: [],
    });
    await closePage(page);
  });

  it('works with the keyboard alone', async () => {
    const ns = await createProject(web.harness, { prefix: 'web-keys' });
    const page = await openPage('alice', `#/projects/${ns}/deploy`);
    await page.getByLabel('Search models').focus();
    await page.keyboard.type(MODEL.search);
    await tabUntil(page, (el) => el.id === `select-model-${MODEL.name}`);
    await page.keyboard.press('Space');
    await checkedOf(page.locator(`[id="select-model-${MODEL.name}"]`)).toBe(true);
    await tabUntil(page, (el) => el.textContent === 'Next');
    await page.keyboard.press('Enter');
    await shown(page.getByRole('grid', { name: /Versions of/ }));
    await tabUntil(page, (el) => el.textContent === 'Next');
    await page.keyboard.press('Enter');
    await shown(page.getByLabel(/^Deployment name/));
    await closePage(page);
  });
});

describe('deployments page', () => {
  it('deletes a deployment and its objects after confirmation', async () => {
    const ns = await createProject(web.harness, { prefix: 'web-delete' });
    const created = await web.harness.call({
      method: 'POST',
      url: `/api/namespaces/${ns}/nim/deployments`,
      body: deployBody({ name: 'to-delete', displayName: 'To delete' }),
    });
    expect(created.status, created.text).toBe(201);

    const page = await openPage('alice', `#/projects/${ns}/deployments`);
    const row = page.getByTestId('deployment-row-to-delete');
    await textOf(row).toContain('To delete');
    await row.getByRole('button', { name: 'Actions for To delete' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await disabledOf(dialog.getByRole('button', { name: 'Delete' })).toBe(true);
    await dialog.getByLabel('Type to-delete to confirm').fill('to-delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();

    await shown(page.getByTestId('deployments-empty'));
    await textOf(page.getByTestId('toast').first()).toContain('Deleted To delete');
    expect(await listProjectObjects(web.harness, ns)).toEqual({
      secrets: [],
      pvcs: [],
      runtimes: [],
      inferenceServices: [],
    });
    await closePage(page);
  });

  it('shows a permission error, not a crash, to a user without rights in the project', async () => {
    const ns = await createProject(web.harness, { prefix: 'web-forbidden', editors: ['alice'] });
    const page = await openPage('viewer', `#/projects/${ns}/deployments`);
    const error = page.getByTestId('error-state-forbidden');
    await textOf(error).toContain('You do not have access to this project');
    expect(await error.textContent()).toContain(`project "${ns}"`);
    expect(
      await page.getByRole('button', { name: 'Deploy NIM model' }).getAttribute('aria-disabled'),
    ).toBe('true');

    await page.goto(`${web.baseUrl}/#/projects/${ns}/deploy`);
    await shown(page.getByTestId('error-state-forbidden'));
    await closePage(page);
  });
});

/** Where `npm run screenshots -w packages/dashboard` writes the README's pictures. */
const SCREENSHOTS_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** Sets an InferenceService's status the way KServe would (no KServe runs in the tests). */
async function setInferenceServiceStatus(
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<void> {
  const target = { ...API.inferenceService, namespace, name };
  const current = (await web.harness.custom.getNamespacedCustomObject(target)) as object;
  await web.harness.custom.replaceNamespacedCustomObjectStatus({
    ...target,
    body: { ...current, status },
  });
}

describe.runIf(process.env['NIM_SCREENSHOTS'] === '1')('screenshots', () => {
  it('captures each wizard step and the deployments page', async () => {
    const ns = 'ai-demo';
    await web.harness.core.createNamespace({ body: { metadata: { name: ns } } });
    await createRoleFor(web.harness.admin, {
      namespace: ns,
      role: 'nim-editor',
      subject: 'alice',
      rules: NIM_EDITOR_RULES,
    });
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
    const page = await openPage('alice', `#/projects/${ns}/deploy`);
    const shot = (name: string) =>
      page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), animations: 'disabled' });

    await page.getByLabel('Search models').fill('llama 3.2');
    await page.locator(selectorOf(EU_MODEL.name)).click();
    await page.getByTestId(`eu-restricted-${EU_MODEL.name}`).hover();
    await shown(page.getByRole('tooltip'));
    await shot('wizard-1-model');
    await next(page).click();
    await shown(page.getByRole('grid', { name: /Versions of/ }));
    await shot('wizard-2-version');
    await next(page).click();
    await page.getByLabel(/^Deployment name/).fill('Llama 3.2 Vision');
    await page.getByLabel(/^NVIDIA GPUs per replica/).fill('4');
    await page.getByLabel(/^Memory request/).fill('48Gi');
    await page.getByLabel(/^Memory limit/).fill('64Gi');
    await page.getByLabel(/^Storage size/).fill('200Gi');
    await page.locator('#nim-external-route').check();
    await page.locator('#nim-token-auth').check();
    await page.locator('.pf-v6-c-wizard__main').evaluate((el) => el.scrollTo(0, 0));
    await shot('wizard-3-deployment');
    await next(page).click();
    await page.getByLabel(/^NGC personal key/).fill(GOOD_KEY);
    await page.getByRole('button', { name: 'Validate' }).click();
    await textOf(page.getByTestId('key-validation-result')).toContain('The key is valid');
    await shot('wizard-4-api-key');
    await next(page).click();
    await shown(page.getByTestId('yaml-preview').first());
    // Taller, so the YAML preview shows below the summary.
    await page.setViewportSize({ width: 1440, height: 1240 });
    await shot('wizard-5-review');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await shown(page.getByTestId('deploy-succeeded'));
    await shot('wizard-6-deployed');

    for (const body of [
      deployBody({
        name: 'mistral-7b',
        displayName: 'Mistral 7B Instruct',
        modelName: 'mistral-7b-instruct-v0.3',
        tag: 'latest',
        useExistingKey: true,
        apiKey: undefined,
      }),
      deployBody({
        name: 'llama-8b-chat',
        displayName: 'Support chat (Llama 3.1 8B)',
        useExistingKey: true,
        apiKey: undefined,
      }),
    ]) {
      const created = await web.harness.call({
        method: 'POST',
        url: `/api/namespaces/${ns}/nim/deployments`,
        body,
      });
      expect(created.status, created.text).toBe(201);
    }
    await setInferenceServiceStatus(ns, 'llama-3-2-vision', {
      url: `https://llama-3-2-vision-${ns}.apps.cluster.example.com`,
      address: { url: `http://llama-3-2-vision-predictor.${ns}.svc.cluster.local` },
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }],
    });
    await setInferenceServiceStatus(ns, 'mistral-7b', {
      address: { url: `http://mistral-7b-predictor.${ns}.svc.cluster.local` },
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'PredictorNotReady',
          message: 'Downloading the model (12 of 28 GiB)',
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    });
    await setInferenceServiceStatus(ns, 'llama-8b-chat', {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'InsufficientGPU',
          message: '0/6 nodes have a free nvidia.com/gpu',
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    });
    await page.getByRole('button', { name: 'Go to deployments' }).click();
    await textOf(page.getByTestId('status-llama-3-2-vision')).toBe('Ready');
    await textOf(page.getByTestId('status-mistral-7b')).toBe('Starting');
    for (const toast of await page.getByTestId('toast').all())
      await toast.getByRole('button').click();
    await page.mouse.move(0, 0);
    await shot('deployments');
    await closePage(page);

    // A failed deploy: the project lets this user store secrets but not create model servers.
    const partial = await createProject(web.harness, { prefix: 'ai-partial', editors: [] });
    await createRoleFor(web.harness.admin, {
      namespace: partial,
      role: 'nim-partial',
      subject: 'bob',
      rules: PARTIAL_RULES,
    });
    const failing = await openPage('bob', `#/projects/${partial}/deploy`);
    await pickModel(failing, MODEL);
    for (let i = 0; i < 3; i++) await next(failing).click();
    await failing.getByLabel(/^NGC personal key/).fill(GOOD_KEY);
    await failing.getByRole('button', { name: 'Validate' }).click();
    await textOf(failing.getByTestId('key-validation-result')).toContain('The key is valid');
    await next(failing).click();
    await failing.getByRole('button', { name: 'Deploy', exact: true }).click();
    await shown(failing.getByTestId('deploy-error'));
    await failing.setViewportSize({ width: 1440, height: 1100 });
    await failing.screenshot({ path: join(SCREENSHOTS_DIR, 'wizard-deploy-failed.png') });
    await closePage(failing);

    const viewer = await openPage('viewer', `#/projects/${ns}/deployments`);
    await shown(viewer.getByTestId('error-state-forbidden'));
    await viewer.screenshot({ path: join(SCREENSHOTS_DIR, 'deployments-forbidden.png') });
    await closePage(viewer);
  });
});

/** Presses Tab until the focused element matches (at most 60 times). */
async function tabUntil(
  page: Page,
  predicate: (element: { id: string; textContent: string }) => boolean,
): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      id: document.activeElement?.id ?? '',
      textContent: document.activeElement?.textContent?.trim() ?? '',
    }));
    if (predicate(focused)) return;
  }
  throw new Error('The element never received focus with Tab.');
}
