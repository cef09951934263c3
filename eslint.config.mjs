import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

import { importLayers, layersPlugin } from './eslint.layers.mjs'

// The folder tells the layer (see ../shared/STYLE.md). The import allowlist lives in
// eslint.layers.mjs: a file no layer covers, or an import its layer does not list, fails.
export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'bench/results/', 'test-results/', 'playwright-report/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['main/**/*.cjs', 'main/bin/**', '.ci/**'],
    languageOptions: {
      globals: {
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        module: 'writable',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.mjs', '**/*.cjs'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/allowed-imports': ['error', { layers: importLayers }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
)
