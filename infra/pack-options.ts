import type { PackOptions, PackTarget } from '../conformance-pack/builder';
import type { Settings } from './settings';

/** The pack options every mode shares; only the target differs (see PackTarget). */
export function packOptions(settings: Settings, target: PackTarget): PackOptions {
  return {
    target,
    maxAgeDays: settings.maxAgeDays,
    exclusionParameterName: settings.exclusionParameterName,
    frequency: settings.evaluationFrequency,
    refreshDays: settings.evaluationRefreshDays,
    remediation: settings.remediation,
  };
}
