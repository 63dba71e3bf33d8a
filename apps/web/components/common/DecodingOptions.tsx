'use client';
// Greedy or beam search, and the beam width: the decoding controls both demos share.

export interface DecodingOptionsProps {
  /** Radio group name, unique on the page. */
  name: string;
  useBeam: boolean;
  onUseBeam(useBeam: boolean): void;
  width: number;
  onWidth(width: number): void;
  /** data-testid prefix for the beam radio and the width slider (e2e hooks). */
  testId?: string;
}

/**
 * @example
 * <DecodingOptions name="decoding" useBeam={b} onUseBeam={setB} width={w} onWidth={setW} testId="beam" />
 */
export function DecodingOptions({
  name,
  useBeam,
  onUseBeam,
  width,
  onWidth,
  testId,
}: DecodingOptionsProps) {
  return (
    <fieldset className="field">
      <legend>Decoding</legend>
      <label>
        <input type="radio" name={name} checked={!useBeam} onChange={() => onUseBeam(false)} />{' '}
        Greedy
      </label>
      <label>
        <input
          type="radio"
          name={name}
          checked={useBeam}
          onChange={() => onUseBeam(true)}
          data-testid={testId}
        />{' '}
        Beam search
      </label>
      <label className={useBeam ? undefined : 'disabled'}>
        Width{' '}
        <input
          type="range"
          min={2}
          max={8}
          value={width}
          disabled={!useBeam}
          onChange={(e) => onWidth(Number(e.target.value))}
          aria-valuetext={`beam width ${width}`}
          data-testid={testId ? `${testId}-width` : undefined}
        />{' '}
        <output>{width}</output>
      </label>
    </fieldset>
  );
}
