import type { Strings } from '../strings'
import type en from '../en/inside'

const zh: Strings<typeof en> = {}
export default zh
