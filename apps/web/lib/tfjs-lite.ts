// What the app's workers need of the @tensorflow/tfjs union package, which @seqlab/rnn imports
// for its side effects: gradient and chained-op registration on tfjs-core. scripts/build-workers.mjs
// aliases '@tensorflow/tfjs' here, so the worker bundles leave out tfjs-layers, -converter, -data and the
// statically imported webgl backend the union package brings (the worker imports webgl itself,
// and only where a GPU is).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
