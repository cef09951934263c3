import type { Strings } from '../strings'
import type en from '../en/train'

const zh: Strings<typeof en> = {}
export default zh
