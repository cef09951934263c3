// The Hugging Face token the person saved in the Models tab: one small file in the data
// folder, readable only by its owner (0600), sealed with Electron's safeStorage when the app
// hands in a cipher (main/electron). It is read by hubConfig and never sent back to the UI.
import fs from 'node:fs'
import path from 'node:path'
import { ApiError } from '../../../contract/define'

/** Encrypts with a key the OS keeps (safeStorage); absent in browser mode and the CLI. */
export interface SecretCipher {
  encrypt(plain: string): Buffer
  decrypt(sealed: Buffer): string
}

interface TokenFile {
  version: 1
  /** base64 of the sealed bytes when encrypted, else the token itself. */
  data: string
  encrypted: boolean
}

export const TOKEN_FILE = 'hf-token.json'

export class HubTokenStore {
  readonly file: string

  constructor(
    dataDir: string,
    private readonly cipher?: SecretCipher,
  ) {
    this.file = path.join(dataDir, TOKEN_FILE)
  }

  private readFile(): TokenFile | null {
    let text: string
    try {
      text = fs.readFileSync(this.file, 'utf8')
    } catch {
      return null
    }
    try {
      const parsed = JSON.parse(text) as TokenFile
      return typeof parsed.data === 'string' ? parsed : null
    } catch {
      return null
    }
  }

  saved(): boolean {
    return this.readFile() !== null
  }

  encrypted(): boolean {
    return this.readFile()?.encrypted ?? false
  }

  /** The token, or undefined when none is saved or it was sealed by a cipher not here. */
  read(): string | undefined {
    const f = this.readFile()
    if (!f) return undefined
    if (!f.encrypted) return f.data || undefined
    if (!this.cipher) return undefined
    try {
      return this.cipher.decrypt(Buffer.from(f.data, 'base64')) || undefined
    } catch {
      // Sealed on another account or machine: as good as none.
      return undefined
    }
  }

  save(token: string): void {
    const t = token.trim()
    // It goes into an Authorization header: no spaces or control characters.
    if (!/^[\x21-\x7e]{1,1000}$/.test(t)) {
      throw new ApiError(
        'bad_request',
        'token: a Hugging Face token is one word of printable characters (hf_…).',
      )
    }
    const body: TokenFile = this.cipher
      ? { version: 1, encrypted: true, data: this.cipher.encrypt(t).toString('base64') }
      : { version: 1, encrypted: false, data: t }
    fs.mkdirSync(path.dirname(this.file), { recursive: true })
    // Written beside, then renamed, so the file is never readable by others even briefly
    // (a mode on an existing file is not changed by writeFile).
    const tmp = `${this.file}.${process.pid}.tmp`
    fs.rmSync(tmp, { force: true })
    fs.writeFileSync(tmp, JSON.stringify(body), { mode: 0o600, flag: 'wx' })
    fs.chmodSync(tmp, 0o600)
    fs.renameSync(tmp, this.file)
  }

  clear(): void {
    fs.rmSync(this.file, { force: true })
  }
}
