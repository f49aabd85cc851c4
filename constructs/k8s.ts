// Kubernetes' own kinds: cdk8s-plus-28's generated bindings, from one module. The package's index
// would load the whole of cdk8s-plus for them, a third of every command's bundle; and each
// `import * as` of a CommonJS module copies its hundreds of exports once per importing file.
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

export { k8s };
