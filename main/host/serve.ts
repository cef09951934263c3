// Browser mode's entry (out/main/serve.js): `node out/main/serve.js --port N --data-dir DIR`.
import { runServe } from './runServe'

runServe(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  },
)
