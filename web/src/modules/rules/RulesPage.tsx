import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { emptyForm, type Rule, toForm } from '../../forms/rule.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Badge, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { pick } from '../alerts/shared.ts';
import { StaffOnly } from '../devices/shared.tsx';
import { RuleForm } from './RuleForm.tsx';

/** Staff rules: the list, and for managers create, edit, delete and backtest. */
export function RulesPage() {
  const { t } = useTranslation();
  return (
    <StaffOnly title={t('rules.title')}>
      <Rules />
    </StaffOnly>
  );
}

function describe(r: Rule, t: (k: string, o?: Record<string, unknown>) => string): string {
  const p = r.params;
  if (p.kind === 'threshold')
    return t('rules.describe.threshold', { op: t(`rules.ops.${p.op}`), value: p.value, clearAt: p.clearAt });
  if (p.kind === 'rate')
    return t('rules.describe.rate', { op: t(`rules.ops.${p.op}`), perMinute: p.perMinute });
  if (p.kind === 'noData') return t('rules.describe.noData', { minutes: p.minutes });
  return t('rules.kinds.combination');
}

function Rules() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const client = useQueryClient();
  const canManage = me && ['admin', 'office_manager'].includes(me.role);
  const canBacktest = canManage || me?.role === 'officer';
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const rules = useQuery({ queryKey: ['rules'], queryFn: () => api<Rule[]>('GET', '/api/rules') });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/rules/${id}`),
    onSuccess: () => setNotice(t('rules.deleted')),
    onSettled: () => client.invalidateQueries({ queryKey: ['rules'] }),
  });
  const done = (saved: boolean) => {
    setEditing(null);
    if (saved) {
      setNotice(t('rules.saved'));
      client.invalidateQueries({ queryKey: ['rules'] });
    }
  };

  if (editing) {
    const rule = editing === 'new' ? null : editing;
    const initial = rule ? toForm(rule) : emptyForm;
    if (!initial)
      return (
        <>
          <p role="alert">{t('rules.combinationNote')}</p>
          <Button onClick={() => setEditing(null)}>{t('rules.cancel')}</Button>
        </>
      );
    return (
      <RuleForm key={rule?.id ?? 'new'} rule={rule} initial={initial} canSave={!!canManage} onDone={done} />
    );
  }
  return (
    <>
      <p className="hint">{t('rules.intro')}</p>
      <p role="status" data-testid="rules-notice">
        {notice}
      </p>
      {(canManage || canBacktest) && (
        <Button onClick={() => setEditing('new')} data-testid="rule-new">
          {canManage ? t('rules.create') : t('rules.tryOne')}
        </Button>
      )}
      {rules.isPending && <Spinner />}
      {rules.isError && <ErrorState error={rules.error} onRetry={() => rules.refetch()} />}
      {remove.isError && <ErrorState error={remove.error} />}
      {rules.data && (
        <Table
          caption={t('rules.caption')}
          rows={rules.data}
          rowKey={(r) => r.id}
          empty={t('rules.none')}
          columns={[
            {
              key: 'name',
              header: t('rules.name'),
              cell: (r) => pick(r.name, i18n.language),
              sortValue: (r) => pick(r.name, i18n.language),
            },
            {
              key: 'quantity',
              header: t('rules.quantity'),
              cell: (r) => r.quantity,
              sortValue: (r) => r.quantity,
            },
            { key: 'condition', header: t('rules.condition'), cell: (r) => describe(r, t) },
            { key: 'scope', header: t('rules.scopeKind'), cell: (r) => t(`rules.scopes.${r.scope.kind}`) },
            {
              key: 'severity',
              header: t('rules.severity'),
              cell: (r) => t(`alerts.severity.${r.severity}`),
              sortValue: (r) => r.severity,
            },
            {
              key: 'flags',
              header: t('rules.flags'),
              cell: (r) => (
                <>
                  {!r.enabled && <Badge>{t('rules.disabled')}</Badge>}{' '}
                  {r.public && <Badge>{t('alerts.public')}</Badge>}{' '}
                  {r.managedBy && <Badge>{t('rules.managed')}</Badge>}
                </>
              ),
            },
            {
              key: 'actions',
              header: t('rules.actions'),
              cell: (r) =>
                canBacktest && (
                  <div className="inline-form">
                    <Button
                      variant="secondary"
                      onClick={() => setEditing(r)}
                      aria-label={`${canManage ? t('rules.edit') : t('rules.tryOne')}: ${pick(r.name, i18n.language)}`}
                    >
                      {canManage ? t('rules.edit') : t('rules.tryOne')}
                    </Button>
                    {canManage && (
                      <Button
                        variant="danger"
                        disabled={remove.isPending}
                        aria-label={`${t('rules.delete')}: ${pick(r.name, i18n.language)}`}
                        onClick={() => {
                          if (window.confirm(t('rules.confirmDelete', { name: pick(r.name, i18n.language) })))
                            remove.mutate(r.id);
                        }}
                      >
                        {t('rules.delete')}
                      </Button>
                    )}
                  </div>
                ),
            },
          ]}
        />
      )}
    </>
  );
}
