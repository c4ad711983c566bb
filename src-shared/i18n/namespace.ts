/** The namespace every key lives in; one is enough for a handful of screens. */
export const defaultNamespace = 'translation';
