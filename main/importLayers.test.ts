import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '..')
const eslint = new ESLint({ cwd: root })

/** The import-allowlist messages ESLint gives `code` as if it were the file at `file`. */
async function layerProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return result.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message)
}

describe('the import allowlist (eslint.layers.mjs)', () => {
  it('lets each layer import what it lists', async () => {
    expect(await layerProblems('main/contract/x.ts', "export { z } from 'zod'\n")).toEqual([])
    expect(
      await layerProblems(
        'renderer/src/x.ts',
        "export type { MethodName } from '../../main/contract'\n",
      ),
    ).toEqual([])
  })

  it('fails an import the layer does not list', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'renderer/src/x.ts',
        "import fs from 'node:fs'\nexport { fs }\n",
        /renderer layer .*node:fs/,
      ],
      [
        'renderer/src/x.ts',
        "export * from '../../main/services/store'\n",
        /renderer layer may not import main\/services\/store/,
      ],
      [
        'main/services/chat/x.ts',
        "import * as ort from 'onnxruntime-node'\nexport { ort }\n",
        /services layer .*onnxruntime-node/,
      ],
      ['native-models/arch/x.ts', "export * from 'node:fs'\n", /native-models layer .*node:fs/],
      ['native-models/arch/x.ts', "export * from '../io'\n", /may not import native-models\/io/],
      ['main/contract/x.ts', "export * from '../services/store'\n", /contract layer/],
    ]
    for (const [file, code, pattern] of cases) {
      const problems = await layerProblems(file, code)
      expect(problems, file).toHaveLength(1)
      expect(problems[0]).toMatch(pattern)
    }
  })

  it('fails a source file that no layer covers', async () => {
    const problems = await layerProblems('tools/x.ts', 'export const a = 1\n')
    expect(problems).toEqual(['No layer in eslint.layers.mjs covers tools/x.ts: add it there.'])
  })
})
