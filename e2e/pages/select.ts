import { expect, type Locator } from '@playwright/test'

/**
 * The app's own drop-down (renderer/src/ui/Select.tsx): a combobox button that opens a
 * listbox. Picks the option with that value, or with that label, as a person would.
 */
export async function chooseOption(
  combobox: Locator,
  choice: string | { label: string },
): Promise<void> {
  await combobox.click()
  const list = combobox.locator('xpath=..').getByRole('listbox')
  await expect(list).toBeVisible()
  const option =
    typeof choice === 'string'
      ? list.locator(`[role="option"][data-value="${choice}"]`)
      : list.getByRole('option', { name: choice.label, exact: true })
  await option.click()
  await expect(list).toHaveCount(0)
}
