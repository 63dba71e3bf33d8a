'use client';
// The few hyper-parameters of an in-page run (model size, steps, learning rate, clipping, …).
import { MODEL_SIZES, type ModelSize, type TrainSettings } from '@/lib/train-protocol';

type NumKey = 'steps' | 'lr' | 'clipNorm' | 'batchSize' | 'vocabSize' | 'validateEvery' | 'seed';

const NUMBERS: { key: NumKey; label: string; step: string }[] = [
  { key: 'steps', label: 'Steps', step: '1' },
  { key: 'lr', label: 'Learning rate', step: 'any' },
  { key: 'clipNorm', label: 'Clip gradient norm at', step: 'any' },
  { key: 'batchSize', label: 'Pairs per step', step: '1' },
  { key: 'vocabSize', label: 'Vocabulary (BPE pieces)', step: '1' },
  { key: 'validateEvery', label: 'Validate every … steps', step: '1' },
  { key: 'seed', label: 'Seed', step: '1' },
];

export function SettingsForm({
  value,
  onChange,
  disabled,
}: {
  value: TrainSettings;
  onChange: (s: TrainSettings) => void;
  disabled: boolean;
}) {
  return (
    <fieldset className="train-settings" disabled={disabled}>
      <legend>Settings</legend>
      <label>
        Model size
        <select
          data-testid="train-size"
          value={value.size}
          onChange={(e) => onChange({ ...value, size: e.target.value as ModelSize })}
        >
          {Object.entries(MODEL_SIZES).map(([k, v]) => (
            <option key={k} value={k}>
              {k} (embedding {v.embDim}, encoder {v.encoderHidden}×2, decoder {v.hidden})
            </option>
          ))}
        </select>
      </label>
      {NUMBERS.map(({ key, label, step }) => (
        <label key={key}>
          {label}
          <input
            type="number"
            step={step}
            data-testid={`train-${key}`}
            value={Number.isNaN(value[key]) ? '' : value[key]}
            onChange={(e) => onChange({ ...value, [key]: e.target.valueAsNumber })}
          />
        </label>
      ))}
      <label>
        From (language)
        <input
          data-testid="train-source"
          value={value.source}
          onChange={(e) => onChange({ ...value, source: e.target.value })}
        />
      </label>
      <label>
        To (language)
        <input
          data-testid="train-target"
          value={value.target}
          onChange={(e) => onChange({ ...value, target: e.target.value })}
        />
      </label>
    </fieldset>
  );
}
