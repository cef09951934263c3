// The first-open card: what the shipped model is, and whether the person dismissed the card.
import fs from 'node:fs'
import path from 'node:path'
import type { Welcome } from '../../contract/system'
import { parameterCount, parseConfig } from '../../../native-models/arch'
import type { ModelRegistry } from '../models/registry'
import type { SessionStore } from '../store'

const dismissedKey = 'ui.welcomeDismissed'

function defaultModelFacts(registry: ModelRegistry): Welcome['defaultModel'] {
  const entry = registry.list().find((m) => m.isDefault && !m.missing && m.problem === null)
  if (!entry) return null
  let parameters = 0
  try {
    const config = JSON.parse(fs.readFileSync(path.join(entry.path, 'config.json'), 'utf8'))
    parameters = parameterCount(parseConfig(config))
  } catch {
    // The card still names the model; the count is left out (0) rather than failing it.
  }
  return { name: entry.name, parameters, completionOnly: !entry.hasChatTemplate }
}

export function welcomeState(store: SessionStore, registry: ModelRegistry): Welcome {
  return {
    show: store.getSetting<boolean>(dismissedKey) !== true,
    defaultModel: defaultModelFacts(registry),
  }
}

export function dismissWelcome(store: SessionStore, registry: ModelRegistry): Welcome {
  store.setSetting(dismissedKey, true)
  return welcomeState(store, registry)
}
