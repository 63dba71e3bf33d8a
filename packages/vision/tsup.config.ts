import { defineConfig } from 'tsup';
import { packageBuild } from '../../tooling/tsup.preset';

export default defineConfig(packageBuild(import.meta.dirname));
