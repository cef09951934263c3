import type { Strings } from '../strings'
import type en from '../en/hardware'

const zh: Strings<typeof en> = {}
export default zh
