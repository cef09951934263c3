import type { Strings } from '../strings'
import type en from '../en/models'

const zh: Strings<typeof en> = {}
export default zh
