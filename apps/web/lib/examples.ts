// Example inputs for the translate demo: the kind of software strings the models learned from.
export const TRANSLATE_EXAMPLES: readonly string[] = [
  'Open the file in a new window',
  'Could not save %s: permission denied',
  'Delete {count} selected items?',
  'Show hidden files',
  'The connection to the server was lost.',
  'Print %d pages',
  'Search for %s in this folder',
  'Are you sure you want to quit?',
];

export const LANGUAGES = [
  { code: 'es', name: 'Spanish', model: 'translate-en-es' },
  { code: 'fr', name: 'French', model: 'translate-en-fr' },
  { code: 'de', name: 'German', model: 'translate-en-de' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
