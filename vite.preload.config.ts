import { defineConfig } from 'vite';

// The Electron preload runs sandboxed: one CommonJS file, with 'electron' as its only require.
export default defineConfig({
  build: {
    outDir: 'dist-electron/preload',
    emptyOutDir: true,
    minify: false,
    lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
