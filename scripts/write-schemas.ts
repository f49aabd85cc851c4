import * as fs from 'fs';
import { editorSchemas } from '../lib/input/schema/json-schemas';

// Regenerates the editor schemas from the zod specs; a test fails while they differ.
for (const [file, content] of Object.entries(editorSchemas())) {
  fs.writeFileSync(file, content); // npm run schema runs in the repo's root
  console.log(`wrote ${file}`);
}
