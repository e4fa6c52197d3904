import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ProblemError } from '../../api.ts';
import { formatDate } from '../../dates.ts';
import { useMe } from '../../session.ts';
import { Button } from '../../ui/Button.tsx';
import { Card, EmptyState, ErrorState, Spinner } from '../../ui/States.tsx';
import { Table } from '../../ui/Table.tsx';
import { Checkbox, Select, TextField } from '../../ui/TextField.tsx';
import { useFocusOnOpen } from '../../ui/useFocusOnOpen.ts';
import { baht, financeAccess } from './finance-access.ts';

type Resolution = 'matched' | 'overpaid' | 'partial' | 'refund' | 'not_ours';
interface QueuedPayment {
  id: string;
  transactionId: string;
  billNumber: string | null;
  amountSatang: number;
  paidAt: string;
  source: 'webhook' | 'statement';
  status: 'unknown_bill' | 'amount_mismatch' | 'already_paid';
  ownerName: string | null;
  billAmountSatang: number | null;
  resolution: Resolution | null;
  resolvedBillNumber: string | null;
  refundSatang: number | null;
  reason: string | null;
  resolvedAt: string | null;
}
type State = 'open' | 'resolved';
const pageSize = 50;

/** Finance staff settle bank payments that matched no bill, or not its amount, one at a time. */
export function PaymentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [state, setState] = useState<State>('open');
  if (me.isPending) return <Spinner />;
  const access = financeAccess(me.data);
  return (
    <section>
      <p>
        <Link to="/tax">{t('taxOffice.back')}</Link>
      </p>
      <h1>{t('taxOffice.payments.title')}</h1>
      {!access.reads ? (
        <EmptyState>{t('taxOffice.financeOnly')}</EmptyState>
      ) : (
        <>
          <p>{t('taxOffice.payments.lead')}</p>
          <Select
            label={t('taxOffice.payments.show')}
            value={state}
            onChange={(e) => setState(e.target.value as State)}
            options={[
              { value: 'open', label: t('taxOffice.payments.states.open') },
              { value: 'resolved', label: t('taxOffice.payments.states.resolved') },
            ]}
          />
          <Queue key={state} state={state} canResolve={access.keeps} />
        </>
      )}
    </section>
  );
}

function Queue({ state, canResolve }: { state: State; canResolve: boolean }) {
  const { t, i18n } = useTranslation();
  const [resolving, setResolving] = useState<QueuedPayment | null>(null);
  const [done, setDone] = useState('');
  const [page, setPage] = useState(0);
  const list = useQuery({
    queryKey: ['tax', 'payments', state, page],
    queryFn: () =>
      api<{ total: number; items: QueuedPayment[] }>(
        'GET',
        `/api/tax/payments/unmatched?state=${state}&limit=${pageSize}&offset=${page * pageSize}`,
      ),
    placeholderData: keepPreviousData,
  });
  if (list.isPending) return <Spinner />;
  if (list.isError) return <ErrorState error={list.error} />;
  const lang = i18n.language;
  return (
    <Card>
      <p role="status">{done}</p>
      {resolving && (
        <ResolveForm
          payment={resolving}
          onClose={(message) => {
            setResolving(null);
            if (message) setDone(message);
          }}
        />
      )}
      <Table
        caption={t(`taxOffice.payments.captions.${state}`)}
        rows={list.data.items}
        pageSize={pageSize}
        server={{ total: list.data.total, page, onPage: setPage }}
        rowKey={(p) => p.id}
        empty={t(`taxOffice.payments.empty.${state}`)}
        columns={[
          {
            key: 'paidAt',
            header: t('taxOffice.payments.paidAt'),
            cell: (p) => formatDate(p.paidAt, lang),
            sortValue: (p) => p.paidAt,
          },
          {
            key: 'txn',
            header: t('taxOffice.payments.transaction'),
            cell: (p) => <code>{p.transactionId}</code>,
          },
          {
            key: 'ref',
            header: t('taxOffice.payments.reference'),
            cell: (p) => (p.billNumber ? <code>{p.billNumber}</code> : '—'),
            sortValue: (p) => p.billNumber ?? '',
          },
          {
            key: 'amount',
            header: t('taxOffice.payments.amount'),
            cell: (p) => baht(p.amountSatang, lang),
            sortValue: (p) => p.amountSatang,
          },
          {
            key: 'status',
            header: t('taxOffice.payments.finding'),
            cell: (p) => t(`taxOffice.payments.statuses.${p.status}`),
            sortValue: (p) => p.status,
          },
          {
            key: 'payer',
            header: t('taxOffice.payments.payer'),
            cell: (p) =>
              p.ownerName
                ? `${p.ownerName} (${t('taxOffice.payments.billAmount', { amount: baht(p.billAmountSatang ?? 0, lang) })})`
                : '—',
          },
          ...(state === 'resolved'
            ? [
                {
                  key: 'resolution',
                  header: t('taxOffice.payments.resolution'),
                  cell: (p: QueuedPayment) =>
                    [
                      t(`taxOffice.payments.resolutions.${p.resolution}`),
                      p.resolvedBillNumber,
                      p.refundSatang !== null &&
                        t('taxOffice.payments.refund', { amount: baht(p.refundSatang, lang) }),
                      p.reason,
                      p.resolvedAt && formatDate(p.resolvedAt, lang),
                    ]
                      .filter(Boolean)
                      .join(' · '),
                },
              ]
            : canResolve
              ? [
                  {
                    key: 'act',
                    header: t('taxOffice.payments.action'),
                    cell: (p: QueuedPayment) => (
                      <Button
                        variant="secondary"
                        onClick={() => {
                          setDone('');
                          setResolving(p);
                        }}
                      >
                        {t('taxOffice.payments.resolve', { txn: p.transactionId })}
                      </Button>
                    ),
                  },
                ]
              : []),
        ]}
      />
    </Card>
  );
}

