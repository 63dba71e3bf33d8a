import { describe, expect, it } from 'vitest';
import { ensureModel } from '../lib/model-loads';
import { pair } from './pair';

describe('ensureModel', () => {
  it('sends one load for concurrent callers and retries after a failure', async () => {
    const sent: string[] = [];
    const client = pair(sent);
    const a = ensureModel(client, 'no-such-model');
    const b = ensureModel(client, 'no-such-model', () => {});
    expect(a).toBe(b);
    await expect(a).rejects.toThrow(/no-such-model/);
    expect(sent.filter((t) => t === 'load')).toHaveLength(1);
    await expect(ensureModel(client, 'no-such-model')).rejects.toThrow(/no-such-model/);
    expect(sent.filter((t) => t === 'load')).toHaveLength(2);
    client.terminate();
  }, 20_000);
});
