// The end-to-end scenarios, one object each: { id, name, viewport?, requires?, run({ page, base, artifacts, context }) }.
// `requires` names trained models; such suites are skipped until public/models/NAME/model.json exists.
// One file per page; this list keeps the order they run in. (Being ported to Playwright: the
// site's suites are e2e/site.spec.ts.)
import { captionModelSuites, captionPageSuites } from './caption-suites.mjs';
import { labSuites } from './lab-suites.mjs';
import { translateModelSuites, translatePageSuites } from './translate-suites.mjs';

export const suites = [
  ...translatePageSuites,
  ...captionPageSuites,
  // ---- suites that need trained models ----
  ...translateModelSuites,
  ...captionModelSuites,
  ...labSuites,
];
