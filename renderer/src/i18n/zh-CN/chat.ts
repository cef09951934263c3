import type { Strings } from '../strings'
import type en from '../en/chat'

const zh: Strings<typeof en> = {}
export default zh
