// The one place seq2seq imports the recurrent core from @seqlab/rnn (swap point for a different LSTM implementation).
export { initLSTMWeights, lstm, lstmCell, lstmTimeMajor, type LSTMState, type LSTMWeights } from '@seqlab/rnn';
