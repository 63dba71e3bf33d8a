// Pure gettext corpus pieces: .mo/.po parsers, cleaning, accelerators, split, assembly.

export * from './accelerators';
export * from './catalog';
export * from './clean';
export * from './corpus';
export * from './layout';
export * from './mo';
export * from './po';
export * from './split';
