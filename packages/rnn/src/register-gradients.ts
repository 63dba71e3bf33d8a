// Gradient and chained-op registration for browsers and bundlers: tfjs-core's own ESM modules, on the one tfjs-core instance a bundle holds.
// (Node resolves '#register-gradients' to register-gradients.node.ts instead: see there.)
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
