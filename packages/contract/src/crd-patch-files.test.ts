import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { CRD_PATCH_FILES, NEIGHBOUR_CRDS } from './names.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('CRD_PATCH_FILES', () => {
  it('names the shipped patch of each neighbour CRD', async () => {
    const dashboard = await readFile(repoRoot + CRD_PATCH_FILES.dashboardConfigNimConfig, 'utf8');
    expect(dashboard).toContain(NEIGHBOUR_CRDS.dashboardConfig);
    expect(dashboard).toContain('nimConfig');
    const dsc = await readFile(repoRoot + CRD_PATCH_FILES.dataScienceClusterRemoveNim, 'utf8');
    expect(dsc).toContain(NEIGHBOUR_CRDS.dataScienceCluster);
    expect(dsc).toContain('/properties/kserve/properties/nim');
  });
});
