import { CODE_SERVER_VERSION, WORKSTATION_IMAGE_REVISION } from '../lib/facts/versions';

// The workstation image workflow's build arguments, in GitHub's step-output format.
console.log(`code_server=${CODE_SERVER_VERSION}\nrevision=${WORKSTATION_IMAGE_REVISION}`);
