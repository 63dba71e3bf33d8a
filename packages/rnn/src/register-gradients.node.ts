// Gradient and chained-op registration in Node. tfjs-core's Node build (CommonJS) registers no
// gradients, and its ESM gradient modules would register on a second tfjs-core instance; the one
// CommonJS build that registers them on the instance `require('@tensorflow/tfjs-core')` returns is
// the union package's, so Node imports it. Browsers and bundlers get register-gradients.ts.
import '@tensorflow/tfjs';
