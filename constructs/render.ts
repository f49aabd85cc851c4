import { ApiObject } from 'cdk8s';
import { toYamlStream } from '../lib/write/yaml';
import type { OutputFile } from '../lib/write/atomic-write';
import type { OutputChart } from './output-chart';

/**
 * Serializes each chart to its file. Objects are resolved one by one rather than through
 * `App.synth`, which re-resolves the whole app for every chart (quadratic in charts).
 */
export function renderCharts(charts: readonly OutputChart[]): OutputFile[] {
  return charts.map((chart) => {
    const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    return { path: chart.outputPath, content: toYamlStream(objects.map((o) => o.toJson())) };
  });
}
