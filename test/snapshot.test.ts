import { describe, expect, it } from 'vitest';
import { exampleOutput } from './support/example-output';

// What a reviewer sees of each example course (its Application, course-wide objects, NodePool
// and one student) and of the platform. The full output is held by the determinism test (dist/ == fresh synth).
describe('example courses', () => {
  const files = new Map(exampleOutput().files.map((f) => [f.path, f.content]));
  it.each([
    'argocd/example.yaml',
    'dist/example/apps/kubernetes-katas.yaml',
    'dist/example/courses/kubernetes-katas/course.yaml',
    'dist/example/courses/kubernetes-katas/node-pool.yaml',
    'dist/example/courses/kubernetes-katas/students/ada-lovelace.yaml',
    'dist/example/apps/docker-katas.yaml',
    'dist/example/courses/docker-katas/course.yaml',
    'dist/example/courses/docker-katas/students/student-1.yaml',
    'dist/example/courses/docker-katas/prewarm.yaml',
    'dist/example/apps/platform.yaml',
    'dist/example/platform/sysbox.yaml',
    'dist/example/platform/node-class.yaml',
    'dist/example/platform/storage-and-priorities.yaml',
  ])('%s', (file) => {
    expect(files.get(file)).toMatchSnapshot();
  });
});
