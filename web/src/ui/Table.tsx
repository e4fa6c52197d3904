import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button.tsx';
import { EmptyState } from './States.tsx';

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => React.ReactNode;
  /** A value to sort by; columns without it are not sortable. */
  sortValue?: (row: T) => string | number;
}

interface Props<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  pageSize?: number;
  /** Shown instead of the table when there are no rows. */
  empty?: React.ReactNode;
  /** Server-side paging: total rows, current page (0-based) and a setter. Sorting is then the server's. */
  server?: { total: number; page: number; onPage: (page: number) => void };
}

/** Compares numbers as numbers and text in Thai dictionary order (which also orders Latin text). */
const collator = new Intl.Collator('th', { numeric: true });
const compare = (a: string | number, b: string | number) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));

/** A table with sorting (client side) and paging (client or server side), and an empty state. */
export function Table<T>({ caption, columns, rows, rowKey, pageSize = 20, empty, server }: Props<T>) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const [localPage, setLocalPage] = useState(0);
  const sorted = useMemo(() => {
    const value = columns.find((c) => c.key === sort?.key)?.sortValue;
    if (!value || !sort || server) return rows;
    return [...rows].sort((a, b) => sort.dir * compare(value(a), value(b)));
  }, [rows, columns, sort, server]);
  const total = server ? server.total : rows.length;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = server ? server.page : Math.min(localPage, pages - 1);
  const visible = server ? sorted : sorted.slice(page * pageSize, page * pageSize + pageSize);
  const goTo = (p: number) => (server ? server.onPage(p) : setLocalPage(p));
  const sortBy = (key: string) => {
    setSort((s) => ({ key, dir: s?.key === key && s.dir === 1 ? -1 : 1 }));
    setLocalPage(0);
  };

  if (rows.length === 0) return <EmptyState>{empty ?? t('table.empty')}</EmptyState>;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const sorting = sort?.key === c.key ? sort.dir : 0;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={sorting === 1 ? 'ascending' : sorting === -1 ? 'descending' : undefined}
                >
                  {c.sortValue && !server ? (
                    <button
                      type="button"
                      className="sort"
                      title={t('table.sort', { column: c.header })}
                      onClick={() => sortBy(c.key)}
                    >
                      {c.header}
                      <span aria-hidden="true">{sorting === 1 ? ' ▲' : sorting === -1 ? ' ▼' : ' ⇅'}</span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {visible.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <nav className="pager" aria-label={t('table.pages', { caption })}>
          <Button variant="secondary" disabled={page === 0} onClick={() => goTo(page - 1)}>
            {t('table.previous')}
          </Button>
          <span aria-live="polite">{t('table.page', { page: page + 1, pages, total })}</span>
          <Button variant="secondary" disabled={page + 1 >= pages} onClick={() => goTo(page + 1)}>
            {t('table.next')}
          </Button>
        </nav>
      )}
    </div>
  );
}
