/**
 * The pages the gateway serves, built together so they share hashed assets under /assets/: the
 * support finder (/), the partner portal (/partner) and the manufacturer dashboard (/admin).
 * Everything they load is bundled here (Chart.js included): the pages never reach the internet.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      // csv-stringify's Node build uses Buffer at load; its browser build (same API, a Buffer
      // polyfill inside) is what the pages get. Tests import web/common/csv.ts under Node as is.
      'csv-stringify/sync': 'csv-stringify/browser/esm/sync',
    },
  },
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
