import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { Button } from '../../ui/Button.tsx';
import { Card, ErrorState, Spinner } from '../../ui/States.tsx';
import { OwnerMerge } from './OwnerMerge.tsx';
import { OwnerEdit } from './RegisterDetail.tsx';
import type { OwnerDetail } from './register-types.ts';

/** One owner opened from the owners list: the whole ID and address (the read is audited), and their correction. */
export function OwnerCard({ id, canEdit, onClose }: { id: string; canEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState('');
  const owner = useQuery({
    queryKey: ['tax', 'register', 'owners', 'card', id],
    queryFn: () => api<OwnerDetail>('GET', `/api/tax/register/owners/${id}`),
  });
  // The keyboard goes to the owner once they are shown, so the card is announced and reached at once.
  const loaded = owner.data !== undefined;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);
  return (
    <Card data-testid="owner-card">
      {owner.isPending && <Spinner />}
      {owner.isError && <ErrorState error={owner.error} />}
      {owner.data && (
        <>
          <h2 tabIndex={-1} ref={heading}>
            {owner.data.name}
          </h2>
          <dl>
            <dt>{t('tax.edit.ownerKind')}</dt>
            <dd>{t(`tax.register.ownerKinds.${owner.data.kind}`)}</dd>
            <dt>{t('tax.edit.taxId')}</dt>
            <dd>
              <code>{owner.data.taxId}</code>
            </dd>
            <dt>{t('tax.edit.ownerAddress')}</dt>
            <dd>{owner.data.address ?? '—'}</dd>
            <dt>{t('tax.register.kinds.parcels')}</dt>
            <dd>{owner.data.parcels}</dd>
            <dt>{t('tax.register.kinds.signs')}</dt>
            <dd>{owner.data.signs}</dd>
          </dl>
          <p role="status">{merged}</p>
          {canEdit && !editing && !merging && (
            <>
              <Button variant="secondary" onClick={() => setEditing(true)}>
                {t('tax.edit.correctOwner')}
              </Button>{' '}
              <Button
                variant="secondary"
                onClick={() => {
                  setMerged('');
                  setMerging(true);
                }}
              >
                {t('tax.merge.open')}
              </Button>
            </>
          )}
          {merging && (
            <OwnerMerge
              kept={owner.data}
              onDone={(message) => {
                setMerging(false);
                if (message) {
                  setMerged(message);
                  void owner.refetch();
                }
              }}
            />
          )}
          {editing && (
            <OwnerEdit
              id={id}
              onDone={() => {
                setEditing(false);
                void owner.refetch();
              }}
            />
          )}{' '}
          <Button variant="secondary" onClick={onClose}>
            {t('taxOffice.owners.close')}
          </Button>
        </>
      )}
    </Card>
  );
}
