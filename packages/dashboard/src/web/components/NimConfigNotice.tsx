import { Alert } from '@patternfly/react-core';

import type { NimConfigCrd } from '../../api/types.js';

export interface NimConfigNoticeProps {
  nimConfigCrd: NimConfigCrd;
}

/**
 * Tells the administrator why their `spec.nimConfig` settings (custom catalog, key validation,
 * key collection) have no effect: the installed OdhDashboardConfig CRD cannot hold them. Shown
 * only then; nothing when the CRD is patched or its schema could not be read.
 */
export function NimConfigNotice({ nimConfigCrd }: NimConfigNoticeProps) {
  if (nimConfigCrd.state !== 'unsupported') return null;
  return (
    <Alert
      variant="warning"
      isInline
      title="NIM settings of the dashboard configuration have no effect"
      data-testid="nim-config-unsupported"
    >
      {nimConfigCrd.message}
    </Alert>
  );
}
