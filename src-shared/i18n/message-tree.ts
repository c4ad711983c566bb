/** The shape of a message catalogue: nested keys ending in strings (i18next JSON v4, plural suffixes per CLDR). */
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}
