import { describe, expect, it } from 'vitest';
import { checkRule, emptyForm, type Rule, type RuleForm, toForm } from './rule.ts';

const good: RuleForm = {
  ...emptyForm,
  nameTh: ' ระดับน้ำสูง ',
  nameEn: 'High water',
  scopeKind: 'device',
  scopeRef: '0b6f4d3e-7c1a-4a51-9a8e-1c2d3e4f5a6b',
  value: '2,0',
  clearAt: '1.95',
  public: true,
  instructionTh: 'ขนของขึ้นที่สูง',
  instructionEn: 'Move belongings up',
};

describe('checkRule', () => {
  it('builds the API body from a good form', () => {
    const r = checkRule(good);
    expect(r).toEqual({
      body: {
        name: { th: 'ระดับน้ำสูง', en: 'High water' },
        enabled: true,
        scope: { kind: 'device', deviceId: good.scopeRef },
        quantity: 'waterLevel',
        params: { kind: 'threshold', op: 'above', value: 2, clearAt: 1.95, forMinutes: 0 },
        category: 'env',
        urgency: 'expected',
        severity: 'moderate',
        certainty: 'observed',
        public: true,
        instruction: { th: 'ขนของขึ้นที่สูง', en: 'Move belongings up' },
      },
    });
  });

  it('puts each error on its field path', () => {
    const r = checkRule({
      ...good,
      nameTh: '   ',
      nameEn: 'x'.repeat(201),
      scopeRef: "x'; DROP TABLE rule_rules; --",
      quantity: '1pm',
      value: 'abc',
      clearAt: '1e999',
      forMinutes: '99999',
      instructionEn: 'bell\u0007',
    });
    expect('errors' in r && r.errors).toEqual({
      '/name/th': 'rules.form.required',
      '/name/en': 'rules.form.tooLong',
      '/scope': 'rules.form.chooseScope',
      '/quantity': 'rules.form.badQuantity',
      '/params/value': 'rules.form.badNumber',
      '/params/clearAt': 'rules.form.badNumber',
      '/params/forMinutes': 'rules.form.badMinutes',
      '/instruction/en': 'rules.form.badText',
    });
  });

  it('refuses a clear level on the wrong side of the threshold, both ways', () => {
    expect(checkRule({ ...good, clearAt: '2.1' })).toEqual({
      errors: { '/params/clearAt': 'rules.form.clearBelow' },
    });
    expect(checkRule({ ...good, op: 'below', value: '1', clearAt: '0.5' })).toEqual({
      errors: { '/params/clearAt': 'rules.form.clearAbove' },
    });
  });

  it('checks rate, no-data and zone fields', () => {
    expect(checkRule({ ...good, kind: 'rate', op: 'rise', perMinute: '0', windowMinutes: '1441' })).toEqual({
      errors: { '/params/perMinute': 'rules.form.positive', '/params/windowMinutes': 'rules.form.badWindow' },
    });
    expect(checkRule({ ...good, kind: 'noData', minutes: '0' })).toEqual({
      errors: { '/params/minutes': 'rules.form.badMinutes' },
    });
    expect(checkRule({ ...good, scopeKind: 'zone', scopeRef: 'Nai Mueang' })).toEqual({
      errors: { '/scope': 'rules.form.badZone' },
    });
    const city = checkRule({ ...good, scopeKind: 'city', scopeRef: '', kind: 'noData', minutes: '60' });
    expect('body' in city && city.body.scope).toEqual({ kind: 'city' });
    expect('body' in city && city.body.params).toEqual({ kind: 'noData', minutes: 60 });
  });

  it('round-trips a stored rule, and declines a combination', () => {
    const stored: Rule = {
      id: 'r1',
      name: { th: 'ก', en: 'A' },
      officeId: null,
      enabled: false,
      scope: { kind: 'zone', zoneCode: 'nai-mueang' },
      quantity: 'pm25',
      params: { kind: 'rate', op: 'fall', perMinute: 0.5, windowMinutes: 15 },
      category: 'health',
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
      public: false,
      instruction: { th: '', en: '' },
      managedBy: null,
      synthetic: false,
    };
    const form = toForm(stored)!;
    const r = checkRule(form);
    expect('body' in r && r.body).toMatchObject({
      enabled: false,
      scope: stored.scope,
      params: stored.params,
      severity: 'severe',
    });
    expect(toForm({ ...stored, params: { kind: 'combination', mode: 'all', conditions: [] } })).toBeNull();
  });
});
