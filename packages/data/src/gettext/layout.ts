// Which .mo files of a package tree are catalogs for a language, and the variant choice per domain.

/** A catalog file chosen for a language: its path inside the tree and the locale dir it came from. */
export interface CatalogFile {
  path: string;
  lang: string;
  /** The locale directory name, e.g. `es` or `es_MX`. */
  locale: string;
}

const MO_PATH = /^(?:\.\/)?(.*\/)?([a-z]{2,3})((?:[_@.][^/]*)?)\/LC_MESSAGES\/([^/]+\.mo)$/;

/**
 * Pick the catalogs of `langs` from a list of paths (as `tar -t` prints them). Any `…/<locale>/
 * LC_MESSAGES/*.mo` counts, not only `usr/share/locale*` (LibreOffice keeps its catalogs in
 * `usr/lib/libreoffice/program/resource/<lang>/LC_MESSAGES`). For each directory root and domain
 * (file name) the bare language dir (`es`) wins; only when it is missing is a regional or variant
 * dir (`es_ES`, `es_MX`, `de@hebrew`, `de.us-ascii`) used, the first in sorted order — one catalog
 * per domain, so regional duplicates do not double-count strings.
 * @example selectCatalogs(['./usr/share/locale/es/LC_MESSAGES/tar.mo'], ['es'])
 * // [{ path: './usr/share/locale/es/LC_MESSAGES/tar.mo', lang: 'es', locale: 'es' }]
 */
export function selectCatalogs(paths: readonly string[], langs: readonly string[]): CatalogFile[] {
  const best = new Map<string, CatalogFile>();
  for (const path of [...paths].sort()) {
    const m = MO_PATH.exec(path);
    if (!m) continue;
    const [, root = '', lang = '', variant = '', file = ''] = m;
    if (!langs.includes(lang)) continue;
    const key = `${root}\u0000${lang}\u0000${file}`;
    const prev = best.get(key);
    const cand: CatalogFile = { path, lang, locale: lang + variant };
    if (!prev || (variant === '' && prev.locale !== lang)) best.set(key, cand);
  }
  return [...best.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
