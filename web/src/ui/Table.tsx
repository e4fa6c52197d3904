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
  /** Server-side paging: total rows, current page (0-based) and a setter. */
  server?: { total: number; page: number; onPage: (page: number) => void };
}

/** A table with sorting (client side) and paging (client or server side), and an empty state. */
export function Table<T>({ caption, columns, rows, rowKey, pageSize = 20, server }: Props<T>) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 } | null>(null);
  const [localPage, setLocalPage] = useState(0);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort?.key);
    if (!column?.sortValue || !sort) return rows;
    const value = column.sortValue;
    return [...rows].sort((a, b) => (value(a) > value(b) ? sort.dir : value(a) < value(b) ? -sort.dir : 0));
  }, [rows, columns, sort]);
  const page = server ? server.page : localPage;
  const total = server ? server.total : rows.length;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const visible = server ? sorted : sorted.slice(page * pageSize, page * pageSize + pageSize);
  const goTo = (p: number) => (server ? server.onPage(p) : setLocalPage(p));

  if (rows.length === 0) return <EmptyState>{t('table.empty')}</EmptyState>;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={sort?.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}
              >
                {c.sortValue ? (
                  <button
                    type="button"
                    className="sort"
                    aria-label={t('table.sort', { column: c.header })}
                    onClick={() =>
                      setSort((s) => ({ key: c.key, dir: s?.key === c.key && s.dir === 1 ? -1 : 1 }))
                    }
                  >
                    {c.header} {sort?.key === c.key ? (sort.dir === 1 ? '▲' : '▼') : ''}
                  </button>
                ) : (
                  c.header
                )}
              </th>
            ))}
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
        <nav className="pager" aria-label={caption}>
          <Button variant="secondary" disabled={page === 0} onClick={() => goTo(page - 1)}>
            {t('table.previous')}
          </Button>
          <span>{t('table.page', { page: page + 1, pages })}</span>
          <Button variant="secondary" disabled={page + 1 >= pages} onClick={() => goTo(page + 1)}>
            {t('table.next')}
          </Button>
        </nav>
      )}
    </div>
  );
}
