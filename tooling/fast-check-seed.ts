// Vitest setup for property tests: fast-check runs from a fixed seed so CI is reproducible.
// Explore other inputs with FC_SEED=<n> (or FC_SEED=random) and keep any counterexample as a test.
import fc from 'fast-check';

const raw = process.env.FC_SEED ?? '20261126';
if (raw !== 'random') {
  const seed = Number(raw);
  if (!Number.isInteger(seed))
    throw new Error(`FC_SEED must be an integer or 'random', got '${raw}'`);
  fc.configureGlobal({ seed });
}
