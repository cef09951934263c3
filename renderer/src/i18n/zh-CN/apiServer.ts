import type { Strings } from '../strings'
import type en from '../en/apiServer'

const zh: Strings<typeof en> = {}
export default zh
