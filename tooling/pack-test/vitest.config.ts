import { defineConfig } from 'vitest/config';
import { testPreset } from '../vitest.preset';

export default defineConfig(testPreset({ fastCheckSeed: false }));
