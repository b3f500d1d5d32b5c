#!/usr/bin/env node
// Runs the TypeScript sources directly: register tsx, then hand over to src/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
