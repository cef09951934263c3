/**
 * A catalogue with the English one's keys and any strings as values: a key missing in another
 * language is a type error, not a blank on screen.
 */
export type Strings<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]>
}
