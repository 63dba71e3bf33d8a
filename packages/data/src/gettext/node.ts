// Node-only gettext pieces: Debian package extraction and the corpus builder.

export * from './build';
export * from './deb';
