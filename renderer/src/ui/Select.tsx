import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import './select.css'

export interface SelectOption<T extends string> {
  value: T
  label: string
  disabled?: boolean
}

interface Props<T extends string> {
  value: T
  options: readonly SelectOption<T>[]
  onChange: (value: T) => void
  /** Names the control for assistive technology when no visible label wraps it. */
  ariaLabel?: string
  testId?: string
  disabled?: boolean
  className?: string
}

/**
 * A drop-down in the app's own look: a combobox button and a listbox, after the WAI-ARIA
 * "select-only combobox" pattern. Focus stays on the button; the active option is named by
 * aria-activedescendant. Keys: arrows, Home/End, Enter/Space to choose, Escape to close,
 * and typed letters jump to the next option starting with them.
 */
export function Select<T extends string>(props: Props<T>) {
  const { value, options, onChange } = props
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const id = useId()
  const root = useRef<HTMLDivElement>(null)
  const listRef = useRef<HTMLUListElement>(null)
  const typed = useRef({ text: '', at: 0 })
  const selectedIndex = Math.max(
    0,
    options.findIndex((o) => o.value === value),
  )
  const current = options.find((o) => o.value === value)

  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  useEffect(() => {
    if (!open) return
    const el = listRef.current?.children[active] as HTMLElement | undefined
    el?.scrollIntoView?.({ block: 'nearest' })
  }, [open, active])

  const show = () => {
    setActive(selectedIndex)
    setOpen(true)
  }
  const choose = (index: number) => {
    const option = options[index]
    if (!option || option.disabled) return
    setOpen(false)
    if (option.value !== value) onChange(option.value)
  }
  const step = (from: number, delta: number): number => {
    for (let i = from + delta; i >= 0 && i < options.length; i += delta)
      if (!options[i].disabled) return i
    return from
  }

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const key = e.key
    if (!open) {
      if (['ArrowDown', 'ArrowUp', 'Enter', ' '].includes(key)) {
        e.preventDefault()
        show()
      }
      return
    }
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => step(a, key === 'ArrowDown' ? 1 : -1))
    } else if (key === 'Home' || key === 'End') {
      e.preventDefault()
      setActive(key === 'Home' ? step(-1, 1) : step(options.length, -1))
    } else if (key === 'Enter' || key === ' ') {
      e.preventDefault()
      choose(active)
    } else if (key === 'Escape') {
      e.preventDefault()
      setOpen(false)
    } else if (key === 'Tab') {
      setOpen(false)
    } else if (key.length === 1) {
      const now = Date.now()
      const text = (now - typed.current.at < 700 ? typed.current.text : '') + key.toLowerCase()
      typed.current = { text, at: now }
      const order = [...options.keys()].map((k) => (active + 1 + k) % options.length)
      const hit = order.find(
        (i) => !options[i].disabled && options[i].label.toLowerCase().startsWith(text),
      )
      if (hit !== undefined) setActive(hit)
    }
  }

  return (
    <div className={`select${props.className ? ` ${props.className}` : ''}`} ref={root}>
      <button
        type="button"
        role="combobox"
        className="select-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-activedescendant={open ? `${id}-${active}` : undefined}
        aria-label={props.ariaLabel}
        data-testid={props.testId}
        data-value={value}
        disabled={props.disabled}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={onKeyDown}
      >
        <span className="select-value">{current?.label ?? ''}</span>
        <span className="select-caret" aria-hidden="true" />
      </button>
      {open && (
        <ul
          className="select-list"
          role="listbox"
          id={`${id}-list`}
          ref={listRef}
          aria-label={props.ariaLabel}
          // Inside a <label>, a click on an option would re-open the list through the label.
          onClick={(e) => e.preventDefault()}
        >
          {options.map((o, i) => (
            <li
              key={o.value}
              id={`${id}-${i}`}
              role="option"
              aria-selected={o.value === value}
              aria-disabled={o.disabled || undefined}
              data-value={o.value}
              className={i === active ? 'select-option active' : 'select-option'}
              onMouseEnter={() => !o.disabled && setActive(i)}
              // mousedown, not click: the button keeps focus and the list closes cleanly.
              onMouseDown={(e) => {
                e.preventDefault()
                choose(i)
              }}
            >
              {o.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
