import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import i18next from 'eslint-plugin-i18next'

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
  {
    // Every visible string goes through t() (renderer/src/i18n/): text between tags and the
    // attributes a person reads. Test ids, class names and the like stay literal.
    files: ['renderer/src/**/*.tsx'],
    // The Learn tab is converted by its own change.
    ignores: ['renderer/src/learn/**'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          // Only these attributes are read by a person; the rest (className, data-testid...) stay.
          'jsx-attributes': {
            include: ['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description'],
          },
          // Numbers, punctuation, symbols (×, ✎, ›), all-caps names (API, GGUF) and type names
          // with digits (f32, int8, q4_0) read the same in every language.
          words: {
            exclude: [
              '[0-9!-/:-@[-`{-~]+',
              '[A-Z_-]+',
              '[a-z]+[0-9][a-z0-9_]*',
              /^[\p{P}\p{S}\p{N}\s]+$/u,
            ],
          },
        },
      ],
    },
  },
)
