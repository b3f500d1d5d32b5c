import { existsSync } from 'node:fs';

/**
 * Chromium flags for a machine without a display, a user-namespace sandbox or a network: without
 * the background-networking ones Chromium keeps calling out and gets refused.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Debian's chromium (`apt-get install chromium`); env `CHROMIUM_PATH` overrides. */
export function chromiumPath(): string {
  const path = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No chromium at ${path}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return path;
}
