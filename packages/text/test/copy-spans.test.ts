import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COPY_CLASSES, copySpans } from '../src/copy-spans';
import { protectVerbatim, restoreVerbatim } from '../src/verbatim';

const spans = (text: string, classes = COPY_CLASSES) =>
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
      /unknown copy class "urls"; expected some of url, email, path, file, identifier, acronym/,
    );
  });

  it('returns sorted, disjoint ranges inside the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const r = copySpans(text, COPY_CLASSES);
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
    const p = protectVerbatim(text, { copy: COPY_CLASSES });
    expect(p.placeholders).toEqual(['<a href="https://x.org">', 'UDP', '</a>', '%s']);
  });
});
