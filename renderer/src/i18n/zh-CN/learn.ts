import type { Strings } from '../strings'
import type en from '../en/learn'

const zh: Strings<typeof en> = {}
export default zh
