// Node-only entry of @seqlab/kernels (worker_threads); grows with the multi-threaded trainer.
export * from './index';
