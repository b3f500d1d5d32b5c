import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

/**
 * The browser bundle: `src/web` (with its `index.html`) built into `dist/web`, which the backend
 * serves. `npm run dev:web` proxies `/api` to a running backend (`NIM_DASHBOARD_URL`).
 */
export default defineConfig({
  root: webRoot,
  // Relative asset URLs: the dashboard may be served under a path prefix behind a proxy.
  base: './',
  plugins: [react()],
  // Workspace packages from their TypeScript sources: the bundle needs no `tsc -b` first.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry /* @__PURE__ */ comments Rollup cannot place; harmless noise.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': process.env['NIM_DASHBOARD_URL'] ?? 'http://127.0.0.1:8080' },
  },
});
