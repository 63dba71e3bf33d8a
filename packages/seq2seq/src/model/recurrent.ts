// The one place seq2seq imports the recurrent core from @seqlab/rnn (swap point for a different LSTM implementation).
export {
  initLSTMWeights,
  type LSTMState,
  type LSTMWeights,
  lstm,
  lstmCell,
  lstmGatesStep,
  lstmTimeMajor,
  randomInitSkipped,
  withoutRandomInit,
} from '@seqlab/rnn';
