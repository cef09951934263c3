// A failed call as a person reads it: a sentence for its code in the interface's language, then
// the back end's own detail (the file, the field), which stays as it was written.
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape, ErrorCode } from '../../main/contract/define'

export function ErrorText({ code, message }: { code: ErrorCode; message: string }) {
  const { t } = useTranslation()
  return (
    <>
      <strong className="error-summary">{t(`errors.${code}`)}</strong>{' '}
      <span className="error-detail">{message}</span> <code className="error-code">{code}</code>
    </>
  )
}

/** What a view's error line shows: a failed call, or a note the back end sent with a result. */
export type Problem = ApiErrorShape | { note: string }

export function ProblemText({ problem }: { problem: Problem }) {
  return 'note' in problem ? problem.note : <ErrorText {...problem} />
}
