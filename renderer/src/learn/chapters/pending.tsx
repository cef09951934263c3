// Stand-ins for the two chapters written in another branch (word2vec training and the
// feed-forward view). The chapter table imports them from here only, so the real ones
// replace these with a one-line change there.
import { useTranslation } from 'react-i18next'

function Pending() {
  const { t } = useTranslation('learn')
  return (
    <p className="learn-pending" data-testid="learn-pending">
      {t('pending.note')}
    </p>
  )
}

export function Word2VecChapter() {
  return <Pending />
}

export function FeedForwardChapter() {
  return <Pending />
}
