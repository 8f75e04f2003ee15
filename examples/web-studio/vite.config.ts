import { defineConfig } from 'vitest/config';

// The page is served by the Helidon server at "/"; `npm run dev` proxies the API to a server on :8080.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/media': 'http://localhost:8080',
    },
  },
  test: {
    include: ['__tests__/**/*.test.ts'],
    environment: 'node',
  },
});
