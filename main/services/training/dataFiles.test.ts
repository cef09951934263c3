import { execFileSync } from 'node:child_process'
import { mkdtemp, mkdir, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectFiles, MAX_FILE_BYTES } from './dataFiles'

describe('inspectFiles', () => {
  it('gives every picked file a verdict, and only accepted texts are returned', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gb-data-'))
    await mkdir(join(dir, 'notes'))
    await writeFile(join(dir, 'notes', 'a.txt'), 'The first note.\r\nSecond line.')
    await writeFile(join(dir, 'notes', 'b.md'), '# Title\n\nSome markdown.')
    await writeFile(join(dir, 'notes', 'copy.txt'), 'The first note.\r\nSecond line.')
    await writeFile(join(dir, 'empty.txt'), '')
    await writeFile(join(dir, 'image.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))
    await writeFile(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))
    await writeFile(join(dir, 'data.pdf'), '%PDF-1.4')
    const { verdicts, texts } = await inspectFiles([
      join(dir, 'notes'),
      join(dir, 'empty.txt'),
      join(dir, 'image.txt'),
      join(dir, 'latin1.txt'),
      join(dir, 'data.pdf'),
    ])
    const by = Object.fromEntries(verdicts.map((v) => [v.path.slice(dir.length + 1), v]))
    expect(by['notes/a.txt'].status).toBe('accepted')
    expect(by['notes/b.md'].status).toBe('accepted')
    expect(by['notes/copy.txt'].reason).toMatch(/duplicate of .*a\.txt/)
    expect(by['empty.txt'].reason).toBe('empty file')
    expect(by['image.txt'].reason).toMatch(/binary/)
    expect(by['latin1.txt'].reason).toMatch(/UTF-8/)
    expect(by['data.pdf'].status).toBe('refused')
    expect(by['data.pdf'].reason).toMatch(/\.pdf/)
    expect(texts).toEqual(['The first note.\nSecond line.', '# Title\n\nSome markdown.'])
  })

  it('reads regular files only, and refuses one over the size limit, saying so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gb-data-'))
    execFileSync('mkfifo', [join(dir, 'pipe.txt')])
    await symlink('/dev/zero', join(dir, 'zero.txt'))
    await writeFile(join(dir, 'ok.txt'), 'Fine text.')
    await symlink(join(dir, 'ok.txt'), join(dir, 'link.txt'))
    // Sparse: the size is there without writing the bytes.
    await writeFile(join(dir, 'huge.txt'), '')
    await truncate(join(dir, 'huge.txt'), MAX_FILE_BYTES + 1)
    const { verdicts, texts } = await inspectFiles([dir])
    const by = Object.fromEntries(verdicts.map((v) => [v.path.slice(dir.length + 1), v]))
    expect(by['pipe.txt'].reason).toMatch(/not a regular file \(a named pipe\)/)
    expect(by['zero.txt'].reason).toMatch(/not a regular file \(a device\)/)
    expect(by['huge.txt'].reason).toMatch(/64\.0 MB, over the 64\.0 MB limit for one file/)
    // A link to a regular file is read (as the file it names: here a duplicate of ok.txt).
    expect(by['link.txt'].status).toBe('accepted')
    expect(by['ok.txt'].reason).toMatch(/duplicate of .*link\.txt/)
    expect(texts).toEqual(['Fine text.'])
  })
})
