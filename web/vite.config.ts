/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves the built SPA under /app/ (from web/dist) and the API at the root, so the
// dev server proxies the server's own paths to a locally running `scripts/dev`.
// Typed locally so the type check does not need @types/node.
declare const process: { env: Record<string, string | undefined> };
const backend = process.env.HIREWIRE_DEV_BACKEND ?? 'http://127.0.0.1:8080';

// Where the server mounts the SPA. Injected as __APP_BASE__ because Vitest runs with base '/'.
const APP_BASE = '/app/';

export default defineConfig({
  base: APP_BASE,
  define: {
    __APP_BASE__: JSON.stringify(APP_BASE),
  },
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // test/permissions.test.ts reads the C++ permission table to pin src/lib/permissions.ts to it.
    fs: { allow: ['.', '../actors/domain'] },
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/readyz': backend,
      '/metrics': backend,
    },
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    restoreMocks: true,
  },
});
