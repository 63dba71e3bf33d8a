'use client';
// The few hyper-parameters of an in-page run (model size, steps, learning rate, clipping, …).
import {
  CAPTION_SIZES,
  MODEL_SIZES,
  type ModelSize,
  SERIES_UNITS,
  type TrainSettings,
  type TrainTask,
} from '@/lib/train-protocol';

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

/** What each size means for each task. */
function sizeLabel(task: TrainTask, k: ModelSize): string {
  if (task === 'series') return `${k} (LSTM of ${SERIES_UNITS[k]} units)`;
  if (task === 'caption') {
    const c = CAPTION_SIZES[k];
    return `${k} (CNN ${c.channels.join('-')}, decoder ${c.hidden})`;
  }
  const m = MODEL_SIZES[k];
  return `${k} (embedding ${m.embDim}, encoder ${m.encoderHidden}×2, decoder ${m.hidden})`;
}

export function SettingsForm({
  task,
  value,
  onChange,
  disabled,
}: {
  task: TrainTask;
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
          {(Object.keys(MODEL_SIZES) as ModelSize[]).map((k) => (
            <option key={k} value={k}>
              {sizeLabel(task, k)}
            </option>
          ))}
        </select>
      </label>
      {NUMBERS.filter(({ key }) => key !== 'vocabSize' || task === 'translate').map(
        ({ key, label, step }) => (
          <label key={key}>
            {task === 'series' && key === 'steps'
              ? 'Epochs'
              : task === 'series' && key === 'batchSize'
                ? 'Windows per batch'
                : task === 'series' && key === 'validateEvery'
                  ? 'Score the forecast every … epochs'
                  : label}
            <input
              type="number"
              step={step}
              data-testid={`train-${key}`}
              value={Number.isNaN(value[key]) ? '' : value[key]}
              onChange={(e) => onChange({ ...value, [key]: e.target.valueAsNumber })}
            />
          </label>
        ),
      )}
      {task === 'translate' ? (
        <>
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
        </>
      ) : null}
    </fieldset>
  );
}
