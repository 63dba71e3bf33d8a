import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COPY_CLASSES, copySpans, isUnseenWord, sourceWords } from '../src/copy-spans';
import { protectVerbatim, restoreVerbatim } from '../src/verbatim';

/** The classes that need no word list. */
const NAMES = COPY_CLASSES.filter((c) => c !== 'unseen');
const spans = (text: string, classes = NAMES) =>
  copySpans(text, classes).map(([a, b]) => text.slice(a, b));

describe('copySpans', () => {
  it('finds each kind of name', () => {
    expect(spans('Open https://example.org/a?b=1, then www.gnu.org.')).toEqual([
      'https://example.org/a?b=1',
      'www.gnu.org',
    ]);
    expect(spans('Mail a.b+c@example.co.uk now')).toEqual(['a.b+c@example.co.uk']);
    expect(spans('Edit /etc/hosts or ~/.config/app or ./configure.')).toEqual([
      '/etc/hosts',
      '~/.config/app',
      './configure',
    ]);
    expect(spans('Save *.txt and report.pdf')).toEqual(['*.txt', 'report.pdf']);
    expect(spans('Use x86_64, IPv6, H.264 and gThumb or LibreOffice')).toEqual([
      'x86_64',
      'IPv6',
      'H.264',
      'gThumb',
      'LibreOffice',
    ]);
    expect(spans('Stream it via UDP to the GTK+ URLs')).toEqual(['UDP', 'GTK+', 'URLs']);
    // Capitals before small letters: KDE-style names, not plurals of acronyms.
    expect(spans('Translated KRename, KWallet and SELinux; import MBox', ['identifier'])).toEqual([
      'KRename',
      'KWallet',
      'SELinux',
      'MBox',
    ]);
    expect(spans('Two DVDs and PDFs, IDs', ['identifier'])).toEqual([]);
  });

  it('leaves what UI strings translate', () => {
    for (const s of [
      'OK',
      'The 1st and 2nd items',
      'and/or read/write 1/2',
      'e.g. this, i.e. that, etc.',
      'Version 2.0.1',
      'Save As…',
      'Open File',
      'WARNING: DISK FULL',
      'CANNOT OPEN THE FILE Now',
    ])
      expect(spans(s), s).toEqual([]);
  });

  it('uses only the classes asked for, earlier classes winning overlaps', () => {
    expect(spans('See https://x.org via UDP', ['acronym'])).toEqual(['UDP']);
    expect(spans('See https://x.org/UDP', ['url', 'acronym'])).toEqual(['https://x.org/UDP']);
    expect(spans('/usr/lib/x86_64', ['path', 'identifier'])).toEqual(['/usr/lib/x86_64']);
    expect(copySpans('anything', [])).toEqual([]);
  });

  it('names the valid classes when given another', () => {
    expect(() => copySpans('x', ['urls' as never])).toThrow(
      /unknown copy class "urls"; expected some of url, email, path, file, identifier, acronym, unseen/,
    );
  });

  it('unseen: words absent from the training sources, stems included, after the name classes', () => {
    const seen = new Set(
      sourceWords(['Open the file', 'Save all shots', 'Kingdom', 'Reply to', 'via']),
    );
    const unseen = (text: string, classes = COPY_CLASSES) =>
      copySpans(text, classes, { seen }).map(([a, b]) => text.slice(a, b));
    expect(unseen('Open the Woodcutter file')).toEqual(['Woodcutter']);
    // Endings of seen words are seen: plurals, -ed, -ing, -ies → -y, -er(s), -ly.
    expect(unseen('Kingdoms opened, saving files, replies; openers')).toEqual([]);
    // and a plural seen makes its singular seen.
    expect(unseen('the shot')).toEqual([]);
    // Names the other classes take win (a URL's words are not looked up one by one).
    expect(unseen('Open https://example.org/zorblax via UDP, gThumb')).toEqual([
      'https://example.org/zorblax',
      'UDP',
      'gThumb',
    ]);
    // Letters only: a single letter, digits and snake_case names are not words.
    expect(unseen('a b 42 zz_top', ['unseen'])).toEqual([]);
    expect(unseen('Öffnen Straße', ['unseen'])).toEqual(['Öffnen', 'Straße']);
    expect(() => copySpans('Zorblax', ['unseen'])).toThrow(
      /the 'unseen' class needs the model's source words \(opts.seen\); got none/,
    );
  });

  it('sourceWords lists each word of two letters or more once, lowercased and sorted', () => {
    expect(sourceWords(['Open the file', 'open FILES, a x2'])).toEqual([
      'file',
      'files',
      'open',
      'the',
    ]);
    expect(sourceWords([])).toEqual([]);
    expect(isUnseenWord('Sabotage', new Set(['open']))).toBe(true);
    expect(isUnseenWord('X', new Set())).toBe(false);
    // A stem must keep three letters: "bus" is not "b" + "us".
    expect(isUnseenWord('ties', new Set(['t']))).toBe(true);
    expect(isUnseenWord('ties', new Set(['ty']))).toBe(true);
    expect(isUnseenWord('flies', new Set(['fly']))).toBe(true);
    expect(isUnseenWord('copies', new Set(['copy']))).toBe(false);
  });

  it('returns sorted, disjoint ranges inside the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const r = copySpans(text, COPY_CLASSES, { seen: new Set(['open', 'the']) });
        let last = 0;
        for (const [a, b] of r) {
          expect(a).toBeGreaterThanOrEqual(last);
          expect(b).toBeGreaterThan(a);
          expect(b).toBeLessThanOrEqual(text.length);
          last = b;
        }
      }),
    );
  });
});

describe('protectVerbatim with copy', () => {
  it('protects the names as verbatim tokens and restores them as written', () => {
    const p = protectVerbatim('Send %s to /tmp/out.log via UDP', {
      copy: ['path', 'acronym'],
    });
    expect(p.text).toBe('Send ⟨ph0⟩ to ⟨ph1⟩ via ⟨ph2⟩');
    expect(p.placeholders).toEqual(['%s', '/tmp/out.log', 'UDP']);
    expect(p.kinds).toEqual(['placeholder', 'verbatim', 'verbatim']);
    expect(restoreVerbatim('Enviar ⟨ph0⟩ a ⟨ph1⟩ por ⟨ph2⟩', p)).toBe(
      'Enviar %s a /tmp/out.log por UDP',
    );
  });

  it('changes nothing without copy, and never splits markup or placeholders', () => {
    const text = '<a href="https://x.org">UDP</a> %s';
    expect(protectVerbatim(text)).toEqual(protectVerbatim(text, { copy: [] }));
    const p = protectVerbatim(text, { copy: NAMES });
    expect(p.placeholders).toEqual(['<a href="https://x.org">', 'UDP', '</a>', '%s']);
    // Unseen words: only between markup and placeholders, never inside them.
    const u = protectVerbatim('<a href="https://x.org">Zorblax</a> %s opened', {
      copy: ['unseen'],
      seen: new Set(['open']),
    });
    expect(u.placeholders).toEqual(['<a href="https://x.org">', 'Zorblax', '</a>', '%s']);
    expect(u.text).toBe('⟨ph0⟩ ⟨ph1⟩ ⟨ph2⟩ ⟨ph3⟩ opened');
  });
});
