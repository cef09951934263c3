import { useState, type DragEvent } from 'react'
import { useTranslation } from 'react-i18next'

export async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** Files dropped or picked here are sent as bytes: a browser never reveals their paths. */
export function DropZone({
  onFiles,
}: {
  onFiles: (files: { name: string; dataBase64: string }[]) => void
}) {
  const { t } = useTranslation('train')
  const [over, setOver] = useState(false)
  const take = async (list: FileList | null): Promise<void> => {
    if (!list?.length) return
    onFiles(
      await Promise.all(
        [...list].map(async (f) => ({ name: f.name, dataBase64: await toBase64(f) })),
      ),
    )
  }
  const drop = (e: DragEvent): void => {
    e.preventDefault()
    setOver(false)
    void take(e.dataTransfer.files)
  }
  return (
    <label
      className={`drop-zone${over ? ' over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      {t('drop')}
      <input
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => void take(e.target.files)}
      />
    </label>
  )
}
