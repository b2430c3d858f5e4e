/**
 * The pages the gateway serves, built together so they share hashed assets under /assets/: the
 * support finder (/), the partner portal (/partner) and the manufacturer dashboard (/admin).
 * Everything they load is bundled here (Chart.js included): the pages never reach the internet.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  build: {
    rollupOptions: {
      input: {
        finder: resolve(here, 'index.html'),
        partner: resolve(here, 'partner/index.html'),
        admin: resolve(here, 'admin/index.html'),
      },
    },
  },
});
