// The staff console's build (npm run build:web -> dist/web, served by the api at /), its dev
// server (npm run dev:web, proxying the api) and its component tests (npm run test:web).
import { defineConfig } from 'vite';

const api = process.env.SHOWROOM_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  // Vite 8 transforms TSX with oxc; the automatic runtime means no `import React` in every file.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The api serves a strict CSP: keep every script and style in hashed files, never inlined.
    assetsInlineLimit: 0,
    rolldownOptions: {
      // React Query and recharts mark modules "use client" for server components; meaningless in a SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // /api covers REST, SSE and the socket.io gateway at /api/v1/ws (ws: true upgrades it).
      '/api': { target: api, ws: true, changeOrigin: true },
      '/v1': { target: api, changeOrigin: true },
      '/health': { target: api, changeOrigin: true },
      '/docs': { target: api, changeOrigin: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
  },
});
