import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const COMPRESSIBLE = /\.(js|css|html|svg|json|webmanifest)$/;

/**
 * Writes a .br and a .gz next to every compressible file of the build, so the server sends the smallest one
 * the browser accepts (@fastify/static `preCompressed`) without compressing on each request. On a slow
 * phone connection this is most of the H5's first load.
 */
function precompress(): Plugin {
  let outDir = '';
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : [full];
    });
  return {
    name: 'linli-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.test(file) || statSync(file).size < 1024) continue;
        const bytes = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

// Two single-page apps built together: the staff console (/console/) and the resident H5 (/h5/).
// The server serves dist/web; in development `npm run dev:web` proxies /api to a running `npm start`.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'web'),
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        console: path.resolve(import.meta.dirname, 'web/console/index.html'),
        h5: path.resolve(import.meta.dirname, 'web/h5/index.html'),
      },
      output: {
        // Fewer, larger chunks where it matters: on a phone over 3G every request waits a round trip (and the
        // browser opens six connections at most), so the H5's first load is a handful of files, not thirty.
        // React and the router are shared by both apps; antd-mobile and what only it uses are the H5's.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser|i18next|react-i18next|html-parse-stringify|void-elements)[\\/]/,
              priority: 20,
            },
            {
              name: 'antd-mobile',
              test: /node_modules[\\/](antd-mobile|antd-mobile-icons|ahooks|@react-spring|@use-gesture|rc-field-form|runes2|staged-components|use-sync-external-store|@floating-ui)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
