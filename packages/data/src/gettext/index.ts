// Pure gettext corpus pieces: .mo/.po parsers, cleaning, accelerators, split, held-out packages, assembly.

export * from './accelerators';
export * from './catalog';
export * from './clean';
export * from './corpus';
export * from './held-out';
export * from './layout';
export * from './mo';
export * from './po';
export * from './split';
