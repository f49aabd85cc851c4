import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

export interface OutputChartProps {
  /** Path of the YAML file this chart becomes, relative to the repo root. */
  readonly outputPath: string;
}

/**
 * A chart that is one output file. Charts carry no namespace: every object states its
 * own, so cluster-scoped objects never get one stamped on them.
 */
export class OutputChart extends Chart {
  readonly outputPath: string;

  constructor(scope: Construct, id: string, props: OutputChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    if (!/^(dist|argocd)\/[a-z0-9./-]+\.yaml$/.test(props.outputPath) || props.outputPath.includes('..')) {
      throw new Error(`OutputChart ${id}: outputPath "${props.outputPath}" must be a .yaml file under dist/ or argocd/`);
    }
    this.outputPath = props.outputPath;
  }
}
