// A character-level recognizer for the JSON a schema allows: the state is a small stack of
// immutable frames, so a token mask can try a character on a state without copying the
// text so far (jsonMask.ts walks the vocabulary with it). Output is compact JSON (no
// whitespace outside strings) with an object's properties in the schema's order: a subset
// of what the schema accepts, so everything it lets through validates.
import { ApiError } from '../../contract/define'

/** The schema compiled to what the recognizer needs. */
export type Shape =
  | { kind: 'any' }
  | { kind: 'string'; maxLength: number }
  | { kind: 'number'; integer: boolean }
  | { kind: 'literals'; options: string[] }
  | { kind: 'object'; props: { key: string; shape: Shape; required: boolean }[] | null }
  | { kind: 'array'; items: Shape; minItems: number; maxItems: number }
  | { kind: 'union'; shapes: Shape[] }

type NumPhase = 'sign' | 'zero' | 'int' | 'dot' | 'frac' | 'e' | 'esign' | 'exp'

type Frame =
  | { k: 'value'; shape: Shape }
  | { k: 'choice'; options: string[]; prefix: string; key: boolean }
  | { k: 'str'; esc: number; left: number }
  | { k: 'num'; integer: boolean; ph: NumPhase; digits: number; expDigits: number }
  | { k: 'obj'; shape: Extract<Shape, { kind: 'object' }>; next: number; ph: ObjPhase }
  | { k: 'arr'; shape: Extract<Shape, { kind: 'array' }>; count: number; ph: 'start' | 'after' }

/** start: after '{'; key: after ',' (free objects); colon: after a free key; after: after a value. */
type ObjPhase = 'start' | 'key' | 'colon' | 'after'

export type GrammarState = readonly Frame[]

/** Keywords that only describe or that compact output satisfies by construction. */
const ignoredKeywords = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'examples',
  'additionalProperties',
  '$comment',
  'strict',
])

/**
 * Compiles a JSON schema (null: any JSON object, OpenAI's json_object) to a Shape, or throws
 * a bad_request naming the first keyword it cannot enforce and where it sits.
 */
export function compileSchema(schema: unknown, path = 'schema'): Shape {
  if (schema === null) return { kind: 'object', props: null }
  if (schema === true || (isRecord(schema) && Object.keys(schema).length === 0)) {
    return { kind: 'any' }
  }
  if (!isRecord(schema)) throw unsupported(path, 'a schema must be an object')
  for (const key of Object.keys(schema)) {
    const known = [
      'type',
      'properties',
      'required',
      'items',
      'enum',
      'const',
      'minItems',
      'maxItems',
      'anyOf',
      'maxLength',
    ]
    if (!known.includes(key) && !ignoredKeywords.has(key)) {
      throw new ApiError(
        'bad_request',
        `${path} uses "${key}", which Glassbox cannot enforce while decoding.`,
      )
    }
  }
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    throw unsupported(`${path}.additionalProperties`, 'only false is supported')
  }
  if ('const' in schema) return { kind: 'literals', options: [JSON.stringify(schema.const)] }
  if (Array.isArray(schema.enum)) {
    if (schema.enum.length === 0) throw unsupported(`${path}.enum`, 'it is empty')
    return { kind: 'literals', options: schema.enum.map((v) => JSON.stringify(v)) }
  }
  if (Array.isArray(schema.anyOf)) {
    return union(
      schema.anyOf.map((s, i) => compileSchema(s, `${path}.anyOf[${i}]`)),
      `${path}.anyOf`,
    )
  }
  const type = schema.type
  if (Array.isArray(type)) {
    return union(
      type.map((t) => compileSchema({ ...schema, type: t }, path)),
      `${path}.type`,
    )
  }
  switch (type) {
    case 'string':
      return {
        kind: 'string',
        maxLength: typeof schema.maxLength === 'number' ? schema.maxLength : Infinity,
      }
    case 'number':
    case 'integer':
      return { kind: 'number', integer: type === 'integer' }
    case 'boolean':
      return { kind: 'literals', options: ['true', 'false'] }
    case 'null':
      return { kind: 'literals', options: ['null'] }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity
      const items =
        schema.items === undefined
          ? { kind: 'any' as const }
          : compileSchema(schema.items, `${path}.items`)
      return { kind: 'array', items, minItems: min, maxItems: max }
    }
    case 'object': {
      if (!isRecord(schema.properties)) return { kind: 'object', props: null }
      const required = new Set(Array.isArray(schema.required) ? schema.required : [])
      const props = Object.entries(schema.properties).map(([key, s]) => ({
        key,
        shape: compileSchema(s, `${path}.properties.${key}`),
        required: required.has(key),
      }))
      for (const r of required) {
        if (!props.some((p) => p.key === r))
          throw unsupported(`${path}.required`, `"${String(r)}" is not among the properties`)
      }
      return { kind: 'object', props }
    }
    case undefined:
      return { kind: 'any' }
    default:
      throw unsupported(`${path}.type`, `"${String(type)}" is not a JSON type`)
  }
}

