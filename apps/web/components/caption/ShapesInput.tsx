'use client';
// Random Shapes scenes from the same generator the model was trained on (test split, unseen).
import { generateScene } from '@seqlab/data';
import { useCallback, useEffect, useState } from 'react';
import type { InputProps } from './types';

/** Dataset seed of the demo's scenes; the scene number is shown so any scene can be reproduced. */
const DEMO_SEED = 2026;

/** How many objects a generated scene has: any (the test-split mix) or exactly 1, 2 or 3. */
type ObjectCount = 'any' | 1 | 2 | 3;

export function ShapesInput({ onImage, onError }: InputProps) {
  const [index, setIndex] = useState<number | null>(null);
  const [count, setCount] = useState<ObjectCount>('any');
  const make = useCallback(() => {
    try {
      const i = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
      const s = generateScene({
        seed: DEMO_SEED,
        split: 'test',
        index: i,
        ...(count === 'any' ? {} : { numObjects: count }),
      });
      setIndex(i);
      onImage({
        kind: 'shapes',
        pixels: { width: s.width, height: s.height, data: s.data },
        label: `Shapes test scene ${i}`,
        truth: s.captions,
      });
    } catch (e) {
      onError(`Could not generate a scene: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [onImage, onError, count]);
  useEffect(() => {
    make();
  }, [make]);
  return (
    <div className="input-panel">
      <button type="button" onClick={make} data-testid="new-scene">
        New random scene
      </button>{' '}
      <label>
        Objects{' '}
        <select
          data-testid="scene-objects"
          value={String(count)}
          onChange={(e) =>
            setCount(e.target.value === 'any' ? 'any' : (Number(e.target.value) as 1 | 2 | 3))
          }
        >
          <option value="any">1–3 (mixed)</option>
          <option value="1">1</option>
          <option value="2">2</option>
          <option value="3">3</option>
        </select>
      </label>
      <p className="muted small">
        Scenes come from the Shapes test split (seed {DEMO_SEED}
        {index === null ? '' : `, scene ${index}`}): the model never saw them in training.
      </p>
    </div>
  );
}
