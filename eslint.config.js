// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noSyncFs = {
  selector: "CallExpression[callee.property.name=/Sync$/], CallExpression[callee.name=/^(readFileSync|writeFileSync|existsSync|mkdirSync|readdirSync|statSync|renameSync|unlinkSync|rmSync|appendFileSync|copyFileSync|openSync)$/]",
  message: 'No synchronous I/O in the main process: it freezes every window. Use node:fs/promises.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // shared/ runs anywhere: no DOM, no Node, no app layers.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'http', 'electron'], message: 'shared/ must run anywhere.' },
        { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ never imports an app layer.' },
      ] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { react, 'react-hooks': reactHooks },
    settings: { react: { version: '19' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      'react/no-danger': 'error',
      'react/jsx-no-script-url': 'error',
      'react/jsx-no-target-blank': 'error',
      'react/prop-types': 'off',
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'node:*', 'fs', 'path'], message: 'The renderer never touches Node or Electron.' },
        { group: ['**/electron/**'], message: 'renderer/ and electron/ never import each other.' },
      ] }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-syntax': ['error', noSyncFs],
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/renderer/**'], message: 'renderer/ and electron/ never import each other.' },
      ] }],
    },
  },
  {
    // Only the Electron shell touches 'electron'; the host core stays plain Node.
    files: ['electron/host/**/*.ts', 'electron/sandbox/**/*.ts', 'electron/browserHost.ts', 'electron/start.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron'], message: 'The host core never imports electron.' },
        { group: ['**/renderer/**'], message: 'renderer/ and electron/ never import each other.' },
      ] }],
    },
  },
  {
    files: ['test/**/*.{ts,tsx,mjs}', '*.config.{ts,js}', '.ci/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
