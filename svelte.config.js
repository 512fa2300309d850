// SvelteKit 2 config for the admin console (admin/). The console is a static single-page app:
// `npm run build:admin` writes it to admin/build, which the API process serves at `/`, with
// admin/build/index.html as the fallback for every path that is not a file or under /api.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ pages: 'admin/build', assets: 'admin/build', fallback: 'index.html', strict: true }),
    outDir: 'admin/.svelte-kit',
    files: {
      routes: 'admin/src/routes',
      lib: 'admin/src/lib',
      appTemplate: 'admin/src/app.html',
      errorTemplate: 'admin/src/error.html',
      assets: 'admin/static',
      hooks: { client: 'admin/src/hooks.client', server: 'admin/src/hooks.server', universal: 'admin/src/hooks' },
      params: 'admin/src/params',
      serviceWorker: 'admin/src/service-worker',
    },
    // Every route is rendered in the browser; the fallback page boots the router.
    prerender: { entries: [] },
    alias: { $engine: 'engine' },
  },
};
