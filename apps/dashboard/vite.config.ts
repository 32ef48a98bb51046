import { defaultClientConditions, defineConfig } from 'vite';

// Where `npx nx serve dashboard` and `vite preview` send REST calls: the gateway (apps/gateway),
// so the page talks to one origin in development exactly as it does when the gateway serves it.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: gateway, changeOrigin: true },
  '/healthz': { target: gateway, changeOrigin: true },
  '/readyz': { target: gateway, changeOrigin: true },
  '/dashboard-config.json': { target: gateway, changeOrigin: true },
};

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the gateway may serve the page under any prefix.
  base: './',
  resolve: {
    // Workspace libraries resolve to their TypeScript source (no build step needed for `serve`).
    conditions: ['@ot-mqtt/source', ...defaultClientConditions],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The broker connection runs in a module worker (src/live/broker-worker.ts).
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Source maps stay out of the served folder's budget but help an engineer read a stack trace.
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: process.env.DASHBOARD_HOST ?? '127.0.0.1',
    port: Number(process.env.DASHBOARD_PORT ?? 4200),
    proxy,
  },
  preview: {
    host: process.env.DASHBOARD_HOST ?? '127.0.0.1',
    port: Number(process.env.DASHBOARD_PORT ?? 4300),
    proxy,
  },
});
