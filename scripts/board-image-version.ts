import { BOARD_IMAGE_VERSION } from '../lib/facts/versions';

// The board image workflow's tag, in GitHub's step-output format.
console.log(`version=${BOARD_IMAGE_VERSION}`);
