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
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
