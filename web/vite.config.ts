import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.MUEANG_API ?? 'http://localhost:3000';
const proxied = ['/api', '/healthz', '/readyz', '/metrics', '/ngsi-ld', '/open311', '/alerts'];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: Object.fromEntries(proxied.map((p) => [p, { target: api, changeOrigin: false }])) },
});
