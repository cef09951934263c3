import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto']

// The folder tells the layer (see ../shared/STYLE.md): these rules make a wrong import fail
// the build instead of a review.
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
    files: ['main/**/*.ts', 'native-models/**/*.ts', 'preload/**/*.ts'],
    // The preload bridge is Electron code too: contextBridge and ipcRenderer are its job.
    ignores: ['main/electron/**', 'preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron/ imports electron.' }] },
      ],
    },
  },
  {
    files: ['main/contract/**/*.ts'],
    ignores: ['main/contract/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./|\\.\\./contract).*',
              message: 'The contract imports zod only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['native-models/**/*.ts'],
    ignores: ['native-models/io/**', 'native-models/**/*.test.ts', 'native-models/scripts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'native-models is plain TypeScript.' }],
          patterns: [
            { group: nodeBuiltins, message: 'Node-only imports live in native-models/io/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the contract only.' }],
          patterns: [
            {
              group: [...nodeBuiltins, '**/main/services/**', '**/native-models/**'],
              message: 'The renderer imports no Node built-in and no back-end code.',
            },
          ],
        },
      ],
    },
  },
)
