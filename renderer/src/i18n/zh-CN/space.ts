import type { Strings } from '../strings'
import type en from '../en/space'

const zh: Strings<typeof en> = {}
export default zh
