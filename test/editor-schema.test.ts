import { editorSchemaChecks } from './support/repo-checks';
import { REPO_ROOT } from './support/repo';

// A check of the trainer's repo (test/template.test.ts runs it on a fork too).
editorSchemaChecks(REPO_ROOT);