type Action = 'match' | 'refund' | 'not_ours';

/** One payment's decision: a bill to pay (a different amount only if recorded for a refund), or a closing reason. */
function ResolveForm({ payment, onClose }: { payment: QueuedPayment; onClose: (message?: string) => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const form = useRef<HTMLFormElement>(null);
  const [action, setAction] = useState<Action>(payment.billNumber ? 'match' : 'refund');
  const [errors, setErrors] = useState<{ billNumber?: string; reason?: string }>({});
  const resolve = useMutation({
    mutationFn: (body: object) =>
      api<{ resolution: Resolution }>('POST', `/api/tax/payments/${payment.id}/resolve`, body),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['tax', 'payments'] });
      onClose(
        t('taxOffice.payments.done', {
          txn: payment.transactionId,
          resolution: t(`taxOffice.payments.resolutions.${r.resolution}`),
        }),
      );
    },
    onError: (e) => {
      const billError = e instanceof ProblemError ? e.fieldError('/billNumber') : undefined;
      if (billError) {
        setErrors({ billNumber: billError });
        form.current?.querySelector<HTMLElement>('[name="billNumber"]')?.focus();
      }
    },
  });
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const billNumber = String(data.get('billNumber') ?? '')
      .trim()
      .toUpperCase();
    const reason = String(data.get('reason') ?? '').trim();
    const found: typeof errors = {};
    if (action === 'match' && !/^[0-9A-Z]{1,20}$/.test(billNumber))
      found.billNumber = t(billNumber ? 'taxOffice.payments.billNumberForm' : 'form.errors.required');
    if (action !== 'match' && !reason) found.reason = t('form.errors.required');
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      e.currentTarget.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    resolve.mutate(
      action === 'match'
        ? {
            action,
            billNumber,
            ...(data.get('difference') ? { difference: 'refund' } : {}),
            ...(reason ? { reason } : {}),
          }
        : { action, reason },
    );
  };
  return (
    <form ref={form} noValidate onSubmit={submit} data-testid="resolve-form" className="resolve-form">
      <h2 tabIndex={-1} ref={heading}>
        {t('taxOffice.payments.resolveTitle', {
          txn: payment.transactionId,
          amount: baht(payment.amountSatang, i18n.language),
        })}
      </h2>
      <fieldset>
        <legend>{t('taxOffice.payments.decision')}</legend>
        {(['match', 'refund', 'not_ours'] as const).map((a) => (
          <div className="check" key={a}>
            <input
              type="radio"
              id={`resolve-${a}`}
              name="action"
              value={a}
              checked={action === a}
              onChange={() => setAction(a)}
            />
            <label htmlFor={`resolve-${a}`}>{t(`taxOffice.payments.actions.${a}`)}</label>
          </div>
        ))}
      </fieldset>
      {action === 'match' && (
        <>
          <TextField
            label={t('taxOffice.payments.billNumber')}
            hint={t('taxOffice.payments.billNumberHint')}
            name="billNumber"
            defaultValue={payment.billNumber ?? ''}
            maxLength={20}
            autoComplete="off"
            error={errors.billNumber}
          />
          <Checkbox name="difference" label={t('taxOffice.payments.difference')} />
        </>
      )}
      <TextField
        label={t(action === 'match' ? 'taxOffice.payments.noteOptional' : 'taxOffice.payments.reason')}
        name="reason"
        maxLength={1000}
        required={action !== 'match'}
        error={errors.reason}
      />
      {resolve.isError && <ErrorState error={resolve.error} />}
      <div className="inline-form">
        <Button type="submit" disabled={resolve.isPending}>
          {t('taxOffice.payments.confirm')}
        </Button>
        <Button variant="secondary" onClick={() => onClose()}>
          {t('taxOffice.payments.cancel')}
        </Button>
      </div>
    </form>
  );
}
