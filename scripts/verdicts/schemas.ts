import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import previewSchema from '../../schemas/preview.schema.json';
import reportSchema from '../../schemas/report.schema.json';
import snapshotSchema from '../../schemas/snapshot.schema.json';
import statusSchema from '../../schemas/status.schema.json';
import userSchema from '../../schemas/user.schema.json';

/**
 * The JSON Schemas shipped in schemas/, compiled once with Ajv (draft 2020-12): the snapshot
 * reader checks its input with them, and the tests check every JSON output.
 */

export type SchemaName = 'preview' | 'report' | 'status' | 'snapshot';

const SCHEMAS = {
  preview: previewSchema,
  report: reportSchema,
  status: statusSchema,
  snapshot: snapshotSchema,
};

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

export function schemaValidator(name: SchemaName): ValidateFunction {
  const known = compiled.get(name);
  if (known) return known;
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    ajv.addSchema(userSchema);
  }
  const validate = ajv.compile(SCHEMAS[name]);
  compiled.set(name, validate);
  return validate;
}

/** `/users/3/accessKeys/0/createDate` as the readers name it: `users[3].accessKeys[0].createDate`. */
export function fieldPath(error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1);
  const missing = error.keyword === 'required' ? [String(error.params.missingProperty)] : [];
  const extra = error.keyword === 'additionalProperties' ? [String(error.params.additionalProperty)] : [];
  return [...parts, ...missing, ...extra]
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, p) => (/^\d+$/.test(p) ? `${path}[${p}]` : path === '' ? p : `${path}.${p}`), '');
}
