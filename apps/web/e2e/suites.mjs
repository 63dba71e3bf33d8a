// The end-to-end scenarios, one object each: { id, name, viewport?, requires?, run({ page, base, artifacts, context }) }.
// `requires` names trained models; such suites are skipped until public/models/NAME/model.json exists.
// One file per page; this list keeps the order they run in.
import { captionModelSuites, captionPageSuites } from './caption-suites.mjs';
import { labSuites } from './lab-suites.mjs';
import { homeSuites, offlineSuites } from './site-suites.mjs';
import { translateModelSuites, translatePageSuites } from './translate-suites.mjs';

export const suites = [
  ...homeSuites,
  ...translatePageSuites,
  ...captionPageSuites,
  ...offlineSuites,
  // ---- suites that need trained models ----
  ...translateModelSuites,
  ...captionModelSuites,
  ...labSuites,
];
