import type { Migration } from '../migrate'
import { migration as m001 } from './001_sessions'
import { migration as m002 } from './002_messageSearch'
import { migration as m010 } from './010_spaceState'
import { migration as m020 } from './020_chat'
import { migration as m030 } from './030_training'
import { migration as m040 } from './040_inspections'
import { migration as m050 } from './050_apiSessions'
import { migration as m055 } from './055_messageModelId'

// Every migration of the app, one line each. A domain that needs tables adds its file with
// the next free number in its range (shell 001-009, space 010+, chat 020+, training 030+, API 050+)
// and one line here. Never edit a migration that has shipped: add the next one.
export const migrations: Migration[] = [m001, m002, m010, m020, m030, m040, m050, m055]
