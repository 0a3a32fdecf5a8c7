import { describe, expect, it } from 'vitest';
import {
  accountStateParameterName,
  InvalidRolloutParameterError,
  PAUSE_PARAMETER_NAME,
  parseAccountRecord,
  parseAppliedRecord,
  parsePauseRecord,
} from '../../../infra/rollout/contract';
import { InvalidReconcilerSpecError, packPutFor, parseReconcilerSpec } from '../../../infra/rollout/spec';
import { specFor } from '../../../scripts/simulation/org/simulate';

describe('pause parameter (the contract of `iam-unused pause` and `resume`)', () => {
  it('is not paused when the parameter is absent, and follows {"paused": …} when present', () => {
    expect(parsePauseRecord(undefined)).toEqual({ pause: { paused: false } });
    expect(parsePauseRecord('{"paused":false}').pause.paused).toBe(false);
    const paused = parsePauseRecord(
      '{"paused":true,"by":"arn:aws:iam::222222222222:role/Ops","reason":"incident"}',
    );
    expect(paused.pause).toMatchObject({ paused: true, reason: 'incident' });
    expect(paused.warning).toBeUndefined();
  });

  it.each(['true', 'paused', '{"paused":"yes"}', '[]', ''])(
    'treats %j as paused, with a warning naming the fix',
    (text) => {
      const out = parsePauseRecord(text);
      expect(out.pause.paused).toBe(true);
      expect(out.warning).toContain(PAUSE_PARAMETER_NAME);
      expect(out.warning).toContain('iam-unused resume');
    },
  );

  it('pause changes the put: remediation manual, another hash; the excluded accounts stay', () => {
    const spec = specFor(['333333333333', '111111111111']);
    const running = packPutFor(spec, false);
    const paused = packPutFor(spec, true);
    expect(running.templateBody).toContain('Automatic: true');
    expect(paused.templateBody).toContain('Automatic: false');
    expect(paused.specHash).not.toBe(running.specHash);
    expect(paused.excludedAccounts).toEqual(['111111111111', '333333333333']);
    expect(packPutFor(spec, true).specHash).toBe(paused.specHash);
  });
});

describe('records', () => {
  it('names the parameter of an account', () => {
    expect(accountStateParameterName('111111111111')).toBe(
      '/iam-unused-cleanup/rollout/accounts/111111111111',
    );
  });

  it.each(['not json', '[1]', '{"v":1,"accountId":"1","condition":"weird","since":"x","attempts":0}'])(
    'refuses the account record %j with the parameter name and the fix',
    (text) => {
      expect(() => parseAccountRecord('/p', text)).toThrow(InvalidRolloutParameterError);
      expect(() => parseAccountRecord('/p', text)).toThrow(/\/p .*[Dd]elete it/);
    },
  );

  it('refuses an applied record of another shape', () => {
    expect(() => parseAppliedRecord('/a', '{"v":1,"specHash":"h"}')).toThrow(/re-puts the pack/);
    expect(parseAppliedRecord('/a', '{"v":1,"specHash":"h","paused":false,"putAt":"t"}').specHash).toBe('h');
  });
});

describe('reconciler spec', () => {
  it('reads back what synth writes and refuses anything else', () => {
    const spec = specFor([]);
    expect(parseReconcilerSpec(JSON.stringify(spec), 'spec.json')).toEqual(spec);
    expect(() => parseReconcilerSpec('{', 'spec.json')).toThrow(InvalidReconcilerSpecError);
    expect(() => parseReconcilerSpec('{"v":2}', 'spec.json')).toThrow(/redeploy the delegated-admin stack/);
  });
});
