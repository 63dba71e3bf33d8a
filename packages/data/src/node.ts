// @seqlab/data/node: builders that touch the file system or Debian's package tools.
export {};
