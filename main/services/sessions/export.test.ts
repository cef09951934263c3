import { expect, it } from 'vitest'
import { exportFilename } from './export'

it('makes safe file names from chat titles', () => {
  expect(exportFilename('Café: notes / ideas?', 'md')).toBe('Cafe-notes-ideas.md')
  expect(exportFilename('../../etc/passwd', 'json')).toBe('etc-passwd.json')
  expect(exportFilename('日本語', 'md')).toBe('chat.md')
})
