import * as fs from 'fs';
import { editorSchemas } from '../lib/input/schema/json-schemas';
import { CHECK_PROGRAM_MODULE, checkProgramModule } from '../dev/check-program';

// Regenerates the editor schemas from the zod specs, and the bundled dojo check program from
// its sources; a test fails while either differs.
for (const [file, content] of Object.entries({ ...editorSchemas(), [CHECK_PROGRAM_MODULE]: checkProgramModule() })) {
  fs.writeFileSync(file, content); // npm run schema runs in the repo's root
  console.log(`wrote ${file}`);
}
