// Test-only helpers. Vitest `inject` helpers live in `@odh-nim/testkit/vitest`, since
// importing 'vitest' outside the test runner throws.
export * from './control-plane/index.js';
export * from './ngc-emulator/index.js';
export * from './browser.js';
export * from './node/index.js';