/**
 * The recognizer follows one alternative, chosen by the value's first character, so the
 * alternatives must begin differently (a string or null, a number or an object ...).
 */
function union(shapes: Shape[], path: string): Shape {
  const seen = new Set<string>()
  for (const shape of shapes) {
    const firsts = firstChars(shape)
    for (const c of firsts) {
      if (seen.has(c))
        throw unsupported(path, 'alternatives that can begin with the same character')
    }
    for (const c of firsts) seen.add(c)
  }
  return { kind: 'union', shapes }
}

function firstChars(shape: Shape): string[] {
  switch (shape.kind) {
    case 'string':
      return ['"']
    case 'number':
      return ['-', ...'0123456789']
    case 'literals':
      return [...new Set(shape.options.map((o) => o[0]))]
    case 'object':
      return ['{']
    case 'array':
      return ['[']
    case 'union':
      return shape.shapes.flatMap(firstChars)
    case 'any':
      return ['"', '{', '[', '-', ...'0123456789', 't', 'f', 'n']
  }
}

function unsupported(path: string, why: string): ApiError {
  return new ApiError('bad_request', `${path}: ${why}.`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function initialState(shape: Shape): GrammarState {
  return [{ k: 'value', shape }]
}

/** True when the text so far is a whole value: generation may end here. */
export function canEnd(state: GrammarState): boolean {
  if (state.length === 0) return true
  if (state.length !== 1) return false
  const top = state[0]
  if (top.k === 'num') return numAccepts(top.ph)
  if (top.k === 'choice') return top.options.includes(top.prefix)
  return false
}

/**
 * Inside a string, not after a backslash: how many more characters it may take. Any text
 * without a quote, backslash or control character then keeps the state a string (jsonMask's
 * fast path).
 */
export function openStringRoom(state: GrammarState): number | null {
  const top = state[state.length - 1]
  return top?.k === 'str' && top.esc === 0 ? top.left : null
}

/** True for a character that ends or escapes a string, or may not appear in one. */
export function isStringSpecial(c: string): boolean {
  return c === '"' || c === '\\' || c.charCodeAt(0) < 0x20
}

/** The state after one more character, or null when no allowed text continues this way. */
export function step(state: GrammarState, c: string): GrammarState | null {
  if (state.length === 0) return null
  const top = state[state.length - 1]
  const rest = state.slice(0, -1)
  const replace = (...frames: Frame[]): GrammarState => [...rest, ...frames]
  switch (top.k) {
    case 'value':
      return startValue(rest, top.shape, c)
    case 'choice': {
      const prefix = top.prefix + c
      const options = top.options.filter((o) => o.startsWith(prefix))
      if (options.length > 0) {
        if (options.length === 1 && options[0] === prefix) return resolveChoice(rest, top, prefix)
        return replace({ ...top, options, prefix })
      }
      // A finished option that c does not extend: c belongs to the enclosing value.
      if (!top.options.includes(top.prefix)) return null
      const after = resolveChoice(rest, top, top.prefix)
      return step(after, c)
    }
    case 'str': {
      if (top.esc === -1) {
        if (c === 'u') return replace({ ...top, esc: 4 })
        return '"\\/bfnrt'.includes(c) ? replace({ ...top, esc: 0 }) : null
      }
      if (top.esc > 0) return /[0-9a-fA-F]/.test(c) ? replace({ ...top, esc: top.esc - 1 }) : null
      if (c === '"') return rest
      // One character of the value (an escape counts once, when it starts).
      if (top.left <= 0 || c.charCodeAt(0) < 0x20) return null
      return replace({ ...top, left: top.left - 1, esc: c === '\\' ? -1 : 0 })
    }
    case 'num': {
      const ph = numStep(top.ph, c, top.integer)
      const isDigit = c >= '0' && c <= '9'
      const inExp = ph === 'exp' || ph === 'esign' || ph === 'e'
      const digits = isDigit && !inExp ? top.digits + 1 : top.digits
      const expDigits = isDigit && inExp ? top.expDigits + 1 : top.expDigits
      // Past a double's precision more digits say nothing, and a two-digit exponent keeps
      // the value finite; the caps also end a runaway number.
      if (ph && digits <= maxNumberDigits && expDigits <= 2)
        return replace({ ...top, ph, digits, expDigits })
      return numAccepts(top.ph) ? step(rest, c) : null
    }
    case 'obj':
      return objStep(rest, top, c)
    case 'arr': {
      const { shape } = top
      if (top.ph === 'start') {
        if (c === ']') return shape.minItems <= 0 ? rest : null
        if (shape.maxItems < 1) return null
        return startValue([...rest, { ...top, ph: 'after', count: 1 }], shape.items, c)
      }
      if (c === ']') return top.count >= shape.minItems ? rest : null
      if (c === ',' && top.count < shape.maxItems)
        return [...rest, { ...top, count: top.count + 1 }, { k: 'value', shape: shape.items }]
      return null
    }
  }
}

function startValue(rest: GrammarState, shape: Shape, c: string): GrammarState | null {
  switch (shape.kind) {
    case 'string':
      return c === '"' ? [...rest, { k: 'str', esc: 0, left: shape.maxLength }] : null
    case 'number':
      if (c !== '-' && !/[0-9]/.test(c)) return null
      return [
        ...rest,
        {
          k: 'num',
          integer: shape.integer,
          ph: c === '-' ? 'sign' : c === '0' ? 'zero' : 'int',
          digits: c === '-' ? 0 : 1,
          expDigits: 0,
        },
      ]
    case 'literals':
      return step([...rest, { k: 'choice', options: shape.options, prefix: '', key: false }], c)
    case 'object':
      return c === '{' ? [...rest, { k: 'obj', shape, next: 0, ph: 'start' }] : null
    case 'array':
      return c === '[' ? [...rest, { k: 'arr', shape, count: 0, ph: 'start' }] : null
    case 'union': {
      for (const s of shape.shapes) {
        const next = startValue(rest, s, c)
        if (next) return next
      }
      return null
    }
    case 'any': {
      const byFirst: Shape =
        c === '"'
          ? { kind: 'string', maxLength: Infinity }
          : c === '{'
            ? { kind: 'object', props: null }
            : c === '['
              ? { kind: 'array', items: { kind: 'any' }, minItems: 0, maxItems: Infinity }
              : c === '-' || /[0-9]/.test(c)
                ? { kind: 'number', integer: false }
                : { kind: 'literals', options: ['true', 'false', 'null'] }
      return startValue(rest, byFirst, c)
    }
  }
}

function resolveChoice(
  rest: GrammarState,
  frame: Extract<Frame, { k: 'choice' }>,
  picked: string,
): GrammarState {
  if (!frame.key) return rest
  // A property key (`"name":`) of the enclosing object: its value comes next.
  const obj = rest[rest.length - 1] as Extract<Frame, { k: 'obj' }>
  const props = obj.shape.props ?? []
  const index = props.findIndex((p, i) => i >= obj.next && `${JSON.stringify(p.key)}:` === picked)
  return [
    ...rest.slice(0, -1),
    { ...obj, next: index + 1, ph: 'after' },
    { k: 'value', shape: props[index].shape },
  ]
}

function objStep(
  rest: GrammarState,
  top: Extract<Frame, { k: 'obj' }>,
  c: string,
): GrammarState | null {
  const { props } = top.shape
  if (props === null) {
    // Any object: free string keys, any values.
    if (top.ph === 'colon') {
      return c === ':'
        ? [...rest, { ...top, ph: 'after' }, { k: 'value', shape: { kind: 'any' } }]
        : null
    }
    if (c === '"' && (top.ph === 'start' || top.ph === 'key')) {
      return [...rest, { ...top, ph: 'colon' }, { k: 'str', esc: 0, left: Infinity }]
    }
    if (c === '}' && (top.ph === 'start' || top.ph === 'after')) return rest
    if (c === ',' && top.ph === 'after') return [...rest, { ...top, ph: 'key' }]
    return null
  }
  // Properties in the schema's order: the next key is any from `next` on that skips only
  // optional ones.
  const keys: string[] = []
  let missingRequired = false
  for (let i = top.next; i < props.length; i++) {
    keys.push(`${JSON.stringify(props[i].key)}:`)
    if (props[i].required) {
      missingRequired = true
      break
    }
  }
  if (c === '}') return missingRequired ? null : rest
  const first = top.ph === 'start'
  if (keys.length === 0 || c !== (first ? '"' : ',')) return null
  const choice: Frame = { k: 'choice', options: keys, prefix: '', key: true }
  return first ? step([...rest, top, choice], c) : [...rest, top, choice]
}

const maxNumberDigits = 17

function numAccepts(ph: NumPhase): boolean {
  return ph === 'zero' || ph === 'int' || ph === 'frac' || ph === 'exp'
}

function numStep(ph: NumPhase, c: string, integer: boolean): NumPhase | null {
  const digit = c >= '0' && c <= '9'
  switch (ph) {
    case 'sign':
      return c === '0' ? 'zero' : digit ? 'int' : null
    case 'zero':
    case 'int':
      if (digit) return ph === 'zero' ? null : 'int'
      if (integer) return null
      return c === '.' ? 'dot' : c === 'e' || c === 'E' ? 'e' : null
    case 'dot':
      return digit ? 'frac' : null
    case 'frac':
      return digit ? 'frac' : c === 'e' || c === 'E' ? 'e' : null
    case 'e':
      return c === '+' || c === '-' ? 'esign' : digit ? 'exp' : null
    case 'esign':
    case 'exp':
      return digit ? 'exp' : null
  }
}
