// Node-only entry (@seqlab/rnn/node): the LSTM benchmark, which spawns python and reads files.
export {
  type BenchConfig,
  type BenchRow,
  benchOurs,
  benchTfjsLayers,
  benchTorch,
  DEFAULT_BENCH,
  type ProfileRow,
} from '../bench/workload';
