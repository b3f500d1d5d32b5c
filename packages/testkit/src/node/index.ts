// The node tier's test images: built locally, imported into containerd, never pulled.
export {
  TEST_IMAGES_TOOLS_DIR,
  buildTestBinaries,
  buildTestImages,
  importImage,
  parseBuildOutput,
  tagImage,
} from './images.js';
export type {
  BuildTestImagesOptions,
  CtrTarget,
  ModelImageRequest,
  TestBinaries,
  TestImage,
  TestImages,
} from './images.js';
export { GPU_RESOURCE, Node, gatewayOf, loadModelImages, tagNodeImage } from './node.js';
export type { NodeInfo, NodeOptions } from './node.js';
