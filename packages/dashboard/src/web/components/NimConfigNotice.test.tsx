// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { NimConfigNotice } from './NimConfigNotice.js';

afterEach(cleanup);

describe('NimConfigNotice', () => {
  it('says why nimConfig settings have no effect and what to apply', () => {
    render(
      <NimConfigNotice
        nimConfigCrd={{
          state: 'unsupported',
          message: 'Apply manifests/crd/odhdashboardconfig-nimconfig.patch.yaml.',
        }}
      />,
    );
    const notice = screen.getByTestId('nim-config-unsupported');
    expect(notice.textContent).toContain(
      'NIM settings of the dashboard configuration have no effect',
    );
    expect(notice.textContent).toContain('manifests/crd/odhdashboardconfig-nimconfig.patch.yaml');
  });

  it('shows nothing when the CRD holds nimConfig, or when that is not known', () => {
    const { container } = render(<NimConfigNotice nimConfigCrd={{ state: 'supported' }} />);
    expect(container.textContent).toBe('');
    render(<NimConfigNotice nimConfigCrd={{ state: 'unknown', message: 'no schema' }} />);
    expect(screen.queryByTestId('nim-config-unsupported')).toBeNull();
  });
});
