import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two single-page apps built together: the staff console (/console/) and the resident H5 (/h5/).
// The server serves dist/web; in development `npm run dev:web` proxies /api to a running `npm start`.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'web'),
  base: '/',
  plugins: [react()],
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
