// `seqlab data emoji`: placeholder until the emoji builder lands (replaced below).
import type { Command } from 'commander';
export function register(_program: Command): void {}
