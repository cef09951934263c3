import type { Strings } from '../strings'
import type en from '../en/sessions'

const zh: Strings<typeof en> = {}
export default zh
