// Vite config for the admin console only (vitest keeps its own vitest.config.ts).
// `npm run dev:admin` serves the console with hot reload and proxies /api to the API on PORT (3000).
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    port: Number(process.env.ADMIN_PORT ?? 5173),
    proxy: { '/api': { target: api, changeOrigin: true } },
  },
  build: { chunkSizeWarningLimit: 1500 },
});
